"""Medians of the pacing benchmark over several seeds, every shipped profile.

    python -m bench.pacing_seeds [--seeds 1 2 3 4 5] [--profiles bench/profiles/*.json]

Runs in parallel, one process per profile and seed. Prints, per profile and pacer, the median
and worst (highest) abandon rate and the median utilisation, wait and connects per agent-hour.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.pacing import run_profile
from bench.pacing_sim.callmodel import ShiftResult
from bench.pacing_sim.profile import load_profile

__all__ = ["main"]

_DEFAULT_PROFILES = sorted((Path(__file__).parent / "profiles").glob("*.json"))


def _one(job: tuple[Path, int]) -> tuple[str, int, dict[str, ShiftResult]]:
    path, seed = job
    profile = load_profile(path)
    return profile.name, seed, run_profile(profile, seed=seed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing_seeds", description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--profiles", type=Path, nargs="+", default=_DEFAULT_PROFILES)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    jobs = [(p, s) for p in args.profiles for s in args.seeds]
    by_profile: dict[str, dict[str, list[ShiftResult]]] = {}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for name, _, results in pool.map(_one, jobs):
            for pacer, r in results.items():
                by_profile.setdefault(name, {}).setdefault(pacer, []).append(r)
    print(f"seeds {' '.join(map(str, args.seeds))}: medians (abandon: median / worst)")
    for name, pacers in by_profile.items():
        print(f"\n{name}")
        print(f"{'pacer':<24}{'util %':>8}{'wait s':>8}{'aband % med/max':>18}{'conn/ag-h':>11}")
        for pacer, rs in pacers.items():
            med = statistics.median
            print(
                f"{pacer:<24}{100 * med(r.utilisation for r in rs):>8.1f}"
                f"{med(r.mean_wait_s for r in rs):>8.1f}"
                f"{100 * med(r.abandon_rate for r in rs):>11.2f} /"
                f"{100 * max(r.abandon_rate for r in rs):>5.2f}"
                f"{med(r.connects_per_agent_hour for r in rs):>11.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
