"""extensions.conf as pbx_config reads it, and the checks run on it.

``load_dialplan`` turns the sections of a parsed extensions.conf into contexts
of numbered steps; the ``check_*`` functions return problems, each naming the
file and line, so a test can print them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.asterisk_conf import ConfigFile, Location, Setting
from tests.asterisk_rules import APPLICATIONS, FUNCTIONS

__all__ = [
    "Dialplan",
    "Problem",
    "Step",
    "check_applications",
    "check_balanced",
    "check_h_extensions",
    "check_jump_targets",
    "load_dialplan",
    "split_args",
]

_NOT_CONTEXTS = {"general", "globals"}
_PRIORITY = re.compile(r"^(?P<prio>\d+|n|hint)(?:\((?P<label>[A-Za-z0-9_-]+)\))?$")
_APP = re.compile(r"^(?P<app>[A-Za-z_][A-Za-z0-9_]*)(?:\((?P<args>.*)\))?$", re.DOTALL)
_FUNCTION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\(")
_WRITTEN_FUNCTION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\(")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_KNOWN_APPS = {name.lower(): name for name in APPLICATIONS}


@dataclass(frozen=True, slots=True)
class Problem:
    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Step:
    """One priority of one extension."""

    context: str
    exten: str
    priority: int
    label: str | None
    app: str
    args: str
    where: Location


@dataclass(slots=True)
class Dialplan:
    contexts: dict[str, dict[str, list[Step]]] = field(default_factory=dict)
    includes: dict[str, list[str]] = field(default_factory=dict)
    context_where: dict[str, Location] = field(default_factory=dict)

    def steps(self) -> list[Step]:
        return [s for extens in self.contexts.values() for steps in extens.values() for s in steps]

    def find_exten(self, context: str, exten: str) -> list[Step] | None:
        """The extension that ``exten`` reaches in ``context`` (exact name first)."""
        extens = self.contexts.get(context, {})
        if exten in extens:
            return extens[exten]
        for name, steps in extens.items():
            if name.startswith("_") and pattern_matches(name, exten):
                return steps
        for included in self.includes.get(context, []):
            found = self.find_exten(included, exten)
            if found is not None:
                return found
        return None


def split_args(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside (), [], {} and double quotes; ``\\x`` is kept."""
    parts: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char in _PAIRS:
            depth += 1
        elif not quoted and char in _PAIRS.values():
            depth -= 1
        if char == sep and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def pattern_matches(pattern: str, exten: str) -> bool:
    """Asterisk's ``_`` patterns: X, Z, N, [...], . (one or more), ! (zero or more)."""
    regex = []
    body = pattern[1:]
    i = 0
    while i < len(body):
        char = body[i].upper()
        if char == "X":
            regex.append("[0-9]")
        elif char == "Z":
            regex.append("[1-9]")
        elif char == "N":
            regex.append("[2-9]")
        elif char == ".":
            regex.append(".+")
        elif char == "!":
            regex.append(".*")
        elif char == "[":
            close = body.index("]", i)
            regex.append("[" + body[i + 1 : close] + "]")
            i = close
        else:
            regex.append(re.escape(body[i]))
        i += 1
    return re.fullmatch("".join(regex), exten) is not None


def load_dialplan(config: ConfigFile) -> tuple[Dialplan, list[Problem]]:
    """Contexts and steps of an extensions.conf, with priority-order problems."""
    plan = Dialplan()
    problems: list[Problem] = []
    for section in config.sections:
        if section.name in _NOT_CONTEXTS or section.is_template:
            continue
        extens = plan.contexts.setdefault(section.name, {})
        plan.context_where.setdefault(section.name, section.where)
        last: str | None = None
        for setting in section.own:
            key = setting.key.lower()
            if key == "include":
                plan.includes.setdefault(section.name, []).append(setting.value)
            elif key in ("exten", "same"):
                last = _add_step(plan, extens, section.name, setting, last, problems)
            elif key not in ("switch", "ignorepat", "lswitch", "eswitch"):
                problems.append(Problem(setting.where, f"'{setting.key}' is not a dialplan line"))
    return plan, problems


def _add_step(
    plan: Dialplan,
    extens: dict[str, list[Step]],
    context: str,
    setting: Setting,
    last: str | None,
    problems: list[Problem],
) -> str | None:
    where = setting.where
    if setting.key.lower() == "same":
        if last is None:
            problems.append(Problem(where, "'same =>' with no 'exten =>' before it"))
            return None
        exten, rest = last, setting.value
    else:
        head = split_args(setting.value, ",")
        if len(head) < 3:
            problems.append(Problem(where, f"expected 'name,priority,App(args)': {setting.value}"))
            return last
        exten, rest = head[0].strip(), ",".join(head[1:])
    prio_text, _, app_text = rest.partition(",")
    step = _make_step(context, exten, prio_text.strip(), app_text.strip(), extens, where, problems)
    if step is not None:
        extens.setdefault(exten, []).append(step)
    return exten


def _make_step(
    context: str,
    exten: str,
    prio_text: str,
    app_text: str,
    extens: dict[str, list[Step]],
    where: Location,
    problems: list[Problem],
) -> Step | None:
    prio = _PRIORITY.match(prio_text)
    if prio is None:
        problems.append(Problem(where, f"bad priority {prio_text!r} (a number, 'n' or label)"))
        return None
    if prio["prio"] == "hint":
        return None  # a device-state hint, not a step of the call
    app = _APP.match(app_text)
    if app is None:
        problems.append(Problem(where, f"bad application call {app_text!r}: App(args) expected"))
        return None
    earlier = extens.get(exten, [])
    expected = earlier[-1].priority + 1 if earlier else 1
    number = expected if prio["prio"] == "n" else int(prio["prio"])
    if number != expected:
        problems.append(
            Problem(where, f"priority {number} of {exten}@{context}: expected {expected}")
        )
    label = prio["label"]
    if label and any(s.label == label for s in earlier):
        problems.append(Problem(where, f"label '{label}' defined twice in {exten}@{context}"))
    return Step(context, exten, number, label, app["app"], app["args"] or "", where)


def check_h_extensions(plan: Dialplan, contexts: list[str] | None = None) -> list[Problem]:
    """Every context (or those named) has an ``h`` extension."""
    names = contexts if contexts is not None else list(plan.contexts)
    return [
        Problem(plan.context_where[name], f"context [{name}] has no 'h' extension")
        for name in names
        if "h" not in plan.contexts.get(name, {})
    ]


def check_applications(plan: Dialplan, loaded: set[str] | None = None) -> list[Problem]:
    """Applications and functions exist in Asterisk 22 (and, if given, are loaded)."""
    problems: list[Problem] = []
    for step in plan.steps():
        name = _KNOWN_APPS.get(step.app.lower())
        if name is None:
            problems.append(Problem(step.where, f"unknown application {step.app}()"))
        elif loaded is not None and APPLICATIONS[name] not in loaded | {"core"}:
            problems.append(
                Problem(step.where, f"{name}() needs {APPLICATIONS[name]}.so in modules.conf")
            )
        used = _FUNCTION.findall(step.args)
        if step.app.lower() == "set":
            used += _WRITTEN_FUNCTION.findall(step.args)  # Set(FUNC(args)=value)
        for function in used:
            module = FUNCTIONS.get(function.upper())
            if module is None:
                problems.append(Problem(step.where, f"unknown function {function}()"))
            elif loaded is not None and module not in loaded:
                problems.append(Problem(step.where, f"{function}() needs {module}.so"))
    return problems


def check_balanced(plan: Dialplan) -> list[Problem]:
    """(), [] and {} balance in every argument list, so ${...} and $[...] close."""
    problems: list[Problem] = []
    for step in plan.steps():
        message = _balance_error(step.args)
        if message:
            problems.append(Problem(step.where, f"{step.app}({step.args}): {message}"))
    return problems


def _balance_error(text: str) -> str | None:
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char in _PAIRS:
            stack.append(_PAIRS[char])
        elif char in _PAIRS.values() and (not stack or stack.pop() != char):
            return f"unexpected {char!r} at column {i + 1}"
        i += 1
    return (
        f"{len(stack)} bracket(s) never closed: missing {''.join(reversed(stack))!r}"
        if stack
        else None
    )


def check_jump_targets(plan: Dialplan) -> list[Problem]:
    """Goto, GotoIf, Gosub, GosubIf and the b() pre-dial handlers reach a real step."""
    problems: list[Problem] = []
    for step in plan.steps():
        for target in _targets(step):
            message = _resolve(plan, step, target)
            if message:
                problems.append(Problem(step.where, f"{step.app} target {target!r}: {message}"))
    return problems


def _targets(step: Step) -> list[str]:
    app = step.app.lower()
    if app in ("goto", "gosub"):
        return [step.args]
    if app in ("gotoif", "gosubif"):
        condition_and_branches = split_args(step.args, "?")
        branches = "?".join(condition_and_branches[1:])
        return [b for b in split_args(branches, ":") if b.strip()]
    if app in ("queue", "dial"):
        args = split_args(step.args)
        options = args[1] if app == "queue" and len(args) > 1 else args[2] if len(args) > 2 else ""
        return [t.replace("^", ",") for t in _option_args(options, "bB")]
    return []


def _option_args(options: str, letters: str) -> list[str]:
    found: list[str] = []
    i = 0
    while i < len(options):
        if i + 1 < len(options) and options[i + 1] == "(":
            close = _closing(options, i + 1)
            if options[i] in letters:
                found.append(options[i + 2 : close])
            i = close + 1
        else:
            i += 1
    return found


def _closing(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return len(text) - 1


def _resolve(plan: Dialplan, step: Step, target: str) -> str | None:
    target = re.sub(r"\(.*\)$", "", target.strip())  # Gosub arguments
    if "${" in target or "$[" in target:
        return None  # computed at run time
    parts = [p.strip() for p in split_args(target)]
    if len(parts) > 3:
        return "more than context,exten,priority"
    context = parts[0] if len(parts) == 3 else step.context
    exten = parts[-2] if len(parts) >= 2 else step.exten
    if context not in plan.contexts:
        return f"no context [{context}]"
    steps = plan.find_exten(context, exten)
    if steps is None:
        return f"no extension {exten} in [{context}]"
    priority = parts[-1]
    if priority.isdigit():
        return (
            None if any(s.priority == int(priority) for s in steps) else f"no priority {priority}"
        )
    return None if any(s.label == priority for s in steps) else f"no label '{priority}' in {exten}"
