"""Run every benchmark in turn: ``python -m bench [NAME ...]``.

Each benchmark is a module under ``bench/`` with a ``main(argv)``; results go to stdout and,
as JSON, to ``bench/results/NAME.json``.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = ("import_book", "leads_due", "ami_events", "pacing_all")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    failed = []
    for name in names:
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        code = module.main([])
        print(f"--- bench.{name}: {time.perf_counter() - started:.1f} s, exit {code}", flush=True)
        if code:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
