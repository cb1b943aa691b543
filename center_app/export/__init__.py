"""Exports of the usage summary: the tables they share (:mod:`.tables`), XLSX (:mod:`.xlsx`),
CSV (:mod:`.csv_file`) and PDF (:mod:`.pdf`). Nothing here imports Qt or the database: the
writers take the :class:`~center_app.export.tables.Report` built from a frozen
:class:`~center_app.domain.statistics_values.Summary`."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("xlsx", "csv", "pdf")


def write_report(report, path: Path, fmt: str, encoding: str = "utf-8-sig") -> None:
    """Write ``report`` to ``path`` as ``fmt`` (xlsx, csv or pdf; ``encoding`` for CSV:
    utf-8-sig or cp932). Raises ValidationError when it cannot be written (nothing is left)."""
    if fmt == "xlsx":
        from center_app.export.xlsx import write_xlsx

        write_xlsx(report, Path(path))
    elif fmt == "csv":
        from center_app.export.csv_file import write_csv

        write_csv(report, Path(path), encoding)
    elif fmt == "pdf":
        from center_app.export.pdf import write_pdf

        write_pdf(report, Path(path))
    else:
        raise ValueError(f"unknown report format {fmt!r}")
