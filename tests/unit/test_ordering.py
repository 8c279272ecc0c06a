"""One person's updates are handled in order; different people's at the same time."""

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from handlers.ordering import PerPersonOrder


def _update(number: int, user_id: int) -> Update:
    user = User(user_id, "U", False)
    return Update(number, message=Message(number, datetime.now(UTC), Chat(user_id, "private"), from_user=user, text="x"))


async def test_one_persons_updates_wait_for_each_other_and_others_do_not():
    processor = PerPersonOrder()
    log: list[str] = []
    other_done = asyncio.Event()

    async def work(name: str, wait: asyncio.Event | None = None, then: asyncio.Event | None = None) -> None:
        log.append(f"start {name}")
        if wait is not None:
            await wait.wait()  # a1 finishes only once b1 has: b1 must not have been kept behind it
        log.append(f"end {name}")
        if then is not None:
            then.set()

    await asyncio.wait_for(asyncio.gather(
        processor.process_update(_update(1, 7), work("a1", wait=other_done)),
        processor.process_update(_update(2, 7), work("a2")),
        processor.process_update(_update(3, 8), work("b1", then=other_done)),
    ), timeout=10)
    assert log.index("end a1") < log.index("start a2"), "a person's second update waits for the first"
    assert log.index("end b1") < log.index("end a1"), "another person is not kept waiting"
    assert processor._locks == {}, "no lock is kept once a person's updates are done"
