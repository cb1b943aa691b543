"""Staff roles (職員の権限) and what each may do. Source: DESIGN.md §1 and the consultation issue."""

from __future__ import annotations

from enum import StrEnum

from center_app.i18n import N_, _


class Role(StrEnum):
    """counter = 窓口職員, coordinator = コーディネーター, admin = センター長・管理者."""

    COUNTER = "counter"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name in the current language."""
        return _(_ROLE_LABELS[self])


_ROLE_LABELS = {
    Role.COUNTER: N_("Counter staff"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMIN: N_("Administrator"),
}

#: Navigation sections each role sees (keys of the main window's screens).
SECTIONS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.COUNTER: ("home", "bookings", "groups", "printing", "statistics"),
    Role.COORDINATOR: ("home", "bookings", "groups", "consultations", "printing", "statistics"),
    Role.ADMIN: ("home", "bookings", "groups", "consultations", "printing", "statistics", "settings"),
}

#: Minimum length of a staff password, in characters.
MIN_PASSWORD_LENGTH = 10
#: Failed sign-ins in a row that lock an account, and for how long (minutes).
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15
