"""Fuzzing the chat: random text, commands, answers to open questions, edits of earlier messages, files (valid,
damaged, random bytes), the updates the bot has no handler for, and button presses (our own buttons, altered and
forged, ids past their column's range) from every role and a stranger, on SQLite and PostgreSQL. The material
and the checks are in tests/integration/fuzzing.py; tests/reliability/fuzz_chat.py plays thousands of updates.

After every step: no unhandled error, only valid Telegram HTML, every press answered exactly once, an answer to
every message and file in a private chat. After every example: no formula in the report's workbook, and nobody
wrote anything their role does not allow."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration import fuzzing as f

people_ = st.sampled_from(list(f.PEOPLE))
# Telegram delivers no message whose text is empty or only spaces.
texts = st.one_of(st.sampled_from(f.PHRASES), st.sampled_from(f.COMMANDS), st.text(min_size=1, max_size=120),
                  st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30)).filter(str.strip)
callbacks = st.one_of(
    st.builds(lambda a, c, v, arg: f"{a}|{c}|{v}|{arg}", st.sampled_from(f.ACTIONS), st.sampled_from(f.CODES),
              st.sampled_from(f.VERSIONS), st.sampled_from(f.ARGS)),
    st.sampled_from(f.FORGED),
    st.text(max_size=70),
)
files = st.one_of(st.tuples(st.sampled_from(f.FILE_NAMES), st.binary(max_size=300)),
                  st.tuples(st.just(""), st.sampled_from(sorted(f.FILES))))
steps = st.lists(st.one_of(
    st.tuples(st.just("say"), people_, st.tuples(texts, st.sampled_from([False, False, False, True]))),  # in a group?
    st.tuples(st.just("press"), people_, callbacks),
    st.tuples(st.just("own"), people_, st.integers(0, 30)),
    st.tuples(st.just("file"), people_, files),
    st.tuples(st.just("edit"), people_, st.tuples(st.integers(0, 10), texts)),
    st.tuples(st.just("other"), people_, st.sampled_from(f.OTHER)),
), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(script=steps)
async def test_nothing_anyone_sends_breaks_the_chat_or_writes_what_their_role_may_not(chat, rt, people, script):
    await f.seed(rt, people)
    for step in script:
        problem = await f.play(chat, step)
        chat.check_clean()
        assert problem is None, problem
    assert await f.formulas_in_reports(rt) == []
    assert await f.writes_out_of_role(rt) == []
