from bot.ratelimit import SendLimiter


def test_the_overall_rate_spaces_messages_evenly():
    limiter = SendLimiter(per_second=10)
    slots = [limiter.reserve(chat, 0.0) for chat in range(1, 31)]
    assert all(later - earlier >= 0.1 for earlier, later in zip(slots, slots[1:], strict=False))
    assert max(sum(1 for s in slots if t <= s < t + 1.0) for t in slots) <= 10


def test_a_private_chat_gets_at_most_one_message_a_second_and_a_group_twenty_a_minute():
    limiter = SendLimiter(per_second=1000)
    private = [limiter.reserve(42, 0.0) for _ in range(3)]
    group = [limiter.reserve(-42, 0.0) for _ in range(25)]
    assert private[1] - private[0] >= 1.0 and private[2] - private[1] >= 1.0
    assert max(sum(1 for s in group if t <= s < t + 60.0) for t in group) <= 20


def test_a_slot_is_never_in_the_past():
    limiter = SendLimiter(per_second=5)
    assert limiter.reserve(1, 100.0) == 100.0
