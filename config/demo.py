"""``make demo``: the main job end to end on embedded defaults.

A synthetic renewal book is imported into a fresh SQLite database under ``var/demo``; the
renewal list is built; today's due list and one quote panel are printed; then a predictive
campaign runs for an hour of simulated time on the simulated telephone network with ten agent
bots (real audio, real stereo recordings), printing a running summary, and ends with the
campaign's compliance report. Time is simulated (virtual), starting at 09:30 Beijing time today.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.commands.compliance import print_report
from config.commands.quote import print_panel
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules, quote_rules
from config.import_summary import summarise
from config.messages import Messages
from config.migrate import upgrade
from config.settings import Settings
from config.shift import run_shift
from config.telephony import default_sim_profile
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus
from dialer.runtime import CampaignRuntime
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from renewals.cadence import find_due_leads, rebuild_renewal_list
from renewals.clock import FixedClock, SystemClock
from renewals.demo_book import write_book
from renewals.i18n import environment_language
from renewals.importer import import_book
from renewals.models import ContactAttempt, Disposition
from renewals.phones import mask_phone
from renewals.quoting.panel import build_quote, store_quote
from reports.compliance import compliance_report

DEMO_DIR = Path("var/demo")
LEADS = 3000
AGENTS = 10
SHIFT_S = 3600


def _title(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


def _progress(
    sessions: sessionmaker[Session], zone: ZoneInfo, messages: Messages
) -> Callable[[CampaignRuntime], None]:
    def show(runtime: CampaignRuntime) -> None:
        with sessions() as s:
            counts: dict[str | None, int] = dict(
                s.execute(
                    select(ContactAttempt.outcome, func.count()).group_by(ContactAttempt.outcome)
                )
                .tuples()
                .all()
            )
            dispositions = s.scalar(select(func.count()).select_from(Disposition)) or 0
        live = counts.get("completed", 0) + counts.get("abandoned", 0)
        rate = 100 * counts.get("abandoned", 0) / live if live else 0.0
        now = runtime.clock_now().astimezone(zone)
        line = messages.text(
            "placed {placed:>5}  live {live:>4}  abandoned {rate:4.1f}%  no answer {no_answer:>4}  "
            "machine {machine:>4}  dispositions {dispositions:>4}",
            placed=runtime.calls_placed, live=live, rate=rate,
            no_answer=counts.get("no_answer", 0), machine=counts.get("machine", 0),
            dispositions=dispositions,
        )  # fmt: skip
        print(f"  {now:%H:%M} {line}", flush=True)

    return show


def main() -> int:
    if DEMO_DIR.exists():
        shutil.rmtree(DEMO_DIR)
    settings = Settings.load(data_dir=DEMO_DIR, database_url="", telephony="simulated")
    engine = create_db_engine(settings.resolved_database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    zone = ZoneInfo(settings.timezone)
    today = SystemClock().now().astimezone(zone).date()
    start = datetime.combine(today, time(9, 30), tzinfo=zone).astimezone(ZoneInfo("UTC"))

    messages = Messages(environment_language())
    t = messages.text
    _title(t("1. Import the renewal book ({leads} policies, synthetic)", leads=LEADS))
    book = DEMO_DIR / "demo-book.csv"
    write_book(book, leads=LEADS, seed=7, today=today)
    print(summarise(import_book(book, engine=engine, clock=FixedClock(start)), messages))

    _title(t("2. The renewal list (T-60) and today's due leads"))
    rules = cadence_rules(settings.cadence)
    with sessions.begin() as s:
        result = rebuild_renewal_list(s, start, rules)
    print("  " + t("{created} new leads, {moved} stage changes", created=result.created,
                   moved=result.moved))  # fmt: skip
    with sessions() as s:
        due = find_due_leads(s, start, rules, limit=10)
        total_due = len(find_due_leads(s, start, rules))
    print("  " + t("{n} leads due at {at}; the first 10:", n=total_due,
                   at=f"{start.astimezone(zone):%Y-%m-%d %H:%M %Z}"))  # fmt: skip
    for rank, lead in enumerate(due, 1):
        d = lead.decision
        print(
            f"  {rank:>3} {lead.plate:<9} {lead.customer_name:<5} {mask_phone(lead.phone)} "
            f"T-{d.days_left:<3} {d.reason.en if messages.language == 'en' else d.reason.zh}"
        )

    _title(t("3. One quote panel"))
    with sessions.begin() as s:
        panel = build_quote(s, due[0].plate, today, quote_rules(settings.quoting))
        stored = store_quote(s, panel, start)
        print_panel(panel, stored.id if stored else None, messages)

    _title(t("4. A predictive campaign: {agents} agent bots, 1 simulated hour", agents=AGENTS))
    with sessions.begin() as s:
        create_campaign(
            s,
            CampaignSpec(
                id="demo",
                name="续保演示",
                mode=CampaignMode.PREDICTIVE,
                queue="renewals",
                caller_ids=tuple(f"021500010{n:02d}" for n in range(8)),
            ),
            now=start,
        )
        set_campaign_status(s, "demo", CampaignStatus.RUNNING, now=start)

    async def shift() -> None:
        await run_shift(
            sessions=sessions, campaign_id="demo", profile=SimProfile.load(default_sim_profile()),
            clock=VirtualClock(start=start), seed=7, agents=AGENTS, duration_s=SHIFT_S,
            rules=rules, recordings_dir=settings.resolved_recordings_dir,
            progress=_progress(sessions, zone, messages), progress_every_s=600,
        )  # fmt: skip

    run_virtual(shift())

    _title(t("5. Compliance report"))
    with sessions() as s:
        report = compliance_report(s, "demo", now=start + timedelta(seconds=SHIFT_S * 2))
        recordings = s.scalar(
            select(func.count()).where(ContactAttempt.recording_path.is_not(None))
        )
    print_report(report, messages)
    print("\n" + t("Database: {url}", url=settings.resolved_database_url))
    print(t("Recordings: {n} stereo WAV files under {directory}", n=recordings,
            directory=settings.resolved_recordings_dir))  # fmt: skip
    engine.dispose()
    local_start = start.astimezone(zone).replace(tzinfo=None)
    print("\n" + cli_hint(messages, plate=due[0].plate, at=local_start))
    return 0 if report.ok else 1


def cli_hint(messages: Messages, *, plate: str, at: datetime) -> str:
    """How to point ``xubao`` at the demo's database: the last thing ``make demo`` prints."""
    data_dir = DEMO_DIR.resolve()
    url = f"sqlite:///{(data_dir / 'xubao.db').as_posix()}"
    return "\n".join(
        [
            messages.text("To look around with the xubao command, point it at the demo's data:"),
            f"  export XUBAO_DATA_DIR={data_dir} XUBAO_DATABASE_URL={url}",
            f"  .venv/bin/xubao leads due --at {at:%Y-%m-%dT%H:%M} --limit 5",
            f"  .venv/bin/xubao quote {plate} --at {at:%Y-%m-%dT%H:%M}",
            "  .venv/bin/xubao campaign list",
            "  .venv/bin/xubao compliance --campaign demo",
            messages.text(
                "(the demo ran in simulated time from {at}: --at asks about then)",
                at=f"{at:%Y-%m-%d %H:%M}",
            ),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
