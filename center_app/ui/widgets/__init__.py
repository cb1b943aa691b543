"""Small shared widgets and helpers of the screens: error display, form field errors (the field
error line itself lives in :mod:`center_app.ui.field_errors`, which the sign-in dialog uses alone)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import CenterError, StaleEditError, ValidationError
from center_app.i18n import _
from center_app.ui.field_errors import ERROR_STYLE, clear_on_edit, error_label, field_messages, set_error  # noqa: F401 - the screens' field errors

#: Qt's largest widget size (QWIDGETSIZE_MAX).
QWIDGETSIZE_MAX = (1 << 24) - 1


def field_with_error(editor: QWidget, error: QLabel, *, spacing: int = 1) -> QWidget:
    """``editor`` with its error line under it, as one widget for a form row; the error clears
    as soon as the clerk edits the field (:func:`clear_on_edit`)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(spacing)
    column.addWidget(editor)
    column.addWidget(error)
    clear_on_edit(error, editor)
    return box


def frame_field(widget: QWidget | None, shown: bool) -> None:
    """Frame the text box ``widget`` in red while its error is shown (lists, choices and the
    date and time boxes, which frame themselves, keep their look; the message names them)."""
    if not isinstance(widget, (QLineEdit, QPlainTextEdit)) or shown == bool(widget.styleSheet()):
        return
    kind = "QLineEdit" if isinstance(widget, QLineEdit) else "QPlainTextEdit"
    if isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox):  # a styled border changes a text box's height: keep it
        if shown:
            widget.setProperty("unframed_heights", (widget.minimumHeight(), widget.maximumHeight()))
            widget.setFixedHeight(widget.sizeHint().height())
        else:
            low, high = widget.property("unframed_heights") or (0, QWIDGETSIZE_MAX)
            widget.setMinimumHeight(low)
            widget.setMaximumHeight(high)
    widget.setStyleSheet(f"{kind} {{ border: 2px solid #b00020; }}" if shown else "")


def ask_discard(parent: QWidget | None) -> bool:
    """「保存していない変更があります。破棄しますか？」 with はい / いいえ (いいえ by default): True
    when the clerk chose to discard what was typed."""
    answer = QMessageBox.question(parent, _("Unsaved changes"), _("The form has changes that are not saved. Discard them?"),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def fit_error_labels(dialog: QWidget, labels) -> None:
    """Give each shown error label of ``dialog`` its full word-wrapped height (form layouts
    otherwise squeeze two-line messages into one line over the next field) and grow the dialog
    to fit; call after setting errors."""
    layout = dialog.layout()
    if layout is not None:
        layout.activate()  # place the labels just shown, so their widths are known
    for label in labels:
        if label.isVisibleTo(dialog) and label.text():
            width = label.width() if label.isVisible() and label.width() > 50 else max(dialog.width() - 160, 240)
            height = label.heightForWidth(width)
            label.setMinimumHeight(height if height > 0 else label.sizeHint().height())
        else:
            label.setMinimumHeight(0)
    if layout is not None:
        layout.invalidate()
        layout.activate()
    hint = dialog.sizeHint()
    if hint.height() > dialog.height() or hint.width() > dialog.width():
        fit_to_screen(dialog, max(dialog.width(), hint.width()), max(dialog.height(), hint.height()))


class MessageArea(QScrollArea):
    """A form's messages (fee, refusals, field errors) in one area of fixed height, ``lines``
    text lines high: messages appearing or going never move, squeeze or grow the fields above
    it. What does not fit scrolls, and is never out of sight unsaid: while some messages are
    not wholly in view, the area's last line is a button 「他にN件…」 (N: those messages) that
    lists every message in a pop-up over the form, so the form keeps its size. A field's error
    label added with :meth:`add_field` is shown beside the field's name while it has text, and
    ``on_field(name, shown)`` is called when it appears or goes (to frame the field)."""

    def __init__(self, lines: int = 4, parent: QWidget | None = None, on_field: Callable[[str, bool], None] | None = None):
        super().__init__(parent)
        self.on_field = on_field
        self.setObjectName("messages")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        self.rows = QGridLayout()  # column 0: a field's name; column 1: its message
        self.rows.setVerticalSpacing(1)
        self.rows.setColumnStretch(1, 1)
        column.addLayout(self.rows)
        column.addStretch(1)
        self.setWidget(inner)
        self._names: dict[QLabel, tuple[str, QLabel]] = {}
        self._whole: list[QLabel] = []  # the messages of the whole form: an empty one takes no line
        self._watcher = _ShownWatcher(self._label_shown, self)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 8)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # 「他にN件…」 in the bottom margin of the viewport while messages are out of sight
        self.more_button = QPushButton(self)
        self.more_button.setObjectName("more_messages")
        self.more_button.setFlat(True)
        self.more_button.setStyleSheet(ERROR_STYLE + " text-align: left; text-decoration: underline; padding: 0 2px;")
        self.more_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more_button.setVisible(False)
        self.more_button.clicked.connect(self.show_all)
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setObjectName("all_messages")
        self.popup.setFrameShape(QFrame.Shape.Box)
        popup_layout = QVBoxLayout(self.popup)
        popup_layout.setContentsMargins(8, 6, 8, 6)
        self._popup_label = QLabel()
        self._popup_label.setWordWrap(True)
        self._popup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        popup_layout.addWidget(self._popup_label)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)
        self._recount.timeout.connect(self._count_out_of_sight)
        self.verticalScrollBar().valueChanged.connect(self._recount.start)

    def add(self, label: QLabel) -> QLabel:
        """A message of the whole form (one row across the area)."""
        label.setWordWrap(True)
        self.rows.addWidget(label, self.rows.rowCount(), 0, 1, 2)
        self._whole.append(label)
        return label

    def add_field(self, name: str, title: str, label: QLabel) -> QLabel:
        """The error label of field ``name`` (its shown name ``title``)."""
        heading = QLabel(_("{field}:").format(field=title))
        heading.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        heading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        heading.setVisible(False)
        row = self.rows.rowCount()
        self.rows.addWidget(heading, row, 0)
        self.rows.addWidget(label, row, 1)
        self._names[label] = (name, heading)
        label.installEventFilter(self._watcher)
        heading.setVisible(not label.isHidden())
        return label

    def text(self) -> str:
        """Every message shown now, one a line ("利用日: …" for a field's)."""
        lines = []
        for index in range(self.rows.count()):
            widget = self.rows.itemAt(index).widget()
            if isinstance(widget, QLabel) and not widget.isHidden() and widget.text() and not any(h is widget for _n, h in self._names.values()):
                named = self._names.get(widget)
                lines.append(f"{named[1].text()} {widget.text()}" if named else widget.text())
        return "\n".join(lines)

    def out_of_sight(self) -> list[str]:
        """The messages (one a line, as :meth:`text`) not wholly in view now."""
        viewport = self.viewport()
        hidden = []
        for index in range(self.rows.count()):
            widget = self.rows.itemAt(index).widget()
            if (isinstance(widget, QLabel) and not widget.isHidden() and widget.text()
                    and not any(h is widget for _n, h in self._names.values())):
                top = widget.mapTo(viewport, QPoint(0, 0)).y()
                if top < 0 or top + widget.height() > viewport.height():
                    hidden.extend(widget.text().split("\n"))
        return hidden

    def show_all(self) -> None:
        """Every message in a pop-up over the area (the form does not move); Esc closes it."""
        self._popup_label.setText(self.text())
        width = max(self.width(), 300)
        self._popup_label.setFixedWidth(width - 16)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, 0)))
        self.popup.show()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._place_more_button()
        self._recount.start()

    def _place_more_button(self) -> None:
        viewport = self.viewport().geometry()
        height = self.fontMetrics().lineSpacing() + 2
        self.more_button.setGeometry(viewport.left(), viewport.bottom() + 1, viewport.width(), height)

    def _count_out_of_sight(self) -> None:
        changed = False
        for label in self._whole:  # an empty message (no fee yet, no refusal) leaves its line to the others
            height = QWIDGETSIZE_MAX if label.text() else 0
            if label.maximumHeight() != height:
                label.setMaximumHeight(height)
                changed = True
        if changed:
            self.widget().layout().activate()  # lay the rows out now, so what is out of sight is counted on them
        hidden = self.out_of_sight()
        if hidden:
            self.more_button.setText(_("{count} more…").format(count=len(hidden)))
        if bool(hidden) != self.more_button.isVisibleTo(self):
            # the button takes the area's last line, so the area keeps its height
            self.setViewportMargins(0, 0, 0, self.fontMetrics().lineSpacing() + 2 if hidden else 0)
            self._place_more_button()
            self.more_button.setVisible(bool(hidden))
            self._recount.start()  # with the line taken, more may be out of sight

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.widget() and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._recount.start()  # a message came, went or changed: count what is out of sight again
        return super().eventFilter(watched, event)

    def _label_shown(self, label: QLabel, shown: bool) -> None:
        name, heading = self._names[label]
        heading.setVisible(shown)
        if self.on_field is not None:
            self.on_field(name, shown)


class _ShownWatcher(QObject):
    """Tells when a watched widget is shown or hidden (also while its window is not shown)."""

    def __init__(self, callback: Callable[[QWidget, bool], None], parent: QObject | None = None):
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self.callback(watched, event.type() == QEvent.Type.ShowToParent)
        return False


class MenuShortcuts(QObject):
    """Keeps the window's menu shortcuts (Ctrl+Shift+L ユーザーの切り替え, Ctrl+1 … the sections,
    Ctrl+T, Ctrl+Q) working wherever the cursor is: a text box may claim a key combination for
    itself (Qt's ShortcutOverride: an editor, an input method); one of these never reaches it, so
    the menu's action runs. Keys a text box edits with (Ctrl+C, Ctrl+Z, …) are no menu shortcut."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        QApplication.instance().installEventFilter(self)

    def shortcuts(self) -> set[QKeySequence]:
        """The shortcuts of the window's own actions (its menus and toolbar) that can be used now."""
        return {action.shortcut() for action in self.window.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if not action.shortcut().isEmpty() and action.isEnabled()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if QKeySequence(event.keyCombination()) in self.shortcuts():
            event.ignore()  # not claimed: the shortcut of the menu runs
            return True
        return False


class ClickGuard(QObject):
    """Swallows the second click of a double-click whose first click opened ``window``: a mouse press
    in the window within the platform's double-click interval (``milliseconds`` left of it) and
    distance of ``origin`` (global pixels) does nothing, so it cannot tick or open a field."""

    MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)

    def __init__(self, window: QWidget, origin: QPoint, milliseconds: int):
        super().__init__(window)
        self.window, self.origin, self.milliseconds = window, origin, milliseconds
        self.distance = max(QGuiApplication.styleHints().mouseDoubleClickDistance(), 1)
        self.clock = QElapsedTimer()
        self.clock.start()
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(milliseconds + 50, self, self.stop)

    def active(self) -> bool:
        """True while a second click near ``origin`` is still swallowed."""
        return self.clock.isValid() and self.clock.elapsed() < self.milliseconds

    def stop(self) -> None:
        """Let every click through again."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.clock.invalidate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() not in self.MOUSE or not isinstance(watched, QWidget) or not self.active():
            return False
        if watched is not self.window and not self.window.isAncestorOf(watched):
            return False
        return (event.globalPosition().toPoint() - self.origin).manhattanLength() <= self.distance


#: Room left on the screen for a window's title bar and frame, in pixels.
WINDOW_FRAME = 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height``, but never beyond the free area of its screen
    (a 1366 × 768 laptop leaves about 1366 × 728 beside the taskbar)."""
    screen = QWidget.screen(widget) or QGuiApplication.primaryScreen()  # (MainWindow.screen is its own)
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, area.width()), min(height, area.height() - WINDOW_FRAME)
    widget.resize(width, height)


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    """One dialog for an error: the clerk's message for domain errors, a plain notice otherwise."""
    if isinstance(error, CenterError):
        text = str(error)
    else:
        text = _("An unexpected error occurred. Nothing was saved.\n\n{detail}").format(detail=f"{type(error).__name__}: {error}")
    QMessageBox.warning(parent, title or _("Center Desk"), text)


def height_for_rows(table: QAbstractItemView, rows: int) -> int:
    """The height in pixels that shows the header and ``rows`` rows of ``table`` whole."""
    header = table.horizontalHeader().sizeHint().height() if hasattr(table, "horizontalHeader") else 0
    row = table.verticalHeader().defaultSectionSize() if hasattr(table, "verticalHeader") else table.sizeHintForRow(0)
    return header + rows * row + 2 * table.frameWidth() + 2


def read_only_table(headers: list[str], name: str) -> QTableWidget:
    """A list table: read-only cells, whole-row single selection, columns sized to their text,
    the last one stretched, no row numbers."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class StaleBar(QWidget):
    """The bar a form shows when its save was refused because the record was changed on another
    PC meanwhile (:class:`StaleEditError`): the message — who changed it and when — and
    「開き直す」. Nothing typed is lost until the clerk chooses to open the record again
    (``reopen`` reloads it into the form; the clerk then enters the change again)."""

    def __init__(self, reopen: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stale_bar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("stale_message")
        self.label.setStyleSheet(ERROR_STYLE)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.reopen_button = QPushButton(_("Open again"))
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(reopen)
        row.addWidget(self.reopen_button)
        self.setVisible(False)

    def show_error(self, error: StaleEditError) -> None:
        """Show ``error``'s message with the button."""
        self.label.setText(str(error))
        self.setVisible(True)


class ReasonDialog(QDialog):
    """Asks for a reason (a cancellation's, …) and stays open until it is accepted.

    OK with an empty reason says ``required`` beside the field; otherwise ``submit(reason)`` is
    called and the box waits: the caller calls :meth:`refused` with the error (the message is
    shown, the typed reason kept) or :meth:`accept` when done. Esc / キャンセル close it.
    """

    def __init__(self, parent: QWidget | None, title: str, prompt: str, required: str, submit: Callable[[str], None],
                 *, choices: list[tuple[str, str, str]] | None = None, other: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit, self._required = submit, required
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        #: Configured reasons ``(code, label, name)`` offered first (取消理由); choosing one fills in
        #: its name, which the clerk may add to. The last entry, ``other``, has no code.
        self.choice = QComboBox()
        self.choice.setObjectName("reason_choice")
        self._names = {code: name for code, _label, name in choices or ()}
        for code, text, _name in choices or ():
            self.choice.addItem(text, code)
        self.choice.addItem(other, "")
        self.choice.setVisible(bool(choices))
        self.choice.setCurrentIndex(self.choice.count() - 1)  # nothing chosen for the clerk: no refund rate by accident
        self.choice.currentIndexChanged.connect(self._chosen)
        layout.addWidget(self.choice)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = error_label()
        layout.addWidget(self.error)
        clear_on_edit(self.error, self.reason, self.choice)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 420), self.sizeHint().height())

    def choice_code(self) -> str:
        """The code of the configured reason chosen ("" for none or for ``other``)."""
        return self.choice.currentData() or ""

    def _chosen(self, _index: int) -> None:
        text = self.reason.text().strip()
        if not text or text in self._names.values():
            self.reason.setText(self._names.get(self.choice_code(), ""))

    def confirm(self) -> None:
        """OK: check the reason is there, then hand it on (the box stays open meanwhile)."""
        reason = self.reason.text().strip()
        if not reason:
            set_error(self.error, self._required)
            self.reason.setFocus()
            return
        set_error(self.error, "")
        self.buttons.setEnabled(False)
        self._submit(reason)

    def refused(self, error: BaseException) -> None:
        """Show why the action was refused; what was typed stays."""
        self.buttons.setEnabled(True)
        show_refusal(self, self.error, error)


def show_refusal(parent: QWidget, label: QLabel, error: BaseException) -> None:
    """Why a dialog's action was refused, in its error ``label``: each problem of a
    ValidationError on a line, a rule's message as it is; anything else (a bug, a lost database)
    goes to :func:`show_error`. What was typed stays."""
    if isinstance(error, ValidationError):
        set_error(label, "\n".join(p.message for p in error.problems))
    elif isinstance(error, CenterError):
        set_error(label, str(error))
    else:
        show_error(parent, error)


class NumberSpinBox(QSpinBox):
    """A whole-number spin box that also takes full-width digits (「１２」 typed with the
    Japanese input method becomes 12)."""

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt API
        return super().validate(unicodedata.normalize("NFKC", text), pos)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt API
        return super().valueFromText(unicodedata.normalize("NFKC", text))
