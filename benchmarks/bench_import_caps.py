"""Import caps benchmark (issue 24; prints figures, not part of the test suite).

Each hostile file is read as an operator reads it, `python -m bot import --dry-run FILE`, in a fresh process
(the chat's preview runs the same reading, bot.services.imports.read_file). Prints, per file: its size, the exit
code, wall and CPU seconds of the command (the process's start and the database's set-up left out), the
process's peak resident memory (VmHWM) and the one line it printed. Goal: each refused (exit 1, one line) in
< 2 s and < 150 MB.

    python benchmarks/bench_import_caps.py [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = {
    # name: (builder, argument, file name)
    "docx-50000-paragraphs": ("docx_with_paragraphs_of_directives", 50_000, "thong-bao.docx"),
    "pdf-500-pages": ("pdf_with_pages", 500, "thong-bao.pdf"),
    "xlsx-1000000-number-rows": ("xlsx_number_rows", 1_000_000, "so-thu-tu.xlsx"),
    "notice-5000-items": ("notice_with_items", 5_000, "ket-luan.docx"),
    "docx-50000-empty-paragraphs": ("docx_with_paragraphs", 50_000, "rong.docx"),
    # Past the other caps: a notice short enough but holding too many directives; a PDF whose every glyph is
    # placed on its own (pypdf's slowest text), on few enough pages; a sheet of real rows past MAX_SHEET_ROWS.
    "notice-400-short-items": ("notice_with_items", 400, "ket-luan-ngan.docx"),
    "pdf-30-dense-pages": ("dense_pdf", 30, "day-chu.pdf"),
    "xlsx-50000-directive-rows": ("directive_rows", 50_000, "theo-doi.xlsx"),
    # Small files holding a part a reader takes into memory whole.
    "docx-48MB-styles": ("docx_with_big_styles", 48, "kieu-chu.docx"),
    "xlsx-40MB-shared-strings": ("xlsx_with_big_shared_strings", 40, "chuoi.xlsx"),
}
GOAL_SECONDS, GOAL_MB = 2.0, 150


def build(case: str, folder: Path) -> Path:
    from tests import hostile_files

    builder, argument, name = CASES[case]
    if builder == "docx_with_paragraphs_of_directives":
        data = hostile_files.docx_with_paragraphs(argument, hostile_files.DIRECTIVE_LINE)
    elif builder == "dense_pdf":
        line = "Rà soát các dự án chậm tiến độ, báo cáo UBND tỉnh kết quả thực hiện " * 4
        data = hostile_files.pdf_with_pages(argument, [line] * 38)
    elif builder == "directive_rows":
        row = hostile_files.GOOD_ROW
        data = hostile_files.template_sheet(*([n, *row[1:]] for n in range(1, argument + 1)))
    else:
        data = getattr(hostile_files, builder)(argument)
    path = folder / name
    path.write_bytes(data)
    return path


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's ru_maxrss, not inherited across exec
    from the parent that built the files)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_one(path: Path) -> dict[str, object]:
    """In the child, as an operator runs it: `python -m bot import --dry-run FILE` (bot.cli.main), timed, with
    the process's peak memory. The database and its units are made first, outside the timing."""
    import contextlib
    import io

    from bot.cli import main as cli
    from tests.integration.conftest import UNITS_CSV

    units = path.parent / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli(["import-units", str(units)]) == 0
    err = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
        code = cli(["import", "--dry-run", str(path)])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    answer = (err.getvalue() or out.getvalue()).strip().splitlines()
    return {"code": code, "answer": answer[0] if answer else "", "lines": len(answer), "seconds": round(seconds, 2),
            "cpu": round(cpu, 2), "peak_mb": round(_peak_mb())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(read_one(Path(args.child))))
        return
    print(f"{'file':30} {'size':>7} {'exit':>4} {'s':>6} {'cpu s':>6} {'peak MB':>7}  goal     answer (stderr)")
    with tempfile.TemporaryDirectory() as folder:
        for case in [args.only] if args.only else CASES:
            work = Path(folder) / case
            work.mkdir()
            path = build(case, work)
            env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite+aiosqlite:///{work / 'db.sqlite3'}"}
            done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                                  env=env, check=False, cwd=work)
            if done.returncode != 0:
                print(f"{case:30} failed:\n{done.stderr[-2000:]}")
                continue
            f = json.loads(done.stdout.strip().splitlines()[-1])
            met = f["code"] == 1 and f["lines"] == 1 and f["seconds"] < GOAL_SECONDS and f["peak_mb"] < GOAL_MB
            size = f"{path.stat().st_size / 2**20:.1f} MB"
            print(f"{case:30} {size:>7} {f['code']:>4} {f['seconds']:>6} {f['cpu']:>6} {f['peak_mb']:>7}  "
                  f"{'met    ' if met else 'NOT MET'}  {str(f['answer'])[:110]}")


if __name__ == "__main__":
    main()
