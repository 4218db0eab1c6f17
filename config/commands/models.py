"""``xubao models install URL --sha256 HEX``: install a Vosk model and print the setting."""

from __future__ import annotations

import argparse

from config.recordings import say
from config.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("models", help="speech-to-text models")
    models = cmd.add_subparsers(dest="models_command", required=True)
    inst = models.add_parser("install", help="download, check and unpack a Vosk model archive")
    inst.add_argument("url")
    inst.add_argument("--sha256", required=True, help="the archive's SHA-256 (64 hex digits)")
    inst.add_argument("--dir", help="where models live (default <data_dir>/models)")
    inst.set_defaults(handler=run_install)


def run_install(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from recordings.errors import ModelInstallFailed
    from recordings.model_install import install_model

    root = Path(args.dir) if args.dir else settings.data_dir / "models"
    try:
        path = install_model(args.url, args.sha256, root)
    except ModelInstallFailed as exc:
        print(say("error: {error}", error=exc))
        return 2
    print(say("model installed at {path}; use it with:", path=path))
    print(f"XUBAO_VOSK_MODEL={path.resolve()}")
    return 0
