"""Qt widgets only. Screens talk to services through :class:`~center_app.ui.runner.Runner`."""
