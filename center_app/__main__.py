"""``python -m center_app`` runs the same entry point as the ``center-app`` command."""

from center_app.app import main

raise SystemExit(main())
