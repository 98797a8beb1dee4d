"""Parse + paginate each sample in ../shared/scripts/samples; compare with screenplain and jouvence in the same run.

Usage: .venv/bin/python benchmarks/parse.py [--repeat N] [--rounds R] [--shared DIR] [--bench-venv DIR] [--instructions] [--pdf]

Target (issue 3): a 120-page feature (Big Fish) parsed and paginated in < 100 ms, and at least 3x faster
than screenplain on it while extracting more.

screenplain and jouvence are not project dependencies. Install them into a throwaway venv, never into
the project's:  python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install screenplain jouvence
When that venv exists they run in a subprocess from it (same machine, same run, same files); when it does
not, the comparison columns say so.

What each tool extracts from a file is counted too ("extracting more"): screenplain and jouvence give
paragraphs (jouvence also scenes); ours gives paragraphs, scenes with set / INT-EXT / time of day /
characters, pages and eighths. screenplain has no paginator apart from its PDF writer, so its time is
given both for parsing alone (the conservative ratio) and for parse + PDF (its way to get pages).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unitbase.scripts.pagination import paginate
from unitbase.scripts.parsers import parse_bytes

_OTHERS = r"""
import io, json, statistics, sys, tempfile, time, os
path, repeat, with_pdf = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
text = open(path, encoding="utf-8-sig").read()
out = {}
try:
    from screenplain.parsers import fountain as sp
    times, cpu = [], []
    for _ in range(repeat):
        c0 = time.process_time(); t0 = time.perf_counter(); play = sp.parse(io.StringIO(text))
        times.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
    paras = list(play)
    out["screenplain"] = {"ms": statistics.median(times) * 1000, "cpu_ms": min(cpu) * 1000, "paragraphs": len(paras),
                          "runs_s": times, "cpu_runs_s": cpu,
                          "headings": sum(type(p).__name__ == "Slug" for p in paras)}
    if with_pdf:
      try:
        from screenplain.export.pdf import to_pdf
        fd, tmp = tempfile.mkstemp(suffix=".pdf"); os.close(fd)
        t0 = time.perf_counter(); to_pdf(sp.parse(io.StringIO(text)), tmp); pdf_ms = (time.perf_counter() - t0) * 1000
        os.unlink(tmp)
        out["screenplain"]["pdf_ms"] = pdf_ms
      except Exception as exc:  # its PDF writer needs reportlab
        out["screenplain"]["pdf_error"] = type(exc).__name__
except Exception as exc:
    out["screenplain"] = {"error": f"{type(exc).__name__}: {exc}"}
try:
    from jouvence.parser import JouvenceParser
    times, cpu = [], []
    for _ in range(repeat):
        c0 = time.process_time(); t0 = time.perf_counter(); doc = JouvenceParser().parseString(text)
        times.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
    out["jouvence"] = {"ms": statistics.median(times) * 1000, "cpu_ms": min(cpu) * 1000, "scenes": len(doc.scenes),
                       "runs_s": times, "cpu_runs_s": cpu,
                       "paragraphs": sum(len(s.paragraphs) for s in doc.scenes)}
except Exception as exc:
    out["jouvence"] = {"error": f"{type(exc).__name__}: {exc}"}
print(json.dumps(out))
"""


def _others(venv: Path, path: Path, repeat: int, with_pdf: bool = True) -> dict | None:
    python = venv / "bin" / "python"
    if not python.exists():
        return None
    try:
        run = subprocess.run(  # noqa: S603 - our own venv and script
            [str(python), "-c", _OTHERS, str(path), str(repeat), "1" if with_pdf else "0"], capture_output=True, text=True,
            timeout=300, check=False)
        return json.loads(run.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, json.JSONDecodeError, IndexError) as exc:
        return {"screenplain": {"error": str(exc)}, "jouvence": {"error": str(exc)}}


def _ours(path: Path, repeat: int) -> dict:
    data = path.read_bytes()
    parse_t, total_t, cpu_t = [], [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        script = parse_bytes(data, path.name)
        t1 = time.perf_counter()
        result = paginate(script)
        t2 = time.perf_counter()
        cpu_t.append(time.process_time() - c0)
        parse_t.append(t1 - t0)
        total_t.append(t2 - t0)
    return {
        "parse_ms": statistics.median(parse_t) * 1000, "ms": statistics.median(total_t) * 1000,
        "cpu_ms": min(cpu_t) * 1000, "parse_runs_s": parse_t, "runs_s": total_t, "cpu_runs_s": cpu_t,
        "pages": result.pages, "scenes": len(result.scenes), "paragraphs": len(script.elements),
        "eighths": result.total_eighths, "characters": len({c for s in result.scenes for c in s.characters}),
    }


_COUNT_OURS = """
import sys
sys.path.insert(0, sys.argv[1])
from unitbase.scripts.pagination import paginate
from unitbase.scripts.parsers import parse_bytes
data = open(sys.argv[2], "rb").read()
for _ in range(int(sys.argv[3])):
    paginate(parse_bytes(data, sys.argv[2]))
"""
_COUNT_SCREENPLAIN = """
import io, sys
from screenplain.parsers import fountain as sp
text = open(sys.argv[2], encoding="utf-8-sig").read()
for _ in range(int(sys.argv[3])):
    sp.parse(io.StringIO(text))
"""


def _instructions(python: Path, code: str, path: Path) -> int | None:
    """Instructions (valgrind's cachegrind, no cache simulation) of one run: the count for 11 runs less
    the count for 1 run (start-up and imports), over 10. Independent of the machine's load."""
    counts = []
    for runs in (1, 11):
        try:
            run = subprocess.run(  # noqa: S603 - our own scripts
                ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",  # noqa: S607
                 str(python), "-c", code, str(Path(__file__).resolve().parent.parent), str(path), str(runs)],
                capture_output=True, text=True, timeout=900, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
        except (OSError, subprocess.TimeoutExpired):
            return None
        line = next((x for x in run.stderr.splitlines() if "I   refs:" in x or "I refs:" in x), None)
        if run.returncode != 0 or line is None:
            return None
        counts.append(int(line.rsplit(":", 1)[1].replace(",", "").strip()))
    return (counts[1] - counts[0]) // 10


def _merge(first: dict, more: dict) -> None:
    """Add another round's runs to one tool's figures: medians and best CPU time over every run."""
    if "runs_s" not in first or "runs_s" not in more:
        return
    for key in ("runs_s", "cpu_runs_s", "parse_runs_s"):
        if key in first:
            first[key] = first[key] + more[key]
    first["ms"] = statistics.median(first["runs_s"]) * 1000
    first["cpu_ms"] = min(first["cpu_runs_s"]) * 1000
    if "parse_runs_s" in first:
        first["parse_ms"] = statistics.median(first["parse_runs_s"]) * 1000


def _fmt(value: float | None) -> str:
    return f"{value:8.1f}" if isinstance(value, int | float) else f"{'—':>8}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    ap.add_argument("--bench-venv", default="/tmp/bench-venv")  # noqa: S108 - a throwaway venv the docs name
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternate ours and the others this many times (--repeat runs each) and pool the runs, so "
                         "that a burst of load from other users of the machine does not fall on one tool only")
    ap.add_argument("--instructions", action="store_true",
                    help="also count the instructions of one Big Fish run of ours and of screenplain with valgrind "
                         "(slow, about a minute; independent of the machine's load)")
    ap.add_argument("--pdf", action="store_true", help="also time PDF import of the sample PDFs (slow: pdfplumber)")
    args = ap.parse_args()
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    folder = Path(args.shared) / "scripts/samples"
    venv = Path(args.bench_venv)
    if not (venv / "bin" / "python").exists():
        print(f"note: {venv} not found, so screenplain and jouvence are not compared in this run. Create it with:\n"
              f"  python3 -m venv {venv} && {venv}/bin/pip install screenplain jouvence\n")
    print(f"{'file':34} {'pages':>5} {'scenes':>6} {'ours ms':>8} {'parse':>8} {'spl ms':>8} {'spl+pdf':>8} "
          f"{'jouv ms':>8} {'x spl':>6} {'x spl+pdf':>9} {'x jouv':>6}")
    summary = []
    for path in sorted(folder.glob("*.fountain")):
        ours = _ours(path, args.repeat)
        others = _others(venv, path, args.repeat) or {}
        spl, jou = others.get("screenplain", {}), others.get("jouvence", {})
        for _ in range(args.rounds - 1):
            _merge(ours, _ours(path, args.repeat))
            more = _others(venv, path, args.repeat, with_pdf=False) or {}
            _merge(spl, more.get("screenplain", {}))
            _merge(jou, more.get("jouvence", {}))
        r_spl = spl.get("ms") / ours["ms"] if spl.get("ms") else None
        r_pdf = spl.get("pdf_ms") / ours["ms"] if spl.get("pdf_ms") else None
        r_jou = jou.get("ms") / ours["ms"] if jou.get("ms") else None
        print(f"{path.name:34} {ours['pages']:5} {ours['scenes']:6} {_fmt(ours['ms'])} {_fmt(ours['parse_ms'])} "
              f"{_fmt(spl.get('ms'))} {_fmt(spl.get('pdf_ms'))} {_fmt(jou.get('ms'))} "
              f"{(f'{r_spl:5.1f}x' if r_spl else '     —')} {(f'{r_pdf:8.1f}x' if r_pdf else '        —')} "
              f"{(f'{r_jou:5.1f}x' if r_jou else '     —')}")
        summary.append((path.name, ours, spl, jou))
        for name, info in (("screenplain", spl), ("jouvence", jou)):
            if "error" in info:
                print(f"    {name}: {info['error']}")
    print("\nWhat each extracts (ours: paragraphs / scenes / characters / pages / eighths; "
          "screenplain: paragraphs / headings; jouvence: paragraphs / scenes):")
    for name, ours, spl, jou in summary:
        print(f"  {name:34} ours {ours['paragraphs']}/{ours['scenes']}/{ours['characters']}/{ours['pages']}/"
              f"{ours['eighths']}  screenplain {spl.get('paragraphs', '—')}/{spl.get('headings', '—')}  "
              f"jouvence {jou.get('paragraphs', '—')}/{jou.get('scenes', '—')}")
    print(f"\nCPU time (time.process_time, best of the runs; {args.rounds} rounds of {args.repeat} runs per tool, "
          "alternating):\non this shared machine wall-clock medians swing with the other users' load, so CPU time is "
          "the steadier comparison; both are printed.")
    for name, ours, spl, jou in summary:
        r_spl = f"{spl['cpu_ms'] / ours['cpu_ms']:5.1f}x" if spl.get("cpu_ms") and ours["cpu_ms"] else "     —"
        r_jou = f"{jou['cpu_ms'] / ours['cpu_ms']:5.1f}x" if jou.get("cpu_ms") and ours["cpu_ms"] else "     —"
        print(f"  {name:34} ours {_fmt(ours['cpu_ms'])}  screenplain {_fmt(spl.get('cpu_ms'))} ({r_spl})  "
              f"jouvence {_fmt(jou.get('cpu_ms'))} ({r_jou})")
    big = next((s for s in summary if s[0] == "big-fish.fountain"), None)
    if big:
        ours, spl = big[1], big[2]
        verdict = "met" if ours["ms"] < 100 else "NOT met"
        print(f"\nBig Fish: {ours['ms']:.1f} ms parse + paginate, median wall clock (target < 100 ms: {verdict}); "
              f"{ours['cpu_ms']:.1f} ms CPU ({'met' if ours['cpu_ms'] < 100 else 'NOT met'})")
        if spl.get("ms"):
            ratio = spl["ms"] / ours["ms"]
            print(f"Big Fish vs screenplain parse only, wall clock: {ratio:.1f}x (target >= 3x: {'met' if ratio >= 3 else 'NOT met'})"
                  + (f"; vs screenplain parse + PDF: {spl['pdf_ms'] / ours['ms']:.1f}x" if spl.get("pdf_ms") else ""))
        if spl.get("cpu_ms"):
            ratio = spl["cpu_ms"] / ours["cpu_ms"]
            print(f"Big Fish vs screenplain parse only, CPU time: {ratio:.1f}x (target >= 3x: {'met' if ratio >= 3 else 'NOT met'})")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    big_path = folder / "big-fish.fountain"
    if args.instructions and big_path.exists():
        ours_i = _instructions(Path(sys.executable), _COUNT_OURS, big_path)
        spl_i = _instructions(venv / "bin" / "python", _COUNT_SCREENPLAIN, big_path)
        if ours_i and spl_i:
            ratio = spl_i / ours_i
            print(f"Big Fish, instructions per run (valgrind, load-independent proxy for CPU time): ours parse + "
                  f"paginate {ours_i / 1e6:.1f} M, screenplain parse only {spl_i / 1e6:.1f} M: {ratio:.2f}x "
                  f"(target >= 3x: {'met' if ratio >= 3 else 'NOT met'})")
        else:
            print("Big Fish instruction counts: not available (needs valgrind and the benchmark venv)")
    if args.pdf:
        print("\nPDF import (pdfplumber), one run each:")
        for path in sorted(folder.glob("*.pdf")):
            t0 = time.perf_counter()
            script = parse_bytes(path.read_bytes(), path.name)
            result = paginate(script)
            ms = (time.perf_counter() - t0) * 1000
            print(f"  {path.name:40} {result.pages:4} pages {len(result.scenes):4} scenes {ms:9.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
