"""The bundled fonts for reportlab: a fallback chain per document font, and the check that every
character can be drawn.

Every document draws with one of the chain fonts registered here (:data:`GOTHIC`, :data:`MINCHO`,
or the Chinese-first chains of :func:`chain_for`). A chain draws each run of text with the first
of its fonts that has the character (docs/architecture.md §6):

1. IPAex Gothic / IPAex Mincho — ordinary Japanese and Latin text;
2. IPAmj明朝 — the 戸籍 and 住民基本台帳 characters IPAex lacks (𠮷 U+20BB7) and the ideographic
   variation sequences (IVS, a kanji followed by a selector U+E0100–E01EF) of the Moji-Jōhō set;
3. WenQuanYi Micro Hei — Simplified Chinese (欢请带围 …);
4. Noto Sans Thai — the Thai script.

Vietnamese documents use the chains of :func:`chain_for` that add a Latin font with the whole
Vietnamese alphabet (Noto Sans for the gothic, Noto Serif for the mincho): it draws every Latin
letter, combining accent and ASCII character, so a word such as 「Việt」 is drawn in one typeface
(IPAex alone lacks ư, ơ, ạ, ế …), while kana, kanji and full-width punctuation stay IPAex.

A character (or a kanji + selector sequence) none of them has is refused by name and code point
(:func:`check_text`, :class:`MissingGlyphError`), never printed as a box.

Two things reportlab does not do, done here by small overrides of :class:`TTFont` in our code:

- **IVS**: reportlab reads only the Unicode cmap. The font's cmap format 14 (read with fontTools)
  maps ``base + selector`` to a variant glyph; that glyph gets a private code point of the
  Supplementary Private Use Area in the font's own map, and the chain draws that code instead of
  the two characters.
- **ToUnicode**: reportlab writes a character above U+FFFF as 5 hex digits, which readers cut to
  four (𠮷 extracted as 「₻」 U+20BB). :meth:`_MemberFont.addObjects` rewrites each subset's
  ToUnicode map in UTF-16 (surrogate pairs), and maps a variant glyph back to ``base +
  selector``, so text extracts (search, copy, screen readers) exactly as typed.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from center_app import paths
from center_app.domain.errors import MissingGlyphError

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"
#: The Chinese-first chains (Simplified Chinese glyph shapes for the Han characters Japanese
#: shares), for documents in zh-Hans; see :func:`chain_for`.
GOTHIC_ZH = "CenterGothic-zh"
MINCHO_ZH = "CenterMincho-zh"
#: The Vietnamese chains: a Latin font for Latin text, IPAex for Japanese; see :func:`chain_for`.
GOTHIC_VI = "CenterGothic-vi"
MINCHO_VI = "CenterMincho-vi"

#: The bundled font files: key -> (reportlab name, file in resources/fonts, index in a collection).
FONT_FILES = {
    "ipaexg": ("IPAexGothic-Face", "ipaexg.ttf", 0),
    "ipaexm": ("IPAexMincho-Face", "ipaexm.ttf", 0),
    "ipamj": ("IPAmjMincho", "ipamjm.ttf", 0),
    "wqy": ("WenQuanYiMicroHei", "wqy-microhei.ttc", 0),
    "thai": ("NotoSansThai", "NotoSansThai-Regular.ttf", 0),
    "notosans": ("NotoSans", "NotoSans-Regular.ttf", 0),
    "notoserif": ("NotoSerif", "NotoSerif-Regular.ttf", 0),
}
#: Each chain font and its fonts in the order they are tried.
CHAINS = {
    GOTHIC: ("ipaexg", "ipamj", "wqy", "thai"),
    MINCHO: ("ipaexm", "ipamj", "wqy", "thai"),
    GOTHIC_ZH: ("wqy", "ipaexg", "ipamj", "thai"),
    MINCHO_ZH: ("wqy", "ipaexm", "ipamj", "thai"),
    GOTHIC_VI: ("ipaexg", "ipamj", "wqy", "thai", "notosans"),
    MINCHO_VI: ("ipaexm", "ipamj", "wqy", "thai", "notoserif"),
}
#: Chains whose last font draws the Latin text (:func:`is_latin`) before the first font does.
LATIN_FIRST = {GOTHIC_VI, MINCHO_VI}
_ZH = {GOTHIC: GOTHIC_ZH, MINCHO: MINCHO_ZH}
_VI = {GOTHIC: GOTHIC_VI, MINCHO: MINCHO_VI}

_lock = threading.Lock()
_members: dict[str, _MemberFont] = {}
_chains: dict[str, _ChainFont] = {}
#: The code points of each chain's first font (vertical forms are looked up there).
_cmaps: dict[str, frozenset[int]] = {}
# Characters that are layout, not glyphs: never reported as missing.
_IGNORED = {"\n", "\r", "\t"}
#: Where variant glyphs get their private code points (Supplementary Private Use Area-A).
_PRIVATE_START = 0xF0000


#: Code point ranges of Latin text: ASCII, Latin-1, Latin Extended-A/B, IPA, combining accents,
#: Latin Extended Additional (the Vietnamese ạ ế ữ …), and the dashes and quotes of Latin text.
_LATIN_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x0300, 0x036F), (0x1E00, 0x1EFF), (0x2013, 0x2014), (0x2018, 0x201D))


def is_latin(code: int) -> bool:
    """True for a code point of Latin text (:data:`_LATIN_RANGES`), which the Latin font of a
    Vietnamese chain draws."""
    return any(low <= code <= high for low, high in _LATIN_RANGES)


def is_variation_selector(char: str) -> bool:
    """True for a variation selector: VS1–16 (U+FE00–FE0F) or an ideographic one (U+E0100–E01EF)."""
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


_SELECTOR = re.compile("[\uFE00-\uFE0F\U000E0100-\U000E01EF]")


def text_units(text: str) -> list[str]:
    """``text`` cut into what is drawn as one glyph: a character, or a character followed by its
    variation selector (「葛\\U000E0102」 is one unit)."""
    if not _SELECTOR.search(text):
        return list(text)
    units: list[str] = []
    for char in text:
        if units and is_variation_selector(char) and len(units[-1]) == 1 and not is_variation_selector(units[-1]):
            units[-1] += char
        else:
            units.append(char)
    return units


class _MemberFont(TTFont):
    """One bundled TrueType font: reportlab's :class:`TTFont`, plus its variation sequences
    (cmap format 14) drawn through private code points, and a ToUnicode map that is right above
    U+FFFF and for those sequences (module docstring)."""

    def __init__(self, name: str, filename: str, subfont_index: int = 0):
        super().__init__(name, filename, subfontIndex=subfont_index, shapable=False)
        self._filename = filename
        self._subfont_index = subfont_index
        self._uvs: dict[tuple[int, int], tuple[int, float]] | None = None  # (base, selector) -> (glyph id, advance)
        self._variant_codes: dict[tuple[int, int], int] = {}
        self._next_private = _PRIVATE_START
        #: private code point -> the text it stands for (base + selector)
        self.sequences: dict[int, str] = {}

    def _load_uvs(self) -> dict[tuple[int, int], tuple[int, float]]:
        """The font's variation sequences with their glyph and advance width (1/1000 em), read
        once from its cmap format 14 and hmtx tables (fontTools)."""
        if self._uvs is None:
            from fontTools.ttLib import TTFont as ToolsFont

            found: dict[tuple[int, int], tuple[int, float]] = {}
            font = ToolsFont(self._filename, lazy=True, fontNumber=self._subfont_index)
            try:
                face = self.face
                scale = 1000 / font["head"].unitsPerEm
                metrics = None
                for table in font["cmap"].tables:
                    if table.format != 14:
                        continue
                    for selector, pairs in table.uvsDict.items():
                        for base, glyph_name in pairs:
                            if glyph_name is None:  # the default glyph of the base is this variant
                                if base in face.charToGlyph:
                                    found[(base, selector)] = (face.charToGlyph[base], face.charWidths.get(base, face.defaultWidth))
                            else:
                                metrics = metrics or font["hmtx"]
                                found[(base, selector)] = (font.getGlyphID(glyph_name), metrics[glyph_name][0] * scale)
            finally:
                font.close()
            self._uvs = found
        return self._uvs

    def has_sequence(self, base: int, selector: int) -> bool:
        """True when the font has a glyph for ``base`` followed by the variation ``selector``."""
        return (base, selector) in self._load_uvs()

    def variant_code(self, base: int, selector: int) -> int:
        """The private code point drawing the glyph of ``base + selector`` (allocated once)."""
        key = (base, selector)
        code = self._variant_codes.get(key)
        if code is None:
            with _lock:
                code = self._variant_codes.get(key)
                if code is None:
                    glyph, advance = self._load_uvs()[key]
                    face = self.face
                    while self._next_private in face.charToGlyph:
                        self._next_private += 1
                    code = self._next_private
                    self._next_private += 1
                    face.charWidths[code] = advance
                    face.glyphToChar.setdefault(glyph, []).append(code)
                    self.sequences[code] = chr(base) + chr(selector)
                    face.charToGlyph[code] = glyph
                    self._variant_codes[key] = code
        return code

    def addObjects(self, doc) -> None:
        """reportlab's subsets, then each subset's ToUnicode map rewritten in UTF-16 (the text of
        a character above U+FFFF as a surrogate pair, a variant glyph as base + selector)."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for index, subset in enumerate(subsets):
            base_name = (b"".join((SUBSETN(index), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
            if stream is not None:
                stream.content = to_unicode_cmap(base_name, [self.sequences.get(code, chr(code)) for code in subset])


def to_unicode_cmap(font_name: str, texts: list[str]) -> str:
    """A ToUnicode CMap (PDF 1.7 §9.10.3) mapping the one-byte codes 0… of a subset to ``texts``
    (each written as UTF-16BE, so characters above U+FFFF and sequences extract exactly)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({font_name})",
        f"/Ordering ({font_name})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{font_name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>",
        "endcodespacerange",
    ]
    for start in range(0, len(texts), 100):  # at most 100 entries per bfchar block
        block = texts[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{start + i:02X}> <{text.encode('utf-16-be').hex().upper()}>" for i, text in enumerate(block)]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class _ChainWidths(dict):
    """Advance widths (1/1000 em) of a chain: the first font's, and those of a character only a
    later font has, looked up (loading that font) the first time the character is measured.
    Variation selectors are zero-width."""

    def __init__(self, chain: _ChainFont):
        super().__init__(chain.member(0).face.charWidths)
        if chain.latin is not None:
            latin = chain.member(chain.latin).face.charWidths
            self.update({code: width for code, width in latin.items() if is_latin(code)})
        self.update({code: 0 for code in range(0xFE00, 0xFE10)})
        self.update({code: 0 for code in range(0xE0100, 0xE01F0)})
        self._chain = chain

    def __missing__(self, code: int) -> float:
        chain = self._chain
        index = chain.owner(chr(code)) if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else -1
        face = chain.member(max(index, 0)).face
        width = self[code] = face.charWidths.get(code, face.defaultWidth)
        return width

    def get(self, code, default=None):  # noqa: D102 - dict.get that sees __missing__
        return self[code]


class _ChainFace:
    """The face reportlab and our measuring see for a chain: the first font's metrics, with the
    advance widths of every character any font of the chain has (:class:`_ChainWidths`)."""

    def __init__(self, chain: _ChainFont):
        self._primary = chain.member(0).face
        self.name = chain.fontName.encode("ascii")
        self.charWidths = _ChainWidths(chain)

    def __getattr__(self, name: str):
        return getattr(self._primary, name)


class _ChainFont:
    """A reportlab font drawing each run of a string with the first member font that has it.

    reportlab treats it as one dynamic (TrueType) font: :meth:`splitString` returns runs keyed
    by ``(member, subset)`` and :meth:`getSubsetInternalName` names the member's subset, so
    ``drawString``, text objects, Paragraphs and charts all fall back without knowing it.
    The fonts after the first are read from disk only when a text needs them (IPAmj明朝 alone is
    46 MB), so a document in ordinary Japanese costs one font."""

    _dynamicFont = 1
    _multiByte = 1
    shapable = False

    def __init__(self, name: str, keys: tuple[str, ...], latin_first: bool = False):
        self.fontName = name
        self.keys = keys
        #: the index of the font drawing Latin text before the first (the last), or None
        self.latin = len(keys) - 1 if latin_first else None
        self.face = _ChainFace(self)
        self.encoding = self.member(0).encoding
        self.substitutionFonts: list = []
        self._owner: dict[str, int] = {}  # unit -> member index, -1 when no member has it
        #: the characters of the first font: a text made of them alone is one run (the usual case)
        primary = self.member(0).face.charToGlyph
        if self.latin is not None:
            latin = self.member(self.latin).face.charToGlyph
            primary = [code for code in primary if not (is_latin(code) and code in latin)]
        self.primary_chars = frozenset(map(chr, primary))

    def member(self, index: int) -> _MemberFont:
        """The ``index``-th font of the chain (read from ``resources/fonts`` once, when first needed)."""
        return _member(self.keys[index])

    def owner(self, unit: str) -> int:
        """The index of the first member font that draws ``unit`` (a character or character +
        selector), or -1."""
        found = self._owner.get(unit)
        if found is None:
            found = -1
            if len(unit) == 2:
                base, selector = ord(unit[0]), ord(unit[1])
                for index in range(len(self.keys)):
                    if self.member(index).has_sequence(base, selector):
                        found = index
                        break
            else:
                code = ord(unit)
                if self.latin is not None and is_latin(code) and code in self.member(self.latin).face.charToGlyph:
                    found = self.latin
                else:
                    for index in range(len(self.keys)):
                        if code in self.member(index).face.charToGlyph:
                            found = index
                            break
            self._owner[unit] = found
        return found

    def runs(self, text: str) -> list[tuple[int, str]]:
        """``text`` as (member index, text to give that member) runs; a variation sequence is
        replaced by the member's private code of the variant; what no member has goes to the
        first font (documents refuse such text before drawing)."""
        if self.primary_chars.issuperset(text):
            return [(0, text)] if text else []
        runs: list[tuple[int, str]] = []
        for unit in text_units(text):
            index = self.owner(unit)
            if index < 0:
                index, piece = 0, unit[0]
            elif len(unit) == 2:
                piece = chr(self.member(index).variant_code(ord(unit[0]), ord(unit[1])))
            else:
                piece = unit
            if runs and runs[-1][0] == index:
                runs[-1] = (index, runs[-1][1] + piece)
            else:
                runs.append((index, piece))
        return runs

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - reportlab's name
        if isinstance(text, bytes):
            text = text.decode(encoding)
        widths = self.face.charWidths
        return sum([widths[ord(c)] for c in text]) * size / 1000

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
        if isinstance(text, bytes):
            text = text.decode(encoding)
        pieces = []
        for index, run in self.runs(text):
            pieces += [((index, subset), chunk) for subset, chunk in self.member(index).splitString(run, doc)]
        return pieces

    def getSubsetInternalName(self, subset, doc):  # noqa: N802 - reportlab's name
        index, number = subset
        return self.member(index).getSubsetInternalName(number, doc)

    def addObjects(self, doc) -> None:
        """Nothing of its own: each member font adds its subsets."""

    def unregister(self) -> None:
        pdfmetrics._fonts.pop(self.fontName, None)


def _member(key: str) -> _MemberFont:
    """The bundled font ``key`` of :data:`FONT_FILES`, read once. Raises FileNotFoundError naming
    a file missing from ``resources/fonts``."""
    found = _members.get(key)
    if found is None:
        with _lock:
            found = _members.get(key)
            if found is None:
                name, filename, index = FONT_FILES[key]
                path = paths.fonts_dir() / filename
                if not path.is_file():
                    raise FileNotFoundError(f"font file missing: {path}")
                found = _members[key] = _MemberFont(name, str(path), index)
    return found


_register_lock = threading.Lock()


def _chain(name: str) -> _ChainFont:
    """The chain font ``name`` of :data:`CHAINS`, registered with reportlab on first use."""
    found = _chains.get(name)
    if found is None:
        with _register_lock:
            found = _chains.get(name)
            if found is None:
                found = _ChainFont(name, CHAINS[name], name in LATIN_FIRST)
                pdfmetrics.registerFont(found)
                _cmaps[name] = frozenset(found.member(0).face.charToGlyph.keys())
                _chains[name] = found
    return found


def register_fonts() -> tuple[str, str]:
    """Register the gothic and mincho chain fonts with reportlab (once); returns their names.

    The bundled files are read from ``resources/fonts`` only (never the system's fonts); a
    fallback font when a text first needs it. Raises FileNotFoundError naming a font file
    missing from ``resources/fonts``.
    """
    _chain(GOTHIC)
    _chain(MINCHO)
    return GOTHIC, MINCHO


def chain_for(font: str = GOTHIC, language: str = "ja") -> str:
    """The chain font to draw text of ``language`` in (a document language code such as ``ja``,
    ``en``, ``zh_Hans``, ``th``): the Chinese-first chain for Chinese, the chain with a Latin font
    of the whole Vietnamese alphabet for Vietnamese, else ``font`` itself."""
    register_fonts()
    code = language.replace("-", "_").lower()
    if code.startswith("zh"):
        return _chain(_ZH.get(font, font)).fontName
    if code == "vi":
        return _chain(_VI.get(font, font)).fontName
    return font


def missing_characters(text: str, font: str = GOTHIC) -> list[str]:
    """The distinct units of ``text`` (characters, or a kanji with its variation selector) that
    no font of the chain ``font`` can draw, in order of appearance."""
    chain = _chains.get(font)
    if chain is None:  # the first text: the fonts are registered (read once a process)
        register_fonts()
        chain = _chain(font)
    if chain.primary_chars.issuperset(text):
        return []
    seen: list[str] = []
    for unit in text_units(text):
        if unit in _IGNORED or unit in seen:
            continue
        if len(unit) == 1 and unicodedata.category(unit) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        if chain.owner(unit) < 0:
            seen.append(unit)
    return seen


def check_text(text: str, font: str = GOTHIC, field_name: str = "") -> str:
    """Return ``text`` if the chain ``font`` can draw every character; else raise
    :class:`MissingGlyphError` naming each one with its code point."""
    missing = missing_characters(text, font)
    if missing:
        raise MissingGlyphError(missing, font, field_name)
    return text


def font_of(text: str, font: str = GOTHIC) -> list[tuple[str, str]]:
    """The runs of ``text`` as (bundled font's reportlab name, text as typed): which font of the
    chain ``font`` draws what."""
    register_fonts()
    chain = _chain(font)
    result = []
    for index, piece in chain.runs(text):
        member = chain.member(index)
        result.append((member.fontName, "".join(member.sequences.get(ord(c), c) for c in piece)))
    return result
