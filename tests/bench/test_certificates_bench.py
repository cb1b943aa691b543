"""500 registration certificates (登録証, A4) to one PDF (docs/architecture.md §8: ≤ 5 s).

Ours: ``services.certificates.certificates_pdf`` for the first 500 certificates in force (the
small data set has fewer: its certificates are repeated up to 500) (what
印刷 → 登録証 → all groups does after reading them; the reading is timed separately, as a note).
Baseline: plain reportlab drawing the same text — the same embedded font, one page per
certificate, every string of the certificate with ``drawString`` at fixed places, no fitting,
wrapping, frame, seal or QR code — also compressed, without ASCII85.
"""

from __future__ import annotations

import io
import time

from harness import Row, check, interleaved, note, record

COUNT = 500
RUNS = 3


def _plain_reportlab(certs, issuer) -> bytes:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from center_app.domain.wareki import format_wareki
    from center_app.print.fonts import register_fonts
    from center_app.print.registration import TITLE

    _gothic, mincho = register_fonts()
    rl_config.useA85 = 0
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    statement = f"上記の団体を{issuer.center_name or '当センター'}の登録団体として登録したことを証します。"
    for cert in certs:
        canvas.setFont(mincho, 30)
        canvas.drawCentredString(width / 2, height - 70 * mm, TITLE)
        canvas.setFont(mincho, 12)
        lines = [
            f"登録番号　{cert.registration_no}", cert.group_kana, "団 体 名", cert.group_name, "代 表 者", cert.representative_name,
            "活動分野", *(f"・{name}" for name in cert.activity_fields), "有効期限",
            f"{format_wareki(cert.valid_until, weekday=False)}まで" if cert.valid_until else "—",
            statement, format_wareki(cert.issued_on, weekday=False), issuer.center_name, issuer.head_title, issuer.head_name,
            cert.registration_no,
        ]
        y = height - 90 * mm
        for line in lines:
            canvas.drawString(30 * mm, y, line)
            y -= 16
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_500_registration_certificates_to_one_pdf(bench_ctx, profile):
    from pypdf import PdfReader

    from center_app.services import certificates


    began = time.perf_counter()
    found = certificates.active_certificates(bench_ctx)
    read_s = time.perf_counter() - began
    assert found, "no group in force"
    certs = (found * (COUNT // len(found) + 1))[:COUNT]
    issuer = certificates.issuer(bench_ctx)
    sizes = {}

    def ours():
        sizes["ours"] = len(pdf := certificates.certificates_pdf(bench_ctx, certs, size="a4"))
        sizes["ours_pdf"] = pdf

    def plain():
        sizes["plain"] = len(_plain_reportlab(certs, issuer))

    our_times, plain_times = interleaved(RUNS, ours, plain)
    assert len(PdfReader(io.BytesIO(sizes.pop("ours_pdf"))).pages) == COUNT
    began = time.perf_counter()
    certificates.certificates_pdf(bench_ctx, certs, size="card")
    card_s = time.perf_counter() - began
    note("certificates", profile, f"certificates: reading all {len(found)} in force {read_s:.2f} s; A4 PDF {sizes['ours'] / 1e6:.1f} MB "
         f"(plain {sizes['plain'] / 1e6:.1f} MB); the same 500 as cards (10 a sheet) {card_s:.2f} s")
    (ours, ours_wall), (plain, plain_wall) = our_times.medians(), plain_times.medians()
    row = record("certificates", profile, Row("500 registration certificates to one PDF (A4)", RUNS, ours, ours_wall, plain, plain_wall,
                                              "plain reportlab, same text", "s", "≤ 5 s", ours <= 5))
    check(row)
