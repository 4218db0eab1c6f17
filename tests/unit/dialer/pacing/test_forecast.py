import pytest

from dialer.pacing.forecast import Forecaster
from tests.unit.dialer.pacing.factories import on_call, snapshot, wrapping


def test_ready_agents_are_free_for_certain() -> None:
    agents = Forecaster(snapshot=snapshot(ready_agents=3, busy_agents=())).agents_free_by(0.0)
    assert (agents.mean, agents.var) == (3.0, 0.0)


def test_agent_late_in_wrap_up_is_more_likely_free_than_one_just_on_a_call() -> None:
    fc = Forecaster(snapshot=snapshot(busy_agents=wrapping(25.0) + on_call(5.0)))
    late_wrap = Forecaster(snapshot=snapshot(busy_agents=wrapping(25.0))).agents_free_by(10.0)
    fresh_call = Forecaster(snapshot=snapshot(busy_agents=on_call(5.0))).agents_free_by(10.0)
    assert late_wrap.mean > 0.5 > fresh_call.mean
    assert fc.agents_free_by(10.0).mean == pytest.approx(late_wrap.mean + fresh_call.mean)


def test_waiting_customers_count_for_certain() -> None:
    customers = Forecaster(snapshot=snapshot(waiting_elapsed_s=(0.5, 1.0))).customers_by(5.0)
    assert customers.mean == 2.0


def test_call_ringing_past_the_maximum_ring_brings_no_customer() -> None:
    fc = Forecaster(snapshot=snapshot(dialing_elapsed_s=(30.0,)))
    assert fc.customers_by(10.0).mean == 0.0


def test_a_call_still_ringing_long_after_the_usual_answer_is_unlikely_to_answer() -> None:
    fresh = Forecaster(snapshot=snapshot(dialing_elapsed_s=(0.5,))).customers_by(20.0)
    stale = Forecaster(snapshot=snapshot(dialing_elapsed_s=(20.0,))).customers_by(20.0)
    assert fresh.mean > 0.15 > stale.mean


def test_new_call_answer_probability_is_bounded_by_the_human_rate() -> None:
    fc = Forecaster(snapshot=snapshot())
    assert fc.new_call_answers_by(5.0) < fc.new_call_answers_by(60.0) <= 0.2
