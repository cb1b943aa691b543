"""Whether typed text can be printed: the warning a form or an import gives as soon as a name holds
a character no bundled font has (docs/architecture.md §6).

Such a name is saved as typed (it is how the name is written, e.g. in the 戸籍); the clerk is
warned when it is typed or imported, and every document that would print it is refused with the
same message (:class:`~center_app.domain.errors.MissingGlyphError`: the character and its code
point, a kanji with a variation selector named as one).
"""

from __future__ import annotations

from collections.abc import Iterable

from center_app.domain.errors import FieldProblem, MissingGlyphError
from center_app.print.fonts import GOTHIC, missing_characters

#: The fields of a group that documents print (登録証, 使用許可書, 領収書, 予約票, labels).
GROUP_PRINTED_FIELDS = ("name", "name_kana", "representative_name", "representative_kana", "contact_name", "address")


def unprintable_problems(fields: Iterable[tuple[str, str]], *, row: int | None = None) -> list[FieldProblem]:
    """One warning per ``(field, text)`` holding characters no bundled font can print (the
    message of :class:`MissingGlyphError`, with ``row`` for an import line); empty when every
    text can be printed. Never raises."""
    problems: list[FieldProblem] = []
    for field, text in fields:
        missing = missing_characters(str(text or ""), GOTHIC)
        if missing:
            problems += [FieldProblem(p.field, p.message, row) for p in MissingGlyphError(missing, GOTHIC, field).problems]
    return problems


def group_print_warnings(values: object, *, row: int | None = None) -> list[FieldProblem]:
    """:func:`unprintable_problems` of the printed fields of a group (a ``GroupInput``, or any
    object with those attributes)."""
    return unprintable_problems(((name, getattr(values, name, "") or "") for name in GROUP_PRINTED_FIELDS), row=row)
