"""The published demo site in a real browser: Debian's chromium (``/usr/bin/chromium``) driven
by Playwright — never Playwright's own browser download — on pages served from a localhost
``http.server`` thread, with axe-core (npm, ``make node-deps``) injected into each page kind:
no serious or critical WCAG 2.1 A/AA violation. Each page kind is saved as a screenshot at
phone and desktop width (``CENTER_APP_SITE_SCREENSHOTS`` names the folder; a temporary one
otherwise). The privacy test reads every file of the site (PDF text and calendar files
included) and needs no browser.

The browser tests skip, saying why, only when ``/usr/bin/chromium`` or node is missing; with
node present, ``make test`` installs axe-core first (``make node-deps``).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
NOW = dt.datetime(2026, 6, 2, 9, 0)
#: One page of each kind, by path in the site.
PAGE_KINDS = {
    "choose": "index.html",
    "home": "{lang}/index.html",
    "month": "{lang}/facility-1-2026-06.html",
    "events": "{lang}/events.html",
    "event": "{lang}/event-{event}.html",
    "groups": "{lang}/groups.html",
    "field": "{lang}/groups-field-{field}.html",
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo data set (groups that did and did not consent, bookings of individuals), two
    events (one held in a room), published in every language."""
    from conftest import new_database_url

    from center_app.domain import clock
    from center_app.services import auth, publish
    from center_app.services.context import ServiceContext
    from center_app.services.demo.generate import Profile, generate
    from center_app.services.events import EventInput, save_event
    from center_app.services.startup import open_center_database

    folder = tmp_path_factory.mktemp("site")
    clock.set_fixed(NOW)
    db = open_center_database(new_database_url(folder))
    try:
        generate(db, Profile(groups=120, history_days=20, future_days=60, slot_share=0.4, split_share=0.2, bookings=None, consultations=0),
                 seed=5, today=NOW.date())
        admin = auth.create_first_admin(db, "admin", "管理 花子", "admin-password-1", "admin-password-1")
        ctx = ServiceContext(db, admin)
        from tests.unit.bookings_support import room_ids

        hall = room_ids(db)["HALL"]
        day = dt.date(2026, 6, 20)
        events = []
        for start, end in (("18:00", "20:00"), ("18:30", "20:30"), ("21:00", "21:45")):
            try:
                events.append(save_event(ctx, None, EventInput(
                    title="みんなの防災フェア", event_date=day, start_time=start, end_time=end, room_id=hall, organiser="市民活動センター",
                    catch_copy="家族で学ぶ、地域の備え", fee_yen="0", capacity="50", how_to_apply="当日受付", description="起震車と防災食の試食")))
                break
            except Exception:  # the demo booked the hall at that time: try the next
                continue
        assert events, "the hall is booked at every time tried"
        events.append(save_event(ctx, None, EventInput(title="まちの手話講座", event_date=dt.date(2026, 7, 4), start_time="10:00",
                                                       end_time="12:00", place_text="市民会館", organiser="市民活動センター", fee_yen="500")))
        site = folder / "www"
        result = publish.publish_site(ctx, site, months=2)
        from center_app.db.bookings import Booking
        from center_app.db.events import Event
        from center_app.db.groups import Group
        from center_app.services.group_values import REGISTERED, effective_status

        with db.read() as session:
            held = [e.booking_id for e in session.scalars(select(Event)) if e.booking_id]  # the center's own events: booked in its name
            individuals = set(session.scalars(select(Booking.applicant_name).where(Booking.group_id.is_(None), Booking.id.not_in(held))))
            all_groups = {g.name: "name" in (g.public_consent or []) and effective_status(g.status, g.valid_until, NOW.date()) == REGISTERED
                          for g in session.scalars(select(Group))}
        listed = {name for name, shown in all_groups.items() if shown}  # registered, not expired, consented to its name
        yield {"site": site, "result": result, "event": events[0].id, "individuals": individuals,
               "withheld": set(all_groups) - listed, "listed": listed}
    finally:
        clock.reset()
        db.dispose()


def _texts(site: Path) -> dict[str, str]:
    from pypdf import PdfReader

    found = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            found[str(path.relative_to(site))] = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        else:
            found[str(path.relative_to(site))] = path.read_bytes().decode("utf-8")
    return found


def test_no_withheld_group_and_no_individual_applicant_appears_anywhere_in_the_site(demo_site):
    texts = _texts(demo_site["site"])
    assert any(name.endswith(".ics") for name in texts) and any(name.endswith(".pdf") for name in texts)
    withheld, individuals = demo_site["withheld"], demo_site["individuals"]
    assert len(withheld) > 5 and len(individuals) > 5  # the demo data has both
    # A withheld name inside a listed group's name ("…の会" in "芦安…の会") is the listed group's.
    checked = {name for name in withheld | individuals if not any(name in other for other in demo_site["listed"])}
    leaks = {(file, name) for file, text in texts.items() for name in checked if name in text}
    assert leaks == set()
    assert all(name in texts["ja/groups.html"] for name in demo_site["listed"])


def test_every_language_has_every_page_kind(demo_site):
    from center_app.domain.document_texts import SITE_LANGUAGES

    field = _first_field(demo_site["site"])
    for lang in SITE_LANGUAGES:
        for kind, pattern in PAGE_KINDS.items():
            assert (demo_site["site"] / pattern.format(lang=lang, event=demo_site["event"], field=field)).is_file(), (lang, kind)


def _first_field(site: Path) -> int:
    return min(int(p.stem.rsplit("-", 1)[1]) for p in (site / "ja").glob("groups-field-*.html"))


# --- in the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium: apt-get install chromium)")
    if shutil.which("node") is None:
        pytest.skip("node is not installed: axe-core (npm) cannot be installed (apt-get install nodejs npm)")
    assert AXE.exists(), "axe-core is missing: run `make node-deps` (npm ci)"
    from playwright.sync_api import sync_playwright

    fonts = tmp_path_factory.mktemp("fonts")
    (fonts / "fonts.conf").write_text(  # the app's bundled fonts, so Japanese, Thai and Chinese are drawn on any machine
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<dir>{ROOT / "resources" / "fonts"}</dir><cachedir>{fonts / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                              env={**os.environ, "FONTCONFIG_FILE": str(fonts / "fonts.conf")})
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(demo_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(demo_site["site"])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("CENTER_APP_SITE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


def _pages(demo_site, languages) -> list[tuple[str, str, str]]:
    field = _first_field(demo_site["site"])
    pages = []
    for lang in languages:
        for kind, pattern in PAGE_KINDS.items():
            if kind == "choose" and lang != languages[0]:
                continue
            pages.append((kind, lang, pattern.format(lang=lang, event=demo_site["event"], field=field)))
    return pages


def test_no_serious_accessibility_violation_on_any_page_kind(demo_site, browser, server, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    summary = {}
    serious = []
    for kind, lang, path in _pages(demo_site, ["ja", "ja_easy", "en"]):
        page.goto(f"{server}/{path}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        summary[path] = {"passes": len(result["passes"]), "incomplete": len(result["incomplete"]),
                         "violations": {v["id"]: v["impact"] for v in result["violations"]}}
        serious += [(path, v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
                    for v in result["violations"] if v["impact"] in ("serious", "critical")]
    (shots / "axe-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    assert serious == []
    page.close()


def test_each_page_kind_is_readable_on_a_phone_and_a_desktop(demo_site, browser, server, shots):
    for width, name in ((390, "phone"), (1280, "desktop")):
        page = browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
        for kind, lang, path in _pages(demo_site, ["ja", "ja_easy", "en"]):
            page.goto(f"{server}/{path}")
            page.screenshot(path=str(shots / f"{kind}-{lang}-{name}.png"))
            # nothing but a grid's own scroll box is wider than the screen
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, name, overflow)
        page.close()


def test_the_keyboard_reaches_a_visible_skip_link_first_and_focus_is_visible(demo_site, browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/ja/facility-1-2026-06.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect(), s = getComputedStyle(a);
        return {text: a.textContent, href: a.getAttribute('href'), x: r.left, y: r.top, w: r.width, outline: s.outlineStyle}; }""")
    assert focused["text"] == "本文へ移動" and focused["href"] == "#main"
    assert focused["x"] >= 0 and focused["y"] >= 0 and focused["w"] > 0 and focused["outline"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.close()


def test_the_grid_reads_as_a_table_with_headers(demo_site, browser, server):
    page = browser.new_page()
    page.goto(f"{server}/en/facility-1-2026-06.html")
    table = page.get_by_role("table").first
    assert table.get_by_role("columnheader").first.inner_text() == "Date"
    first_row = table.get_by_role("row").nth(1)
    assert first_row.get_by_role("rowheader").inner_text() == "Tue, Jun 2"
    assert set(first_row.get_by_role("cell").all_inner_texts()) <= {"Free", "Booked", "Closed"} | {"みんなの防災フェア"}
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.close()
