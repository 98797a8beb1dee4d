"""`unitbase bench talent|mssp FILE [--time-limit S] [--method M] [--json]`.

Solves one benchmark instance, re-checks the order with the independent evaluator and prints
{"instance","scenes","actors","status","objective","bound","seconds","order"} (orders are
0-based scene indices in file order; objective = total cost for talent, MSSP cost for mssp).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .mssp import evaluate_mssp, read_mssp, solve_mssp
from .talent import FormatError, evaluate_talent, read_talent, solve_talent


def run(kind: str, path: Path, time_limit: float, method: str = "auto", workers: int = 2) -> dict:
    if kind == "talent":
        inst = read_talent(path)
        res = solve_talent(inst, time_limit=time_limit, method=method, workers=workers)
        checked = evaluate_talent(inst, res.order).total if res.order else None
        extra = {"waiting": res.waiting if res.order else None}
    else:
        inst = read_mssp(path)
        res = solve_mssp(inst, time_limit=time_limit, method=method, workers=workers)
        checked = evaluate_mssp(inst, res.order).total if res.order else None
        extra = {}
    if res.order and checked != res.objective:
        raise AssertionError(f"evaluator says {checked}, solver says {res.objective}")
    return {
        "instance": path.stem,
        "scenes": inst.n,
        "actors": inst.m,
        "status": res.status,
        "objective": res.objective if res.order else None,
        "bound": res.bound,
        "seconds": round(res.seconds, 3),
        "order": res.order,
        "method": res.method,
        **extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unitbase bench", description="Solve a scheduling benchmark instance.")
    parser.add_argument("kind", choices=["talent", "mssp"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument("--method", choices=["auto", "dp", "cpsat", "heuristic"], default="auto")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.kind == "mssp" and args.method == "cpsat":
        args.method = "auto"
    try:
        out = run(args.kind, args.file, args.time_limit, args.method, min(2, max(1, args.workers)))
    except (OSError, FormatError, ValueError) as exc:
        print(f"unitbase bench: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out))
    else:
        print(
            f"{out['instance']}: {out['status']} objective={out['objective']} bound={out['bound']} "
            f"({out['seconds']} s, {out['method']})\norder: {' '.join(map(str, out['order']))}"
        )
    return 0 if out["status"] in ("optimal", "feasible") else 1


if __name__ == "__main__":
    sys.exit(main())
