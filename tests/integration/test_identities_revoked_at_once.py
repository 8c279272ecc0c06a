"""Who sends an update is kept in each process (no database round trip for the person), and a change made
anywhere is seen at once: the CLI deactivates a person while two replicas share one database, and the
person's very next update is refused on both; a change of language on one replica shows on the other."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from bot.runtime import Runtime
from bot.services import access
from tests.conftest import NOW, make_settings
from tests.integration.chatbot import ChatBot

ROOT = Path(__file__).resolve().parents[2]
SXD = 2001


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": url,
           "TELEGRAM_BOT_TOKEN": "123:TEST", "BOT_USERNAME": "DonDocTestBot"}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=ROOT)


async def test_a_person_deactivated_from_the_cli_is_refused_at_their_next_update_on_every_replica(rt, people):
    url = rt.engine.url.render_as_string(hide_password=False)
    other = Runtime.build(make_settings(), url)
    first, second = await ChatBot(rt).start(), await ChatBot(other).start()
    try:
        for replica in (first, second):  # both know the person now, and keep them
            assert "2001" not in await replica.say(SXD, "/viec")
        assert (await access.identify(rt, SXD)) is (await access.identify(rt, SXD))  # served from memory

        done = await asyncio.to_thread(_cli, url, "deactivate", str(SXD))
        assert done.returncode == 0, done.stderr

        for replica in (first, second):
            refused = await replica.say(SXD, "/viec")
            assert "2001" in refused, refused  # a stranger is told their id to ask for an invite
        assert await access.identify(other, SXD) is None
    finally:
        await first.stop()
        await second.stop()
        await other.close()


async def test_a_change_of_language_on_one_replica_shows_on_the_other_at_once(rt, people):
    other = Runtime.build(make_settings(), rt.engine.url.render_as_string(hide_password=False))
    try:
        assert (await access.identify(other, SXD)).language == "vi"
        await access.set_language(rt, people.sxd, "en", now=NOW)
        assert (await access.identify(other, SXD)).language == "en"
        invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
        await access.register(rt, SXD, invite.token, full_name="Đầu mối", username=None, language="vi", now=NOW)
        assert (await access.identify(other, SXD)).unit_code == "STC"  # moved to another unit by a new invite
    finally:
        await other.close()


async def test_a_person_read_on_a_miss_is_the_same_actor_as_the_services_build(rt, people):
    """identify reads plain columns (no ORM entities): the same Actor as `actor_view` of the person, with a unit
    or without one (a leader), with the title an invite gave, and a stranger is None."""
    from sqlalchemy import select, update

    from bot.services.views import actor_view
    from storage.models import Person

    async with rt.sessions() as session, session.begin():
        await session.execute(update(Person).where(Person.role == "leader").values(title="Phó Chủ tịch UBND tỉnh"))
    async with rt.sessions() as session:
        expected = {p.telegram_id: actor_view(p) for p in await session.scalars(select(Person))}
    assert any(a.title for a in expected.values())
    assert len(expected) == 7 and any(a.unit_code is None for a in expected.values())
    for telegram_id, actor in expected.items():
        rt.cache.clear()
        assert await access.identify(rt, telegram_id) == actor
    assert await access.identify(rt, 999_999) is None
