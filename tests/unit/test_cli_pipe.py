"""A listing piped into a reader that stops early (``center-app visitors show | head -1``) ends
quietly: no BrokenPipeError traceback on the terminal, the shell's status for a closed pipe."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import command_line_admin


def test_a_listing_into_a_closed_pipe_ends_without_a_traceback(db, monkeypatch):
    signed_in = command_line_admin(db, monkeypatch)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line, as after `head -1` has its line
    try:
        done = subprocess.run([sys.executable, "-m", "center_app", "--database-url", db.url, "visitors", "show", *signed_in],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, env={**os.environ})
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 141
