import pytest

import dialer.pacing as pacing
from dialer.pacing import AbandonWindow, InvalidSnapshot, Spread
from tests.unit.dialer.pacing.factories import limits, on_call, snapshot, stats, wrapping


def test_every_exported_name_exists_and_the_list_is_sorted() -> None:
    for name in pacing.__all__:
        assert hasattr(pacing, name), name
    assert sorted(pacing.__all__) == pacing.__all__


def test_more_ready_and_busy_agents_than_logged_in_is_rejected() -> None:
    with pytest.raises(InvalidSnapshot) as info:
        snapshot(agents_logged_in=3, ready_agents=2, busy_agents=on_call(1.0, 2.0))
    assert info.value.field == "agents"


def test_more_abandons_than_live_answers_is_rejected() -> None:
    with pytest.raises(InvalidSnapshot):
        AbandonWindow(live_answers=2, abandoned=3)


def test_outcome_shares_above_one_are_rejected() -> None:
    with pytest.raises(InvalidSnapshot):
        stats(human_rate=0.6, machine_rate=0.3, no_answer_rate=0.3)


def test_spread_needs_a_positive_mean() -> None:
    with pytest.raises(InvalidSnapshot):
        Spread(mean_s=0.0, sd_s=1.0)


def test_lines_cap_below_one_per_agent_is_rejected() -> None:
    with pytest.raises(InvalidSnapshot):
        limits(max_lines_per_agent=0.5)


def test_abandon_rate_of_an_empty_window_is_zero() -> None:
    assert AbandonWindow(live_answers=0, abandoned=0).rate == 0.0
    assert AbandonWindow(live_answers=200, abandoned=6).rate == pytest.approx(0.03)


def test_line_headroom_counts_dialing_waiting_and_talking_lines() -> None:
    snap = snapshot(
        agents_logged_in=4,
        ready_agents=1,
        busy_agents=on_call(10.0, 20.0) + wrapping(5.0),
        dialing_elapsed_s=(1.0, 2.0, 3.0),
        waiting_elapsed_s=(0.5,),
        limits=limits(max_lines_per_agent=2.5),
    )
    # 2.5 lines x 4 working agents = 10; in use: 3 dialing + 1 waiting + 2 talking.
    assert snap.on_call == 2
    assert snap.in_flight == 4
    assert snap.line_headroom() == 4


def test_paused_agents_do_not_earn_lines() -> None:
    snap = snapshot(agents_logged_in=10, ready_agents=1, busy_agents=())
    assert snap.working_agents == 1
    assert snap.line_headroom() == 3


def test_line_headroom_is_never_negative() -> None:
    snap = snapshot(dialing_elapsed_s=tuple([1.0] * 40))
    assert snap.line_headroom() == 0


def test_short_window_guard_follows_the_cap() -> None:
    assert limits(abandon_cap=0.02).short_window_cap == 0.04
    assert limits(abandon_cap=0.02, short_window_factor=3.0).short_window_cap == 0.06


def test_short_window_guard_below_the_cap_is_rejected() -> None:
    with pytest.raises(InvalidSnapshot):
        limits(short_window_factor=0.5)
