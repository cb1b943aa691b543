"""A form field's error line: the red label under a field, shown with its text, cleared as soon
as the clerk edits the field.

Kept apart from :mod:`center_app.ui.widgets` (which re-exports it) because the sign-in dialog,
the first window of the start, needs only this: it uses two of Qt's classes, where the shared
widgets make most of QtWidgets' classes and Qt's namespace of enums (about 20 ms of CPU) before
the dialog could paint.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from center_app.domain.errors import ValidationError

ERROR_STYLE = "color: #b00020;"


def error_label() -> QLabel:
    """A red label shown under a form field; hidden while empty."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setProperty("hidden_when_empty", True)
    return label


def set_error(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` (hide it when empty)."""
    label.setText(text)
    label.setVisible(bool(text))


def clear_on_edit(label: QLabel, *fields: QWidget) -> None:
    """Clear the error ``label`` of a field as soon as the clerk edits the field: any text box,
    list, tick box or choice in ``fields`` (the widgets themselves and every one inside them). The
    field's red frame goes with the message (see :class:`~center_app.ui.widgets.MessageArea`'s
    ``on_field``); a save or a new check shows it again if the field is still wrong."""
    def clear(*_args) -> None:
        if label.text():
            label.clear()
            if label.property("hidden_when_empty"):  # an error_label(); a label always shown stays, empty
                label.setVisible(False)

    for field in fields:
        for widget in (field, *field.findChildren(QWidget)):
            signal = _edit_signal(widget)
            if signal is not None:
                signal.connect(clear)


def _edit_signal(widget: QWidget):
    """The signal that says ``widget`` was edited (None for widgets one does not edit). Asked by
    Qt class name (``QObject.inherits``), which needs no Python class of QtWidgets made first."""
    if widget.inherits("QLineEdit") or widget.inherits("QPlainTextEdit") or widget.inherits("QTextEdit"):
        return widget.textChanged
    if widget.inherits("QComboBox"):
        return widget.currentIndexChanged
    if widget.inherits("QSpinBox") or widget.inherits("QDoubleSpinBox"):
        return widget.valueChanged  # (its text box is updated with its signals blocked)
    if widget.inherits("QAbstractButton") and widget.isCheckable():
        return widget.toggled
    if widget.inherits("QListWidget"):
        return widget.itemChanged  # an item ticked
    return None


def field_messages(error: ValidationError, fields: list[str]) -> tuple[dict[str, str], str]:
    """Split a ValidationError into per-field text (for ``fields``) and the rest (for one dialog)."""
    per_field: dict[str, str] = {}
    rest = []
    for problem in error.problems:
        if problem.field in fields:
            per_field[problem.field] = "\n".join(filter(None, [per_field.get(problem.field, ""), problem.message]))
        else:
            rest.append(problem.message)
    return per_field, "\n".join(rest)


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` (a dialog that just showed a message) tall enough for everything in it —
    a message of several lines whole, no field squashed; never smaller than it is."""
    window.layout().activate()
    wanted = window.sizeHint().height()
    if wanted > window.height():
        window.resize(window.width(), wanted)
