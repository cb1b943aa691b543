"""Names of configured things (rooms, facilities, time slots, exemptions, applicant classes) on
documents in the applicant's language, as set in 設定 → センター (``document_names``).

The setting is a text of one line per name: the name as configured (Japanese), ``=``, then
``language: name`` pairs separated by ``;`` — the language as its code or its own name::

    多目的ホール = en: Multipurpose hall; pt_BR: Salão multiuso; zh_Hans: 多功能厅
    午後 = en: Afternoon; es: Tarde; vi: Buổi chiều

A document in a language prints the name set for it, else the name as configured (the default
applicant classes have built-in names, :mod:`center_app.domain.document_texts`). Keyed by the
name, one table serves every kind of configured thing, and renaming a room in 設定 is seen at once
(its line no longer matches and the document prints the new Japanese name).
"""

from __future__ import annotations

from center_app.domain.documents import slip_language_code
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import _

#: {configured name: {language code: name in that language}}
NameTable = dict[str, dict[str, str]]

KEY = "document_names"


def parse(text: str) -> NameTable:
    """The table of ``text`` (the setting's format above); blank lines and lines starting with
    ``#`` are skipped. Raises :class:`ValidationError` (field ``document_names``) naming each
    line that has no ``=``, a language that is not a document language (ja included: the
    configured name is the Japanese one), an empty name, or a name given twice."""
    table: NameTable = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, rest = line.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(_("Line {line}: write the name, =, then language: name pairs.").format(line=number))
            continue
        if name in table:
            problems.append(_("Line {line}: {name} is named twice.").format(line=number, name=name))
            continue
        names: dict[str, str] = {}
        for pair in rest.split(";"):
            if not pair.strip():
                continue
            language_text, colon, translated = pair.partition(":")
            code = slip_language_code(language_text)
            if not colon or code is None or code == "ja":
                problems.append(_("Line {line}: unknown language {language}.").format(line=number, language=language_text.strip()))
            elif not translated.strip():
                problems.append(_("Line {line}: the {language} name is empty.").format(line=number, language=code))
            else:
                names[code] = translated.strip()
        table[name] = names
    if problems:
        raise ValidationError([FieldProblem(KEY, "\n".join(problems))])
    return table


def check(text: str) -> None:
    """The setting's check: :func:`parse` raises on a wrong line."""
    parse(text)


def name_in(name: str, language: str, table: NameTable) -> str:
    """``name`` as a document in ``language`` prints it: the name set for that language, else
    ``name`` as configured."""
    return table.get(name.strip(), {}).get(language, name) if name else name
