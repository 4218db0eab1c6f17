"""Run every benchmark in turn: ``python -m bench [NAME ...]`` (``make bench``).

Each runs in its own process (clean memory figures) and prints its own table; see each
module's docstring for what it measures and how to run it alone.
"""

from __future__ import annotations

import subprocess
import sys
import time

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCHMARKS: dict[str, list[list[str]]] = {
    "import_book": [[]],
    "import_floor": [[]],
    "leads_due": [[], ["--postgres", POSTGRES]],
    "ami_events": [[]],
    "reports": [[], ["--postgres", POSTGRES]],
    "pacing_seeds": [["--seeds", "1", "2", "3"]],
    "recording_size": [["--calls", "4", "--length-s", "60"]],
    "transcribe": [[]],
    "screen_pop": [[]],
    "pacing_runtime": [
        ["--profile", f"bench/profiles/{name}.json", "--hours", "2"]
        for name in ("small-team", "large-team", "drifting-list")
    ],
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        for args in BENCHMARKS[name]:
            print(f"\n=== python -m bench.{name} {' '.join(args)} ===", flush=True)
            started = time.perf_counter()
            code = subprocess.call([sys.executable, "-m", f"bench.{name}", *args])
            print(f"--- {time.perf_counter() - started:.1f} s, exit {code}", flush=True)
            if code:
                failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
