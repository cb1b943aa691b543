"""The short names clerks and groups write for the 20 fields of activity of the NPO Act, as
aliases of the field they name (pure; no database).

Source: 特定非営利活動促進法 別表 (the 20 fields; their legal names and our short names are in
``resources/seed/npo_activity_fields.csv``). The aliases below are the words commonly used for a
field on group registration forms and center directories (福祉, 環境, 国際, 中間支援 …); each is
part of exactly one field's legal name or its common name, so it names one field only. A word
that could mean two fields (教育: 社会教育 or 子どもの健全育成; 防災: 災害救援 or 地域安全) is
deliberately not an alias.
"""

from __future__ import annotations

__all__ = ["FIELD_ALIASES"]

#: Alias → the field's code (1–20 of 別表).
FIELD_ALIASES: dict[str, int] = {
    "保健": 1, "医療": 1, "福祉": 1, "保健・福祉": 1, "医療・福祉": 1,
    "生涯学習": 2,
    "まちづくり": 3, "街づくり": 3, "まち作り": 3, "町づくり": 3,
    "観光振興": 4,
    "農山漁村": 5, "中山間地域": 5, "中山間": 5,
    "学術": 6, "文化": 6, "芸術": 6, "スポーツ": 6, "文化・芸術": 6, "文化・スポーツ": 6,
    "環境": 7,
    "災害": 8,
    "人権": 10, "平和": 10,
    "国際": 11,
    "子ども": 13, "子供": 13, "こども": 13, "子どもの育成": 13,
    "情報化": 14, "IT": 14,
    "科学": 15,
    "経済": 16, "経済活性化": 16,
    "職業能力": 17, "雇用": 17, "雇用機会": 17,
    "消費者": 18,
    "中間支援": 19, "連絡・助言": 19,
    "条例": 20, "条例指定": 20,
}
