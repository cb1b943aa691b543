"""Reproducible demo data (``center-app demo``): groups, bookings with their payments (most paid at
the counter before use, some by transfer, a few refunds and voids), consultations, and a year of
equipment loans and printing-room jobs with their fees.

``small`` fills a fresh database for a demonstration (a few hundred groups, a year of bookings
around today); ``large`` is ten years of a busy center (5,000 groups, 200,000 bookings, 50,000
consultations) for the benchmarks. The same seed gives the same data. Rows go in with bulk
inserts (SQLAlchemy Core executemany), in one transaction: a failure leaves nothing behind.
"""

from center_app.services.demo.generate import PROFILES, DemoSummary, Profile, generate

__all__ = ["PROFILES", "DemoSummary", "Profile", "generate"]
