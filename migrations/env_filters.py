"""What autogenerate compares: every table of the models, not the scheduler's own tables."""

from __future__ import annotations

from recordings.search_ddl import is_search_object

__all__ = ["SCHEDULER_TABLES", "include_object"]

# APScheduler's job store and our run log are created by the scheduler itself (config/jobs.py);
# autogenerate must not propose dropping them from a database where the scheduler has run.
SCHEDULER_TABLES = frozenset({"apscheduler_jobs", "scheduler_runs"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if reflected and compare_to is None and is_search_object(name):
        return False  # the transcript search index, made by recordings.search_ddl
    return not (type_ == "table" and reflected and compare_to is None and name in SCHEDULER_TABLES)
