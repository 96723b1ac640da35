"""Run a snippet in a fresh interpreter whose sockets refuse to connect."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

_REFUSE_NETWORK = """\
import socket
def refuse(*args, **kwargs):
    raise AssertionError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
"""


def run_offline(code: str, cache: Path, timeout: int = 300) -> str:
    """stdout of ``code`` run with no network and an empty phonexl cache; fails on any error.

    A fresh process matters: the libraries under test reach for the network at import time,
    which an already-warm test interpreter would hide.
    """
    env = {"PHONEXL_CACHE": str(cache), "PATH": "/usr/bin:/bin", "HOME": str(cache)}
    script = _REFUSE_NETWORK + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=timeout
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
