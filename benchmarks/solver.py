"""Run every talent and MSSP benchmark instance in ../shared/bench and print a results table.

    .venv/bin/python benchmarks/solver.py [--time-limit 20] [--shared ../shared] [--only NAME ...]

Each result is re-checked with the independent evaluator before it is printed. Known optima are
the values of shared/bench/*/INSTANCES.md (talent: total cost; mssp: MSSP cost). `bound` is a proven
lower bound (exact DP, or above the DP's size the decomposition bound of solver/bounds.py, or
CP-SAT's); gap = (ours - bound) / ours. Timings on the shared 2-core machine are pessimistic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unitbase.scheduling.solver.cli import run  # noqa: E402

KNOWN = {
    "talent": {
        "tiny": 29,
        "tiny2": 9,
        "small": 54,
        "rehearsal_choco": 53,
        "concert": 111,
        "rehearsal_smith": 109,
        "film-10": 352,
        "film-12": 401,
        "film103": 1031,
        "film105": 849,
        "film114": 867,
        "film116": 541,
        "MobStory": 871,
        "Film1": 871,
    },
    "mssp": {"movie5": 9, "movie10": 128, "movie12": 43, "movie20": 774},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--method", default="auto", choices=["auto", "dp", "cpsat", "heuristic"])
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    rows = []
    started = time.monotonic()
    for kind, pattern in (("talent", "*.d*"), ("mssp", "*.txt")):
        for path in sorted((args.shared / "bench" / kind).glob(pattern), key=lambda p: (p.stat().st_size, p.name)):
            if args.only and path.stem not in args.only and path.name not in args.only:
                continue
            out = run(
                kind,
                path,
                args.time_limit,
                method=args.method if kind == "talent" or args.method != "cpsat" else "auto",
            )
            known = KNOWN[kind].get(path.stem)
            ok = (
                known is None
                or out["objective"] == known
                or (out["objective"] is not None and out["status"] != "optimal" and out["objective"] > known)
            )
            rows.append(
                (
                    kind,
                    path.name,
                    out["scenes"],
                    known,
                    out["objective"],
                    out["bound"],
                    out["status"],
                    out["seconds"],
                    ok,
                )
            )
            obj, bound = out["objective"], out["bound"]
            gap = f"{(obj - bound) / max(1, obj) * 100:5.1f}%" if obj is not None and bound is not None else "    -"
            print(
                f"{kind:7} {path.name:22} n={out['scenes']:<4} known={known!s:>6} ours={obj!s:>7} "
                f"bound={bound!s:>7} gap={gap} {out['status']:10} {out['seconds']:7.2f}s{'' if ok else '  WRONG'}",
                flush=True,
            )
    with_known = [r for r in rows if r[3] is not None]
    matched = sum(1 for r in with_known if r[4] == r[3])
    proven = sum(1 for r in with_known if r[4] == r[3] and r[6] == "optimal")
    wrong = [r for r in rows if not r[8]]
    print(
        f"\n{len(rows)} instances, {matched}/{len(with_known)} reach the known optimum, {proven} proven optimal, "
        f"{len(wrong)} inconsistent; total {time.monotonic() - started:.1f}s (limit {args.time_limit:g}s each)"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
