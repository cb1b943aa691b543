"""One builder per document (services/documents.py): the screen and the command line get the
same slip, issued today by whoever issues it, with the applicant class in the slip's language."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from center_app.app import main
from center_app.services import bookings, documents

from bookings_support import TODAY, context, make_input, room_ids, seeded_database
from conftest import command_line_admin


@pytest.fixture
def booked(tmp_path, clock):
    clock(TODAY)
    db = seeded_database(tmp_path)
    made = bookings.create_booking(context(db, name="予約 受付子"), make_input(room_ids(db)["M1"], applicant_class="non_resident"))
    yield db, made
    db.dispose()


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_slip_names_the_user_who_issues_it_not_who_booked(booked):
    db, made = booked
    slip = documents.booking_slip_pdf(context(db, name="発行 担当"), made.id)
    text = _text(slip.pdf)
    assert "発行 担当" in text and "予約 受付子" not in text
    assert slip.slip_no == made.slip_no and slip.language == "ja"
    assert "令和8年6月2日" in text  # issued today, by the one clock


def test_the_slip_names_the_applicant_class_in_its_language(booked):
    db, made = booked
    english = _text(documents.booking_slip_pdf(context(db), made.id, "en").pdf)
    assert "From outside the city" in english and "市外" not in english
    japanese = _text(documents.booking_slip_pdf(context(db), made.id).pdf)
    assert "From outside the city" not in japanese


def test_the_command_line_slip_is_issued_by_the_staff_member_signed_in(booked, tmp_path, monkeypatch):
    db, made = booked
    out = tmp_path / "slip.pdf"
    assert main(["--database-url", db.url, "print", "slip", "--booking", made.slip_no, "--output", str(out), *command_line_admin(db, monkeypatch)]) == 0
    text = _text(out.read_bytes())
    assert "管理 花子" in text and "予約 受付子" not in text


def test_the_slip_language_of_the_command_is_not_the_language_of_its_messages(booked, tmp_path, capsys, monkeypatch):
    """``print slip --lang en`` prints an English slip; the command still speaks Japanese, and the
    global ``--lang en`` (messages) leaves the slip in the applicant's language."""
    db, made = booked
    out = tmp_path / "slip.pdf"
    signed_in = command_line_admin(db, monkeypatch)
    assert main(["--database-url", db.url, "print", "slip", "--booking", made.slip_no, "--lang", "en", "--output", str(out), *signed_in]) == 0
    assert "Room Booking Slip" in _text(out.read_bytes()) and "書き出しました" in capsys.readouterr().out
    assert main(["--database-url", db.url, "--lang", "en", "print", "slip", "--booking", made.slip_no, "--output", str(out), *signed_in]) == 0
    assert "施設予約票" in _text(out.read_bytes()) and "Wrote the slip" in capsys.readouterr().out
