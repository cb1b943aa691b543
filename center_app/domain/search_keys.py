"""Derived keys for finding and ordering records by what people type: the search key, its
voicing-blind fallback, and the 五十音 sort key of a reading (docs/architecture.md §4).

Names are stored exactly as typed (:func:`~center_app.domain.normalize.clean_text`); these keys
are computed from them on every write and compared with the key of what the clerk types, so both
sides fold the same way and the database only compares strings (``instr`` / ``strpos``, bytewise
order): the same results on SQLite and PostgreSQL.

:func:`search_key` folds, on top of :func:`~center_app.domain.normalize.kana_search_key` (width,
hiragana → katakana, case, spaces and ・):

- small kana as large (キヤンプ finds キャンプ), ー as the vowel before it (ハアト finds ハート);
- 〜 (U+301C), ～ (U+FF5E) and ~ as one character;
- the common 異体字 of names to one form (:data:`VARIANTS`: 髙橋 and 高橋, 﨑 and 崎, 𠮷 and 吉,
  邊 / 邉 and 辺, 齋 / 齊 / 斎 and 斉, 澤 and 沢, 濱 and 浜, …); compatibility ideographs
  (神 U+FA19) by NFKC; variation selectors (葛 + U+E0100) dropped;
- 番地 written in any usual way to one form: 1589-1, 1589番地の1, １５８９－１ and 1589の1 all
  give "1589-1" (丁目 and 番 as "-", a trailing 番地 / 号 dropped).

:func:`loose_key` further drops voicing marks (かいど finds ガイド, ヴ as ウ): the fallback a search
ranks after the matches of :func:`search_key`. Keys of keys are the keys (idempotent).

:func:`kana_sort_key` orders readings per JIS X 4061 (日本語文字列照合順番): see its docstring.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from center_app.domain.normalize import kana_search_key, normalize_text, phone_search_key

__all__ = ["GROUP_KEY_SOURCES", "VARIANTS", "group_keys", "kana_sort_key", "loose_key", "search_key"]

#: 異体字 → the form searched for. Sources: the 人名用漢字 of 戸籍法施行規則 別表第二 (its
#: 「一」 list of 旧字体 / 異体字 each beside the 常用 form they correspond to) and the 法務省
#: 戸籍統一文字 correspondences (同定 of 俗字 and 誤字 to their 正字) for the characters found
#: most in family names; plus 齋 / 齊 / 斎 → 斉 and 龍 → 竜, which people treat as one name when
#: searching. Compatibility ideographs with a canonical decomposition (神 U+FA19, 福 U+FA1B,
#: 塚 U+FA10) are folded by NFKC and need no entry; 﨑 (U+FA11) has none, hence its entry.
VARIANTS: dict[str, str] = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "𠮷": "吉",
    "邊": "辺", "邉": "辺", "齋": "斉", "齊": "斉", "斎": "斉",
    "澤": "沢", "濱": "浜", "濵": "浜", "嶋": "島", "嶌": "島", "冨": "富", "德": "徳",
    "廣": "広", "國": "国", "圀": "国", "櫻": "桜", "眞": "真", "實": "実", "惠": "恵", "榮": "栄",
    "藏": "蔵", "壽": "寿", "與": "与", "龍": "竜", "淺": "浅", "瀨": "瀬", "顯": "顕", "增": "増",
    "黑": "黒", "條": "条", "萬": "万", "彌": "弥", "兒": "児", "圓": "円", "學": "学",
    "會": "会", "藝": "芸", "驛": "駅", "鐵": "鉄", "靑": "青", "槇": "槙", "檜": "桧", "籠": "篭",
    "禮": "礼", "傳": "伝", "舊": "旧", "寳": "宝", "寶": "宝", "莊": "荘", "晉": "晋",
    "巖": "巌", "嚴": "厳", "峯": "峰", "嶽": "岳", "遙": "遥", "曻": "昇",
    "鷗": "鴎", "瀧": "滝", "邨": "村", "逹": "達",
    "縣": "県", "豐": "豊", "亞": "亜", "惡": "悪", "爲": "為", "衞": "衛", "圍": "囲",
    "稻": "稲", "薰": "薫", "攝": "摂", "聽": "聴", "鬪": "闘", "齡": "齢", "樂": "楽", "氣": "気",
    "來": "来", "佛": "仏", "拜": "拝", "濟": "済", "關": "関",
}
#: Keep only real variants (a character mapped to another) whose key is a single character.
VARIANTS = {k: v for k, v in VARIANTS.items() if len(k) == 1 and k != v}
_VARIANT_TABLE = str.maketrans(VARIANTS)
#: ``str.translate`` looks up every character: each table below has a pattern finding its
#: characters, so a text without any (most) is passed by.
_VARIANT_FOUND = re.compile("[" + "".join(VARIANTS) + "]")

#: Small kana → large.
_SMALL = dict(zip("ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ"))
_SMALL_CHARS = frozenset(_SMALL)
_SMALL_TABLE = str.maketrans(_SMALL)
_SMALL_FOUND = re.compile("[" + "".join(_SMALL) + "]")

#: The vowel of each large katakana (for ー); ン's ー stays ン.
_VOWEL: dict[str, str] = {}
for _row in ("アカサタナハマヤラワガザダバパ", "イキシチニヒミリヰギジヂビピ", "ウクスツヌフムユルグズヅブプヴ",
             "エケセテネヘメレヱゲゼデベペ", "オコソトノホモヨロヲゴゾドボポ"):
    for _ch in _row:
        _VOWEL[_ch] = _row[0]
_VOWEL["ン"] = "ン"
_VOWEL.update({small: _VOWEL[large] for small, large in _SMALL.items() if large in _VOWEL})

_WAVES = str.maketrans({"〜": "~", "～": "~", "\u2053": "~"})
_WAVES_FOUND = re.compile("[〜～\u2053]")
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
#: Kana voicing marks, deleted by ``str.translate`` from a decomposed text.
_NO_MARKS = str.maketrans("", "", "\u3099\u309a")
#: 番地: digits, a separator (番地の, 番地, 番の, 番, 丁目, 号の, の, ノ (の after kana folding),
#: a hyphen-like folded to ー), digits → "digits-digits"; a trailing 番地 / 番 / 号 dropped. The
#: digits around are looked at, not replaced, so the replacement is a plain string (no template).
_BANCHI = re.compile(r"(?<=\d)\s*(?:番地ノ|番地|番ノ|番|丁目ノ|丁目|号ノ|ノ|ー|-)\s*(?=\d)")
_BANCHI_END = re.compile(r"(?<=\d)(?:番地|番|号)(?!\d)")


def _fold_long_and_small(text: str) -> str:
    """Small kana as large, then each ー after a kana as that kana's vowel (ン's ー as ン)."""
    if _SMALL_FOUND.search(text):
        text = text.translate(_SMALL_TABLE)
    if "ー" not in text:
        return text
    out: list[str] = []
    for ch in text:
        if ch == "ー" and out and out[-1] in _VOWEL:
            ch = _VOWEL[out[-1]]
        out.append(ch)
    return "".join(out)


def _settle(key: str) -> str:
    """番地 written as "1589-1", small kana and ー folded, then NFC (a voicing mark typed apart, ｯﾞ, joins the kana it now
    follows), until nothing changes: so that the key of a key is the key."""
    return _settled(key)[0]


def _settled(key: str) -> tuple[str, bool]:
    """:func:`_settle` of ``key``, and whether it came to rest (False when it still changed in
    the 4th round): a key at rest is its own :func:`_settle`."""
    for _round in range(4):
        folded = _BANCHI_END.sub("", _BANCHI.sub("-", key))
        folded = unicodedata.normalize("NFC", _fold_long_and_small(folded))
        if folded == key:
            return key, True
        key = folded
    return key, False


def search_key(text: str | None) -> str:
    """The key a search compares (see the module docstring); "" for None or blank. Never raises.

    Compare keys with keys: ``search_key(typed) in search_key(stored)``."""
    if not text:
        return ""
    return _settled(_variants_folded(_prefolded(text)))[0]


def _prefolded(text: str) -> str:
    """The first folding of :func:`search_key` and :func:`kana_sort_key`: variation selectors
    dropped, 〜 ～ as ~, then :func:`kana_search_key`."""
    raw = _SELECTORS.sub("", str(text))
    if _WAVES_FOUND.search(raw):
        raw = raw.translate(_WAVES)
    return kana_search_key(raw)


def _variants_folded(key: str) -> str:
    return key.translate(_VARIANT_TABLE) if _VARIANT_FOUND.search(key) else key


def _drop_marks(text: str) -> str:
    """``text`` without kana voicing marks (ガ → カ, パ → ハ, ヴ → ウ); other accents stay."""
    decomposed = unicodedata.normalize("NFD", text)
    if "\u3099" in decomposed or "\u309a" in decomposed:
        decomposed = decomposed.translate(_NO_MARKS)
    return unicodedata.normalize("NFC", decomposed)


def loose_key(text: str | None) -> str:
    """:func:`search_key` without kana voicing marks (ガ → カ, パ → ハ, ヴ → ウ): the fallback
    match, ranked after exact ones. A key of :func:`search_key` may be given again. Never raises."""
    return _loose_of_key(search_key(text))


def _loose_of_key(key: str) -> str:
    """:func:`loose_key` of a text whose :func:`search_key` is ``key`` (keys of keys are the keys)."""
    return _settle(_drop_marks(key))


def kana_sort_key(reading: str | None) -> str:
    """A key whose bytewise (code-point) order is the 五十音 order of ``reading`` per JIS X 4061
    (日本語文字列照合順番, 読み照合): "" for None or blank. Never raises.

    First level: the reading with voicing marks dropped, small kana as large, ー as the vowel
    before it, ヴ as ウ, width, hiragana, spaces and ・ folded (は = ば = ぱ, きや = きゃ,
    あーく = ああく). Ties are then broken, position by position: 清音 before 濁音 before 半濁音
    (は → ば → ぱ), a vowel before ー (ああく → あーく), a large kana before the small one
    (きや → きゃ); a shorter reading comes first (あ → ああ). Digits and Latin letters sort
    before kana, kanji after (code-point order). Each level is separated by a space, lower than
    any character kept, so the key sorts bytewise — PostgreSQL compares it with ``COLLATE "C"``:
    "カ" for カ, "カ 1" for ガ, "カア   01" for カァ.
    """
    if not reading:
        return ""
    return _sort_key_of(_prefolded(reading))


def _sort_key_of(folded: str) -> str:
    """:func:`kana_sort_key` of a reading whose :func:`_prefolded` is ``folded``."""
    primary: list[str] = []
    voicing: list[str] = []
    length: list[str] = []
    size: list[str] = []
    for ch in folded:
        if ch.isspace():
            continue
        long_vowel = ch == "ー" and bool(primary) and primary[-1] in _VOWEL
        small = ch in _SMALL_CHARS
        base, mark = _sort_parts(_VOWEL[primary[-1]] if long_vowel else _SMALL.get(ch, ch))
        primary.append(base)
        voicing.append(mark)
        length.append("1" if long_vowel else "0")
        size.append("1" if small else "0")
    # trailing "0"s of a level (the lowest mark) and trailing separators are left out: the order
    # is the same (a level is compared only against one of the same length), the key shorter
    levels = ("".join(voicing).rstrip("0"), "".join(length).rstrip("0"), "".join(size).rstrip("0"))
    return " ".join(("".join(primary), *levels)).rstrip(" ")


@lru_cache(maxsize=4096)
def _sort_parts(ch: str) -> tuple[str, str]:
    """(``ch`` without its voicing mark, the mark's level: "0" none, "1" 濁点, "2" 半濁点), for
    :func:`kana_sort_key`; kept per character, as a reading has few distinct ones."""
    decomposed = unicodedata.normalize("NFD", ch)
    return _drop_marks(ch), "1" if "\u3099" in decomposed else "2" if "\u309a" in decomposed else "0"


#: The characters whose canonical decomposition holds a kana voicing mark (が, パ, ヴ, ゞ, the marks
#: themselves; a test checks it on every code point): :func:`_drop_marks` leaves a key without
#: any as it is.
_VOICED = re.compile("[" + "".join(
    ch for ch in map(chr, range(0x3040, 0x3100)) if {"\u3099", "\u309a"} & set(unicodedata.normalize("NFD", ch))) + "]")

#: The fields of a group its keys are derived from (``db.groups.Group`` attributes).
GROUP_KEY_SOURCES = (
    "name", "name_kana", "registration_no", "phone", "mobile", "fax",
    "representative_name", "representative_kana", "contact_name", "contact_kana", "address",
)
#: Length of the ``search_text`` / ``search_loose`` columns.
SEARCH_TEXT_LENGTH = 1000


def group_keys(values: dict) -> dict[str, str]:
    """The derived columns of a group from its values (``GROUP_KEY_SOURCES``; missing ones are
    blank): ``name_search`` and ``kana_search`` (exact keys of the duplicate warning),
    ``search_text`` (:func:`search_key` of the name, reading, number, persons and address, and
    the phone digits, separated by spaces, at most ``SEARCH_TEXT_LENGTH`` characters),
    ``search_loose`` (the :func:`loose_key` of those parts it changes, such as a reading with
    ガ or ド: a voicing-blind match is found in ``search_text`` or here, and the list index stays
    small) and ``name_sort`` (:func:`kana_sort_key` of the reading). Never raises."""
    # the reading is folded once for its search key, its kana key and its sort key; each part
    # comes with whether it is at rest (phone digits are their own key)
    reading = values.get("name_kana")
    folded = _prefolded(reading) if reading else ""
    keyed = [_key_at_rest(values.get("name")), _settled(_variants_folded(folded)) if folded else ("", True),
             _key_at_rest(values.get("registration_no"))]
    digits = [(phone_search_key(values.get(n)), True) for n in ("phone", "mobile", "fax")]
    keyed_more = [_key_at_rest(values.get(n)) for n in (
        "representative_name", "representative_kana", "contact_name", "contact_kana", "address")]
    at_rest = [(part, rest) for part, rest in keyed + digits + keyed_more if part]
    parts = [part for part, _rest in at_rest]
    # a part at rest without voicing marks is its own loose key (:func:`_loose_of_key` would give it back)
    loose = [part if rest and not _VOICED.search(part) else _loose_of_key(part) for part, rest in at_rest]
    plain_reading = bool(reading) and not _SELECTORS.search(reading) and not _WAVES_FOUND.search(reading)
    return {
        "name_search": "".join(normalize_text(values.get("name")).casefold().split()),
        "kana_search": folded if plain_reading else kana_search_key(reading),
        "search_text": " ".join(parts)[:SEARCH_TEXT_LENGTH],
        "search_loose": " ".join(lo for lo, part in zip(loose, parts) if lo != part)[:SEARCH_TEXT_LENGTH],
        "name_sort": _sort_key_of(folded) if reading else "",
    }


def _key_at_rest(text: str | None) -> tuple[str, bool]:
    """:func:`search_key` of ``text``, and whether it is at rest (see :func:`_settled`)."""
    return _settled(_variants_folded(_prefolded(text))) if text else ("", True)
