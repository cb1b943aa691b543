"""The usage report as one CSV file, shaped like the paper report.

Layout (one file, as ``--output FILE`` promises): the report's title, the facility, the period
and the date of issue on their own rows; then each table as a title row, a header row, the data
rows and the total row, followed by one empty row; the notes at the end. Numbers are plain
digits (no thousands separator), rates are written as ``45.2%`` (Excel reads them back as
percentages), text that a spreadsheet would evaluate as a formula (starting with = + - @, a tab
or a carriage return) gets a leading apostrophe — the same rule as the group export
(:func:`neutralise`, which the group and consultation files use too).

Encoding: UTF-8 with BOM (Excel opens it as UTF-8), or ``cp932`` (Shift_JIS as Windows writes it)
for older tools. In cp932 mode the whole text is checked first and, if any character cannot be
encoded, nothing is written and :class:`ValidationError` lists every such character.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from center_app.domain.errors import ValidationError
from center_app.export.tables import Cell, Report
from center_app.i18n import _

UTF8_BOM = "utf-8-sig"
CP932 = "cp932"
ENCODINGS = (UTF8_BOM, CP932)

#: A text cell starting with one of these is a formula to a spreadsheet (unless a plain number).
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def neutralise(text: str) -> str:
    """A CSV text cell safe from formula evaluation: a leading apostrophe before text a
    spreadsheet would evaluate ("=SUM(A1)" → "'=SUM(A1)"); numbers such as -5 stay as they are."""
    if text.startswith(_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back from CSV."""
    if text.startswith("'") and text[1:].startswith(_TRIGGERS):
        return text[1:]
    return text


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return neutralise(str(value))


def report_rows(report: Report) -> list[list[str]]:
    """The rows of the CSV file (see the module docstring)."""
    rows: list[list[str]] = [
        [_cell(report.title)],
        *([_cell(line)] for line in report.heading_lines),
        [_cell(_("Period: {period}").format(period=report.period_label))],
        [],
    ]
    for table in report.tables:
        rows.append([_cell(table.title)])
        rows.append([_cell(c.header) for c in table.columns])
        rows.extend([_cell(v) for v in row] for row in table.all_rows)
        rows.append([])
    rows.extend([_cell(note)] for note in report.notes)
    return rows


def unencodable_characters(text: str, encoding: str) -> list[str]:
    """The distinct characters of ``text`` that ``encoding`` cannot represent, in order."""
    found: list[str] = []
    for char in dict.fromkeys(text):
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            found.append(char)
    return found


def encode_report(report: Report, encoding: str = UTF8_BOM) -> bytes:
    """The CSV file's bytes (CRLF line ends, as Excel writes them)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported CSV encoding {encoding!r}")
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(report_rows(report))
    text = buffer.getvalue()
    if encoding == CP932:
        missing = unencodable_characters(text, CP932)
        if missing:
            shown = "、".join(f"「{c}」(U+{ord(c):04X})" for c in missing)
            raise ValidationError(
                _("The CSV cannot be written in Shift_JIS (cp932): it cannot encode {chars}. Nothing was written; "
                  "write it in UTF-8 instead, or correct these names.").format(chars=shown),
                field_name="encoding",
            )
    return text.encode(encoding)


def write_csv(report: Report, path: Path, encoding: str = UTF8_BOM) -> None:
    """Write ``report`` to ``path`` (UTF-8 with BOM, or cp932); nothing is written when the text
    cannot be encoded or the file cannot be written (ValidationError)."""
    data = encode_report(report, encoding)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ValidationError(
            _("The file {path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc), field_name="file"
        ) from exc
