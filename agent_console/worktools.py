"""The agent's work tools: lead search, callbacks, manual dial, the do-not-call button and the
call script. Each checks that the lead is the agent's; the domain rules live in ``renewals``.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from agent_console.call_script import CallScript, ScriptError, load_script
from agent_console.errors import NotFound, NotYours, SeatProblem
from agent_console.leads import attempt_of_call, check_visible
from agent_console.schemas import CallbackCreate
from agent_console.seat import SeatService
from agent_console.services import ConsoleServices
from renewals.agent_leads import is_agents_lead, search_leads
from renewals.cadence.outcomes import record_opt_out
from renewals.callbacks import callbacks_due, schedule_callback
from renewals.models import Customer, Lead, Policy, Vehicle
from renewals.phones import mask_phone
from renewals.quoting import QuotingError, build_quote

__all__ = ["DNC_SOURCE", "WorkTools"]

log = logging.getLogger(__name__)

#: ``do_not_call.source`` of an entry made with the agent's do-not-call button.
DNC_SOURCE = "agent"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _yuan(cents: int) -> str:
    # ¥1,234.00 in both languages (Chinese writes money the same way).
    return f"¥{cents / 100:,.2f}" if cents >= 0 else f"-¥{-cents / 100:,.2f}"


class WorkTools:
    def __init__(self, services: ConsoleServices, seats: SeatService) -> None:
        self._s, self._seats = services, seats

    def _mine(self, agent_id: str, lead_id: int) -> None:
        with self._s.sessions() as session:
            if session.get(Lead, lead_id) is None:
                raise NotFound("lead", lead_id)
            if not is_agents_lead(session, lead_id, agent_id):
                raise NotYours("lead", lead_id)

    # --- search and callbacks -------------------------------------------------------------

    def search(self, agent_id: str, text: str, page: int, page_size: int) -> dict[str, object]:
        """The agent's own leads matching ``text``; numbers masked."""
        with self._s.sessions() as session:
            found = search_leads(session, agent_id, text, page=page, page_size=page_size)
        return {
            "total": found.total,
            "page": found.page,
            "page_size": found.page_size,
            "hits": [
                {
                    "lead_id": h.lead_id,
                    "customer_name": h.customer_name,
                    "phone": mask_phone(h.phone),
                    "plate": h.plate,
                    "commercial_policy_no": h.commercial_policy_no,
                    "compulsory_policy_no": h.compulsory_policy_no,
                    "end_date": h.end_date.isoformat(),
                    "status": h.status.value,
                    "stage": h.stage,
                    "next_contact_at": _iso(h.next_contact_at),
                    "callback": h.callback,
                }
                for h in found.hits
            ],
        }

    def callbacks(self, agent_id: str) -> list[dict[str, object]]:
        """The agent's pending callbacks due by the end of today (the centre's day)."""
        now = self._s.clock.now()
        zone = ZoneInfo(self._s.timezone)
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        before = datetime.combine(tomorrow, time(0), tzinfo=zone)
        with self._s.sessions() as session:
            rows = callbacks_due(session, agent_id, before=before)
        return [
            {
                "lead_id": r.lead_id,
                "due_at": r.due_at.isoformat(),
                "overdue": r.due_at <= now,
                "kept": r.kept,
                "customer_name": r.customer_name,
                "phone": mask_phone(r.phone),
                "plate": r.plate,
            }
            for r in rows
        ]

    def schedule(self, agent_id: str, lead_id: int, body: CallbackCreate) -> dict[str, object]:
        """Book a callback on one of the agent's leads, kept for them or for the team."""
        self._mine(agent_id, lead_id)
        due_at = body.at if body.at.tzinfo else body.at.replace(tzinfo=ZoneInfo(self._s.timezone))
        with self._s.sessions.begin() as session:
            schedule_callback(
                session,
                lead_id=lead_id,
                agent=agent_id,
                due_at=due_at,
                kept=body.kept,
                at=self._s.clock.now(),
                rules=self._s.cadence,
                notes=body.notes,
            )
        return {"lead_id": lead_id, "due_at": due_at.isoformat(), "kept": body.kept}

    # --- dialing and do-not-call ----------------------------------------------------------

    async def manual_dial(self, agent_id: str, lead_id: int) -> str:
        """Dial one of the agent's leads by id (the number never leaves the server)."""
        self._mine(agent_id, lead_id)
        floor = self._seats.floor_of(agent_id)
        if floor.runtime is None:
            raise SeatProblem("Dialing runs in another process; manual dial is not served here.")
        call_id = await floor.runtime.manual_dial(agent_id, lead_id)
        if call_id is None:
            raise SeatProblem("Be ready (not paused, not on a call) to dial.")
        return call_id

    def do_not_call(self, agent_id: str, lead_id: int, call_id: str | None) -> dict[str, object]:
        """The customer asked never to be called again: their number goes on the do-not-call
        list for ever (source "agent", this agent, the call) and the lead is closed."""
        at = self._s.clock.now()
        with self._s.sessions.begin() as session:
            check_visible(session, agent_id, lead_id)
            if call_id is not None:
                attempt = attempt_of_call(session, call_id)
                if attempt is None or attempt.lead_id != lead_id:
                    raise NotFound("call", call_id)
            entry = record_opt_out(
                session,
                lead_id,
                at,
                self._s.cadence,
                source=DNC_SOURCE,
                call_id=call_id,
                agent=agent_id,
            )
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return {
                "lead_id": lead_id,
                "lead_status": lead.status.value,
                "phone": mask_phone(entry.phone),
                "since": entry.created_at.isoformat(),
            }

    # --- the call script ------------------------------------------------------------------

    @cached_property
    def _script(self) -> CallScript | None:
        path = self._s.options.call_script
        return load_script(path) if path is not None else None

    def gifts_on_offer(self, language: str) -> str:
        """The gifts on offer, as the call script file gives them (the pop's quote panel shows
        them beside the premiums, and the script's step reads them out: one source)."""
        try:
            script = self._script
        except (ScriptError, OSError) as exc:  # the script's own route reports it; the pop goes on
            log.warning("call script unreadable, no gifts shown: %s", exc)
            return ""
        return script.constant(language, "gifts") if script is not None else ""

    def script(
        self, agent_id: str, agent_name: str, lead_id: int, language: str
    ) -> dict[str, object]:
        """The call script in ``language`` with this lead's customer, vehicle and quote."""
        script = self._script
        if script is None:
            raise NotFound("script", "renewal_call")
        now = self._s.clock.now()
        today = now.astimezone(ZoneInfo(self._s.timezone)).date()
        with self._s.sessions() as session:
            lead = check_visible(session, agent_id, lead_id)
            policy = session.get(Policy, lead.policy_id)
            assert policy is not None
            vehicle = session.get(Vehicle, policy.vehicle_id)
            assert vehicle is not None
            customer = session.get(Customer, vehicle.customer_id)
            assert customer is not None
            fields: dict[str, object] = {
                "customer_name": customer.name,
                "agent_name": agent_name,
                "agent_id": agent_id,
                "plate": vehicle.plate,
                "model": vehicle.model or "—",
                "end_date": policy.end_date.isoformat(),
                "days_left": (policy.end_date - today).days,
            }
            try:
                quote = build_quote(session, vehicle.plate, today, self._s.quoting)
            except QuotingError:
                quote = None  # the quote panel says why; the script leaves the figures out
        if quote is not None:
            change = quote.total_cents - quote.last_total_cents
            fields |= {
                "total": _yuan(quote.total_cents),
                "last_total": _yuan(quote.last_total_cents),
                "change_abs": _yuan(abs(change)),
                "change_up": change > 0,
                "ncd_level": quote.ncd.level,
                "ncd_coefficient": str(quote.ncd.coefficient),
                "ncd_reason": quote.ncd.reason_en if language == "en" else quote.ncd.reason_zh,
            }
        title, steps = script.render(language, fields)
        return {
            "lead_id": lead_id,
            "title": title,
            "steps": [{"title": s.title, "html": s.html} for s in steps],
        }
