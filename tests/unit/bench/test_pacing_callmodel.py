from bench.pacing_sim.attempts import AttemptBook
from bench.pacing_sim.callmodel import ShiftSimulation
from bench.pacing_sim.profile import parse_profile
from dialer.pacing import PacingSnapshot, PreviewPacer
from tests.unit.bench.test_pacing_bench import SHORT

PROFILE = parse_profile(SHORT | {"shift_hours": 0.25})


class Greedy:
    """Fills every line the cap allows: the 2-second rule must then abandon calls."""

    name = "greedy"

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return 10_000


def _run(pacer: object) -> tuple[ShiftSimulation, object]:
    sim = ShiftSimulation(profile=PROFILE, book=AttemptBook(profile=PROFILE, seed=4), pacer=pacer)
    return sim, sim.run()


def test_no_call_is_placed_when_the_pacer_asks_for_none() -> None:
    _, result = _run(PreviewPacer())
    assert (result.calls_placed, result.utilisation, result.live_answers) == (0, 0.0, 0)


def test_overdialing_abandons_calls_and_the_runtime_keeps_the_lines_cap() -> None:
    seen: list[int] = []

    class Watching(Greedy):
        def calls_to_place(self, snapshot: PacingSnapshot) -> int:
            lines = snapshot.in_flight + snapshot.on_call
            seen.append(lines)
            return super().calls_to_place(snapshot)

    _, result = _run(Watching())
    assert result.abandoned > 0
    assert max(seen) <= PROFILE.max_lines_per_agent * PROFILE.agents


def test_snapshot_shows_only_what_a_runtime_can_know() -> None:
    sim, _ = _run(Greedy())
    snap = sim.snapshot()
    assert snap.agents_logged_in == PROFILE.agents
    assert snap.stats.attempts > 0
    assert all(e >= 0 for e in snap.dialing_elapsed_s)
    assert all(0 <= e <= PROFILE.abandon_after_s for e in snap.waiting_elapsed_s)
