"""The aggregate queries behind :mod:`center_app.services.statistics` (SQLAlchemy Core, run on
the read transaction's connection: no ORM objects are loaded).

Every figure is computed by the database; Python only adds up the few aggregated rows. A summary
reads each table once, in few statements, each built once per shape (number of months, one
facility or all) and only bound afterwards — building and compiling a statement costs more than
SQLite needs to run it on a month of data:

- the configuration: facilities, rooms and slots a day in one statement, the 休館日 rules in
  one, the lists of applicant classes, 減免 reasons, topics, activity fields and staff names in
  one;
- the bookings: one pass per month grouped by room and applicant class, every figure a
  conditional aggregate (``FILTER (WHERE …)``: 実績 before today, 予定 from today,
  cancellations, no-shows), giving rooms × months, facilities, months and classes; one
  statement for the two figures that need a grouping of their own (減免 reasons, and the most
  active groups, counted per group id before their names are joined);
- the money ledger: payments received and refunds paid per room and month in one statement;
- the groups: one pass counting them by status and by the months their dates fall in;
- the consultations: one statement (records per month × method × client type × staff member,
  the counts kept for deleted records, topics, activity fields).

Periods are computed in Python and passed as half-open ranges. A period of several months is
read month by month in one statement (UNION ALL of a SELECT per month over its own index range
of ``start_at``), so no row's month is computed, and the same SQL runs on SQLite (≥ 3.30, for
FILTER) and PostgreSQL (no strftime / date_trunc). Each pass reads a covering index (migration
``0019_summary_indexes``: the bookings', the payment allocations', the consultations' and the
groups' summary columns), not the wide rows.

The queries live by subject — :mod:`~center_app.services.statistics_config` (configuration,
lists, the conditional aggregates), :mod:`~center_app.services.statistics_bookings` (bookings and
ledger), :mod:`~center_app.services.statistics_people` (consultations and registrations) — and
are imported from here.
"""

# The queries live by subject; this module keeps their one import path.
from center_app.services.statistics_bookings import FIGURES as FIGURES
from center_app.services.statistics_bookings import bookings_by_class_and_exemption as bookings_by_class_and_exemption
from center_app.services.statistics_bookings import bookings_by_room_month as bookings_by_room_month
from center_app.services.statistics_bookings import exemptions_and_top_groups as exemptions_and_top_groups
from center_app.services.statistics_config import FacilityRow as FacilityRow
from center_app.services.statistics_config import RoomRow as RoomRow
from center_app.services.statistics_config import closed_rules as closed_rules
from center_app.services.statistics_config import configuration as configuration
from center_app.services.statistics_config import configured_lists as configured_lists
from center_app.services.statistics_config import open_days as open_days
from center_app.services.statistics_people import consultations as consultations
from center_app.services.statistics_people import registrations as registrations

__all__ = [
    "FIGURES", "FacilityRow", "RoomRow", "bookings_by_class_and_exemption", "bookings_by_room_month", "closed_rules", "configuration",
    "configured_lists", "consultations", "exemptions_and_top_groups", "open_days", "registrations",
]
