"""Staff roles (職員の権限) and what each may do. Source: docs/architecture.md §1 and the consultation issue."""

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


class Section(StrEnum):
    """The main window's sections, in navigation order: ホーム, 予約, 団体, 相談, 印刷, ロッカー・レターケース, 備品・印刷室, 集計, 補助金・協働, 設定.
    The values are the screens' keys (``--view``, the per-PC setting of the last view)."""

    HOME = "home"
    BOOKINGS = "bookings"
    GROUPS = "groups"
    CONSULTATIONS = "consultations"
    PRINTING = "printing"
    LOCKERS = "lockers"
    EQUIPMENT = "equipment"
    STATISTICS = "statistics"
    GRANTS = "grants"
    SETTINGS = "settings"

    @property
    def title(self) -> str:
        """The section's name in the current language."""
        return _(_SECTION_TITLES[self])


_SECTION_TITLES = {
    Section.HOME: N_("Home"),
    Section.BOOKINGS: N_("Bookings"),
    Section.GROUPS: N_("Groups"),
    Section.CONSULTATIONS: N_("Consultations"),
    Section.PRINTING: N_("Printing"),
    Section.LOCKERS: N_("Lockers and letter cases"),
    Section.EQUIPMENT: N_("Equipment and printing room"),
    Section.STATISTICS: N_("Statistics"),
    Section.GRANTS: N_("Subsidies and collaboration"),
    Section.SETTINGS: N_("Settings"),
}

#: Sections each role sees, in navigation order. 補助金・協働 is run by coordinators and
#: administrators (the review, the allocation); counter staff receive applications
#: (``center-app grants apply``) but do not see the section.
SECTIONS_BY_ROLE: dict[Role, tuple[Section, ...]] = {
    Role.COUNTER: tuple(s for s in Section if s not in (Section.CONSULTATIONS, Section.GRANTS, Section.SETTINGS)),
    Role.COORDINATOR: tuple(s for s in Section if s not in (Section.SETTINGS, Section.EQUIPMENT)),
    Role.ADMIN: tuple(Section),
}

#: Minimum length of a staff password, in characters.
MIN_PASSWORD_LENGTH = 10
#: Failed sign-ins in a row that lock an account, and for how long (minutes).
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15
