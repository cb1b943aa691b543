"""Import each named module of ``center_app`` alone: ``python import_alone.py MODULE...``.

The third-party libraries the package uses are imported once first; then for each module a
forked child, in which no module of ``center_app`` is loaded yet, imports that one module. A
module that works only when another was imported first (a cycle hidden behind a lazy import, a
registry filled at import time) fails here. Prints ``module<TAB>error`` per failure; exit 1 then.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback


def main(names: list[str], preload: list[str]) -> int:
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - optional libraries (e.g. a database driver) may be absent
            pass
    assert not [m for m in sys.modules if m == "center_app" or m.startswith("center_app.")]
    failures = 0
    for name in names:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                importlib.import_module(name)
                status = 0
            except BaseException:  # noqa: BLE001 - report anything the import raised
                os.write(write, traceback.format_exc().strip().splitlines()[-1].encode())
                status = 1
            os._exit(status)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode(errors="replace")
        _pid, status = os.waitpid(pid, 0)
        if status != 0:
            failures += 1
            print(f"{name}\t{message or f'exit status {status}'}")
    return 1 if failures else 0


if __name__ == "__main__":
    separator = sys.argv.index("--")
    sys.exit(main(sys.argv[separator + 1:], sys.argv[1:separator]))
