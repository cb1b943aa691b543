"""団体 → 取り込み: choose a CSV / XLSX file, preview it with every bad cell marked, then import
all of it in one transaction (the same service as ``center-app groups import``), with a
progress dialog whose キャンセル stops the import with nothing written."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QProgressDialog, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from center_app.domain.errors import Cancelled, ValidationError
from center_app.i18n import _
from center_app.services import groups_io
from center_app.services.groups_io import ImportPreview, ImportResult
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error, show_error

BAD_CELL = QColor("#f8d7da")


class PreviewModel(QAbstractTableModel):
    """The rows of a checked file; a cell with a problem has a red background and the message
    as tooltip. The vertical header shows the row number of the file (header = row 1)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.problems: dict[tuple[int, str], list[str]] = {}
        self.row_problems: dict[int, list[str]] = {}

    def set_preview(self, preview: ImportPreview | None) -> None:
        """Show ``preview`` (None clears)."""
        self.beginResetModel()
        self.preview = preview
        self.problems, self.row_problems = {}, {}
        for p in preview.problems if preview else ():
            self.problems.setdefault((p.row or 0, p.field), []).append(p.message)
            self.row_problems.setdefault(p.row or 0, []).append(f"{p.field}: {p.message}")
        self.endResetModel()

    def is_bad(self, row: int, column: int) -> bool:
        """True if the cell at (``row``, ``column``) has a problem."""
        if self.preview is None:
            return False
        return (self.preview.row_numbers[row], self.preview.headers[column]) in self.problems

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.preview is None else len(self.preview.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.preview is None else len(self.preview.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.preview is None or not index.isValid() or not 0 <= index.row() < len(self.preview.rows):
            return None
        cells = self.preview.rows[index.row()]
        if not 0 <= index.column() < len(self.preview.headers):
            return None
        key = (self.preview.row_numbers[index.row()], self.preview.headers[index.column()])
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole and key in self.problems:
            return BAD_CELL
        if role == Qt.ItemDataRole.ToolTipRole and key in self.problems:
            return "\n".join(self.problems[key])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.preview is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.preview.headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.preview.headers[section]
            if role == Qt.ItemDataRole.BackgroundRole and (1, self.preview.headers[section]) in self.problems:
                return BAD_CELL
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.preview.row_numbers):
            number = self.preview.row_numbers[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return str(number)
            if role == Qt.ItemDataRole.ToolTipRole and number in self.row_problems:
                return "\n".join(self.row_problems[number])
        return None


class _Progress(QObject):
    """Carries the import's progress from the worker thread to the dialog (queued signal)."""

    advanced = Signal(int, int)


class ImportDialog(QDialog):
    """Choose a file, check it (preview), then import it. ``result`` holds the counts after an import."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.result: ImportResult | None = None
        self.path: Path | None = None
        self.progress: QProgressDialog | None = None  # while importing
        self.setWindowTitle(_("Import groups"))
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("import_path")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("CSV (UTF-8 or Shift_JIS) or Excel (.xlsx) file"))
        choose = QPushButton(_("Choose file…"))
        choose.setObjectName("choose_file")
        choose.clicked.connect(self.choose_file)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setObjectName("import_preview")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 3)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("import_problems")
        self.problem_list.currentRowChanged.connect(self._show_problem)
        layout.addWidget(self.problem_list, 1)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setObjectName("do_import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        choose.setFocus()

    def choose_file(self) -> None:
        """Ask for the file, then check it."""
        name, _filter = QFileDialog.getOpenFileName(self, _("Import groups"), "", _("Group lists (*.csv *.xlsx)"))
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Check ``path`` in the background and show the preview."""
        self.path = Path(path)
        self.path_edit.setText(str(path))
        self.import_button.setEnabled(False)
        set_error(self.message, "")
        self.summary.setText(_("Checking…"))
        self.state.runner.submit(groups_io.preview_import, self.state.ctx, self.path, on_done=self._previewed, on_error=self._failed)

    def _previewed(self, preview: ImportPreview) -> None:
        self.model.set_preview(preview)
        self.table.resizeColumnsToContents()
        self.problem_list.clear()
        for problem in preview.problems:
            self.problem_list.addItem(groups_io.format_problem(problem))
        for warning in preview.warnings:  # after the problems: imported as written, not printable
            self.problem_list.addItem(_("Warning: {problem}").format(problem=groups_io.format_problem(warning)))
        if preview.problems:
            self.summary.setText(_("{count} problems found. Correct the file and choose it again; nothing will be imported until every row is valid.").format(count=len(preview.problems)))
        else:
            self.summary.setText(_("Ready: {created} new groups and {updated} existing groups will be imported.").format(created=preview.created, updated=preview.updated))
        if preview.warnings:
            self.summary.setText(self.summary.text() + "\n" + _("{count} names are imported as written but cannot be printed (see the warnings).").format(count=len(preview.warnings)))
        self.import_button.setEnabled(not preview.problems)
        (self.import_button if not preview.problems else self.problem_list).setFocus()

    def _show_problem(self, index: int) -> None:
        preview = self.model.preview
        if preview is None or not 0 <= index < len(preview.problems):
            return
        problem = preview.problems[index]
        if problem.row in preview.row_numbers:
            row = preview.row_numbers.index(problem.row)
            column = preview.headers.index(problem.field) if problem.field in preview.headers else 0
            self.table.setCurrentIndex(self.model.index(row, column))

    def _failed(self, error: BaseException) -> None:
        self._end_progress()
        self.summary.setText("")
        if isinstance(error, Cancelled):
            self.summary.setText(_("Import cancelled. Nothing was imported."))
            self.import_button.setEnabled(True)
        elif isinstance(error, ValidationError):
            set_error(self.message, "\n".join(groups_io.format_problem(p) for p in error.problems))
        else:
            show_error(self, error)

    def do_import(self) -> None:
        """Import the checked file (checked again inside the write transaction), showing the
        progress; キャンセル stops it with nothing written."""
        if self.path is None:
            return
        self.import_button.setEnabled(False)
        self.progress = dialog = QProgressDialog(_("Importing groups…"), _("Cancel"), 0, 100, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        carrier, stop = _Progress(dialog), threading.Event()
        carrier.advanced.connect(lambda done, total: dialog.setValue(100 * done // max(total, 1)))
        dialog.canceled.connect(stop.set)

        def report(done: int, total: int) -> bool:
            carrier.advanced.emit(done, total)
            return not stop.is_set()

        self.state.runner.submit(groups_io.import_groups, self.state.ctx, self.path, progress=report, on_done=self._imported, on_error=self._failed)

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def _imported(self, result: ImportResult) -> None:
        self._end_progress()
        self.result = result
        self.summary.setText(_("Imported: {created} new, {updated} updated and {unchanged} unchanged groups.").format(
            created=result.created, updated=result.updated, unchanged=result.unchanged))
        self.import_button.setEnabled(False)
