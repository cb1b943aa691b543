"""The calendar layout without widgets: ranges, columns, placing bookings, marking free cells."""

from __future__ import annotations

import datetime as dt

from center_app.domain.booking_rules import Slot
from center_app.domain.booking_values import BookingCell, RoomInfo
from center_app.domain.closed_days import DayStatus
from center_app.ui.screens.bookings.model import DAY, MONTH, WEEK, Grid, Selection, day_columns, range_of, step, week_columns

ROOMS = [RoomInfo(1, "M1", "会議室1", 18, None), RoomInfo(2, "M2", "会議室2", 18, None)]
SLOTS = (Slot("午前", dt.time(9), dt.time(12)), Slot("午後", dt.time(13), dt.time(17)), Slot("夜間", dt.time(18), dt.time(22)),
         Slot("全日", dt.time(9), dt.time(22), True))
DAY_ = dt.date(2026, 6, 9)


def cell(booking_id, room_id, start, end, day=DAY_):
    return BookingCell(booking_id, room_id, "", dt.datetime.combine(day, dt.time.fromisoformat(start)),
                       dt.datetime.combine(day, dt.time.fromisoformat(end)), "confirmed", "団体", "", (), 5, None, False, 0, "B")


def test_ranges_and_paging():
    assert range_of(DAY, DAY_) == (DAY_, DAY_)
    assert range_of(WEEK, DAY_) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert range_of(MONTH, DAY_) == (dt.date(2026, 6, 1), dt.date(2026, 7, 12))
    assert step(MONTH, dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert step(WEEK, DAY_, -1) == dt.date(2026, 6, 2)


def test_day_grid_places_bookings_and_marking_stops_at_them():
    columns = day_columns(DAY_, dt.time(9), dt.time(22))
    assert len(columns) == 26 and columns[-1].end == dt.time(22)
    grid = Grid(ROOMS, columns, [cell(7, 1, "13:00", "14:15")])
    first = next(i for i, c in enumerate(columns) if c.start == dt.time(13))
    assert [grid.booking_at(0, first + k).id for k in range(3)] == [7, 7, 7]  # 13:00, 13:30, 14:00 (partly used)
    assert grid.is_free(0, first + 3) and grid.is_free(1, first)
    start = first - 4  # 11:00
    assert grid.extend(Selection(0, start, start), first + 5) == Selection(0, start, first - 1)
    proposal = grid.proposal(Selection(0, start, first - 1))
    assert (proposal.room_id, proposal.start, proposal.end, proposal.slot_names) == (1, dt.time(11), dt.time(13), ())
    assert grid.position_of(7) == (0, first)


def test_week_grid_proposes_slots_and_never_crosses_a_day():
    columns = week_columns(dt.date(2026, 6, 8), SLOTS, dt.time(9), dt.time(22))
    assert len(columns) == 21 and [c.slot for c in columns[:3]] == ["午前", "午後", "夜間"]
    grid = Grid(ROOMS, columns, [], {dt.date(2026, 6, 8): DayStatus(False, "休館日")})
    assert grid.is_closed(0) and not grid.is_closed(3)
    assert grid.extend(Selection(1, 4, 4), 9) == Selection(1, 4, 5)  # Tuesday 午後 to 夜間, not into Wednesday
    proposal = grid.proposal(Selection(1, 3, 4))
    assert (proposal.day, proposal.slot_names, proposal.start, proposal.end) == (DAY_, ("午前", "午後"), dt.time(9), dt.time(17))


def test_week_grid_stacks_bookings_sharing_a_slot_and_the_widget_shows_both(qtbot):
    from center_app.ui.screens.bookings.grid import BookingGrid, cell_tooltip

    columns = week_columns(dt.date(2026, 6, 8), SLOTS, dt.time(9), dt.time(22))
    evening = next(i for i, c in enumerate(columns) if c.day == DAY_ and c.slot == "夜間")
    early, late, other = cell(1, 1, "18:00", "20:00"), cell(2, 1, "20:00", "22:00"), cell(3, 2, "18:00", "22:00")
    grid = Grid(ROOMS, columns, [early, late, other])
    assert [b.id for b in grid.bookings_at(0, evening)] == [1, 2]
    assert (grid.lane_of(1), grid.lane_of(2), grid.lane_of(3)) == ((0, 2), (1, 2), (0, 1))
    widget = BookingGrid()
    qtbot.addWidget(widget)
    widget.resize(1200, 200)
    widget.set_grid(grid, WEEK)
    top, bottom = widget.booking_rect(early, 0, evening, evening), widget.booking_rect(late, 0, evening, evening)
    assert not top.adjusted(2, 3, -2, -3).intersects(bottom.adjusted(2, 3, -2, -3))  # two readable boxes, not one over the other
    assert widget.booking_at_point(top.center()).id == 1 and widget.booking_at_point(bottom.center()).id == 2
    assert widget.booking_rect(other, 1, evening, evening) == widget.cell_rect(1, evening)
    assert "2" in cell_tooltip(grid.bookings_at(0, evening)) and cell_tooltip(grid.bookings_at(0, evening)).count("団体") == 2
