"""benchmarks/month.py keeps working: a two-day month of a small province replays through the real chat
handlers on both databases, every planned journey finds its buttons, and the figures add up."""

from __future__ import annotations

from tests.conftest import shared_path


def test_a_two_day_month_of_four_units_replays_through_the_chat_and_counts_messages_and_taps(database_url):
    from benchmarks.month import run

    # On PostgreSQL the URL names a server's database: the month runs in a throw-away one beside it.
    result = run(database_url, days=2, units=4, per_year=900, data=shared_path("data", "province-2025"))
    assert result["database"] == database_url.split(":", 1)[0]
    assert result["assigned"] == result["planned_directives"] > 0, "every directive reached its lead unit"
    assert result["actions_missed"] == {}, "every journey found the buttons it needed"
    assert result["actions_done"].get("acknowledge", 0) > 0
    assert result["imported_rows"] > 0 and result["taps"]["by_journey"]["import"] >= 2
    assert sum(result["people"].values()) == 1 + 2 + 5, "clerk, two leaders, a focal point per unit, one unit two"
    messages = result["messages_per_person_day"]
    assert 0 < messages["all"]["median"] <= messages["all"]["p95"] <= messages["all"]["max"]
    assert messages["pushed"]["max"] <= messages["all"]["max"]
    sent = result["bot_messages"]
    assert sent["total"] == sent["answers_to_actions"] + sent["pushed"] > 0
    taps = result["taps"]
    assert taps["total"] == sum(taps["by_kind"].values()) == sum(taps["by_journey"].values())
    assert taps["per_assigned_directive"] == round(taps["total"] / result["assigned"], 2)
