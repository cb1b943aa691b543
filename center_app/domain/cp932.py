"""What a Shift_JIS (cp932) round trip does to text: a CSV exported, opened and saved by Excel on a
Japanese Windows PC, and imported again.

Windows maps a few JIS characters to other code points than Unicode's JIS tables (the
WAVE DASH 〜 U+301C comes back as the FULLWIDTH TILDE ～ U+FF5E, ‖ as ∥, − as －, ¢ £ ¬ as
their full-width forms), and every character cp932 has no code for (𠮷, 髙 is in cp932 but
𠮷 and Vietnamese letters are not) is saved as 「?」. An import compares a row with the group
it updates through :func:`cp932_round_trip`, so such a change is reported instead of applied.
Standard library only.
"""

from __future__ import annotations

#: JIS characters Windows' cp932 reads back as other code points (Microsoft's mapping).
_WINDOWS_FORMS = {"\u301c": "\uff5e", "\u2016": "\u2225", "\u2212": "\uff0d", "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2"}


def cp932_round_trip(text: str) -> str:
    """``text`` as it comes back after being saved as cp932 and read again: 〜 → ～ (and the other
    Windows forms), any character cp932 cannot encode → 「?」 (a kanji with a variation selector:
    the kanji, and 「?」 for the selector)."""
    out = []
    for char in text:
        char = _WINDOWS_FORMS.get(char, char)
        try:
            char.encode("cp932")
        except UnicodeEncodeError:
            char = "?"
        out.append(char)
    return "".join(out)


def round_trip_changes(stored: str, imported: str) -> list[tuple[str, str]]:
    """When ``imported`` is ``stored`` after a cp932 round trip (and differs from it): the
    characters it changed, as (stored, imported) pairs in order (「〜」→「～」, 「𠮷」→「?」);
    otherwise an empty list (an ordinary edit, or no change)."""
    if stored == imported or len(stored) != len(imported) or cp932_round_trip(stored) != imported:
        return []
    changes: list[tuple[str, str]] = []
    for before, after in zip(stored, imported, strict=True):
        if before != after and (before, after) not in changes:
            changes.append((before, after))
    return changes
