"""``make demo``, second half: the agent console on the demo's database, with bots.

After the batch demo (``config.demo``) this serves the console on the same database and its
``demo`` campaign: agent bots keep working it and people log in beside them with the demo
accounts printed here. The clock runs in real time from 10:45 today (Beijing), so the demo
dials within calling hours whenever it is run. Ctrl-C stops it.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agent_console.accounts import add_user
from agent_console.models import User
from agent_console.texts import translator
from config.db import create_db_engine, make_session_factory
from config.demo import DEMO_DIR
from config.serve import serve_console
from config.settings import Settings
from config.web import ShiftedClock
from renewals.clock import SystemClock
from renewals.i18n import environment_language

# Demo accounts only: the database lives under var/demo and is rebuilt by every `make demo`.
DEMO_PASSWORD = "xubao-demo"  # noqa: S105
DEMO_USERS = (
    ("agent1", "agent", "2001"),
    ("agent2", "agent", "2002"),
    ("super1", "supervisor", None),
)
BOTS = 6


def _ensure_users(settings: Settings) -> None:
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            for name, role, extension in DEMO_USERS:
                if session.scalar(select(User.id).where(User.name == name)) is None:
                    add_user(session, name=name, role=role, password=DEMO_PASSWORD,
                             extension=extension, at=SystemClock().now())  # fmt: skip
    finally:
        engine.dispose()


def main() -> int:
    settings = Settings.load(data_dir=DEMO_DIR, database_url="", telephony="simulated")
    _ensure_users(settings)
    _ = translator(environment_language())
    zone = ZoneInfo(settings.timezone)
    clock = ShiftedClock(datetime.combine(datetime.now(zone).date(), time(10, 45), tzinfo=zone))

    def ready(url: str) -> None:
        print("\n=== " + _("The agent console") + " ===", flush=True)
        print(_("Console at {url}").format(url=url))
        for name, role, extension in DEMO_USERS:
            seat = f" ({_('extension')} {extension})" if extension else ""
            print(f"  {_(role)}: {name} / {DEMO_PASSWORD}{seat}")
        print(_("{bots} agent bots work the demo campaign beside you; Ctrl-C stops.").format(
            bots=BOTS), flush=True)  # fmt: skip

    asyncio.run(
        serve_console(settings, host="127.0.0.1", port=8000, campaign_ids=["demo"],
                      clock=clock, on_ready=ready, bots=BOTS, with_runtime=True)
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
