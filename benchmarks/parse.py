"""Parse + paginate each sample in ../shared/scripts/samples with our parser; print median times.

Usage: .venv/bin/python benchmarks/parse.py [--repeat N] [--shared DIR]
Target: a 120-page feature (Big Fish) parsed and paginated in < 100 ms.
Comparison with screenplain/jouvence: not run here (they are not project dependencies; install them in a
throwaway venv such as /tmp/bench-venv and time them separately).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unitbase.scripts.pagination import paginate
from unitbase.scripts.parsers import parse_bytes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    args = ap.parse_args()
    samples = sorted((Path(args.shared) / "scripts/samples").glob("*.fountain")) + sorted(
        (Path(args.shared) / "scripts/samples").glob("*.fdx")
    )
    print(f"{'file':45} {'pages':>5} {'scenes':>6} {'parse ms':>9} {'total ms':>9}")
    for path in samples:
        data = path.read_bytes()
        parse_t, total_t = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            script = parse_bytes(data, path.name)
            t1 = time.perf_counter()
            result = paginate(script)
            t2 = time.perf_counter()
            parse_t.append(t1 - t0)
            total_t.append(t2 - t0)
        print(f"{path.name:45} {result.pages:5} {len(result.scenes):6} "
              f"{statistics.median(parse_t) * 1000:9.1f} {statistics.median(total_t) * 1000:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
