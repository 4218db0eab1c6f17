"""The supervisors' feed: the floor as one JSON-ready snapshot, with its alerts.

Pure (no I/O): the live floor (``FloorState``, kept from the bus), the campaigns' slower
numbers (``CampaignStats``) and ``now`` in, a dict out. Times are ISO 8601 with the server's
``now`` beside them, so the page counts time in state on the server's clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dialer.floor.state import CallPhase, FloorSeat, FloorState
from dialer.floor.stats import CampaignStats
from dialer.models import SeatState

__all__ = ["AlertLimits", "floor_feed"]

_LIVE_PHASES = (CallPhase.DIALING, CallPhase.RINGING, CallPhase.WAITING, CallPhase.TALKING)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertLimits:
    """When an alert is raised: seconds in one state, and the share of the abandon cap (0..1).

    A pause whose code has its own limit (``paused_by_code_s``: lunch 3600 s, a break 900 s) is
    held to that limit, other pauses to ``paused_s``.
    """

    ready_s: float = 900.0
    paused_s: float = 900.0
    wrap_up_s: float = 300.0
    on_call_s: float = 1800.0
    abandon_near: float = 0.8
    paused_by_code_s: Mapping[str, float] = field(default_factory=dict)

    def state_limit_s(self, state: SeatState, reason: str = "") -> float | None:
        if state is SeatState.PAUSED and reason in self.paused_by_code_s:
            return self.paused_by_code_s[reason]
        return {
            SeatState.READY: self.ready_s, SeatState.PAUSED: self.paused_s,
            SeatState.WRAP_UP: self.wrap_up_s, SeatState.ON_CALL: self.on_call_s,
        }.get(state)  # fmt: skip


def floor_feed(
    state: FloorState,
    stats: Sequence[CampaignStats],
    *,
    now: datetime,
    wins: Mapping[str, int],
    limits: AlertLimits,
    teams: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """``{"type": "floor", "now", "seats", "campaigns", "ivr", "link", "alerts"}``; ``teams``
    maps an agent to its team (the grid's filter). ``ivr`` counts the calls in the IVR for the
    whole floor (``total``, ``inbound``, ``reminder``): the IVR serves no campaign."""
    seats = [_seat(s, state, wins, now, teams or {}) for s in state.seats()]
    campaigns = [_campaign(state, c) for c in stats]
    alerts = _seat_alerts(state.seats(), now, limits)
    alerts += _campaign_alerts(campaigns, limits)
    link = _link(state, now)
    ivr = state.ivr.counts(now)
    if link["down_since"]:
        alerts.insert(0, {"kind": "link_down", "since": link["down_since"]})
    return {
        "type": "floor", "now": now.isoformat(), "seats": seats, "campaigns": campaigns,
        "ivr": {"total": ivr.total, "inbound": ivr.inbound, "reminder": ivr.reminder},
        "link": link, "alerts": alerts,
    }  # fmt: skip


def _seat(
    seat: FloorSeat,
    state: FloorState,
    wins: Mapping[str, int],
    now: datetime,
    teams: Mapping[str, str],
) -> dict[str, object]:
    call = state.call(seat.call_id) if seat.call_id else None
    return {
        "agent_id": seat.agent_id,
        "team": teams.get(seat.agent_id, ""),
        "campaign_id": seat.campaign_id,
        "state": seat.state.value,
        "dead": seat.dead,
        "since": seat.since.isoformat(),
        "in_state_s": round((now - seat.since).total_seconds()),
        "reason": seat.reason,
        "call_id": seat.call_id,
        "number": call.number_masked if call else "",
        "call_since": call.since.isoformat() if call and call.phase is CallPhase.TALKING else None,
        "calls_today": seat.calls_today,
        "wins_today": wins.get(seat.agent_id, 0),
        "spied_by": seat.spied_by,
        "spy_mode": seat.spy_mode,
        "held": bool(call and call.held),
        "muted": bool(call and call.muted),
        "consulting": bool(call and call.consulting),
    }


def _campaign(state: FloorState, stats: CampaignStats) -> dict[str, object]:
    live = state.counts(stats.campaign_id)
    lines = {phase.value: n for phase, n in live.lines.items()}
    in_use = sum(live.lines[p] for p in _LIVE_PHASES)
    logged_in = sum(live.seats.values())
    return {
        "campaign_id": stats.campaign_id,
        "name": stats.name,
        "mode": stats.mode,
        "status": stats.status,
        "dial_level_cap": stats.dial_level_cap,
        "dial_level": round(in_use / logged_in, 2) if logged_in else 0.0,
        "lines": lines,
        "lines_in_use": in_use,
        "seats": {s.value: n for s, n in live.seats.items()},
        "logged_in": logged_in,
        "answer_rate_pct": round(stats.answer_rate_pct, 1),
        "abandon_today_pct": round(live.abandon_rate_pct, 2),
        "abandoned_today": live.abandoned_today,
        "live_answers_today": live.live_answers_today,
        "abandon_30d_pct": round(stats.abandon_30d_pct, 2),
        "abandon_cap_pct": stats.abandon_cap_pct,
        "at_cap": live.at_cap or stats.abandon_30d_pct >= stats.abandon_cap_pct > 0,
        "avg_talk_s": _round(stats.avg_talk_s),
        "avg_wait_s": _round(stats.avg_wait_s),
        "avg_ready_s": _round(stats.avg_ready_s),
        "avg_wrap_s": _round(stats.avg_wrap_s),
        "avg_pause_s": _round(stats.avg_pause_s),
        "leads_ready": stats.leads_ready,
        "leads_today": stats.leads_today,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _seat_alerts(
    seats: Sequence[FloorSeat], now: datetime, limits: AlertLimits
) -> list[dict[str, object]]:
    alerts: list[dict[str, object]] = []
    for seat in seats:
        if seat.dead:
            alerts.append({"kind": "dead", "agent_id": seat.agent_id, "call_id": seat.call_id})
            continue
        limit = limits.state_limit_s(seat.state, seat.reason)
        in_state = (now - seat.since).total_seconds()
        if limit is not None and in_state >= limit:
            alerts.append({
                "kind": "long_state", "agent_id": seat.agent_id, "state": seat.state.value,
                "in_state_s": round(in_state),
            })  # fmt: skip
    return alerts


def _campaign_alerts(
    campaigns: Sequence[dict[str, object]], limits: AlertLimits
) -> list[dict[str, object]]:
    alerts: list[dict[str, object]] = []
    for c in campaigns:
        cap = c["abandon_cap_pct"]
        assert isinstance(cap, float | int)
        worst = max(float(str(c["abandon_today_pct"])), float(str(c["abandon_30d_pct"])))
        if c["at_cap"]:
            alerts.append({"kind": "abandon_at_cap", "campaign_id": c["campaign_id"],
                           "rate_pct": worst, "cap_pct": cap})  # fmt: skip
        elif cap and worst >= limits.abandon_near * cap:
            alerts.append({"kind": "abandon_near_cap", "campaign_id": c["campaign_id"],
                           "rate_pct": worst, "cap_pct": cap})  # fmt: skip
        if c["status"] == "running" and not c["leads_ready"] and not c["leads_today"]:
            alerts.append({"kind": "no_leads", "campaign_id": c["campaign_id"]})
    return alerts


def _link(state: FloorState, now: datetime) -> dict[str, object]:
    watch = state.outage
    down = watch.down_since
    return {
        "up": down is None,
        "down_since": down.isoformat() if down else None,
        "down_s": round((now - down).total_seconds()) if down else None,
        "reason": watch.reason,
        "last_down": watch.last_down.isoformat() if watch.last_down else None,
        "last_up": watch.last_up.isoformat() if watch.last_up else None,
        "last_lost_s": (
            round((watch.last_up - watch.last_down).total_seconds())
            if watch.last_up and watch.last_down
            else None
        ),
    }
