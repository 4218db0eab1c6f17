"""migrations/env.py takes its database from the caller and imports nothing of ``config``."""

from __future__ import annotations

import ast
from pathlib import Path

ENV = Path(__file__).resolve().parents[3] / "migrations" / "env.py"


def test_env_imports_nothing_of_config() -> None:
    tree = ast.parse(ENV.read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported  # the walk found the imports
    assert not [name for name in imported if name and name.split(".")[0] == "config"]
