"""The pacing benchmark: every pacer on the same profile and seed, in one run.

    python -m bench.pacing --profile bench/profiles/small-team.json [--seed N] [--json]

Prints, per pacer, agent utilisation, mean agent wait between calls, abandon rate, calls
placed, live answers, abandoned calls and live connects per agent-hour (JSON with ``--json``,
in the shape pacing.md specifies). Our pacers come from ``dialer.pacing`` unchanged; the
baselines live in ``bench.pacing_baselines``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.pacing_baselines import IssabelPacer, OraclePacer, VicidialAdaptTapered
from bench.pacing_sim.attempts import AttemptBook
from bench.pacing_sim.callmodel import ShiftResult, ShiftSimulation
from bench.pacing_sim.profile import Profile, ProfileError, load_profile
from dialer.pacing import Pacer, PredictivePacer, ProgressivePacer

__all__ = ["PACERS", "main", "report", "run_profile"]

TICK_S = 1.0

PACERS: dict[str, Callable[[Profile], Pacer]] = {
    "progressive": lambda p: ProgressivePacer(),
    "predictive": lambda p: PredictivePacer(),
    "vicidial_adapt_tapered": lambda p: VicidialAdaptTapered(shift_s=p.shift_s, tick_s=TICK_S),
    "issabel": lambda p: IssabelPacer(),
    "oracle": lambda p: OraclePacer(),
}


def run_profile(
    profile: Profile, *, seed: int, names: Sequence[str] = tuple(PACERS)
) -> dict[str, ShiftResult]:
    """Run each named pacer over one shift; all read the same pre-drawn attempts."""
    book = AttemptBook(profile=profile, seed=seed)
    results: dict[str, ShiftResult] = {}
    for name in names:
        pacer = PACERS[name](profile)
        sim = ShiftSimulation(profile=profile, book=book, pacer=pacer, tick_s=TICK_S)
        if isinstance(pacer, OraclePacer):
            pacer.attach(sim)
        results[name] = sim.run()
    return results


def report(profile: Profile, seed: int, results: dict[str, ShiftResult]) -> dict[str, Any]:
    """The ``--json`` object."""
    pacers = {}
    for name, r in results.items():
        row = asdict(r)
        for key in ("utilisation", "abandon_rate", "mean_wait_s", "connects_per_agent_hour"):
            row[key] = round(float(row[key]), 6)
        pacers[name] = row
    return {"profile": profile.name, "seed": seed, "pacers": pacers}


def _table(profile: Profile, seed: int, results: dict[str, ShiftResult]) -> str:
    head = (
        f"{'pacer':<24}{'util %':>8}{'wait s':>8}{'aband %':>9}{'placed':>8}"
        f"{'live':>7}{'aband':>7}{'conn/ag-h':>11}"
    )
    lines = [f"profile {profile.name}  seed {seed}  cap {profile.abandon_cap:.1%}", head]
    for name, r in results.items():
        lines.append(
            f"{name:<24}{100 * r.utilisation:>8.1f}{r.mean_wait_s:>8.1f}"
            f"{100 * r.abandon_rate:>9.2f}{r.calls_placed:>8}{r.live_answers:>7}"
            f"{r.abandoned:>7}{r.connects_per_agent_hour:>11.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing", description=__doc__)
    parser.add_argument("--profile", type=Path, required=True, help="profile JSON file")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = run_profile(profile, seed=args.seed)
    if args.json:
        print(json.dumps(report(profile, args.seed, results)))
    else:
        print(_table(profile, args.seed, results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
