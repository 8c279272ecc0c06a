"""benchmarks/run.py's results: the figures of one database as the JSON keys of issue 11, and the table."""

from __future__ import annotations

from typing import Any

from benchmarks.figures import Timing
from benchmarks.store import Dataset

# (key, label, goal in ms on the p95, the measured parts: the worst is the figure)
SERVICE_FIGURES = (
    ("unit_list", "my unit's list, busiest unit, page 1", 50, ("unit_list",)),
    ("overdue_list", "unit overdue list (busiest unit)", 50, ("overdue_list",)),
    ("all_overdue", "all overdue (no unit)", 50, ("all_overdue",)),
    ("due_soon", "due soon, own unit", 50, ("due_soon",)),
    ("card", "directive card, history, sign-in lookup", 50, ("card.card", "card.history", "card.identify")),
    ("search", "search: two common words, a rare word", 50, ("search.common", "search.rare")),
    ("stats_year", "statistics, whole province, last year", 200, ("stats_year.chat", "stats_year.cli")),
    ("unit_stats_year", "statistics, one unit (busiest), last year", 200, ("unit_stats_year",)),
    ("unit_stats_leaders", "the same with the breakdown by leader (busiest unit, smallest commune)", 200,
     ("unit_stats_leaders.busiest", "unit_stats_leaders.smallest")),
    ("action_report_done", "a unit reports done (the whole action)", 50, ("action_report_done",)),
    ("action_assign", "assign a directive to 3 units (the whole action)", 50, ("action_assign",)),
    ("claim_100", "claim 100 due reminders", 5, ("claim_100",)),
    ("web_dashboard", "web: the dashboard's JSON (API report), a year", 150, ("web.report_api",)),
    ("web_dashboard_page", "web: the dashboard page (two years' reports, the list)", 150, ("web.dashboard",)),
    ("web_list", "web: filtered list (unit, class, word / leader)", 50,
     ("web.list_filtered", "web.list_leader", "web.list_page", "web.list_year")),
    ("web_card", "web: directive card page", 50, ("web.card",)),
)
STARTUP_GOAL_S, MEMORY_GOAL_MB, SEND_GOAL, REPLY_GOAL = 2.0, 150.0, 0.95, 0.5
FIRST_RENDER_GOAL_S, PAGE_GOAL_KB = 1.5, 300.0
DIALECTS = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))


def summarise(found: dict[str, Any], dataset: Dataset) -> dict[str, Any]:
    timings: dict[str, Timing] = found["timings"]
    out: dict[str, Any] = {}
    for key, _label, _goal, parts in SERVICE_FIGURES:
        p95 = "claim_100_ms" if key == "claim_100" else f"{key}_p95_ms"
        if not all(part in timings for part in parts):  # not measured (a claim in a small province)
            out[p95] = out[f"{key}_p50_ms"] = None
            continue
        worst = max(parts, key=lambda part: timings[part].p95)
        out[p95] = round(timings[worst].p95 * 1000, 3)
        out[f"{key}_p50_ms"] = round(timings[worst].p50 * 1000, 3)
    if "claim_100.before" in timings:  # the former claim on the outbox itself, measured in the same run
        out["claim_100_before_ms"] = round(timings["claim_100.before"].p95 * 1000, 3)
        out["claim_100_before_p50_ms"] = round(timings["claim_100.before"].p50 * 1000, 3)
    if "web_page_kb" in found:
        out["web_page_kb"] = found["web_page_kb"]
        out["web_first_render_s"] = found.get("web_first_render_s")
    if "startup" in found:
        startup: Timing = found["startup"]
        out |= {"startup_s": round(startup.p95, 3), "startup_p50_s": round(startup.p50, 3),
                "rss_mb": round(found["rss_mb"], 1), "peak_rss_mb": round(found["peak_rss_mb"], 1),
                "stats_reply_s": round(found["stats_reply_s"], 3)}
        out["bot"] = {"stats_reply": found["stats_reply"], "idle_before_rss": found["idle_before"],
                      "idle_before_peak": found["idle_after"]}
    out["details"] = {name: timing.as_json() for name, timing in timings.items()}
    out["plans"] = found.get("plans")
    if "startup" in found:
        out["details"]["startup_s"] = found["startup"].as_json(scale=1.0)
    out["dataset"] = {"url": dataset.shown_url(), "today": dataset.today.isoformat(),
                      "build_s": None if dataset.build_s is None else round(dataset.build_s, 1),
                      "reused": dataset.build_s is None, "rows": found["rows"],
                      "due_reminders_at_claim": found["due_at_claim"], "cast": found["cast"],
                      "measured_at": found["now"], "claim_at": found["claim_at"], "stats_year": found["stats_year"]}
    return out


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def table(results: dict[str, Any]) -> str:
    databases = results["databases"]
    shown = [(d, name) for d, name in DIALECTS if d in databases]
    lines = ["| figure | goal | " + " | ".join(f"{name} p50 / p95" for _, name in shown) + " |",
             "| --- | --- |" + " --- |" * len(shown)]

    def row(label: str, goal: str, cell) -> None:  # type: ignore[no-untyped-def]
        lines.append(f"| {label} | {goal} | " + " | ".join(cell(databases[d]) for d, _ in shown) + " |")

    for key, label, goal, _parts in SERVICE_FIGURES:
        p95_key = "claim_100_ms" if key == "claim_100" else f"{key}_p95_ms"
        row(label, f"< {goal} ms p95", lambda f, k=key, p=p95_key, g=goal:
            ("not measured (too few due)" if k == "claim_100" else "not measured") if f[p] is None else
            f"{_ms(f[f'{k}_p50_ms'])} / {_ms(f[p])}{_mark(f[p] < g)}")
    if any("web_page_kb" in f for f in databases.values()):
        row("web: dashboard's first render in Chromium", f"< {FIRST_RENDER_GOAL_S:g} s", lambda f:
            "not measured" if f.get("web_first_render_s") is None else
            f"{f['web_first_render_s']:.2f} s{_mark(f['web_first_render_s'] < FIRST_RENDER_GOAL_S)}")
        row("web: page weight (HTML, CSS, JS)", f"< {PAGE_GOAL_KB:g} KB", lambda f:
            f"{f['web_page_kb']:.0f} KB{_mark(f['web_page_kb'] < PAGE_GOAL_KB)}")
    if any("startup_s" in f for f in databases.values()):
        row("start-up to first poll", f"< {STARTUP_GOAL_S:g} s", lambda f:
            f"{f['startup_p50_s']:.2f} s / {f['startup_s']:.2f} s{_mark(f['startup_s'] < STARTUP_GOAL_S)}")
        row("memory, idle after start", f"< {MEMORY_GOAL_MB:g} MB", lambda f:
            f"{f['rss_mb']:.0f} MB{_mark(f['rss_mb'] < MEMORY_GOAL_MB)}")
        row("memory, peak after a year's statistics", f"< {MEMORY_GOAL_MB:g} MB", lambda f:
            f"{f['peak_rss_mb']:.0f} MB (answered in {f['stats_reply_s']:.1f} s)"
            f"{_mark(f['peak_rss_mb'] < MEMORY_GOAL_MB)}")
    blank = " |" * (len(shown) - 1)
    if "send_rate_ratio" in results:
        ratio, refused = results["send_rate_ratio"], results["http_429"]
        lines.append(f"| reminder sending ÷ rate limit (once a run) | ≥ {SEND_GOAL:g} ×, no 429 | {ratio:.2f} ×, "
                     f"{refused} × 429{_mark(ratio >= SEND_GOAL and refused == 0)} |{blank}")
    if "reply_throughput_ratio" in results:
        got = results["reply_throughput"]
        lines.append(f"| replies/s vs a bare PTB echo bot (once a run) | ≥ {REPLY_GOAL:g} × | "
                     f"{got['ratio']:.2f} × ({got['bot_replies_per_s']:.0f}/s vs {got['echo_replies_per_s']:.0f}/s)"
                     f"{_mark(got['ratio'] >= REPLY_GOAL)} |{blank}")
    return "\n".join(lines)


GROWTH_GOAL = 2.0
_NOT_GROWTH = ("_p50_ms", "_p50_s")  # the p95 (and single figures) are compared, not the medians


def growth(results: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """Every figure of this run ÷ the same figure of a run on a smaller province (`--baseline FILE`), per
    database: {"from": N, "to": M, "sqlite": {key: ratio}, …}; None where either run lacks the figure."""
    out: dict[str, Any] = {"from": baseline.get("directives"), "to": results["directives"]}
    for dialect, figures in results["databases"].items():
        before = baseline.get("databases", {}).get(dialect, {})
        ratios: dict[str, float | None] = {}
        for key, value in figures.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or key.endswith(_NOT_GROWTH):
                continue
            old = before.get(key)
            ratios[key] = round(value / old, 2) if isinstance(old, int | float) and old and value is not None else None
        out[dialect] = ratios
    for key in ("reply_throughput_ratio", "send_rate_ratio"):
        if key in results and key in baseline and baseline[key]:
            out[key] = round(baseline[key] / results[key], 2)  # a ratio that falls is what grows worse
    return out


def growth_table(found: dict[str, Any]) -> str:
    shown = [(d, name) for d, name in DIALECTS if d in found]
    keys = sorted({k for d, _ in shown for k in found[d]})
    lines = [f"growth {found['from']:,} → {found['to']:,} directives (p95, or the figure; ✗ at {GROWTH_GOAL:g}× "
             "or more):", "", "| figure | " + " | ".join(name for _, name in shown) + " |",
             "| --- |" + " --- |" * len(shown)]
    for key in keys:
        cells = []
        for d, _ in shown:
            ratio = found[d].get(key)
            cells.append("—" if ratio is None else f"{ratio:.2f}×{_mark(ratio < GROWTH_GOAL)}")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
