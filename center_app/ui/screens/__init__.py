"""The screens of the main window, by navigation key.

Each factory takes the :class:`~center_app.ui.state.AppState` and returns a QWidget; a screen
may define ``activate()``, called each time it is shown. Screens not built yet show
:class:`~center_app.ui.screens.placeholder.NotYetScreen`, which says so plainly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from center_app.i18n import N_
from center_app.ui.state import AppState

#: Navigation order and titles (English ids; shown translated).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("home", N_("Home")),
    ("bookings", N_("Bookings")),
    ("groups", N_("Groups")),
    ("consultations", N_("Consultations")),
    ("printing", N_("Printing")),
    ("statistics", N_("Statistics")),
    ("settings", N_("Settings")),
)


#: Panels of ホーム, top to bottom: factories ``(state) -> QWidget`` added by the features.
HOME_PANELS: list[Callable[[AppState], QWidget]] = []


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


HOME_PANELS.append(_bookings_panel)


def _follow_ups_panel(state: AppState) -> QWidget:
    from center_app.ui.screens.consultations import create_home_panel

    return create_home_panel(state)


HOME_PANELS.append(_follow_ups_panel)


def _statistics(state: AppState) -> QWidget:
    from center_app.ui.screens.statistics.view import StatisticsScreen

    return StatisticsScreen(state)


def _printing(state: AppState) -> QWidget:
    from center_app.ui.screens.printing import create_screen as printing_screen

    return printing_screen(state)


SCREENS: dict[str, Callable[[AppState], QWidget]] = {
    "bookings": _bookings,
    "printing": _printing,
    "statistics": _statistics,
    "consultations": _consultations,
    "home": _home,
    "groups": _groups,
    "settings": _settings,
}


def create_screen(key: str, state: AppState) -> QWidget:
    """The screen for navigation ``key``; the plain "not built yet" notice where none exists."""
    factory = SCREENS.get(key)
    if factory is None:
        from center_app.ui.screens.placeholder import NotYetScreen

        return NotYetScreen(key)
    return factory(state)
