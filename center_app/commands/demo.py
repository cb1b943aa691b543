"""``center-app demo [--seed N] [--profile small|large]``: reproducible demo data."""

from __future__ import annotations

import argparse
import time

from center_app.db.database import Database
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``demo``."""
    demo = sub.add_parser("demo", help="デモデータの作成（新しいデータベースのみ）")
    demo.add_argument("--seed", type=int, default=1, help=_("random seed (the same seed gives the same data)"))
    demo.add_argument("--profile", choices=("small", "large"), default="small",
                      help=_("small: a few hundred groups and a year of bookings; large: ten years of a busy center"))
    demo.set_defaults(handler=run, creates_database=True)


def run(args: argparse.Namespace, db: Database) -> int:
    """Generate and print a summary line."""
    from center_app.services.demo import generate

    started = time.perf_counter()
    summary = generate(db, args.profile, seed=args.seed)
    print(_("Demo data: {groups} groups, {bookings} bookings, {consultations} consultations, {staff} staff accounts ({first} to {last}) in {seconds:.1f} s.").format(
        groups=summary.groups, bookings=summary.bookings, consultations=summary.consultations, staff=summary.staff,
        first=summary.first_day, last=summary.last_day, seconds=time.perf_counter() - started))
    return 0
