"""Voice menus as data: a flow is a TOML file of named nodes, loaded and checked here.

    id = "reminder"
    start = "greet"
    [nodes.greet]
    type = "play"
    say = ["xubao/reminder-intro", "{plate}", "xubao/reminder-ends-on", "{expiry_date}"]
    next = "menu"

Node types: ``play`` (say, next), ``collect`` (say, choices digit → node, timeout_s, retries,
timeout_say, invalid_say, on_failure), ``branch`` (on a fact, cases value → node, default),
``transfer`` (to ``own_agent_or_queue`` or ``queue``), ``outcome`` (set the lead's outcome,
next), ``callback`` (ask to be called back: days from today and a local time, next),
``opt_out`` (permanent do-not-call, next), ``flow`` (go on in another flow), ``hangup``.
Items of ``say`` are prompt names, or a ``{fact}`` spoken from per-digit prompts
(:mod:`ivr.speech`). Every error names the file, the node and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from ivr.errors import FlowInvalid

__all__ = [
    "FACTS",
    "FLOW_FOR",
    "OUTCOMES",
    "SPOKEN_FACTS",
    "Branch",
    "Callback",
    "Collect",
    "Flow",
    "GoToFlow",
    "Hangup",
    "Node",
    "OptOut",
    "Play",
    "SetOutcome",
    "Transfer",
    "load_flow",
    "load_flows",
    "shipped_flows_dir",
]

# The kind of call (appArgs[0] over ARI) → the shipped flow it runs.
FLOW_FOR = {"inbound": "inbound_callback", "reminder": "reminder"}
# Facts a flow may speak ({name} in ``say``) and branch on.
SPOKEN_FACTS = ("plate", "expiry_date")
FACTS = ("recognised", "has_own_agent")
OUTCOMES = ("contacted", "callback", "opt_out", "no_answer")
TRANSFER_TARGETS = ("own_agent_or_queue", "queue")


@dataclass(frozen=True, slots=True, kw_only=True)
class Play:
    id: str
    say: tuple[str, ...]
    next: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Collect:
    """Say the menu, take one digit; a timeout or a digit not in ``choices`` is retried."""

    id: str
    say: tuple[str, ...]
    choices: Mapping[str, str]
    timeout_s: float
    retries: int  # further tries after the first
    timeout_say: tuple[str, ...]
    invalid_say: tuple[str, ...]
    on_failure: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Branch:
    id: str
    on: str
    cases: Mapping[str, str]
    default: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    id: str
    target: str  # own_agent_or_queue: the lead's own agent (sticky) if any, else the queue


@dataclass(frozen=True, slots=True, kw_only=True)
class SetOutcome:
    id: str
    outcome: str
    next: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Callback:
    """The customer asks to be called back ``days`` from today at ``at`` (their local time)."""

    id: str
    days: int
    at: time
    next: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OptOut:
    id: str
    next: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GoToFlow:
    """Go on at the start of another flow (e.g. every menu's 9 → the opt-out confirmation)."""

    id: str
    flow: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Hangup:
    id: str
    say: tuple[str, ...] = ()


Node = Play | Collect | Branch | Transfer | SetOutcome | Callback | OptOut | GoToFlow | Hangup


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    id: str
    start: str
    nodes: Mapping[str, Node]
    source: str = field(default="")

    def prompt_names(self) -> set[str]:
        """Every fixed prompt the flow may play (``{fact}`` items excluded)."""
        names: set[str] = set()
        for node in self.nodes.values():
            for attr in ("say", "timeout_say", "invalid_say"):
                names.update(i for i in getattr(node, attr, ()) if not i.startswith("{"))
        return names


class _Reader:
    """Reads one node's table, raising :class:`FlowInvalid` that names file, node and field."""

    def __init__(self, source: str, node: str, table: Any) -> None:
        self.source, self.node = source, node
        if not isinstance(table, dict):
            self.fail("", "must be a table")
        self.table: dict[str, Any] = table

    def fail(self, name: str, reason: str) -> None:
        raise FlowInvalid(self.source, self.node, name or "(node)", reason)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.table.get(name, default)
        if not isinstance(value, str) or not value:
            self.fail(name, "must be a non-empty string")
        return str(value)

    def say(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(name, "must be a list of prompt names")
        if required and not value:
            self.fail(name, "must name at least one prompt")
        for item in value:
            if item.startswith("{") and item.strip("{}") not in SPOKEN_FACTS:
                self.fail(name, f"unknown fact {item}; known: {', '.join(SPOKEN_FACTS)}")
            if not item.startswith("{") and (".." in item or item.startswith("/")):
                self.fail(name, f"prompt {item!r} must be a relative name without '..'")
        return tuple(value)

    def number(self, name: str, default: float, low: float, high: float) -> float:
        value = self.table.get(name, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            self.fail(name, f"must be a number from {low} to {high}")
        return float(value)

    def mapping(self, name: str) -> dict[str, str]:
        value = self.table.get(name)
        if not isinstance(value, dict) or not value:
            self.fail(name, "must be a non-empty table")
        assert isinstance(value, dict)
        for key, target in value.items():
            if not isinstance(target, str):
                self.fail(f"{name}.{key}", "must name a node")
        return {str(k): str(v) for k, v in value.items()}


def _collect(r: _Reader, node_id: str) -> Collect:
    choices = r.mapping("choices")
    for digit in choices:
        if digit not in "0123456789*#" or len(digit) != 1:
            r.fail(f"choices.{digit}", "a choice is one key: 0-9, * or #")
    return Collect(
        id=node_id,
        say=r.say("say", required=True),
        choices=choices,
        timeout_s=r.number("timeout_s", 5, 1, 60),
        retries=int(r.number("retries", 2, 0, 5)),
        timeout_say=r.say("timeout_say"),
        invalid_say=r.say("invalid_say"),
        on_failure=r.text("on_failure"),
    )


def _node(source: str, node_id: str, table: Any) -> Node:
    r = _Reader(source, node_id, table)
    kind = r.text("type")
    if kind == "play":
        return Play(id=node_id, say=r.say("say", required=True), next=r.text("next"))
    if kind == "collect":
        return _collect(r, node_id)
    if kind == "branch":
        on = r.text("on")
        if on not in FACTS:
            r.fail("on", f"unknown fact {on!r}; known: {', '.join(FACTS)}")
        return Branch(id=node_id, on=on, cases=r.mapping("cases"), default=r.text("default"))
    if kind == "transfer":
        target = r.text("target")
        if target not in TRANSFER_TARGETS:
            r.fail("target", f"must be one of {', '.join(TRANSFER_TARGETS)}")
        return Transfer(id=node_id, target=target)
    if kind == "outcome":
        outcome = r.text("outcome")
        if outcome not in OUTCOMES:
            r.fail("outcome", f"must be one of {', '.join(OUTCOMES)}")
        return SetOutcome(id=node_id, outcome=outcome, next=r.text("next"))
    if kind == "callback":
        try:
            at = time.fromisoformat(r.text("at"))
        except ValueError:
            r.fail("at", "must be a local time HH:MM")
        return Callback(
            id=node_id, days=int(r.number("days", 1, 0, 14)), at=at, next=r.text("next")
        )
    if kind == "opt_out":
        return OptOut(id=node_id, next=r.text("next"))
    if kind == "flow":
        return GoToFlow(id=node_id, flow=r.text("flow"))
    if kind == "hangup":
        return Hangup(id=node_id, say=r.say("say"))
    r.fail("type", f"unknown node type {kind!r}")
    raise AssertionError("unreachable")


def _targets(node: Node) -> list[tuple[str, str]]:
    """(field, node id) pairs this node can go to."""
    out: list[tuple[str, str]] = []
    if isinstance(node, Play | SetOutcome | Callback | OptOut):
        out.append(("next", node.next))
    if isinstance(node, Collect):
        out += [(f"choices.{d}", t) for d, t in node.choices.items()]
        out.append(("on_failure", node.on_failure))
    if isinstance(node, Branch):
        out += [(f"cases.{k}", t) for k, t in node.cases.items()]
        out.append(("default", node.default))
    return out


def parse_flow(data: Mapping[str, Any], source: str) -> Flow:
    """A flow from its parsed TOML; every node reference is checked."""
    top = _Reader(source, "(flow)", dict(data))
    flow_id, start = top.text("id"), top.text("start")
    tables = data.get("nodes")
    if not isinstance(tables, dict) or not tables:
        top.fail("nodes", "must be a table of nodes")
    assert isinstance(tables, dict)
    nodes = {str(k): _node(source, str(k), v) for k, v in tables.items()}
    if start not in nodes:
        top.fail("start", f"no node {start!r}")
    for node in nodes.values():
        for name, target in _targets(node):
            if target not in nodes:
                raise FlowInvalid(source, node.id, name, f"no node {target!r}")
    return Flow(id=flow_id, start=start, nodes=nodes, source=source)


def load_flow(path: Path) -> Flow:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FlowInvalid(str(path), "(file)", "(syntax)", str(exc)) from exc
    return parse_flow(data, str(path))


def load_flows(directory: Path) -> dict[str, Flow]:
    """Every ``*.toml`` flow of ``directory`` by id; two files with one id are an error."""
    flows: dict[str, Flow] = {}
    for path in sorted(directory.glob("*.toml")):
        flow = load_flow(path)
        if flow.id in flows:
            raise FlowInvalid(
                str(path), "(flow)", "id", f"{flow.id!r} also in {flows[flow.id].source}"
            )
        flows[flow.id] = flow
    for flow in flows.values():
        for node in flow.nodes.values():
            if isinstance(node, GoToFlow) and node.flow not in flows:
                raise FlowInvalid(flow.source, node.id, "flow", f"no flow {node.flow!r}")
    return flows


def shipped_flows_dir() -> Path:
    return Path(__file__).resolve().parent / "flows"
