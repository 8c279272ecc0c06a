from bot.ratelimit import SendLimiter


def _most_in_window(slots: list[float], window: float) -> int:
    """Slots spaced exactly window / n apart put the (n+1)th on the window's edge: rounding decides it."""
    return max(sum(1 for s in slots if t <= s < t + window - 1e-9) for t in slots)


def test_the_overall_rate_spaces_messages_evenly_and_leaves_one_of_each_second_unbooked():
    limiter = SendLimiter(per_second=10)
    slots = [limiter.reserve(chat, 0.0) for chat in range(1, 31)]
    assert all(later - earlier >= 0.1 for earlier, later in zip(slots, slots[1:], strict=False))
    assert _most_in_window(slots, 1.0) == 9, "one message sent before a window may arrive inside it"


def test_a_private_chat_gets_at_most_one_message_a_second_and_a_group_nineteen_booked_a_minute():
    limiter = SendLimiter(per_second=1000)
    private = [limiter.reserve(42, 0.0) for _ in range(3)]
    group = [limiter.reserve(43, 0.0, group=True) for _ in range(25)]
    assert private[1] - private[0] >= 1.0 and private[2] - private[1] >= 1.0
    assert _most_in_window(group, 60.0) == 19


def test_a_slot_is_never_in_the_past():
    limiter = SendLimiter(per_second=5)
    assert limiter.reserve(1, 100.0) == 100.0
