"""``xubao …`` whose book-reading process SIGKILLs itself on its second chunk.

Run as ``python -m tests.integration.config.dying_reader import BOOK``: the real CLI, a real
second process that really dies mid-import (as when the OOM killer takes it); only the moment
of its death is chosen here, so the test does not race it.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from config.cli import main
from renewals.importer import worker

_sent: list[int] = []
_encode = worker._encode


def _die_on_the_second_chunk(chunk: Any) -> bytes:
    # Runs in the forked reading process.
    _sent.append(1)
    if len(_sent) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return _encode(chunk)


if __name__ == "__main__":
    worker._encode = _die_on_the_second_chunk
    sys.exit(main(sys.argv[1:]))
