"""Finding groups by what clerks type (異体字, small kana, ー, 〜/～, voicing, 番地) and listing
them in 五十音 order per JIS X 4061 — the same on SQLite and PostgreSQL: the tests that use the
database run in ``make test`` and again in ``make test-pg``."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_app.app import main
from center_app.domain.search_keys import VARIANTS, kana_sort_key, loose_key, search_key
from center_app.services import groups
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.postgres  # also run by make test-pg, on PostgreSQL

READINGS = [line.strip() for line in (Path(__file__).parents[1] / "data" / "jis_x_4061_readings.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.date(2026, 6, 1))


def make(name: str, kana: str, **extra) -> GroupInput:
    values = dict(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2,),
                  representative_name="山田 花子", representative_kana="ヤマダ ハナコ")
    values.update(extra)
    return GroupInput(**values)


@pytest.mark.parametrize(("typed", "stored"), [
    ("高橋", "髙橋"), ("髙橋", "高橋"), ("崎", "﨑"), ("吉野", "𠮷野"), ("辺", "邊"), ("辺", "邉"),
    ("斉藤", "齋藤"), ("斎藤", "齊藤"), ("沢", "澤"), ("浜", "濱"), ("神社", "\ufa19社"),
    ("葛飾", "葛\U000e0100飾"), ("〜", "～"), ("～", "〜"), ("キヤンプ", "キャンプ"), ("ハアト", "ハート"),
    ("はーと", "ハアト"), ("1589-1", "1589番地の1"), ("１５８９－１", "1589番地の1"), ("1589番地の1", "1589-1"),
    ("1丁目2番3号", "1-2-3"),
])
def test_the_key_of_what_is_typed_is_found_in_the_key_of_what_is_stored(typed, stored):
    assert search_key(typed) in search_key(stored)


def test_voicing_is_only_a_fallback():
    assert search_key("かいど") not in search_key("ガイド")
    assert loose_key("かいど") in loose_key("ガイド")
    assert loose_key("ヴィオラ") == loose_key("ウイオラ")


def test_the_variant_table_maps_to_characters_it_does_not_map_again():
    assert all(len(k) == 1 and v not in VARIANTS for k, v in VARIANTS.items())


@given(st.text(alphabet="あいうかがきゃっーｶﾞ髙高〜～1-番地の 　Aé", max_size=12))
def test_keys_of_keys_are_the_keys(text):
    assert search_key(search_key(text)) == search_key(text)
    assert loose_key(loose_key(text)) == loose_key(text)


def test_the_sort_key_orders_the_jis_x_4061_examples():
    shuffled = READINGS[:]
    random.Random(4061).shuffle(shuffled)
    assert sorted(shuffled, key=kana_sort_key) == READINGS
    assert sorted(shuffled) != READINGS  # code-point order is not 五十音 order


def test_fifty_readings_come_back_in_jis_x_4061_order_from_the_database(admin_ctx):
    shuffled = READINGS[:]
    random.Random(17).shuffle(shuffled)
    for number, kana in enumerate(shuffled):
        groups.register_group(admin_ctx, make(f"団体{number}", kana))
    page = groups.search_groups(admin_ctx, "", limit=100)
    assert [item.name_kana for item in page.items] == READINGS


def test_variant_kanji_find_each_other_and_voicing_matches_come_last(admin_ctx):
    groups.register_group(admin_ctx, make("髙橋ガイドの会", "タカハシガイドノカイ"))
    groups.register_group(admin_ctx, make("甲斐道クラブ", "カイドウクラブ"))
    groups.register_group(admin_ctx, make("﨑の浜キャンプ会", "サキノハマキャンプカイ", address="南アルプス市小笠原1589番地の1"))
    groups.register_group(admin_ctx, make("ハート〜の集い", "ハートノツドイ"))

    def names(text: str) -> list[str]:
        return [item.name for item in groups.search_groups(admin_ctx, text).items]

    assert names("高橋") == ["髙橋ガイドの会"]
    assert names("崎") == ["﨑の浜キャンプ会"]
    assert names("きやんぷ") == ["﨑の浜キャンプ会"]
    assert names("はあと") == ["ハート〜の集い"]
    assert names("ハート～") == ["ハート〜の集い"]
    assert names("１５８９－１") == ["﨑の浜キャンプ会"]
    # カイド is in カイドウクラブ exactly; ガイド only without voicing marks: ranked after.
    assert names("かいど") == ["甲斐道クラブ", "髙橋ガイドの会"]
    assert names("がいど") == ["髙橋ガイドの会", "甲斐道クラブ"]


def test_the_search_command_prints_what_the_screen_lists(db, admin_ctx, monkeypatch, capsys):
    from conftest import command_line_admin

    groups.register_group(admin_ctx, make("髙橋ガイドの会", "タカハシガイドノカイ"))
    groups.register_group(admin_ctx, make("甲斐道クラブ", "カイドウクラブ"))
    groups.register_group(admin_ctx, make("海渡文庫", "カイトブンコ"))
    signed_in = command_line_admin(db, monkeypatch)
    capsys.readouterr()
    assert main(["--database-url", db.url, "groups", "search", "かいど", *signed_in]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{item.registration_no}\t{item.name}" for item in groups.search_groups(admin_ctx, "かいど").items]
    assert [line.split("\t")[1] for line in lines] == ["甲斐道クラブ", "海渡文庫", "髙橋ガイドの会"]
    assert main(["--database-url", db.url, "groups", "search", "かいど", "--limit", "1", *signed_in]) == 0
    assert capsys.readouterr().out.splitlines() == lines[:1]
    assert main(["--database-url", db.url, "groups", "search", "かいど"]) == 3  # personal data: --as
    capsys.readouterr()
    assert main(["--database-url", db.url, "groups", "search", "存在しない名前", *signed_in]) == 0  # no hit: said, not silent
    out = capsys.readouterr()
    assert out.out == "" and "「存在しない名前」に当てはまる団体はありません" in out.err


@pytest.mark.parametrize(("text", "key", "loose", "sort"), [
    ("①ＡＢＣ…ｶﾅ～㈱", "1abc...カナ~(株)", "1abc...カナ~(株)", "1abc...カナ~(株)"),
    ("ｶﾞｰﾃﾞﾝ\u3000ぱーてぃー", "ガアデンパアテイイ", "カアテンハアテイイ", "カアテンハアテイイ 10102 010001001 00000001"),
    ("  ちゃーはん\u200b\x07 ", "チヤアハン", "チヤアハン", "チヤアハン  001 01"),
    ("山田\u2015花子・ﾔﾏﾀﾞ", "山田ー花子ヤマダ", "山田ー花子ヤマタ", "山田ー花子ヤマタ 00000001"),
    ("１５８９番地の１", "1589-1", "1589-1", "1589番地ノ1"),
    ("1589 番 地 の 1", "1589-1", "1589-1", "1589番地ノ1"),
    ("2丁目3番4号", "2-3-4", "2-3-4", "2丁目3番4号"),
    ("髙橋﨑𠮷\U000e0100葛", "高橋崎吉葛", "高橋崎吉葛", "髙橋﨑𠮷葛"),
    ("キャンプ〜ハート～", "キヤンプ~ハアト~", "キヤンフ~ハアト~", "キヤンフ~ハアト~ 0002 0000001 01"),
    ("ヴァイオリン", "ヴアイオリン", "ウアイオリン", "ウアイオリン 1  01"),
    ("ンー", "ンン", "ンン", "ンン  01"),
    ("ｯﾞ", "ヅ", "ツ", "ツ 01  1"),
])
def test_keys_of_mixed_texts(text, key, loose, sort):
    """Each folding at once (width, kana, small kana, ー, 〜/～, 異体字, selectors, 番地, voicing,
    invisible and control characters): the keys the stored groups were given before the keys
    were made faster, so no stored key goes stale."""
    assert (search_key(text), loose_key(text), kana_sort_key(text)) == (key, loose, sort)


def test_the_voiced_characters_are_exactly_those_whose_decomposition_holds_a_voicing_mark():
    """A group's loose key skips a part without any of them: on every code point the class is the
    rule (canonical decomposition holding U+3099 or U+309A)."""
    import unicodedata

    from center_app.domain import search_keys

    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        voiced = {"\u3099", "\u309a"} & set(unicodedata.normalize("NFD", ch))
        assert (search_keys._VOICED.fullmatch(ch) is not None) == bool(voiced), hex(code)


@given(st.dictionaries(st.sampled_from(["name", "name_kana", "registration_no", "phone", "representative_name",
                                         "representative_kana", "contact_name", "contact_kana", "address"]),
                       st.text(alphabet="あかがぱーｶﾞﾊﾟ髙〜～\ufe00゙゛1-番地の 　AéガヴゞㇰｯﾞＡ・", max_size=10)))
def test_a_groups_keys_are_the_keys_of_its_parts(values):
    """group_keys folds the reading once for three columns and skips the loose key of a part
    that has none: the columns are still the keys of each value."""
    from center_app.domain.normalize import kana_search_key, normalize_text, phone_search_key
    from center_app.domain.search_keys import group_keys

    keys = group_keys(values)
    parts = [search_key(values.get(n)) for n in ("name", "name_kana", "registration_no")]
    parts += [phone_search_key(values.get(n)) for n in ("phone", "mobile", "fax")]
    parts += [search_key(values.get(n)) for n in ("representative_name", "representative_kana", "contact_name", "contact_kana", "address")]
    parts = [p for p in parts if p]
    assert keys["name_search"] == "".join(normalize_text(values.get("name")).casefold().split())
    assert keys["kana_search"] == kana_search_key(values.get("name_kana"))
    assert keys["name_sort"] == kana_sort_key(values.get("name_kana"))
    assert keys["search_text"] == " ".join(parts)
    assert keys["search_loose"] == " ".join(loose_key(p) for p in parts if loose_key(p) != p)
