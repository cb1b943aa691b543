"""The file format of group import and export: columns, Japanese values, reading and writing cells.

Columns are matched by header name in any order (full-width letters and spaces ignored).
The first sixteen are the documented import columns; the next eight are optional extras that
export writes so a full export round-trips; 状態 and 有効期限 are written by export for reading
and ignored by import (status changes go through the 団体 screen).

Values are Japanese whatever the UI language: 団体種別 任意団体 / NPO法人 / 一般社団法人 /
自治会・町内会 / その他; 活動分野 short or legal names separated by ``;`` or ``、``; 公開可否 可 (all
public fields), 否 (none) or a list of public fields (団体名;連絡先;…).

Formula neutralisation (CSV only): a text cell starting with = + - @ TAB or CR that is not a plain
number gets a leading apostrophe (OWASP "CSV injection"), which import removes again, so the
round trip is exact. Phone numbers start with 0 and dates with a digit, so they are never
touched; member counts are written as numbers. XLSX cells are typed (string / number / date), so a
spreadsheet never evaluates them and they need no apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from center_app.domain.errors import FieldProblem, ValidationError
from center_app.export.csv_file import neutralise, unneutralise
from center_app.i18n import _
from center_app.services.group_values import APPLIED, CONSENT_FIELDS, EXPIRED, PAUSED, REGISTERED, WITHDRAWN


@dataclass(frozen=True)
class Column:
    """One column of the file: ``header`` as written, the group attribute, whether an import
    must have it, and (for --public) the consent key that allows writing it (None: always)."""

    header: str
    attribute: str
    required: bool = False
    consent: str | None = None
    export_only: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("登録番号", "registration_no"),
    Column("団体名", "name", True, "name"),
    Column("フリガナ", "name_kana", True, "name"),
    Column("団体種別", "legal_form", True),
    Column("活動分野", "activity_fields", True, "activity_fields"),
    Column("代表者名", "representative_name", True, "representative"),
    Column("代表者フリガナ", "representative_kana", False, "representative"),
    Column("郵便番号", "postal_code", False, "contact"),
    Column("住所", "address", False, "contact"),
    Column("電話番号", "phone", False, "contact"),
    Column("メールアドレス", "email", False, "contact"),
    Column("会員数", "member_count", False, "member_count"),
    Column("設立年月日", "founded_on", False, "founded_on"),
    Column("登録日", "registered_on"),
    Column("公開可否", "public_consent"),
    Column("備考", "notes", False, "never"),
    Column("携帯電話番号", "mobile", False, "contact"),
    Column("FAX番号", "fax", False, "contact"),
    Column("ホームページ", "website", False, "website"),
    Column("連絡担当者名", "contact_name", False, "contact"),
    Column("連絡担当者フリガナ", "contact_kana", False, "contact"),
    Column("会費", "membership_fee", False, "membership_fee"),
    Column("活動目的", "purpose", False, "purpose"),
    Column("活動内容", "activities", False, "activities"),
    Column("状態", "status", export_only=True),
    Column("有効期限", "valid_until", export_only=True),
)
HEADERS = tuple(c.header for c in COLUMNS)

STATUS_JA = {APPLIED: "申請中", REGISTERED: "登録", EXPIRED: "期限切れ", PAUSED: "休止", WITHDRAWN: "廃止"}
LEGAL_FORM_JA = {
    "voluntary": "任意団体", "npo": "NPO法人", "general_association": "一般社団法人",
    "neighborhood": "自治会・町内会", "other": "その他",
}
CONSENT_JA = {
    "name": "団体名", "contact": "連絡先", "representative": "代表者", "founded_on": "設立年月日",
    "member_count": "会員数", "membership_fee": "会費", "website": "ホームページ",
    "activity_fields": "活動分野", "purpose": "活動目的", "activities": "活動内容",
}
_LIST_SEPARATORS = re.compile(r"[;；、,，]")


def header_key(text: str) -> str:
    """Header comparison key: NFKC, no spaces, upper case (ＦＡＸ番号 = FAX番号)."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()


#: The field of the problem "the file has no header row" (not a column: printed as 行 1: …).
HEADER_ROW = "header_row"


def map_headers(headers: Sequence[str], names: Sequence[str], required: Iterable[str],
                aliases: Mapping[str, str] | None = None) -> tuple[dict[int, str], list[FieldProblem]]:
    """Match a file's header row to the known column ``names`` by :func:`header_key`, in any
    order; ``aliases`` maps another accepted header to its name. Returns (column index → name,
    problems on row 1): an unknown header (listing the known ones), a column given twice, a
    ``required`` column missing. Shared by every import, so they report headers the same way.
    A first row in which no cell names a known column is not a header row: then the one problem
    (field :data:`HEADER_ROW`) says so and names the columns expected, and the mapping is empty."""
    by_key = {header_key(name): name for name in names}
    by_key.update({header_key(alias): name for alias, name in (aliases or {}).items()})
    required = list(required)
    if not any(header_key(header) in by_key for header in headers):
        others = [name for name in names if name not in required]
        return {}, [FieldProblem(HEADER_ROW, _("The first row is not a header row: a file starts with a row of column names. "
                                               "Required columns: {required}. Other columns: {others}.").format(
            required="、".join(required), others="、".join(others)), 1)]
    mapping: dict[int, str] = {}
    problems: list[FieldProblem] = []
    for index, header in enumerate(headers):
        name = by_key.get(header_key(header))
        if name is None:
            if header:
                problems.append(FieldProblem(header, _("Unknown column. The columns are: {names}").format(names="、".join(names)), 1))
        elif name in mapping.values():
            problems.append(FieldProblem(header, _("This column appears twice."), 1))
        else:
            mapping[index] = name
    present = set(mapping.values())
    problems += [FieldProblem(name, _("This required column is missing."), 1) for name in required if name not in present]
    return mapping, problems


def split_list(text: str) -> list[str]:
    """Items of a list cell separated by ; ； 、 , or ，, blanks dropped."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text or "") if item.strip()]


def parse_consent(text: str) -> tuple[str, ...] | None:
    """公開可否 to consent keys: 可 → all, 否 or blank → none, or a list of public fields.
    None if the text is none of these."""
    key = header_key(text)
    if key in ("可", "○", "〇", "YES", "TRUE", "1"):
        return CONSENT_FIELDS
    if key in ("", "否", "×", "NO", "FALSE", "0"):
        return ()
    by_label = {header_key(label): code for code, label in CONSENT_JA.items()}
    codes = [by_label.get(header_key(item)) for item in split_list(text)]
    if None in codes:
        return None
    return tuple(c for c in CONSENT_FIELDS if c in codes)


def format_consent(keys: tuple[str, ...] | list[str]) -> str:
    """Consent keys to 公開可否: 可, 否 or the list of public fields."""
    if set(keys) >= set(CONSENT_FIELDS):
        return "可"
    if not keys:
        return "否"
    return ";".join(CONSENT_JA[k] for k in CONSENT_FIELDS if k in keys)


# --- reading ---------------------------------------------------------------------------------------

def decode_csv(data: bytes) -> str:
    """Text of a CSV file in UTF-8 with BOM, UTF-8, or cp932 (Shift_JIS as saved by Excel),
    detected in that order. Raises ValidationError (field ``file``) if it is none of them."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: tuple[str, ...] = ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:  # UTF-16 ("Unicode text" of Excel) or binary
        encodings = ()
    else:
        encodings = ("utf-8", "cp932")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Shift_JIS (cp932) text. Save it as CSV UTF-8 and try again."), field_name="file")


def _cell(value: Any) -> Any:
    """An XLSX cell as text, or a date for date cells."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(text: str) -> list[list[str]]:
    """The records of a CSV text. A record the csv module cannot read (a cell longer than its
    limit of 131,072 characters, a stray NUL) is refused in Japanese naming its spreadsheet row
    (header = row 1), never with the module's English reason."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            row = len(rows) + 1
            if "field larger than field limit" in str(exc):
                message = _("A cell of this row is longer than {limit} characters. Shorten it and import again.").format(limit=f"{csv.field_size_limit():,}")
            else:
                message = _("This row cannot be read as CSV. Save the file again from the spreadsheet as CSV (UTF-8) and import again.")
            raise ValidationError([FieldProblem("file", message, row)]) from None
        rows.append([unneutralise(cell) for cell in record])


def _unreadable(path: Path, exc: BaseException) -> ValidationError:
    """The clerk's message for a file that cannot be read (in the catalog's language, never the
    system's English reason)."""
    if isinstance(exc, PermissionError):
        reason = _("you may not read it")
    elif isinstance(exc, IsADirectoryError):
        reason = _("it is a folder")
    elif isinstance(exc, OSError):
        reason = _("the disk or network did not answer")
    else:  # openpyxl: BadZipFile, KeyError, … for a damaged or foreign workbook
        reason = _("it is not an XLSX workbook, or it is damaged")
    return ValidationError(_("The file {path} cannot be read ({reason}).").format(path=path, reason=reason), field_name="file")


def read_table(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of a .csv or .xlsx file (first sheet). Cells are str, or dates
    from XLSX date cells. Raises ValidationError (field ``file``; with the row for a CSV record
    that cannot be read) for an unreadable file."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
        elif suffix in (".csv", ".txt"):
            rows = _csv_rows(decode_csv(path.read_bytes()))
        else:
            raise ValidationError(_("Use a .csv or .xlsx file."), field_name="file")
    except ValidationError:
        raise
    except FileNotFoundError:
        raise ValidationError(_("The file {path} does not exist.").format(path=path), field_name="file") from None
    except Exception as exc:  # noqa: BLE001 - OSError, and the many kinds openpyxl raises for a damaged workbook
        raise _unreadable(path, exc) from None
    if not rows:
        raise ValidationError(_("The file is empty."), field_name="file")
    width = max(len(r) for r in rows)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    header = [str(h).strip() for h in rows[0]]
    while header and header[-1] == "" and all(r[len(header) - 1] in ("", None) for r in rows[1:]):
        header.pop()
    return header, [r[: len(header)] for r in rows[1:]]


# --- writing ---------------------------------------------------------------------------------------


def write_table(path: Path, rows: list[list[Any]], *, headers: Sequence[str] | None = None, sheet_name: str = "団体",
                wide_columns: Iterable[int] = ()) -> None:
    """Write ``headers`` (default: the group file's) and ``rows`` (str, int, date or None cells)
    to .csv (UTF-8 with BOM, text that a spreadsheet would evaluate neutralised) or .xlsx (typed
    cells; ``wide_columns`` get wrapped text), by extension. Raises ValidationError for another
    extension or an unwritable file."""
    path = Path(path)
    headers = list(HEADERS if headers is None else headers)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(_("Use a file name ending in .csv or .xlsx."), field_name="file")
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([_csv_value(v) for v in row])
        else:
            _write_xlsx(path, rows, headers, sheet_name, set(wide_columns))
    except Exception as exc:  # noqa: BLE001 - OSError, or xlsxwriter's FileCreateError
        if not isinstance(exc, OSError) and type(exc).__name__ != "FileCreateError":
            raise
        raise ValidationError(_("The file {path} cannot be written ({reason}).").format(path=path, reason=getattr(exc, "strerror", None) or exc), field_name="file") from None


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def _write_xlsx(path: Path, rows: list[list[Any]], headers: list[str], sheet_name: str, wide_columns: set[int]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    try:
        sheet = book.add_worksheet(sheet_name)
        bold = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time(0)), date_format)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value), wrap if col in wide_columns else None)
        for col in wide_columns:
            sheet.set_column(col, col, 40)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    finally:
        book.close()
