"""Checks of queues.conf, manager.conf, pjsip.conf and modules.conf.

Each ``check_*`` takes a parsed file and returns problems naming file and line;
an empty list means the file passed.
"""

from __future__ import annotations

import re

from tests.asterisk_conf import ConfigFile, Location
from tests.asterisk_dialplan import Problem
from tests.asterisk_rules import (
    EVENTFILTER_CRITERIA,
    MANAGER_CLASSES,
    PJSIP_TYPES,
    QUEUE_EMPTY_CONDITIONS,
    QUEUE_GENERAL_OPTIONS,
    QUEUE_OPTIONS,
    QUEUE_STRATEGIES,
)

__all__ = ["check_manager", "check_modules", "check_pjsip", "check_queues", "loaded_modules"]

_CRITERION = re.compile(r"([a-z_]+)\(([^()]*)\)")

# A module that needs another to load at all (autoload=no lists both), learnt
# from the fixture capture (res_ari) and the module sources.
_NEEDS: dict[str, tuple[str, ...]] = {
    "res_ari": ("res_websocket_client", "res_http_websocket", "res_stasis"),
    "res_websocket_client": ("res_sorcery_config",),
    "chan_pjsip": ("res_pjsip", "res_pjsip_session"),
    "res_pjsip": ("res_pjproject", "res_sorcery_config", "res_sorcery_memory"),
    "res_pjsip_header_funcs": ("res_pjsip", "res_pjsip_session"),
    "app_stasis": ("res_stasis",),
}


def check_queues(config: ConfigFile) -> list[Problem]:
    """Options exist in app_queue; strategy, joinempty and timeoutpriority values are valid."""
    problems: list[Problem] = []
    for section in config.sections:
        allowed = QUEUE_GENERAL_OPTIONS if section.name == "general" else QUEUE_OPTIONS
        for setting in section.own:
            key = setting.key.lower()
            if key not in allowed:
                problems.append(Problem(setting.where, f"unknown queues.conf option '{key}'"))
            elif key == "strategy" and setting.value.lower() not in QUEUE_STRATEGIES:
                problems.append(Problem(setting.where, f"unknown strategy '{setting.value}'"))
            elif key in ("joinempty", "leavewhenempty"):
                bad = [
                    c
                    for c in setting.value.split(",")
                    if c.strip().lower() not in QUEUE_EMPTY_CONDITIONS
                ]
                if bad:
                    problems.append(Problem(setting.where, f"unknown {key} condition(s) {bad}"))
            elif key == "timeoutpriority" and setting.value.lower() not in ("app", "conf"):
                problems.append(Problem(setting.where, "timeoutpriority is 'app' or 'conf'"))
    return problems


def check_manager(config: ConfigFile) -> list[Problem]:
    """Every user has secret, read and write, with real classes and valid eventfilters."""
    problems: list[Problem] = []
    for section in config.concrete():
        if section.name == "general":
            continue
        for key in ("secret", "read", "write"):
            if section.first(key) is None:
                problems.append(Problem(section.where, f"AMI user [{section.name}] has no '{key}'"))
        for setting in section.settings:
            key = setting.key.lower()
            if key in ("read", "write"):
                bad = [
                    c for c in setting.value.split(",") if c.strip().lower() not in MANAGER_CLASSES
                ]
                if bad:
                    problems.append(Problem(setting.where, f"unknown AMI class(es) {bad}"))
            elif key.startswith("eventfilter("):
                problems.extend(_eventfilter_problems(setting.key, setting.where))
    return problems


def _eventfilter_problems(key: str, where: Location) -> list[Problem]:
    inner = key[len("eventfilter(") : -1] if key.endswith(")") else None
    if inner is None:
        return [Problem(where, f"eventfilter criteria not closed: {key}")]
    seen: set[str] = set()
    problems: list[Problem] = []
    for part in [p for p in re.split(r",(?![^(]*\))", inner) if p]:
        match = _CRITERION.fullmatch(part.strip())
        name = match.group(1) if match else part
        if match is None or name not in EVENTFILTER_CRITERIA or name in seen:
            problems.append(Problem(where, f"bad eventfilter criterion '{part}'"))
            continue
        seen.add(name)
        allowed = EVENTFILTER_CRITERIA[name]
        if allowed is not None and match.group(2) not in allowed:
            problems.append(
                Problem(where, f"{name}({match.group(2)}) is not one of {sorted(allowed)}")
            )
    return problems


def check_pjsip(config: ConfigFile) -> list[Problem]:
    """Each section has a known type= and every reference names a section of the right type."""
    problems: list[Problem] = []
    by_type: dict[str, set[str]] = {}
    for section in config.concrete():
        kind = section.first("type")
        if kind is None or kind not in PJSIP_TYPES:
            problems.append(Problem(section.where, f"[{section.name}] has no valid type= ({kind})"))
            continue
        by_type.setdefault(kind, set()).add(section.name)
    references = {"aors": "aor", "auth": "auth", "outbound_auth": "auth", "endpoint": "endpoint"}
    for section in config.concrete():
        for setting in section.settings:
            wanted = references.get(setting.key.lower())
            if wanted is None or section.first("type") not in (
                "endpoint",
                "registration",
                "identify",
            ):
                continue
            for name in (n.strip() for n in setting.value.split(",") if n.strip()):
                if name not in by_type.get(wanted, set()):
                    problems.append(
                        Problem(setting.where, f"{setting.key}={name}: no {wanted} [{name}]")
                    )
    return problems


def loaded_modules(config: ConfigFile) -> set[str]:
    """Module names (without .so) that modules.conf loads."""
    names: set[str] = set()
    for section in config.named("modules"):
        for setting in section.own:
            if setting.key.lower() in ("load", "require", "preload", "preload-require"):
                names.add(setting.value.removesuffix(".so"))
    return names


def check_modules(config: ConfigFile, sibling_files: set[str]) -> list[Problem]:
    """autoload=no lists every dependency; modules needing a config file have one."""
    sections = config.named("modules")
    if not sections:
        return [Problem(Location(config.path, 1), "no [modules] section")]
    problems: list[Problem] = []
    loaded = loaded_modules(config)
    for setting in sections[0].own:
        if setting.key.lower() in ("load", "require") and not setting.value.endswith(".so"):
            problems.append(Problem(setting.where, f"module name without .so: {setting.value}"))
        module = setting.value.removesuffix(".so")
        for needed in _NEEDS.get(module, ()):
            if needed not in loaded:
                problems.append(Problem(setting.where, f"{module} needs {needed}.so listed too"))
        if module == "app_amd" and "amd.conf" not in sibling_files:
            problems.append(Problem(setting.where, "app_amd declines to load without amd.conf"))
    return problems
