"""予約 screen layout: view switch (day / week / month), paging, the grid or the month overview,
a legend of the status colours. Wiring in :mod:`.controller`.

Keyboard: in the grid arrows move, Shift+arrows mark free cells, Enter opens or books, Ctrl+N
books, T today, Page Up / Page Down page; Alt+D / Alt+W / Alt+M switch the view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from center_app.domain.booking_values import status_label
from center_app.i18n import _
from center_app.ui.screens.bookings.controller import BookingsController
from center_app.ui.screens.bookings.grid import STATUS_COLOURS, BookingGrid
from center_app.ui.screens.bookings.model import DAY, MONTH, WEEK
from center_app.ui.screens.bookings.month import MonthView
from center_app.ui.state import AppState


class BookingsScreen(QWidget):
    """The booking calendar of the toolbar's facility around the toolbar's date."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.mode_buttons: dict[str, QToolButton] = {}
        for mode, title in ((DAY, _("&Day")), (WEEK, _("&Week")), (MONTH, _("&Month"))):
            button = QToolButton()
            button.setText(title)
            button.setCheckable(True)
            button.setObjectName(f"mode_{mode}")
            button.setMinimumWidth(54)
            self.mode_buttons[mode] = button
            bar.addWidget(button)
        bar.addSpacing(12)
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(_("Previous (Page Up)"))
        self.today_button = QPushButton(_("Today (T)"))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(_("Next (Page Down)"))
        for button in (self.prev_button, self.today_button, self.next_button):
            bar.addWidget(button)
        self.range_label = QLabel()
        self.range_label.setObjectName("range_label")
        self.range_label.setStyleSheet("font-weight: bold; font-size: 15px; margin-left: 10px;")
        bar.addWidget(self.range_label, 1)
        self.new_button = QPushButton(_("New booking (Ctrl+N)"))
        self.new_button.setObjectName("new_booking")
        bar.addWidget(self.new_button)
        self.lottery_button = QPushButton(_("Lottery…"))
        self.lottery_button.setObjectName("lottery")
        self.lottery_button.clicked.connect(self.open_lottery)
        bar.addWidget(self.lottery_button)
        layout.addLayout(bar)

        legend = QHBoxLayout()
        for code, (fill, border) in STATUS_COLOURS.items():
            swatch = QLabel(status_label(code))
            style = "dashed" if code == "provisional" else "solid"
            swatch.setStyleSheet(f"background: {fill}; border: 1px {style} {border}; padding: 1px 8px; border-radius: 3px;")
            legend.addWidget(swatch)
        closed = QLabel(_("Closed"))
        closed.setStyleSheet("background: #f1dede; padding: 1px 8px; border-radius: 3px;")
        legend.addWidget(closed)
        legend.addStretch(1)
        self.count_label = QLabel()
        legend.addWidget(self.count_label)
        layout.addLayout(legend)

        self.pages = QStackedWidget()
        self.grid = BookingGrid()
        self.grid_scroll = QScrollArea()
        self.grid_scroll.setWidget(self.grid)
        self.grid_scroll.setWidgetResizable(True)
        self.grid_scroll.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.month = MonthView()
        self.pages.addWidget(self.grid_scroll)
        self.pages.addWidget(self.month)
        layout.addWidget(self.pages, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("booking_status")
        # a long message (every booking of a series) is cut at the window's edge, whole in the tooltip:
        # it never widens the window past the screen
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_label.setMinimumWidth(1)
        layout.addWidget(self.status_label)

        self.controller = BookingsController(self)
        shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.controller.new_from_cursor)
        self.setFocusProxy(self.grid)

    def activate(self) -> None:
        """Called when the screen is shown: load the visible range."""
        self.controller.activate()
        self.grid.setFocus()

    def open_lottery(self):
        """予約 → 抽選: the lottery dialog of the toolbar's facility."""
        from center_app.ui.screens.bookings.lottery_dialog import LotteryDialog

        dialog = LotteryDialog(self.state, self)
        dialog.open()
        return dialog
