"""Seats: who takes a waiting call (longest idle, unpaused, in the queue), pins, removal."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from dialer.errors import ActionFailed
from dialer.simulated.seats import SeatPool
from dialer.telephony import SeatStatusChanged


class StepClock:
    """A clock the test moves by hand (monotonic only; the pool never sleeps)."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> datetime:
        return datetime(2026, 11, 26, tzinfo=UTC) + timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def pool() -> tuple[SeatPool, StepClock, list[SeatStatusChanged]]:
    clock, published = StepClock(), []
    return SeatPool(clock=clock, publish=published.append), clock, published


async def test_longest_idle_ready_seat_takes_the_call() -> None:
    seats, clock, _ = pool()
    for agent in ("a", "b", "c"):
        seats.add(agent, queue="sales")
        clock.t += 1
    seats.pause("a", queue="sales", paused=True)
    taken = seats.wait("call-1", queue="sales")
    assert taken.result() == "b"
    assert seats.ready("sales") == ["c"]


async def test_a_call_waits_until_a_seat_is_unpaused() -> None:
    seats, _, published = pool()
    seats.add("a", queue="sales")
    seats.pause("a", queue="sales", paused=True)
    taken = seats.wait("call-1", queue="sales")
    assert not taken.done()
    seats.pause("a", queue="sales", paused=False)
    assert taken.result() == "a"
    assert [(p.status, p.paused) for p in published] == [
        ("idle", False), ("idle", True), ("idle", False), ("in_use", False)
    ]  # fmt: skip


async def test_released_seat_goes_to_the_back_of_the_idle_line() -> None:
    seats, clock, _ = pool()
    seats.add("a", queue="sales")
    clock.t = 1
    seats.add("b", queue="sales")
    assert seats.wait("call-1", queue="sales").result() == "a"
    clock.t = 5
    seats.release("a")
    assert seats.ready("sales") == ["b", "a"]


async def test_waiting_calls_are_served_first_come_first_served() -> None:
    seats, _, _ = pool()
    first, second = seats.wait("c1", queue="sales"), seats.wait("c2", queue="sales")
    seats.add("a", queue="sales")
    assert first.result() == "a" and not second.done()


async def test_other_queues_seats_do_not_take_the_call() -> None:
    seats, _, _ = pool()
    seats.add("a", queue="renewals")
    assert not seats.wait("c1", queue="sales").done()


async def test_a_pinned_call_goes_to_its_agent_even_when_paused() -> None:
    seats, _, _ = pool()
    seats.add("a", queue="sales")
    seats.add("p", queue="sales")
    seats.pause("p", queue="sales", paused=True)
    taken = seats.wait("c1", queue="sales", agent_id="p")
    assert taken.result() == "p"
    assert seats.ready("sales") == ["a"]


async def test_pin_redirects_a_waiting_call() -> None:
    seats, _, _ = pool()
    seats.add("p", queue="sales")
    seats.pause("p", queue="sales", paused=True)
    taken = seats.wait("c1", queue="sales")
    assert seats.pin("c1", "p") is True
    assert taken.result() == "p"
    assert seats.pin("c2", "p") is False


async def test_give_up_cancels_the_wait_and_frees_a_seat_already_taken() -> None:
    seats, _, _ = pool()
    waiting = seats.wait("c1", queue="sales")
    seats.give_up("c1")
    assert waiting.cancelled()
    seats.add("a", queue="sales")
    seats.wait("c2", queue="sales")
    seats.give_up("c2")
    assert seats.ready("sales") == ["a"]
    await asyncio.sleep(0)


async def test_duplicate_add_and_unknown_member_are_refused_like_asterisk() -> None:
    seats, _, _ = pool()
    seats.add("a", queue="sales")
    with pytest.raises(ActionFailed, match="Already there"):
        seats.add("a", queue="sales")
    with pytest.raises(ActionFailed):
        seats.pause("b", queue="sales", paused=True)
    with pytest.raises(ActionFailed):
        seats.remove("a", queue="other")


async def test_removed_seat_on_a_call_disappears_when_the_call_ends() -> None:
    seats, _, published = pool()
    seats.add("a", queue="sales")
    seats.wait("c1", queue="sales")
    seats.remove("a", queue="sales")
    assert seats.knows("a")
    seats.release("a")
    assert not seats.knows("a")
    assert published[-1].status == "unavailable"
