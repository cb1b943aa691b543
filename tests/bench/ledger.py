"""Files the import benchmarks read: a booking ledger and a group list, built from a data set's
own configuration so every row is valid (``test_import_bench.py``).

The ledger's rows lie in fiscal years long before any data set's history (from April 2006), on
the days each facility is open, one row per room and slot, a slot now and then let as two
halves (13:00–15:00 and 15:00–17:00, by 開始 / 終了) and a row now and then cancelled; 70 % of
the rows name a registered group by 登録番号, the others an applicant with a phone number and an
applicant class, a few with a 減免 reason and the number of people who came. The same ``count``
gives the same rows on any data set of the same configuration.

The group list has new groups only (names that no data set holds), without 登録番号, so the
import numbers them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy import select

LEDGER_HEADER = ("施設", "部屋", "利用日", "区分", "開始", "終了", "登録番号", "申込者名", "電話番号", "申込者区分", "目的", "人数", "減免", "状態", "利用人数")
FIRST_DAY = dt.date(2006, 4, 1)
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
_KANJI = "山川森林花空海星風雲光明和平春夏秋冬雪月"


def ledger_rows(db, count: int, seed: int = 3) -> list[tuple[str, ...]]:
    """``count`` rows of a valid ledger for ``db`` (its facilities, rooms, slots, groups)."""
    from center_app.db.groups import Group
    from center_app.db.models import Facility, Room, TimeSlot
    from center_app.domain.closed_days import day_status
    from center_app.services.facilities import closed_day_rules

    rng = random.Random(seed)
    with db.read() as session:
        facilities = {f.id: f.name for f in session.scalars(select(Facility).where(Facility.active.is_(True)))}
        rooms = [(r.facility_id, r.name, r.capacity) for r in session.scalars(
            select(Room).where(Room.active.is_(True)).order_by(Room.facility_id, Room.sort_order, Room.id)) if r.facility_id in facilities]
        slots = {}
        for ts in session.scalars(select(TimeSlot).where(TimeSlot.active.is_(True), TimeSlot.is_all_day.is_(False)).order_by(TimeSlot.sort_order)):
            slots.setdefault(ts.facility_id, []).append((ts.name, ts.start_time, ts.end_time))
        rules = {fid: closed_day_rules(session, fid) for fid in facilities}
        numbers = sorted(n for n in session.scalars(select(Group.registration_no).where(Group.registration_no.is_not(None))))[:200]
    rows: list[tuple[str, ...]] = []
    day = FIRST_DAY
    while len(rows) < count:
        for facility_id, room, capacity in rooms:
            if not day_status(day, rules[facility_id]).is_open:
                continue
            for name, start, end in slots.get(facility_id, ()):
                people = str(rng.randint(1, capacity))
                if numbers and rng.random() < 0.7:
                    applicant = ("", "", rng.choice(numbers), "", "", "")
                else:
                    applicant = ("", "", "", f"申込 {_KANJI[rng.randrange(len(_KANJI))]}子", f"090-{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}",
                                 rng.choice(("一般（市内）", "市外")))
                exemption = "市の後援" if applicant[2] and rng.random() < 0.1 else ""
                status = "取消" if rng.random() < 0.03 else ""
                came = str(max(1, int(people) - 1)) if not status and rng.random() < 0.5 else ""
                base = (facilities[facility_id], room, f"{day:%Y/%m/%d}")
                if name == "午後" and rng.random() < 0.2:
                    for begin, finish in (("13:00", "15:00"), ("15:00", "17:00")):
                        rows.append((*base, "", begin, finish, *applicant[2:5], applicant[5], "定例会", people, exemption, status, came))
                else:
                    rows.append((*base, name, "", "", *applicant[2:5], applicant[5], "定例会", people, exemption, status, came))
        day += dt.timedelta(days=1)
    return rows[:count]


def write_ledger(db, path: Path, count: int) -> Path:
    """Write a ledger of ``count`` rows for ``db`` to ``path`` (CSV, UTF-8 with BOM)."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(LEDGER_HEADER)
        writer.writerows(ledger_rows(db, count))
    return Path(path)


def _kana(n: int) -> str:
    letters = []
    for _ in range(4):
        n, digit = divmod(n, len(_KATAKANA))
        letters.append(_KATAKANA[digit])
    return "".join(letters)


GROUP_HEADER = ("団体名", "フリガナ", "団体種別", "活動分野", "代表者名", "代表者フリガナ", "郵便番号", "住所", "電話番号", "会員数", "設立年月日", "登録日", "公開可否")


def write_groups(path: Path, count: int, seed: int = 5) -> Path:
    """Write ``count`` new groups (CSV, UTF-8 with BOM), numbered by the import."""
    rng = random.Random(seed)
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(GROUP_HEADER)
        for i in range(count):
            kana = _kana(i)
            writer.writerow((
                f"ベンチ{kana}の会", f"ベンチ{kana}ノカイ", rng.choice(("任意団体", "NPO法人", "自治会・町内会")), rng.choice(("まちづくり", "社会教育", "環境保全", "保健・医療・福祉;子どもの健全育成")),
                f"{_KANJI[i % len(_KANJI)]}田 花子", "ヤマダ　ハナコ", "400-0401", "南アルプス市小笠原1-1", f"055-2{rng.randint(10, 99)}-{rng.randint(0, 9999):04d}",
                str(rng.randint(3, 60)), "2015-04-01", "", "可",
            ))
    return Path(path)
