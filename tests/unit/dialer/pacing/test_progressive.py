from dialer.pacing import ProgressivePacer
from tests.unit.dialer.pacing.factories import limits, on_call, snapshot

pacer = ProgressivePacer()


def test_one_call_per_ready_agent() -> None:
    assert pacer.calls_to_place(snapshot(ready_agents=3, busy_agents=on_call(1.0))) == 3


def test_calls_in_flight_cover_ready_agents() -> None:
    snap = snapshot(
        ready_agents=3,
        busy_agents=on_call(1.0),
        dialing_elapsed_s=(2.0,),
        waiting_elapsed_s=(0.5,),
    )
    assert pacer.calls_to_place(snap) == 1


def test_more_calls_in_flight_than_ready_agents_places_none() -> None:
    snap = snapshot(ready_agents=1, busy_agents=on_call(1.0), dialing_elapsed_s=(1.0, 2.0))
    assert pacer.calls_to_place(snap) == 0


def test_no_agent_logged_in_places_nothing() -> None:
    snap = snapshot(agents_logged_in=0, ready_agents=0, busy_agents=())
    assert pacer.calls_to_place(snap) == 0


def test_busy_agents_get_no_call_ahead_of_time() -> None:
    assert pacer.calls_to_place(snapshot()) == 0


def test_progressive_fits_within_one_line_per_agent() -> None:
    snap = snapshot(
        agents_logged_in=12,
        ready_agents=6,
        busy_agents=on_call(*([5.0] * 5)),
        limits=limits(max_lines_per_agent=1.0),
    )
    placed = pacer.calls_to_place(snap)
    assert placed == 6
    assert placed <= snap.line_headroom()
