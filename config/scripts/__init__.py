"""Call scripts as data (TOML), read by ``agent_console.call_script``."""

from pathlib import Path

__all__ = ["CALL_SCRIPT"]

#: The renewal call script shipped with Xubao (``[console] call_script_file`` replaces it).
CALL_SCRIPT = Path(__file__).parent / "renewal_call.toml"
