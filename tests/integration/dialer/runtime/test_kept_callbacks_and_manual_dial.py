"""Dials for one agent: a callback kept for an agent is dialled for them alone once their seat
is ready (progressive), never for the queue; an agent's manual dial goes through the runtime's
lease and attempt, inside the do-not-call rule and for a ready seat only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from dialer.models import CampaignMode, Seat, SeatState
from dialer.runtime import CampaignRuntime
from dialer.seats import SeatDesk
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from renewals.cadence.errors import ManualDialRefused
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, DncReason, Lead
from tests import factories as f
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


async def _compose(
    sessions: sessionmaker[Session], tmp_path: Path
) -> tuple[CampaignRuntime, SeatDesk, SimulatedNetwork]:
    clock = VirtualClock(start=START)
    net = SimulatedNetwork(profile=only("human"), clock=clock, seed=1, recordings_dir=tmp_path)
    await net.start()
    runtime, desk = compose_runtime(
        sessions=sessions, port=net, clock=clock, campaign_id="q4", owner="r1", rules=CadenceRules()
    )
    await runtime.start()
    return runtime, desk, net


def _seat(sessions: sessionmaker[Session], agent: str) -> Seat:
    with sessions() as s:
        seat = s.get(Seat, agent)
        assert seat is not None
        return seat


def _attempts(sessions: sessionmaker[Session], lead_id: int) -> list[str]:
    with sessions() as s:
        return list(
            s.scalars(select(ContactAttempt.call_id).where(ContactAttempt.lead_id == lead_id))
        )


def test_a_kept_callback_waits_for_its_agent_and_is_dialled_for_them_alone(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=3, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
        kept = s.scalars(select(Lead.id).order_by(Lead.id.desc())).first()
        s.execute(
            update(Lead)
            .where(Lead.id == kept)
            .values(last_outcome="callback", next_contact_at=START - timedelta(minutes=1),
                    callback_agent="1002")
        )  # fmt: skip
    assert kept is not None

    async def main() -> None:
        runtime, desk, net = await _compose(session_factory, tmp_path)
        await desk.login("1001")
        for _ in range(3):  # 1001 alone: the queue never takes 1002's callback
            await runtime.tick()
        assert _attempts(session_factory, kept) == []
        await desk.login("1002")
        await runtime.tick()
        calls = _attempts(session_factory, kept)
        assert len(calls) == 1
        seat = _seat(session_factory, "1002")
        assert (seat.state, seat.call_id) == (SeatState.RESERVED, calls[0])
        await net.close()

    run_virtual(main())


def test_manual_dial_of_a_lead_places_a_call_for_the_agent_inside_the_rules(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=2, mode=CampaignMode.PREVIEW, now=START, zone="Asia/Shanghai")
        waiting, blocked = s.scalars(select(Lead.id).order_by(Lead.id)).all()
        # Not due for the cadence (its retry is in an hour): a manual dial may still call it.
        s.execute(
            update(Lead)
            .where(Lead.id == waiting)
            .values(next_contact_at=START + timedelta(hours=1))
        )
        phone = s.get(Lead, blocked).policy.vehicle.customer.phone  # type: ignore[union-attr]
        f.add(s, f.dnc(phone=phone, reason=DncReason.OPT_OUT, at=START, expires_at=None))

    async def main() -> str | None:
        runtime, desk, net = await _compose(session_factory, tmp_path)
        await desk.login("1001")
        await desk.pause("1001", reason="break")
        assert await runtime.manual_dial("1001", waiting) is None  # a paused seat does not dial
        await desk.ready("1001")
        with pytest.raises(ManualDialRefused) as refused:
            await runtime.manual_dial("1001", blocked)
        assert refused.value.code == "do_not_call"
        call_id = await runtime.manual_dial("1001", waiting)
        seat = _seat(session_factory, "1001")
        assert (seat.state, seat.call_id) == (SeatState.RESERVED, call_id)
        await net.close()
        return call_id

    call_id = run_virtual(main())
    assert _attempts(session_factory, waiting) == [call_id]
    assert _attempts(session_factory, blocked) == []
