"""Start-up's objects are frozen once the bot has started; what requests make later is still collected."""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace

import pytest

import bot.app as bot_app
from bot import heap


@pytest.fixture
def thawed():
    yield
    gc.unfreeze()  # the test process's objects go back to the collector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settling_freezes_what_exists_and_still_collects_what_comes_later(thawed: None) -> None:
    kept = _Cycle()
    frozen = heap.settle()
    assert frozen == gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # a full collection no longer walks it
    later = _Cycle()
    gone = weakref.ref(later)
    del later
    gc.collect()
    assert gone() is None


async def test_the_bot_settles_its_heap_once_start_up_is_done(monkeypatch: pytest.MonkeyPatch,
                                                              thawed: None) -> None:
    steps: list[str] = []

    async def step(name: str, *_: object) -> None:
        steps.append(name)

    async def upgrade() -> None:
        steps.append("upgrade")

    monkeypatch.setattr(bot_app, "publish_commands", lambda *a: step("commands"))
    monkeypatch.setattr(bot_app, "publish_menu_button", lambda *a: step("menu"))
    monkeypatch.setattr(heap, "settle", lambda: steps.append("settle"))
    app = SimpleNamespace(bot=None, job_queue=None,
                          bot_data=SimpleNamespace(rt=SimpleNamespace(upgrade=upgrade, settings=None), zalo=None))
    await bot_app._post_init(app)  # type: ignore[arg-type]
    assert steps == ["upgrade", "commands", "menu", "settle"]
