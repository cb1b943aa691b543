"""センター全体の設定: the one declaration of every center-wide setting (table ``center_settings``).

Each :class:`SettingSpec` names a key, its Python type, its default, the checks a value must pass
(with the clerk's message) and the screen that edits it. :data:`SETTINGS` is the registry: the
services read and write these values only through :mod:`center_app.services.center_settings`,
which refuses any key not declared here.

Values are stored as JSON (an ``int`` as a number, a ``str`` as a string); :meth:`SettingSpec.stored`
also accepts what older versions or a hand edit may have left (``"8"`` for 8), so no stored value
needs migrating. Per-PC preferences (language, printer, …) are not here: they live in
:mod:`center_app.settings`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from center_app.domain import document_names
from center_app.domain.document_texts import SITE_LANGUAGES
from center_app.domain.booking_rules import FLOOR_FEE, FLOOR_WAIVED, MULTIPLIER_FLOOR_1, MULTIPLIER_FLOOR_10
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.registration_no import DEFAULT_PATTERN, check_pattern
from center_app.domain.wareki import WAREKI_STYLE, WESTERN_STYLE
from center_app.domain.review import DEFAULT_CRITERIA, Aggregation, check_criteria
from center_app.i18n import N_, _

__all__ = [
    "CANCEL", "CENTER_NAME", "CONDITIONS_OF_USE", "CONSULTATIONS_RETENTION", "DATE_STYLE", "DOCUMENT_NAMES", "EXEMPTION_ROUNDING", "FALL_BACK", "HEAD_NAME",
    "HEAD_TITLE", "HOURLY", "ISSUER", "LIST", "MONEY_RULES", "MONTHLY_SLOT_CAP", "MULTIPLIER_ROUNDING", "PAYMENT_DEADLINE_DAYS",
    "PRINTING_ISSUER", "PROGRAM_RULES", "PRINT_BILLING", "PRINT_MACHINES", "PRINT_PRICE_COLOUR", "PRINT_PRICE_MASTER", "PRINT_PRICE_PAPER",
    "PRINT_PRICE_SHEET", "PRINT_QUOTA_COPIES", "PRINT_QUOTA_MASTERS", "PRINT_QUOTA_WARNING", "PRINT_ROOM_RULES",
    "SETTINGS_PRINT_ROOM", "PROVISIONAL_AFTER_LIMIT", "PROVISIONAL_LIMIT_DAYS", "PSEUDONYM_SECRET", "RECEIPT_PROVISO",
    "RECEIPT_TAX_LINE", "REFUSE", "REFUSE_TIMES", "REGISTRATION_NO_PATTERN", "RETENTION_YEARS", "SEAL_IMAGE_PATH",
    "SETTINGS", "SETTINGS_CENTER", "SETTINGS_PAYMENTS", "SETTINGS_PROGRAMS", "Screen", "SettingSpec", "TIME_OUTSIDE_SLOTS",
    "UNPAID_AFTER_DEADLINE", "by_key", "SETTINGS_SERVICES", "SERVICE_RULES", "VISITOR_PURPOSES", "LOTTERY_MONTHS_AHEAD",
    "LOTTERY_ENTRY_FIRST_DAY", "LOTTERY_ENTRY_LAST_DAY", "LOTTERY_ENTRIES_PER_GROUP", "LOCKER_TERM_START_MONTH",
    "LOCKER_UNITS_PER_GROUP", "visitor_purposes", "PUBLISH_FOLDER", "PUBLISH_LANGUAGES", "PUBLISH_MONTHS", "PUBLISH_RULES",
]

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

#: What a service does with a stored value that fails its checks: use the default (and log it) …
FALL_BACK = "fall_back"
#: … or refuse the action with a message naming the setting and the screen that corrects it.
REFUSE = "refuse"


@dataclass(frozen=True)
class Screen:
    """Where a setting is edited: ``code`` for the code, ``label`` (message id) for the clerk."""

    code: str
    label: str


SETTINGS_CENTER = Screen("settings.center", N_("Settings → Center"))
PRINTING_ISSUER = Screen("printing.issuer", N_("Printing → Issuer and seal"))
CONSULTATIONS_RETENTION = Screen("consultations.retention", N_("Consultations → Retention"))
SETTINGS_PAYMENTS = Screen("settings.payments", N_("Settings → Fees and payments"))
SETTINGS_PROGRAMS = Screen("settings.programs", N_("Settings → Subsidies and collaboration"))


@dataclass(frozen=True)
class SettingSpec:
    """One center-wide setting.

    ``kind`` is ``int``, ``str`` or ``bool``. An ``int`` lies within ``minimum`` … ``maximum``
    (``maximum`` may be None); a ``str`` is trimmed and has ``min_length`` … ``max_length``
    characters (an empty text is allowed unless ``required``). ``check`` is a further rule on a
    non-empty converted value that raises :class:`ValidationError`. ``screen`` is the screen that edits it (None: the app keeps it
    itself). ``invalid`` is :data:`FALL_BACK` or :data:`REFUSE` (see there). A ``secret`` value
    is never shown and never written to the audit log. ``label`` and ``hint`` are message ids.
    ``choices`` (a ``str`` setting): the allowed values with their labels (message ids), shown
    as a list on the screen. ``multiline``: a text of several lines.
    """

    key: str
    label: str
    kind: type
    default: Any
    screen: Screen | None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    min_length: int = 0
    required: bool = False
    check: Callable[[Any], None] | None = None
    invalid: str = FALL_BACK
    secret: bool = False
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    multiline: bool = False

    def __post_init__(self) -> None:
        if self.kind not in (int, str, bool):
            raise TypeError(f"setting {self.key}: unsupported kind {self.kind!r}")
        if self.kind is int and self.minimum is None:
            raise TypeError(f"setting {self.key}: an int setting declares its minimum")

    def _problem(self, message: str) -> ValidationError:
        return ValidationError([FieldProblem(self.key, message)])

    def _convert(self, raw: Any) -> Any:
        label = _(self.label)
        if self.kind is bool:
            if isinstance(raw, bool):
                return raw
            text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise self._problem(_("{field}: choose yes or no.").format(field=label))
        if self.kind is int:
            if isinstance(raw, bool):
                raise self._problem(_("{field}: enter a whole number.").format(field=label))
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if not isinstance(raw, int):
                text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
                if not _WHOLE_NUMBER.fullmatch(text):
                    raise self._problem(_("{field}: enter a whole number.").format(field=label))
                raw = int(text)
            return raw
        if not isinstance(raw, str):
            raise self._problem(_("{field}: enter a text.").format(field=label))
        return raw.strip()

    def _check(self, value: Any, *, for_write: bool) -> Any:
        label = _(self.label)
        if self.kind is int:
            low, high = self.minimum, self.maximum
            if value < low or (high is not None and value > high):
                if high is None:
                    raise self._problem(_("{field}: enter {low} or more.").format(field=label, low=low))
                raise self._problem(_("{field}: enter a number from {low} to {high}.").format(field=label, low=low, high=high))
        if self.kind is str:
            if for_write and self.required and not value:
                raise self._problem(_("{field}: enter a value.").format(field=label))
            if self.max_length is not None and len(value) > self.max_length:
                raise self._problem(_("{field}: at most {n} characters.").format(field=label, n=self.max_length))
            if value and len(value) < self.min_length:
                raise self._problem(_("{field}: at least {n} characters.").format(field=label, n=self.min_length))
        if self.choices and value not in {code for code, _label in self.choices}:
            names = "、".join(_(name) for _code, name in self.choices)
            raise self._problem(_("{field}: choose one of {choices}.").format(field=label, choices=names))
        if self.check is not None and value != "":
            self.check(value)
        return value

    def parse(self, raw: Any) -> Any:
        """The value of this setting from what an administrator typed (text, a number or a
        bool): full-width digits are read, texts trimmed. Raises :class:`ValidationError` (field
        ``key``) with a message naming the setting when the value is not allowed."""
        return self._check(self._convert(raw), for_write=True)

    def stored(self, raw: Any) -> Any:
        """The value of this setting from what the database holds: None (no row, JSON null) and
        an empty text of a required setting mean "not set" and give :attr:`default`; ``"8"`` is
        read as 8. Raises :class:`ValidationError` when the stored value is not allowed."""
        if raw is None or (self.required and isinstance(raw, str) and not raw.strip()):
            return self.default
        return self._check(self._convert(raw), for_write=False)


MONTHLY_SLOT_CAP = SettingSpec(
    "monthly_slot_cap_per_group", N_("Monthly slots per group"), int, 8, SETTINGS_CENTER,
    minimum=0, maximum=9999, hint=N_("Slots one group may book in a month, counted over every room; 0 = no limit."),
)
REGISTRATION_NO_PATTERN = SettingSpec(
    "registration_no_pattern", N_("Registration number pattern"), str, DEFAULT_PATTERN, SETTINGS_CENTER,
    max_length=60, required=True, check=check_pattern, invalid=REFUSE,
    hint=N_("Placeholders: {era_letter} R, {era_name} 令和, {era_year} 8, {fiscal_year} 2026, {serial} the number in the "
            "year (required); {serial:04d} pads it to 4 digits. The default gives R08-0012."),
)
CENTER_NAME = SettingSpec("center_name", N_("Center's name"), str, "", PRINTING_ISSUER, max_length=100, required=True)
HEAD_TITLE = SettingSpec("head_title", N_("Head's title"), str, "センター長", PRINTING_ISSUER, max_length=60)
HEAD_NAME = SettingSpec("head_name", N_("Head's name (optional)"), str, "", PRINTING_ISSUER, max_length=60)
SEAL_IMAGE_PATH = SettingSpec("seal_image_path", N_("Seal image (PNG, optional)"), str, "", PRINTING_ISSUER, max_length=1000)
RETENTION_YEARS = SettingSpec(
    "consultation_retention_years", N_("Retention period (years)"), int, 5, CONSULTATIONS_RETENTION,
    minimum=1, maximum=100, invalid=REFUSE,
)
PSEUDONYM_SECRET = SettingSpec(
    "consultation_pseudonym_secret", N_("Pseudonym key of consultation exports"), str, "", None, min_length=32, secret=True,
)

#: The issuer printed on certificates and booking slips, in the order of the issuer dialog.
ISSUER = (CENTER_NAME, HEAD_TITLE, HEAD_NAME, SEAL_IMAGE_PATH)

# --- 使用料と収納 (fees and payments) ------------------------------------------------------------------
# Defaults are published rules of comparable centers (the sources are noted on each; the
# excerpts are kept in docs/money-rules.md). Every one is configurable in 設定 → 使用料と収納.

#: What happens to a booking after a deadline: cancelled by ``center-app bookings expire`` (audited),
#: or only listed (未納・期限切れ) for the clerk to act on.
CANCEL, LIST = "cancel", "list"
AFTER_DEADLINE_CHOICES = ((CANCEL, N_("Cancel the booking (audited)")), (LIST, N_("Only list it")))
#: A time range outside every 区分 in a room with slot fees: charged by the hour, or refused.
HOURLY, REFUSE_TIMES = "hourly", "refuse"

PAYMENT_DEADLINE_DAYS = SettingSpec(
    "payment_deadline_days_before", N_("Payment deadline (days before use)"), int, 3, SETTINGS_PAYMENTS,
    minimum=0, maximum=365,
    hint=N_("The fee is paid at the latest this many days before the day of use (宇都宮市: 3 days). 0 = on the day."),
)
UNPAID_AFTER_DEADLINE = SettingSpec(
    "unpaid_after_deadline", N_("Unpaid after the deadline"), str, CANCEL, SETTINGS_PAYMENTS,
    choices=AFTER_DEADLINE_CHOICES,
    hint=N_("宇都宮市 cancels a booking unpaid 2 days before use, the day after its deadline."),
)
PROVISIONAL_LIMIT_DAYS = SettingSpec(
    "provisional_limit_days", N_("Provisional booking limit (days)"), int, 8, SETTINGS_PAYMENTS,
    minimum=1, maximum=365,
    hint=N_("A provisional booking is confirmed within this many days of being made (仙台市: 8 days; 綾瀬市: 30 days)."),
)
PROVISIONAL_AFTER_LIMIT = SettingSpec(
    "provisional_after_limit", N_("Provisional booking past its limit"), str, CANCEL, SETTINGS_PAYMENTS,
    choices=AFTER_DEADLINE_CHOICES,
    hint=N_("綾瀬市 deletes a provisional booking not confirmed in time; Center Desk cancels it and keeps it."),
)
TIME_OUTSIDE_SLOTS = SettingSpec(
    "time_outside_slots", N_("Time outside the time slots"), str, HOURLY, SETTINGS_PAYMENTS,
    choices=((HOURLY, N_("Charge by the hour")), (REFUSE_TIMES, N_("Refuse, naming the time slots"))),
    hint=N_("Booked times between two slots (12:00–13:00) in a room with slot fees: charged per started hour at the "
            "room's hourly fee, or the slot's fee per hour when it has none (茅野市, 仙台市 charge rooms by the hour)."),
)
MULTIPLIER_ROUNDING = SettingSpec(
    "multiplier_rounding", N_("Rounding of the applicant-class rate"), str, MULTIPLIER_FLOOR_10, SETTINGS_PAYMENTS,
    choices=((MULTIPLIER_FLOOR_10, N_("Round down to 10 yen")), (MULTIPLIER_FLOOR_1, N_("Round down to the yen"))),
    hint=N_("茅野市: amounts under 10 yen are rounded down."),
)
EXEMPTION_ROUNDING = SettingSpec(
    "exemption_rounding", N_("Rounding of fee exemptions"), str, FLOOR_FEE, SETTINGS_PAYMENTS,
    choices=((FLOOR_FEE, N_("Round the fee to pay down to 10 yen")), (FLOOR_WAIVED, N_("Round the amount waived down to 10 yen"))),
    hint=N_("As the city's ordinance says; a full exemption (免除) is always 0 yen to pay."),
)
RECEIPT_PROVISO = SettingSpec(
    "receipt_proviso", N_("Receipt: 但し書き"), str, "施設使用料として", SETTINGS_PAYMENTS, max_length=60, required=True,
)
RECEIPT_TAX_LINE = SettingSpec(
    "receipt_tax_line", N_("Receipt: tax line"), str, "", SETTINGS_PAYMENTS, max_length=60,
    hint=N_("Printed under the amount, for example 消費税等相当額を含む or 非課税; empty prints nothing."),
)
CONDITIONS_OF_USE = SettingSpec(
    "conditions_of_use", N_("Conditions of use (every room)"), str,
    "使用時間には準備と片付けの時間を含みます。終了時刻までに原状に戻してください。\n"
    "使用後は部屋の鍵と使用許可書を窓口へお返しください。",
    SETTINGS_PAYMENTS, max_length=1000, multiline=True,
    hint=N_("One condition a line, printed on every permit; a room's own conditions (設定 → 部屋) follow them."),
)

DATE_STYLE = SettingSpec(
    "date_style", N_("Date style"), str, WAREKI_STYLE, SETTINGS_CENTER,
    choices=((WAREKI_STYLE, N_("Japanese era with weekday: 令和8年12月8日（火）")), (WESTERN_STYLE, N_("Western: 2026年12月8日（火）"))),
    hint=N_("Used in lists, messages, titles and the booking slip; the English screens always write dates the western way. "
            "Other PCs follow it when they next start."),
)
DOCUMENT_NAMES = SettingSpec(
    document_names.KEY, N_("Names on documents in other languages"), str, "", SETTINGS_CENTER, max_length=20000, multiline=True,
    check=document_names.check,
    hint=N_("One line a name as configured: the name, =, then language: name pairs separated by ;. For example "
            "多目的ホール = en: Multipurpose hall; pt_BR: Salão multiuso. Rooms, facilities, time slots, fee exemptions "
            "and applicant classes; a document prints the Japanese name where none is set."),
)

#: The rules of fees and payments, in the order of their screen.
MONEY_RULES = (
    PAYMENT_DEADLINE_DAYS, UNPAID_AFTER_DEADLINE, PROVISIONAL_LIMIT_DAYS, PROVISIONAL_AFTER_LIMIT, TIME_OUTSIDE_SLOTS,
    MULTIPLIER_ROUNDING, EXEMPTION_ROUNDING, RECEIPT_PROVISO, RECEIPT_TAX_LINE, CONDITIONS_OF_USE,
)

# --- ロッカー・来館者・抽選 (lockers, visitors, the opening-day lottery) ----------------------------
# Defaults from published rules of comparable centers (docs/services-rules.md).
SETTINGS_SERVICES = Screen("settings.services", N_("Settings → Lockers, visitors and lottery"))


def _check_purposes(value: str) -> None:
    names = [name.strip() for name in value.replace("、", ",").split(",") if name.strip()]
    if len(names) > 9 or len(set(names)) != len(names) or any(len(name) > 20 for name in names):
        raise ValidationError([FieldProblem("visitor_purposes", _("Visitor purposes: at most 9 different names of up to 20 characters, separated by commas."))])


VISITOR_PURPOSES = SettingSpec(
    "visitor_purposes", N_("Visitor purposes"), str, "打合せ,印刷,相談,情報収集,その他", SETTINGS_SERVICES,
    max_length=200, required=True, check=_check_purposes,
    hint=N_("Separated by commas, in the order of the keys 1–9 on ホーム (関市 reports its visitors by purpose)."),
)
LOTTERY_MONTHS_AHEAD = SettingSpec(
    "lottery_months_ahead", N_("Lottery: months ahead"), int, 2, SETTINGS_SERVICES, minimum=1, maximum=24,
    hint=N_("Entries are taken for the month this many months after the current one (横浜 山内地区センター: 2)."),
)
LOTTERY_ENTRY_FIRST_DAY = SettingSpec(
    "lottery_entry_first_day", N_("Lottery: first day of entries"), int, 1, SETTINGS_SERVICES, minimum=1, maximum=28,
)
LOTTERY_ENTRY_LAST_DAY = SettingSpec(
    "lottery_entry_last_day", N_("Lottery: last day of entries"), int, 10, SETTINGS_SERVICES, minimum=1, maximum=28,
    hint=N_("Entries from the first to the last day of the month (横浜 山内地区センター: days 1–10; results on the 20th)."),
)
LOTTERY_ENTRIES_PER_GROUP = SettingSpec(
    "lottery_entries_per_group", N_("Lottery: entries per group"), int, 2, SETTINGS_SERVICES, minimum=1, maximum=99,
    hint=N_("Entries one group may make for one facility and month, and the most it can win (横浜 山内地区センター: 2)."),
)
LOCKER_TERM_START_MONTH = SettingSpec(
    "locker_term_start_month", N_("Lockers: first month of the term"), int, 4, SETTINGS_SERVICES, minimum=1, maximum=12,
    hint=N_("A term lasts 12 months from the 1st of this month (さいたま: the fiscal year; 仙台 9; 小田原 7)."),
)
LOCKER_UNITS_PER_GROUP = SettingSpec(
    "locker_units_per_group", N_("Lockers: units of one kind per group"), int, 1, SETTINGS_SERVICES, minimum=1, maximum=99,
)

#: The settings of lockers, visitors and the lottery, in the order of their screen.
SERVICE_RULES = (
    VISITOR_PURPOSES, LOTTERY_MONTHS_AHEAD, LOTTERY_ENTRY_FIRST_DAY, LOTTERY_ENTRY_LAST_DAY, LOTTERY_ENTRIES_PER_GROUP,
    LOCKER_TERM_START_MONTH, LOCKER_UNITS_PER_GROUP,
)

# --- 印刷室 (printing room) ---------------------------------------------------------------------------
# Defaults from published rules (docs/equipment.md): 長久手 ¥30 a master and ¥1 a sheet; 泉区 ¥10 a
# colour sheet, billed every half year; 国分寺 150 masters and 250 copies per group and fiscal year.

SETTINGS_PRINT_ROOM = Screen("settings.print_room", N_("Settings → Printing room"))
PRINT_MACHINES = SettingSpec(
    "print_machines", N_("Machines of the printing room"), str, "輪転機\nコピー機\nカラープリンター", SETTINGS_PRINT_ROOM,
    max_length=500, required=True, multiline=True, hint=N_("One machine a line, as the job log names them."),
)
PRINT_PRICE_MASTER = SettingSpec(
    "print_price_master_yen", N_("Price of a master (yen)"), int, 30, SETTINGS_PRINT_ROOM, minimum=0, maximum=100000,
    hint=N_("長久手市: 30 yen a master (製版)."),
)
PRINT_PRICE_SHEET = SettingSpec(
    "print_price_sheet_yen", N_("Price of a sheet (yen)"), int, 1, SETTINGS_PRINT_ROOM, minimum=0, maximum=100000,
    hint=N_("長久手市: 1 yen a sheet, paper brought by the group."),
)
PRINT_PRICE_COLOUR = SettingSpec(
    "print_price_colour_sheet_yen", N_("Price of a colour sheet (yen)"), int, 10, SETTINGS_PRINT_ROOM, minimum=0, maximum=100000,
    hint=N_("泉区社協: 10 yen a colour sheet."),
)
PRINT_PRICE_PAPER = SettingSpec(
    "print_price_paper_sheet_yen", N_("Price of a sheet of paper sold (yen)"), int, 1, SETTINGS_PRINT_ROOM, minimum=0, maximum=100000,
    hint=N_("Charged for each sheet when the center's paper is used; most centers ask groups to bring their own."),
)
PRINT_QUOTA_MASTERS = SettingSpec(
    "print_quota_masters", N_("Masters per group and fiscal year"), int, 150, SETTINGS_PRINT_ROOM, minimum=0, maximum=1000000,
    hint=N_("国分寺市: 150 masters per group and fiscal year. 0 = no limit."),
)
PRINT_QUOTA_COPIES = SettingSpec(
    "print_quota_copies", N_("Copies per group and fiscal year"), int, 250, SETTINGS_PRINT_ROOM, minimum=0, maximum=1000000,
    hint=N_("国分寺市: 250 copies per group and fiscal year; counts the sheets of jobs without masters. 0 = no limit."),
)
PRINT_QUOTA_WARNING = SettingSpec(
    "print_quota_warning_percent", N_("Warn from (percent of a quota)"), int, 80, SETTINGS_PRINT_ROOM, minimum=1, maximum=100,
)
PRINT_BILLING = SettingSpec(
    "print_billing", N_("Billing of printing"), str, "visit", SETTINGS_PRINT_ROOM,
    choices=(("visit", N_("At each visit")), ("monthly", N_("Monthly")), ("half_year", N_("Every half year (April–September, October–March)"))),
    hint=N_("泉区社協 bills colour printing every half year; billed periods are charged with 「請求」 on the printing room screen."),
)

#: The printing room's settings, in the order of their screen.
PRINT_ROOM_RULES = (
    PRINT_MACHINES, PRINT_PRICE_MASTER, PRINT_PRICE_SHEET, PRINT_PRICE_COLOUR, PRINT_PRICE_PAPER, PRINT_QUOTA_MASTERS,
    PRINT_QUOTA_COPIES, PRINT_QUOTA_WARNING, PRINT_BILLING,
)

# --- 補助金・協働 (subsidies and collaboration) ---------------------------------------------------------
# A new round copies the criteria and the aggregation rule (domain/review.py); the eligibility
# and the cap apply when an application is received. Defaults: 八戸 (5 criteria × 10 points, the
# highest and lowest dropped), 鴻巣 (¥150,000 a project).

REVIEW_CRITERIA = SettingSpec(
    "review_criteria", N_("Review criteria"), str, DEFAULT_CRITERIA, SETTINGS_PROGRAMS, max_length=2000, required=True,
    multiline=True, check=check_criteria, invalid=REFUSE,
    hint=N_("One criterion a line: name:maximum points:weight (八戸: 5 criteria × 10 points). A new round copies them."),
)
REVIEW_AGGREGATION = SettingSpec(
    "review_aggregation", N_("How the reviewers' scores are combined"), str, Aggregation.TRIMMED.value, SETTINGS_PROGRAMS,
    choices=((Aggregation.MEAN.value, N_("Mean of all reviewers")),
             (Aggregation.TRIMMED.value, N_("Mean after dropping the highest and the lowest"))),
    hint=N_("八戸 drops each proposal's highest and lowest total before averaging."),
)
GRANT_CAP_YEN = SettingSpec(
    "grant_cap_yen", N_("Cap per project (yen)"), int, 150_000, SETTINGS_PROGRAMS, minimum=0, maximum=99_999_999,
    hint=N_("The default cap of a new round (鴻巣: 150,000 yen); 0 = no cap."),
)
GRANT_REGISTERED_ONLY = SettingSpec(
    "grant_registered_only", N_("Only registered groups may apply"), bool, True, SETTINGS_PROGRAMS,
)
GRANT_MIN_YEARS = SettingSpec(
    "grant_min_years_active", N_("Years active before applying"), int, 1, SETTINGS_PROGRAMS, minimum=0, maximum=50,
    hint=N_("Whole years since the group was founded (or registered); 0 = no minimum."),
)

#: The rules of subsidies and collaboration, in the order of their screen.
PROGRAM_RULES = (REVIEW_CRITERIA, REVIEW_AGGREGATION, GRANT_CAP_YEN, GRANT_REGISTERED_ONLY, GRANT_MIN_YEARS)

#: Every center-wide setting. A key not in here is refused by the services.
# --- 公開用サイト (the public site, center-app publish and 印刷 → 公開) -------------------------------


def _check_site_languages(value: str) -> None:
    unknown = [c.strip() for c in value.split(",") if c.strip() and c.strip() not in SITE_LANGUAGES]
    if unknown:
        raise ValidationError([FieldProblem("publish_languages", _("Unknown language {codes}: choose from {known}.").format(
            codes="、".join(unknown), known=", ".join(SITE_LANGUAGES)))])


PUBLISH_FOLDER = SettingSpec(
    "publish_folder", N_("Public site: output folder"), str, "", SETTINGS_CENTER, max_length=1000,
    hint=N_("The folder Printing → Public site writes the public site into (empty, or the site written before); on this PC's disk or a shared folder."),
)
PUBLISH_LANGUAGES = SettingSpec(
    "publish_languages", N_("Public site: languages"), str, "ja,ja_easy,en,pt_BR,es,zh_Hans,tl,th,vi", SETTINGS_CENTER, max_length=200,
    check=_check_site_languages, invalid=REFUSE,
    hint=N_("Codes separated by commas: ja, ja_easy (やさしい日本語), en, pt_BR, es, zh_Hans, tl, th, vi. Japanese is always included."),
)
PUBLISH_MONTHS = SettingSpec(
    "publish_months", N_("Public site: months of availability"), int, 3, SETTINGS_CENTER, minimum=1, maximum=12,
    hint=N_("From the current month."),
)
#: The settings of the public site, in the order of 設定 → センター.
PUBLISH_RULES = (PUBLISH_FOLDER, PUBLISH_LANGUAGES, PUBLISH_MONTHS)


SETTINGS: tuple[SettingSpec, ...] = (
    MONTHLY_SLOT_CAP, REGISTRATION_NO_PATTERN, DATE_STYLE, *ISSUER, RETENTION_YEARS, PSEUDONYM_SECRET, *MONEY_RULES,
    *SERVICE_RULES, *PRINT_ROOM_RULES, DOCUMENT_NAMES, *PROGRAM_RULES, *PUBLISH_RULES,
)

_BY_KEY = {spec.key: spec for spec in SETTINGS}
if len(_BY_KEY) != len(SETTINGS):
    raise RuntimeError("center_settings: a key is declared twice")


def by_key(key: str) -> SettingSpec | None:
    """The declared setting of ``key``, None when there is none."""
    return _BY_KEY.get(key)


def visitor_purposes(value: str) -> tuple[str, ...]:
    """The purposes of the visitor tally from the stored text of :data:`VISITOR_PURPOSES`."""
    return tuple(name.strip() for name in value.replace("、", ",").split(",") if name.strip())
