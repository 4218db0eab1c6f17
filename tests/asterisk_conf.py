"""A reader for Asterisk's configuration-file syntax, used by the config tests.

There is no Asterisk binary on the development machines, so the files in
``config/asterisk/`` are checked by this reader instead. It follows the rules
of Asterisk's own reader (``main/config.c``) for what our files and the
fixture files use:

* ``[name]`` starts a section; ``[name](!)`` is a template, ``[name](tpl)``
  copies the settings of the template ``tpl`` first, ``[name](+)`` adds to an
  earlier section of that name. Section names may repeat (pjsip.conf names an
  endpoint and its aor alike).
* ``key = value`` and ``key => value`` (an "object"); spaces around both are
  dropped. A line without ``=`` is an error, so is a setting before any section.
* ``;`` starts a comment to the end of the line, ``;--`` ... ``--;`` is a block
  comment that may span lines and nest, and ``\\;`` is a literal ``;``.
* ``#include`` and ``#tryinclude`` read another file (relative to the including
  file, globs allowed), starting in the current section; a missing
  ``#include`` is an error, a missing ``#tryinclude`` is not.

Every error names the file and the line, like Asterisk's log does.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ConfigFile",
    "ConfigSyntaxError",
    "Location",
    "Section",
    "Setting",
    "parse_file",
    "parse_text",
]

_INCLUDE_DIRECTIVES = ("include", "tryinclude")


@dataclass(frozen=True, slots=True)
class Location:
    """A line of a file, 1-based, as Asterisk reports it."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class ConfigSyntaxError(Exception):
    """A line Asterisk's config reader would reject."""

    def __init__(self, where: Location, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True, slots=True)
class Setting:
    """One ``key = value`` (or ``key => value``) line."""

    key: str
    value: str
    is_object: bool
    where: Location


@dataclass(slots=True)
class Section:
    """One ``[name]`` block with its own lines and the templates it copies."""

    name: str
    where: Location
    is_template: bool = False
    templates: tuple[str, ...] = ()
    inherited: list[Setting] = field(default_factory=list)
    own: list[Setting] = field(default_factory=list)

    @property
    def settings(self) -> list[Setting]:
        """Template settings first, then this section's own, in file order."""
        return [*self.inherited, *self.own]

    def values(self, key: str) -> list[str]:
        """Every value of ``key`` (case-insensitive, as Asterisk matches keys)."""
        wanted = key.lower()
        return [s.value for s in self.settings if s.key.lower() == wanted]

    def first(self, key: str) -> str | None:
        found = self.values(key)
        return found[0] if found else None


@dataclass(slots=True)
class ConfigFile:
    """All sections of one file, includes expanded, in file order."""

    path: Path
    sections: list[Section] = field(default_factory=list)

    def named(self, name: str) -> list[Section]:
        return [s for s in self.sections if s.name == name]

    def concrete(self) -> list[Section]:
        """The sections Asterisk uses (templates only lend their settings)."""
        return [s for s in self.sections if not s.is_template]


@dataclass(slots=True)
class _CommentState:
    depth: int = 0
    opened_at: Location | None = None


def parse_file(path: Path) -> ConfigFile:
    """Read ``path`` the way Asterisk would; raise ConfigSyntaxError on a bad line."""
    config = ConfigFile(path=path)
    _read_into(config, path, current=None, depth=0)
    return config


def parse_text(text: str, path: Path) -> ConfigFile:
    """Like parse_file for text that is not on disk (includes resolve beside ``path``)."""
    config = ConfigFile(path=path)
    _read_lines(config, text.splitlines(), path, current=None, depth=0)
    return config


def _read_into(
    config: ConfigFile, path: Path, current: Section | None, depth: int
) -> Section | None:
    text = path.read_text(encoding="utf-8")
    return _read_lines(config, text.splitlines(), path, current, depth)


def _read_lines(
    config: ConfigFile, lines: list[str], path: Path, current: Section | None, depth: int
) -> Section | None:
    state = _CommentState()
    for number, raw in enumerate(lines, start=1):
        where = Location(path, number)
        line = _strip_comments(raw, state, where).strip()
        if not line:
            continue
        if line.startswith("["):
            current = _start_section(config, line, where)
        elif line.startswith("#"):
            current = _directive(config, line, where, current, depth)
        else:
            if current is None:
                raise ConfigSyntaxError(where, "setting before any [section]")
            current.own.append(_setting(line, where))
    if state.depth and state.opened_at is not None:
        raise ConfigSyntaxError(state.opened_at, "block comment ';--' is never closed with '--;'")
    return current


def _strip_comments(raw: str, state: _CommentState, where: Location) -> str:
    """Drop comments, keep ``\\;`` as ``;``; block comments carry over lines."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        if state.depth:
            if raw.startswith("--;", i):
                state.depth -= 1
                i += 3
            elif raw.startswith(";--", i):
                state.depth += 1
                i += 3
            else:
                i += 1
            continue
        if raw.startswith("\\;", i):
            out.append(";")
            i += 2
        elif raw.startswith(";--", i):
            state.depth = 1
            state.opened_at = where
            i += 3
        elif raw[i] == ";":
            break
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _start_section(config: ConfigFile, line: str, where: Location) -> Section:
    close = line.find("]")
    if close < 0:
        raise ConfigSyntaxError(where, f"no closing ']' in {line!r}")
    name = line[1:close].strip()
    if not name:
        raise ConfigSyntaxError(where, "empty section name '[]'")
    rest = line[close + 1 :].strip()
    options: list[str] = []
    if rest:
        if not (rest.startswith("(") and rest.endswith(")")):
            raise ConfigSyntaxError(where, f"unexpected text after section name: {rest!r}")
        options = [o.strip() for o in rest[1:-1].split(",") if o.strip()]
    if "+" in options:
        earlier = config.named(name)
        if not earlier:
            raise ConfigSyntaxError(where, f"'[{name}](+)' adds to a section that does not exist")
        return earlier[-1]
    section = Section(name=name, where=where, is_template="!" in options)
    section.templates = tuple(o for o in options if o != "!")
    for template in section.templates:
        section.inherited.extend(_template_settings(config, template, where))
    config.sections.append(section)
    return section


def _template_settings(config: ConfigFile, name: str, where: Location) -> list[Setting]:
    earlier = config.named(name)
    if not earlier:
        raise ConfigSyntaxError(where, f"template '{name}' is not defined above this line")
    return earlier[-1].settings


def _setting(line: str, where: Location) -> Setting:
    equals = line.find("=")
    if equals < 0:
        raise ConfigSyntaxError(where, f"no '=' in {line!r}")
    key = line[:equals].strip()
    value = line[equals + 1 :]
    is_object = value.startswith(">")
    if is_object:
        value = value[1:]
    if not key:
        raise ConfigSyntaxError(where, f"empty name before '=' in {line!r}")
    return Setting(key=key, value=value.strip(), is_object=is_object, where=where)


def _directive(
    config: ConfigFile, line: str, where: Location, current: Section | None, depth: int
) -> Section | None:
    word, _, argument = line[1:].partition(" ")
    word = word.strip().lower()
    if word not in _INCLUDE_DIRECTIVES:
        raise ConfigSyntaxError(where, f"unknown directive '#{word}'")
    target = argument.strip().strip('"').strip("<>").strip()
    if not target:
        raise ConfigSyntaxError(where, f"'#{word}' without a file name")
    if depth > 10:
        raise ConfigSyntaxError(where, "#include nested more than 10 deep (a loop?)")
    pattern = Path(target) if Path(target).is_absolute() else where.path.parent / target
    found = sorted(Path(p) for p in glob.glob(str(pattern)))
    if not found and word == "include":
        raise ConfigSyntaxError(where, f"#include file not found: {target}")
    # The included file starts in the current section; afterwards this file goes
    # on in the section it was in, whatever sections the included file opened
    # (config.c keeps the including file's own "current category").
    for included in found:
        _read_into(config, included, current, depth + 1)
    return current
