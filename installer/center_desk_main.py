"""Entry script of the PyInstaller build: the same ``main`` as the ``center-app`` command."""

import sys

from center_app.app import main

if __name__ == "__main__":
    sys.exit(main())
