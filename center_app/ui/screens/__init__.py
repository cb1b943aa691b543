"""The screens of the main window, by section (:class:`~center_app.domain.roles.Section`).

Each factory takes the :class:`~center_app.ui.state.AppState` and returns a QWidget; a screen
may define ``activate()``, called each time it is shown. Screens not built yet show
:class:`~center_app.ui.screens.placeholder.NotYetScreen`, which says so plainly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from center_app.domain.roles import Section
from center_app.ui.state import AppState


def _home(state: AppState) -> QWidget:
    from center_app.ui.screens.home import HomeScreen

    return HomeScreen(state, HOME_PANELS)


def _groups(state: AppState) -> QWidget:
    from center_app.ui.screens.groups.view import GroupsScreen

    return GroupsScreen(state)


def _settings(state: AppState) -> QWidget:
    from center_app.ui.screens.settings.view import SettingsScreen

    return SettingsScreen(state)


def _consultations(state: AppState) -> QWidget:
    from center_app.ui.screens.consultations import create_screen as consultations_screen

    return consultations_screen(state)


def _bookings(state: AppState) -> QWidget:
    from center_app.ui.screens.bookings import create_screen as bookings_screen

    return bookings_screen(state)


def _bookings_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.bookings import create_home_panel

    return create_home_panel(state)



def _dues_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.bookings import create_dues_panel

    return create_dues_panel(state)


def _follow_ups_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.consultations import create_home_panel

    return create_home_panel(state)


def _visitors_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.visitors import create_home_panel

    return create_home_panel(state)


def _overdue_loans_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.equipment import create_home_panel

    return create_home_panel(state)


def _lockers(state: AppState) -> QWidget:
    from center_app.ui.screens.lockers import create_screen as lockers_screen

    return lockers_screen(state)


#: Panels of ホーム, top to bottom: factories ``(state) -> QWidget``.
HOME_PANELS: tuple[Callable[[AppState], QWidget], ...] = (
    _visitors_panel, _bookings_panel, _dues_panel, _overdue_loans_panel, _follow_ups_panel,
)


def _statistics(state: AppState) -> QWidget:
    from center_app.ui.screens.statistics.view import StatisticsScreen

    return StatisticsScreen(state)


def _printing(state: AppState) -> QWidget:
    from center_app.ui.screens.printing import create_screen as printing_screen

    return printing_screen(state)


def _equipment(state: AppState) -> QWidget:
    from center_app.ui.screens.equipment import create_screen as equipment_screen

    return equipment_screen(state)


def _grants(state: AppState) -> QWidget:
    from center_app.i18n import _
    from center_app.ui.screens.programs.endorsements_view import EndorsementsScreen
    from center_app.ui.screens.programs.view import GrantsScreen
    from center_app.ui.screens.tabs import SectionTabs

    return SectionTabs([(GrantsScreen(state), _("Grants and collaboration projects")), (EndorsementsScreen(state), _("Co-hosting and support"))])


#: The factory of each section's screen.
SCREENS: dict[str, Callable[[AppState], QWidget]] = {
    Section.HOME: _home,
    Section.BOOKINGS: _bookings,
    Section.GROUPS: _groups,
    Section.CONSULTATIONS: _consultations,
    Section.PRINTING: _printing,
    Section.LOCKERS: _lockers,
    Section.EQUIPMENT: _equipment,
    Section.STATISTICS: _statistics,
    Section.GRANTS: _grants,
    Section.SETTINGS: _settings,
}


#: The modules each screen is built from (imported ahead by :func:`preload`).
SCREEN_MODULES: dict[str, tuple[str, ...]] = {
    Section.HOME: ("center_app.ui.screens.home", "center_app.ui.screens.bookings.home_panel", "center_app.ui.screens.consultations.panel",
                   "center_app.ui.screens.visitors.panel", "center_app.ui.screens.equipment.panel"),
    Section.BOOKINGS: ("center_app.ui.screens.bookings.view",),
    Section.GROUPS: ("center_app.ui.screens.groups.view",),
    Section.CONSULTATIONS: ("center_app.ui.screens.consultations.view",),
    Section.PRINTING: ("center_app.ui.screens.printing.view",),
    Section.LOCKERS: ("center_app.ui.screens.lockers.view",),
    Section.EQUIPMENT: ("center_app.ui.screens.equipment.view",),
    Section.STATISTICS: ("center_app.ui.screens.statistics.view",),
    Section.GRANTS: ("center_app.ui.screens.programs.view", "center_app.ui.screens.programs.endorsements_view",
                     "center_app.ui.screens.tabs"),
    Section.SETTINGS: ("center_app.ui.screens.settings.view",),
}


def preload(key: str) -> None:
    """Import the modules of screen ``key`` without building anything (safe off the GUI thread):
    the app does it while the clerk signs in, so the first screen is only built afterwards."""
    import importlib

    for name in SCREEN_MODULES.get(key, ()):
        importlib.import_module(name)


def create_screen(key: str, state: AppState) -> QWidget:
    """The screen for navigation ``key``; the plain "not built yet" notice where none exists."""
    factory = SCREENS.get(key)
    if factory is None:
        from center_app.ui.screens.placeholder import NotYetScreen

        return NotYetScreen(key)
    return factory(state)
