"""Use cases: one function per user action, one transaction each; permissions and audit.

Services take a :class:`~center_app.services.context.ServiceContext` and return frozen
dataclasses, never ORM objects. Nothing here imports Qt.
"""
