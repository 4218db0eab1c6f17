"""``xubao prompts make [--lang zh_CN|en] [--out DIR] --company NAME --callback NUMBER``.

Renders the dialplan's prompts (the safe message, the opt-out confirmation, the machine
message) with espeak-ng and sox; copy the files to ``<sounds>/<language>/custom/`` on the
Asterisk host (docs/deploy-asterisk.md). The dialer checks they are there when it starts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from config.prompts import PromptError, render_prompts
from config.settings import Settings
from renewals.i18n import LANGUAGES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prompts = sub.add_parser("prompts", help="the dialplan's prompts (safe message, opt-out)")
    verbs = prompts.add_subparsers(dest="prompts_command", required=True)
    make = verbs.add_parser("make", help="render the prompts to 8 kHz mono WAV (espeak-ng)")
    make.add_argument("--lang", choices=LANGUAGES, default=LANGUAGES[0])
    make.add_argument(
        "--out", type=Path, help="folder for the WAVs (default var/prompts/dialplan/LANG)"
    )
    make.add_argument("--company", required=True, help="the name the customer hears")
    make.add_argument("--callback", required=True, help="the number to call back")
    make.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    out = args.out or settings.data_dir / "prompts" / "dialplan" / args.lang
    try:
        files = render_prompts(
            out, language=args.lang, company=args.company, callback=args.callback
        )
    except PromptError as exc:
        print(f"错误 error: {exc}")
        return 2
    for path in files:
        print(path)
    return 0
