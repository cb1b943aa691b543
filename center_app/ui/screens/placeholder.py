"""Shown for a section whose screen is not built yet: says so, shows no made-up data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from center_app.i18n import N_, _

_PLANNED = {
    "bookings": N_("Room booking (calendar, conflicts, fees, booking slips) is not available in this version yet."),
    "groups": N_("The group registry is not available in this version yet."),
    "consultations": N_("The consultation log is not available in this version yet."),
    "printing": N_("Certificates and flyers are not available in this version yet."),
    "statistics": N_("Usage statistics are not available in this version yet."),
}


class NotYetScreen(QWidget):
    """A plain notice that the section ``key`` is not built yet."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(_(_PLANNED.get(key, N_("This screen is not available in this version yet."))))
        label.setObjectName("not_yet")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
