"""OCR of scanned notices and phone photos (Tesseract's Vietnamese model) on the committed test pages
(tests/ocr/pages: real notice texts laid out as Nghị định 30/2020 documents, scanned or photographed).

Prints the character accuracy of the clean scans (goal ≥ 98 %) and the photos (goal ≥ 95 %), the share of
directives read from the images equal to those read from the typed text (goal ≥ 95 %), the seconds per
A4 page at 200 dpi (goal ≤ 5 s on this 2-core machine; wall time, and the CPU time of the bot's process
plus Tesseract, which other work on the machine does not inflate), how long the event loop stalled while
a job ran, and the peak memory of one job in a fresh process (goal < 300 MB). With --steps, the accuracy
without each clean-up step, which is why each one is kept.

Run: python benchmarks/bench_ocr.py [--steps] [--limit N]. Needs tesseract-ocr and tesseract-ocr-vie.
Not part of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.errors import DomainError  # noqa: E402
from bot.imports.ocr import PageText, Source, Steps  # noqa: E402
from tests.ocr import accuracy, drafts, same_drafts, scans  # noqa: E402

GOALS = {"scan": 0.98, "photo": 0.95, "drafts": 0.95, "seconds": 5.0, "memory": 300}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def read_pages(files: tuple[Path, ...], steps: Steps) -> tuple[list[str], str, list[float], list[float]]:
    """Each page's OCR text, the document's text as the import gets it, and each page's wall seconds and
    CPU seconds (this process's and Tesseract's), read here one page after another."""
    from bot.imports.ocr.reader import assemble, pages_of
    from bot.imports.ocr.worker import read_page

    sources = [Source(file.name, "jpg", file.read_bytes()) for file in files]
    results, walls, cpus = [], [], []
    for page in pages_of(sources):
        wall, cpu = time.perf_counter(), _cpu()
        try:
            results.append(read_page(sources[page.source], page, steps))
        except DomainError:  # refused (without a clean-up step, say): nothing read from it
            results.append(PageText(page.number, "", 0.0))
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return [r.text for r in results], assemble(results, files[0].name).text, walls, cpus


def _spread(limit: int | None) -> tuple:  # type: ignore[type-arg]
    """All the notices, or `limit` of them taken evenly across the set (scans and photos alike)."""
    every = scans()
    if not limit or limit >= len(every):
        return every
    return tuple(every[round(i * len(every) / limit)] for i in range(limit))


def measure(limit: int | None, steps: Steps, verbose: bool) -> dict[str, float]:
    chosen = _spread(limit)
    acc: dict[str, list[float]] = {"scan": [], "photo": []}
    walls, cpus = [], []
    equal = total = 0
    for scan in chosen:
        texts, document, wall, cpu = read_pages(scan.files, steps)
        kind = "photo" if scan.photo else "scan"
        for expected, got in zip(scan.page_texts, texts, strict=True):
            acc[kind].append(accuracy(expected, got))
        if scan.dpi == 200:
            walls += wall
            cpus += cpu
        want, have = drafts(scan.text), drafts(document)
        equal += same_drafts(want, have)
        total += max(len(want), len(have))
        if verbose:
            marks = " ".join(f"{accuracy(e, g):.3f}" for e, g in zip(scan.page_texts, texts, strict=True))
            print(f"  {scan.id:<8} {scan.dpi} dpi  accuracy {marks}  drafts {same_drafts(want, have)}/"
                  f"{max(len(want), len(have))}  {sum(wall):.1f} s", flush=True)
    return {"scan": statistics.mean(acc["scan"]) if acc["scan"] else float("nan"),
            "scan_min": min(acc["scan"], default=float("nan")),
            "photo": statistics.mean(acc["photo"]) if acc["photo"] else float("nan"),
            "photo_min": min(acc["photo"], default=float("nan")),
            "pages": len(acc["scan"]) + len(acc["photo"]),
            "drafts": equal / total if total else float("nan"), "directives": total,
            "seconds": statistics.median(walls) if walls else float("nan"),
            "seconds_max": max(walls, default=float("nan")),
            "cpu": statistics.median(cpus) if cpus else float("nan")}


TESSERACT_WRAPPER = """#!/usr/bin/env python3
# Runs the real tesseract and notes its peak memory (a child's own figure: this small process is its
# parent, so the bot worker's memory is not counted in it).
import os, subprocess, sys
child = subprocess.Popen(["/usr/bin/tesseract", *sys.argv[1:]])
_, status, usage = os.wait4(child.pid, 0)
with open(os.environ["OCR_BENCH_PEAKS"], "a") as out:
    out.write(f"{usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _high_water() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (Linux)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


TESSERACT_WRAPPER = """#!/usr/bin/env python3
# Runs the real tesseract and notes its peak memory: this small process is its parent, so the figure is
# Tesseract's own (Linux carries a parent's peak over into a child it starts).
import os, subprocess, sys
child = subprocess.Popen(["/usr/bin/tesseract", *sys.argv[1:]])
_, status, usage = os.wait4(child.pid, 0)
with open(os.environ["OCR_BENCH_PEAKS"], "a") as out:
    out.write(str(usage.ru_maxrss) + " ")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _high_water() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (Linux)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def job(path: str) -> None:
    """One job as the bot runs it, in this (fresh) process with one worker: the worker's peak memory,
    Tesseract's, the bot process's growth and the event loop's longest stall meanwhile."""
    from bot.imports.ocr import read, reader

    reader.WORKERS = 1
    data = Path(path).read_bytes()
    kind = "pdf" if data.startswith(b"%PDF") else "jpg"
    stalls = [0.0]
    figures: dict[str, float] = {}

    async def main() -> None:
        done = asyncio.Event()
        loop = asyncio.get_running_loop()

        async def tick() -> None:
            while not done.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                stalls.append(time.perf_counter() - before - 0.01)

        worker_start, _ = await loop.run_in_executor(reader.pool(), _high_water)
        bot_start, _ = _high_water()
        ticker = asyncio.create_task(tick())
        document = await read([Source(Path(path).name, kind, data)])
        done.set()
        await ticker
        _, worker_peak = await loop.run_in_executor(reader.pool(), _high_water)
        figures.update(pages=document.pages, worker_start=worker_start, worker_peak=worker_peak,
                       bot_growth=_high_water()[1] - bot_start, stall_ms=max(stalls) * 1000)

    asyncio.run(main())
    peaks = [int(n) / 1024 for n in Path(os.environ["OCR_BENCH_PEAKS"]).read_text().split()]
    print(json.dumps({**figures, "tesseract": max(peaks)}))


def memory() -> list[dict[str, float]]:
    """A 200-dpi two-page scanned PDF and the largest photo, each read by a fresh process."""
    from PIL import Image

    long_scan = next(s for s in scans() if len(s.files) > 1)
    photo = max((s for s in scans() if s.photo), key=lambda s: s.files[0].stat().st_size)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        wrapper = Path(folder) / "tesseract"
        wrapper.write_text(TESSERACT_WRAPPER)
        wrapper.chmod(0o755)
        pdf = Path(folder) / "scan.pdf"
        images = [Image.open(f) for f in long_scan.files]
        images[0].save(pdf, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
        for path in (pdf, photo.files[0]):
            peaks = Path(folder) / f"{path.stem}.peaks"
            env = dict(os.environ, PATH=f"{folder}:{os.environ['PATH']}", OCR_BENCH_PEAKS=str(peaks))
            done = subprocess.run([sys.executable, __file__, "--job", str(path)], capture_output=True, text=True,
                                  check=True, cwd=ROOT, env=env)
            results.append({"file": path.name, **json.loads(done.stdout.splitlines()[-1])})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", action="store_true", help="also the accuracy without each clean-up step")
    parser.add_argument("--limit", type=int, help="only N documents, taken evenly across the set")
    parser.add_argument("--verbose", action="store_true", help="every document's figures")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        job(args.job)
        return
    from bot.imports.ocr.engine import missing

    if missing():
        sys.exit(f"OCR cannot run here: {missing()} is missing (apt-get install tesseract-ocr tesseract-ocr-vie)")
    full = measure(args.limit, Steps(), args.verbose)
    print(f"{full['pages']} pages, {full['directives']} directives from {len(_spread(args.limit))} "
          f"notices of tests/corpus/real")
    print(f"character accuracy, clean scans: {full['scan']:.2%} (worst page {full['scan_min']:.2%}; goal ≥ 98 %)")
    print(f"character accuracy, phone photos: {full['photo']:.2%} (worst page {full['photo_min']:.2%}; "
          f"goal ≥ 95 %)")
    print(f"directives read from the images equal to those from the typed text: {full['drafts']:.1%} "
          f"(goal ≥ 95 %)")
    print(f"A4 page at 200 dpi: median {full['seconds']:.2f} s wall, {full['cpu']:.2f} s CPU (bot + Tesseract), "
          f"slowest {full['seconds_max']:.2f} s (goal ≤ 5 s)")
    for run in memory():
        print(f"job {run['file']} ({run['pages']} pages): worker process peak {run['worker_peak']:.0f} MB "
              f"({run['worker_start']:.0f} MB idle) + Tesseract peak {run['tesseract']:.0f} MB = "
              f"{run['worker_peak'] + run['tesseract']:.0f} MB (goal < 300 MB); the bot's own process grew "
              f"{run['bot_growth']:.0f} MB; its event loop stalled at most {run['stall_ms']:.0f} ms")
    if args.steps:
        print("without each clean-up step, and with our own binarisation (accuracy scans / photos, directives "
              "equal, seconds a page):")
        for name in ("drop_colour", "perspective", "flatten", "deskew", "rescale", "binarise"):
            other = measure(args.limit, replace(Steps(), **{name: not getattr(Steps(), name)}), False)
            label = f"{'with' if name == 'binarise' else 'no'} {name}"
            print(f"  {label:<17} {other['scan']:.2%} / {other['photo']:.2%}, {other['drafts']:.1%}, "
                  f"{other['seconds']:.2f} s per page")


if __name__ == "__main__":
    main()
