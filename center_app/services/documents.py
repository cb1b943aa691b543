"""One builder per printed document: the screens and the commands call these, nothing else.

- :func:`booking_slip_pdf`: the 予約票 of one booking, issued today (the one clock) by the
  signed-in staff member — at the counter the clerk, on the command line the operating-system
  account the command runs as. It says what the ledger says of the fee (paid, due by a
  deadline, exempt); it is never a receipt.
- :func:`permit_pdf`: the 使用許可書 of one or more bookings of one applicant (a series shares one).
- :func:`receipt_pdf`: the 領収書 of a recorded payment — or the 使用許可書兼領収書 when the fee is
  paid as the permit is issued; a reprint is marked 再発行.
- :func:`award_certificates_pdf`: 修了証 / 感謝状 of a batch, issued by the center (設定).
- :func:`flyer_pdf`: the flyer of a stored event, with its options remembered when printed.
- :func:`grant_letters_pdf`, :func:`grant_results_pdf`, :func:`grant_report_check_pdf`: the
  交付決定通知書 / 不採択通知 of a funding round, its public results list, the 実績報告 check;
  :func:`endorsement_letter_pdf`: the 共催・後援 承認 / 不承認 letter.
- Registration certificates: :func:`center_app.services.certificates.certificates_pdf` and
  :func:`~center_app.services.certificates.group_certificate_pdf`.

Each reads what the document shows through the services, hands frozen values of
:mod:`center_app.domain.documents` to a renderer of :mod:`center_app.print`, and returns PDF bytes.
Errors are the renderers' (MissingGlyphError naming each character the font cannot print,
ValidationError, ImageUnreadable, Cancelled) and the services' (PermissionDenied when nobody is
signed in). See docs/architecture.md, "How a booking flows from dialog to slip".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from collections.abc import Sequence

from center_app.domain import clock, document_names
from center_app.domain.center_settings import DOCUMENT_NAMES
from center_app.domain.documents import PERMIT_LANGUAGES, RECEIPT_LANGUAGES, AwardBatch, FlyerOptions, PermitDocument, Progress, applicant_class_name
from center_app.domain.errors import ValidationError
from center_app.i18n import _
from center_app.print.awards import render_awards, validate_batch
from center_app.print.booking_slip import render_booking_slip
from center_app.print.flyer import render_flyer
from center_app.print.fonts import register_fonts
from center_app.print.permit import render_permit, render_receipt
from center_app.print.program_letters import render_letters, render_public_results, render_report_check
from center_app.services import award_numbers, bookings, center_settings, certificates, events, ledger, ledger_documents
from center_app.services.context import ServiceContext


@dataclass(frozen=True)
class SlipDocument:
    """A rendered booking slip: the PDF bytes, the slip number printed on it and its language."""

    pdf: bytes
    slip_no: str
    language: str


def _name_table(ctx: ServiceContext, language: str) -> document_names.NameTable:
    """設定's names of configured things in the documents' languages (none needed for Japanese)."""
    return {} if language == "ja" else document_names.parse(center_settings.get(ctx, DOCUMENT_NAMES))


def _named_permit(doc: PermitDocument, language: str, table: document_names.NameTable) -> PermitDocument:
    """``doc`` with its rooms, facilities, slots and exemptions named in ``language`` (設定)."""
    def name(text: str) -> str:
        return document_names.name_in(text, language, table)

    lines = tuple(replace(line, facility_name=name(line.facility_name), room_name=name(line.room_name),
                          slot_names=tuple(name(s) for s in line.slot_names), exemption_name=name(line.exemption_name))
                  for line in doc.lines)
    return replace(doc, lines=lines)


def booking_slip_pdf(ctx: ServiceContext, booking_id: int, language: str | None = None, *, issued_on: dt.date | None = None) -> SlipDocument:
    """The slip of booking ``booking_id`` in ``language`` (default: the applicant's preferred
    language, ``bookings.language``), dated ``issued_on`` (default: today) and naming the
    signed-in user as the clerk who issued it. The applicant class is named in the slip's
    language (:func:`center_app.domain.documents.applicant_class_name`).

    Raises PermissionDenied (nobody signed in), ValidationError (no such booking), ValueError
    (a language the slip does not have) and MissingGlyphError (a name the font cannot print)."""
    user = ctx.require_signed_in()
    view, header = bookings.slip_data(ctx, booking_id)
    language = language or view.language
    table = _name_table(ctx, language)

    def name(text: str) -> str:
        return document_names.name_in(text, language, table)

    view = replace(view, applicant_class_name=applicant_class_name(view.applicant_class, view.applicant_class_name, language,
                                                                   table.get(view.applicant_class_name)),
                   room_name=name(view.room_name), facility_name=name(view.facility_name), exemption_name=name(view.exemption_name),
                   slot_names=tuple(name(s) for s in view.slot_names))
    pdf = render_booking_slip(view, header, language=language, issued_on=issued_on or clock.today(), clerk=user.display_name)
    return SlipDocument(pdf, view.slip_no, language)


@dataclass(frozen=True)
class NumberedDocument:
    """A rendered permit or receipt: the PDF bytes, its number, its language and whether it is a
    reprint (再発行)."""

    pdf: bytes
    number: str
    language: str
    reissue: bool


def _language(value: str | None, fallback: str, allowed) -> str:
    """``value``, else the booking's language ``fallback`` (Japanese for a やさしい日本語 booking,
    which only the slip has); raises ValidationError for a language not in ``allowed``."""
    language = value or ("ja" if fallback == "ja_easy" and fallback not in allowed else fallback)
    if language not in allowed:
        raise ValidationError(_("Unknown language: {code}.").format(code=language), field_name="language")
    return language


def permit_pdf(ctx: ServiceContext, booking_ids: Sequence[int], language: str | None = None, *, skip_unreadable_images: bool = False) -> NumberedDocument:
    """The 使用許可書 of ``booking_ids`` (confirmed bookings of one applicant; a series or several
    dates share one permit), in ``language`` (default: the applicant's). The first print numbers
    it (``P2026-000001``); printing the same bookings again is a 再発行. A fully exempt booking's
    permit says 「減免により使用料は免除」. Conditions of use come from 設定 (every room, then the
    room's own). Raises ValidationError / RuleError naming the booking (unknown, cancelled,
    provisional, another applicant, on another permit), MissingGlyphError, ImageUnreadable."""
    user = ctx.require_signed_in()
    issuer = certificates.issuer(ctx)
    first = bookings.get_booking(ctx, booking_ids[0]) if booking_ids else None
    language = _language(language, first.language if first else "ja", PERMIT_LANGUAGES)
    table = _name_table(ctx, language)
    with ctx.db.write() as session:
        doc = _named_permit(ledger_documents.permit_document(session, user, booking_ids, language, issuer, names=table), language, table)
        pdf = render_permit(doc, language=language, skip_unreadable_images=skip_unreadable_images)
    return NumberedDocument(pdf, doc.permit_no, language, doc.reissue)


def receipt_pdf(ctx: ServiceContext, receipt_no: str, language: str | None = None, *, original: bool = False, with_permit: bool = False,
                skip_unreadable_images: bool = False) -> NumberedDocument:
    """The 領収書 of the payment ``receipt_no`` (only a recorded payment has one), rebuilt from the
    ledger. ``original``: the counter's print right after recording the payment — the original
    unless it was printed before; every other print is marked 再発行. ``with_permit``: when the
    bookings have no permit yet, a 使用許可書兼領収書 (the permit is numbered with it). A voided
    payment's receipt is marked 取消. Every print is recorded and audited. Raises ValidationError
    (no such receipt), MissingGlyphError, ImageUnreadable."""
    user = ctx.require_signed_in()
    issuer = certificates.issuer(ctx)
    with ctx.db.write() as session:
        payment = ledger.load_payment(session, receipt_no)
        ids = [b for b in ledger_documents.allocated_bookings(session, payment.id)]
        booking_language = ledger_documents.booking_language(session, ids[0]) if ids else "ja"
        language = _language(language, booking_language, RECEIPT_LANGUAGES)
        table = {} if language == "ja" else document_names.parse(center_settings.get(session, DOCUMENT_NAMES))
        doc = ledger_documents.receipt_document(session, user, receipt_no, language, issuer, original=original, with_permit=with_permit,
                                                names=table)
        doc = replace(doc, lines=tuple(replace(line, room_name=document_names.name_in(line.room_name, language, table)) for line in doc.lines),
                      permit=_named_permit(doc.permit, language, table) if doc.permit is not None else None)
        pdf = render_receipt(doc, language=language, skip_unreadable_images=skip_unreadable_images)
    return NumberedDocument(pdf, doc.receipt_no, language, doc.reissue)


def award_certificates_pdf(ctx: ServiceContext, batch: AwardBatch, *, first: int | None = None, progress: Progress | None = None, skip_unreadable_images: bool = False) -> bytes:
    """修了証 or 感謝状 for every recipient of ``batch``, issued by the center (設定). A 修了証
    needs ``batch.course_name`` and prints each recipient's number for that course
    (:mod:`center_app.services.award_numbers`): the final print gives and stores the missing
    numbers; with ``first`` (a preview), every recipient is still checked but only the first
    ``first`` are drawn, and nothing is stored. Raises ValidationError / MissingGlyphError (with
    the line of each name), ImageUnreadable (the seal, unless ``skip_unreadable_images``) and
    Cancelled."""
    issuer = certificates.issuer(ctx)
    font = register_fonts()[1]
    try:
        batch = award_numbers.check_course(batch)
    except ValidationError as course:  # the course's problems with the form's others, at once
        try:
            validate_batch(batch, issuer, font)
        except ValidationError as other:  # names, wording, characters the font cannot print
            raise ValidationError(course.problems + other.problems) from None
        raise
    validate_batch(batch, issuer, font)  # before any number is given
    if first is not None:
        batch = award_numbers.preview_numbers(ctx, replace(batch, recipients=batch.recipients[:first]))
    else:
        batch = award_numbers.assign_numbers(ctx, batch)
    return render_awards(batch, issuer, progress=progress, skip_unreadable_images=skip_unreadable_images)


def flyer_pdf(ctx: ServiceContext, event_id: int, options: FlyerOptions, *, remember_options: bool = False, skip_unreadable_images: bool = False) -> bytes:
    """The flyer of stored event ``event_id`` with ``options`` — with the names of its approved
    共催 and 後援 (services/endorsements.py); with ``remember_options`` (the
    final print, not a preview) the options are saved with the event afterwards (audited).
    Raises ValidationError (event gone, title or date missing, text too long for the template),
    MissingGlyphError and ImageUnreadable (unless ``skip_unreadable_images``)."""
    from center_app.services import endorsements

    detail = events.get_event(ctx, event_id)
    flyer = events.flyer_event(detail)
    co_hosts, supporters = endorsements.event_credits(ctx, event_id, flyer.co_hosts)  # an approved 共催 / 後援 too
    flyer = replace(flyer, co_hosts=co_hosts, supporters=supporters)
    pdf = render_flyer(flyer, options, skip_unreadable_images=skip_unreadable_images)
    if remember_options:
        events.save_flyer_options(ctx, event_id, options)
    return pdf


def lottery_result_pdf(ctx: ServiceContext, facility: int | str, month: str, *, issued_on: dt.date | None = None) -> bytes:
    """抽選結果一覧 of ``facility`` (id or code) for ``month`` (``YYYY-MM``), as recorded: the seed,
    the rule of the draw, the winners with their 仮予約 and the losers with the free alternatives,
    dated ``issued_on`` (default today) under the center's name (設定). Raises ValidationError
    (not drawn yet) and MissingGlyphError (a name the font cannot print)."""
    from center_app.domain.center_settings import CENTER_NAME
    from center_app.print.lottery import render_lottery_result
    from center_app.services import center_settings, lottery

    ctx.require_signed_in()
    result = lottery.recorded_draw(ctx, facility, month)
    center = center_settings.get(ctx, CENTER_NAME) or result.facility_name
    return render_lottery_result(result, center_name=center, issued_on=issued_on or clock.today())
def loan_permit_pdf(ctx: ServiceContext, loan: int | str) -> bytes:
    """The 備品貸出許可書 of ``loan`` (number ``E2026-000001`` or id): the loan, the issuer of 設定,
    dated today, naming the signed-in user as the clerk (screen: 備品・印刷室; CLI: ``equipment
    permit``). Raises ValidationError (no such loan), MissingGlyphError, PermissionDenied."""
    from center_app.print.loan_permit import render_loan_permit
    from center_app.services import equipment_queries

    issuer = certificates.issuer(ctx)
    return render_loan_permit(equipment_queries.permit_document(ctx, loan, issuer_center=issuer.center_name, issuer_head=issuer.head_line))


def grant_letters_pdf(ctx: ServiceContext, round_id: int, application_ids: Sequence[int] | None = None) -> bytes:
    """The 交付決定通知書 and 不採択通知 of an allocated round (or of ``application_ids``), one
    page each, issued today by the center (設定). Raises ValidationError (not allocated yet) and
    MissingGlyphError."""
    from center_app.services import review

    return render_letters(review.grant_letters(ctx, round_id, certificates.issuer(ctx), application_ids))


def grant_results_pdf(ctx: ServiceContext, round_id: int) -> bytes:
    """The public results list of an allocated round (project, group, amount, total score; no
    reviewer names)."""
    from center_app.services import review

    return render_public_results(review.public_results(ctx, round_id, certificates.issuer(ctx)))


def grant_report_check_pdf(ctx: ServiceContext, application_id: int) -> bytes:
    """The 実績報告 check of one grant: granted, spent, the amount to return."""
    from center_app.services import review

    return render_report_check(review.report_check(ctx, application_id, certificates.issuer(ctx)))


def endorsement_letter_pdf(ctx: ServiceContext, endorsement_id: int) -> bytes:
    """The 共催・後援承認通知書 (or 不承認通知) of a decided application."""
    from center_app.print.program_letters import render_endorsement_letter
    from center_app.services import endorsements

    return render_endorsement_letter(endorsements.endorsement_letter(ctx, endorsement_id, certificates.issuer(ctx)))


# --- mailings (郵送) ---------------------------------------------------------------------------------


def _mail_document(kind, pdf: bytes, template_name: str, printable, skipped):
    from center_app.domain.mailings import MailDocument

    return MailDocument(pdf, kind, template_name, tuple(printable), tuple(skipped))


def mail_letters_pdf(ctx: ServiceContext, template_name: str, group_ids: Sequence[int], addressee: str = "group", *,
                     issued_on: dt.date | None = None):
    """The letters of the template ``template_name`` to the groups ``group_ids`` (one A4 page
    each, dated today or ``issued_on``, from the center of 設定), merged with each group's fields.
    Returns a :class:`~center_app.domain.mailings.MailDocument`: the PDF, the groups printed and
    those skipped without an address. Raises ValidationError (no group chosen, none with an
    address, no such template) and MissingGlyphError. Nothing is recorded:
    :func:`center_app.services.mailings.record_mailing` does, once the PDF is saved."""
    from center_app.domain.mailings import Addressee, MailKind, MailLetter, address_block, merge
    from center_app.domain.wareki import format_wareki
    from center_app.print.mailings import render_mail_letters
    from center_app.services import mailings

    template = mailings.template_named(ctx, template_name)
    printable, skipped = mailings.recipients(ctx, group_ids)
    issuer = certificates.issuer(ctx)
    day = issued_on or clock.today()
    letters = []
    for recipient in printable:
        values = {"団体名": recipient.group_name, "代表者名": recipient.representative_name, "登録番号": recipient.registration_no,
                  "有効期限": format_wareki(recipient.valid_until) if recipient.valid_until else "", "センター名": issuer.center_name,
                  "センター長": issuer.head_line, "日付": format_wareki(day)}
        letters.append(MailLetter(address_block(recipient, Addressee(addressee)), day, issuer, merge(template.title, values),
                                  merge(template.body, values), recipient.group_name))
    return _mail_document(MailKind.LETTER, render_mail_letters(letters), template.name, printable, skipped)


def mail_labels_pdf(ctx: ServiceContext, group_ids: Sequence[int], layout: str = "a4-12", start: int = 1, addressee: str = "group"):
    """Address labels of the groups ``group_ids`` on the A4 sheet ``layout`` (``a4-12``,
    ``a4-24``: :data:`~center_app.domain.mailings.LABEL_SHEETS`), from label ``start`` of the
    first sheet. Returns a MailDocument (printed, skipped); raises ValidationError (no group, no
    address, a start outside the sheet, an unknown layout)."""
    from center_app.domain.errors import FieldProblem
    from center_app.domain.mailings import LABEL_SHEETS, Addressee, MailKind, address_block, check_start
    from center_app.print.mailings import render_labels
    from center_app.services import mailings

    sheet = LABEL_SHEETS.get(layout)
    if sheet is None:
        raise ValidationError([FieldProblem("layout", _("Unknown label sheet {layout}: use {known}.").format(layout=layout, known=", ".join(LABEL_SHEETS)))])
    check_start(sheet, start)
    printable, skipped = mailings.recipients(ctx, group_ids)
    blocks = [address_block(r, Addressee(addressee)) for r in printable]
    return _mail_document(MailKind.LABELS, render_labels(sheet, blocks, start), "", printable, skipped)


def mail_envelopes_pdf(ctx: ServiceContext, group_ids: Sequence[int], addressee: str = "group"):
    """長形3号 envelopes of the groups ``group_ids`` (one page of 120 × 235 mm each), the center
    of 設定 as the sender. Returns a MailDocument (printed, skipped); raises ValidationError."""
    from center_app.domain.mailings import Addressee, MailKind, address_block
    from center_app.print.mailings import render_envelopes
    from center_app.services import mailings

    printable, skipped = mailings.recipients(ctx, group_ids)
    issuer = certificates.issuer(ctx)
    blocks = [address_block(r, Addressee(addressee)) for r in printable]
    return _mail_document(MailKind.ENVELOPE, render_envelopes(blocks, [issuer.center_name]), "", printable, skipped)
