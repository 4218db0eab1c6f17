"""The pacing benchmark on the production runtime: every pacer through ``CampaignRuntime``.

    python -m bench.pacing_runtime --profile bench/profiles/small-team.json \
        [--seed N] [--hours H] [--jobs J] [--no-des] [--json]

For each pacer a fresh SQLite database, a book of due leads that cannot run dry and the
profile's campaign settings; ``config.shift.run_shift`` runs the runtime, seat desk, simulated
network and agent bots for ``H`` hours of virtual time, and the figures are read back from the
database (seat history and attempt outcomes). The discrete-event engine (``bench.pacing``) is
run on the same profile, seed and hours beside it. Both engines draw their own dice: the same
seed is not the same customers.

The oracle is not run here: it reads the future (which call a person answers, when each agent
frees up), which no runtime can know.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.pacing import report
from bench.pacing import run_profile as run_des
from bench.pacing_baselines import IssabelPacer, VicidialAdaptTapered
from bench.pacing_rt.shift import RuntimeRun, run_runtime_shift, with_hours
from bench.pacing_sim.callmodel import ShiftResult
from bench.pacing_sim.profile import Profile, parse_profile
from dialer.pacing import Pacer, PredictivePacer, ProgressivePacer
from dialer.simulated import ProfileError, SimProfile

__all__ = ["NOT_RUN", "RUNTIME_PACERS", "main", "run_profile", "runtime_report", "table"]

# Measured on two cores (--jobs 2): 3 profiles x 4 pacers x 2 h in ~6-7 minutes of wall time.
DEFAULT_HOURS = 2.0

RUNTIME_PACERS: dict[str, Callable[[SimProfile], Pacer]] = {
    "progressive": lambda p: ProgressivePacer(),
    "predictive": lambda p: PredictivePacer(),
    "vicidial_adapt_tapered": lambda p: VicidialAdaptTapered(
        shift_s=p.shift_hours * 3600.0, tick_s=1.0
    ),
    "issabel": lambda p: IssabelPacer(),
}
NOT_RUN = {"oracle": "needs future knowledge (answers, agents' free times): no runtime has it"}


def _run_one(profile: SimProfile, name: str, seed: int, hours: float) -> RuntimeRun:
    # Module level, so a worker process can be handed it by name.
    return run_runtime_shift(profile, pacer=RUNTIME_PACERS[name](profile), seed=seed, hours=hours)


def run_profile(
    profile: SimProfile,
    *,
    seed: int,
    hours: float,
    names: Sequence[str] = tuple(RUNTIME_PACERS),
    jobs: int = 1,
) -> dict[str, RuntimeRun]:
    """Each named pacer over one ``hours``-long shift of ``profile`` on the runtime.

    With ``jobs`` > 1 the pacers run in that many worker processes (each has its own database
    and event loop, so the figures are the same as in one process).
    """
    shift = with_hours(profile, hours)
    if jobs <= 1:
        return {name: _run_one(shift, name, seed, hours) for name in names}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {name: pool.submit(_run_one, shift, name, seed, hours) for name in names}
        return {name: future.result() for name, future in futures.items()}


def _des_profile(raw: dict[str, Any], hours: float) -> Profile:
    return parse_profile({**raw, "shift_hours": hours})


def runtime_report(
    profile: Profile, seed: int, hours: float, runs: dict[str, RuntimeRun]
) -> dict[str, Any]:
    """pacing.md's JSON object with ``"engine": "runtime"`` and what the run needed."""
    out = report(profile, seed, {name: run.result for name, run in runs.items()})
    out["engine"] = "runtime"
    out["hours"] = hours
    out["not_run"] = dict(NOT_RUN)
    out["leads"] = {name: run.leads for name, run in runs.items()}
    out["untouched_leads"] = {name: run.untouched_leads for name, run in runs.items()}
    out["abandoned_first_10_min"] = {name: run.early_abandoned for name, run in runs.items()}
    out["wall_s"] = {name: round(run.wall_s, 2) for name, run in runs.items()}
    return out


def _row(r: ShiftResult | None) -> str:
    if r is None:
        return f"{'-':>7}{'-':>7}{'-':>8}{'-':>7}{'-':>6}{'-':>6}{'-':>7}"
    return (
        f"{100 * r.utilisation:>7.1f}{r.mean_wait_s:>7.1f}{100 * r.abandon_rate:>8.2f}"
        f"{r.calls_placed:>7}{r.live_answers:>6}{r.abandoned:>6}{r.connects_per_agent_hour:>7.2f}"
    )


def table(
    profile: Profile,
    seed: int,
    hours: float,
    runs: dict[str, RuntimeRun],
    des: dict[str, ShiftResult] | None,
) -> str:
    """Runtime and DES figures side by side, one line per pacer."""
    cols = f"{'util%':>7}{'wait':>7}{'aband%':>8}{'placed':>7}{'live':>6}{'aband':>6}{'c/a-h':>7}"
    lines = [
        f"profile {profile.name}  seed {seed}  hours {hours:g}  cap {profile.abandon_cap:.1%}",
        f"{'':<24}{'--- runtime engine ---':^48} | {'--- DES engine ---':^48}",
        f"{'pacer':<24}{cols} | {cols}",
    ]
    names = list(runs) + [n for n in (des or {}) if n not in runs]
    for name in names:
        run = runs.get(name)
        right = _row(des.get(name)) if des is not None else ""
        lines.append(f"{name:<24}{_row(run.result if run else None)} | {right}")
    lines.extend(f"{name}: not run on the runtime: {why}" for name, why in NOT_RUN.items())
    walls = ", ".join(f"{n} {r.wall_s:.1f}s" for n, r in runs.items())
    left = ", ".join(f"{n} {r.untouched_leads}/{r.leads}" for n, r in runs.items())
    lines.append(f"wall time: {walls}")
    lines.append(f"leads never dialed / seeded: {left}")
    early = ", ".join(f"{n} {r.early_abandoned}" for n, r in runs.items())
    lines.append(f"abandoned in the first 10 min (runtime statistics still empty): {early}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing_runtime", description=__doc__)
    parser.add_argument("--profile", type=Path, required=True, help="profile JSON file")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--hours", type=float, default=DEFAULT_HOURS, help=f"shift hours (default {DEFAULT_HOURS})"
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)"
    )
    parser.add_argument("--no-des", action="store_true", help="skip the DES engine's figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        raw = json.loads(args.profile.read_text(encoding="utf-8"))
        sim = SimProfile.from_mapping(raw)
        des_profile = _des_profile(raw, args.hours)
    except (OSError, ValueError, ProfileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    runs = run_profile(sim, seed=args.seed, hours=args.hours, jobs=args.jobs)
    des = None if args.no_des else run_des(des_profile, seed=args.seed)
    if args.json:
        out = runtime_report(des_profile, args.seed, args.hours, runs)
        if des is not None:
            out["des"] = {**report(des_profile, args.seed, des), "engine": "des"}
        out["total_wall_s"] = round(time.perf_counter() - began, 2)
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(table(des_profile, args.seed, args.hours, runs, des))
        print(f"total wall time {time.perf_counter() - began:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
