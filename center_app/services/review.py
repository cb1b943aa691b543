"""審査: score sheets (entered in the app or imported from the XLSX the reviewers filled in), the
ranking and the allocation of a round, and the results with each score's contribution.

The rules themselves are pure and live in :mod:`center_app.domain.review` (aggregation, ties,
allocation down the ranking); this module reads and writes them, in one audited transaction
per action. Administrators and coordinators only (:data:`center_app.services.programs_base.DECIDERS`).

This module ranks and allocates; the score sheets (grid, import, template) are
:mod:`center_app.services.review_sheets`, the results and what the letters are given
:mod:`center_app.services.review_results` — both re-exported here, so ``review.import_scores``,
``review.round_results``, … keep working.
"""

from __future__ import annotations

from center_app.domain.errors import ValidationError
from center_app.domain.programs import ApplicationStatus
from center_app.domain.review import allocate, shown
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.programs_base import DECIDERS, check_not_allocated, find_round
from center_app.services.review_results import RoundResults, current_ranking, round_results
from center_app.services.review_results import (  # the results and documents' values, at their old import path
    ResultRow as ResultRow, ScoreLine as ScoreLine, contribution_text as contribution_text, grant_letters as grant_letters,
    letter_number as letter_number, public_results as public_results, report_check as report_check,
    write_results as write_results,
)
from center_app.services.review_sheets import (  # the score sheets, at their old import path
    APPLICATION_COLUMN as APPLICATION_COLUMN, REVIEWER_COLUMN as REVIEWER_COLUMN, GridRow as GridRow, ScoreGrid as ScoreGrid,
    enter_reviewer_sheets as enter_reviewer_sheets, enter_sheet as enter_sheet, entered_sheet_count as entered_sheet_count,
    import_scores as import_scores, score_grid as score_grid, write_score_template as write_score_template,
)


def rank_round(ctx: ServiceContext, round_id: int) -> RoundResults:
    """Rank the applications in review from their sheets (the round's rule) and store each
    one's score and rank. Refused with :class:`ValidationError` naming every application and
    reviewer whose sheet is missing (or a conflicted reviewer's sheet), and for an allocated
    round; a refusal writes nothing (the stored ranking stays). Audited."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        apps, ranking = current_ranking(session, round_row)
        by_id = {a.id: a for a in apps}
        for placed in ranking:
            row = by_id[placed.application]
            row.score_text, row.rank = str(shown(placed.score)), placed.rank
        round_row.stage = "ranked"
        audit.record(session, user, "grant_round", round_id, "rank", None, {
            "aggregation": round_row.aggregation,
            "ranking": [[p.application, str(shown(p.score)), p.rank, list(p.tied_with)] for p in ranking]})
    return round_results(ctx, round_id)


def allocate_round(ctx: ServiceContext, round_id: int) -> RoundResults:
    """Allocate the round's budget down the stored ranking (the cap per project; the pass
    mark): the funded applications become 採択 with their amount, the others 不採択. Refused when
    the round is not ranked (or a sheet changed since), when a tie at the end of the budget must
    be broken first, and when it is allocated already (only an administrator's
    :func:`center_app.services.programs.reopen_round` goes back). Audited."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        if round_row.stage == "open":
            raise ValidationError(_("Rank the round first (a score or a conflict changed since the last ranking)."))
        apps, ranking = current_ranking(session, round_row)
        by_id = {a.id: a for a in apps}
        if any(ApplicationStatus(a.status) not in (ApplicationStatus.IN_REVIEW, ApplicationStatus.ADOPTED, ApplicationStatus.REJECTED)
               for a in apps):
            raise ValidationError(_("Grants of this round have been decided already; the allocation cannot be redone."))
        names = {a.id: _("Application {id} ({title})").format(id=a.id, title=a.project_title) for a in apps}
        result = allocate(ranking, {a.id: a.requested_yen for a in apps}, round_row.budget_yen, round_row.cap_yen,
                          round_row.pass_mark, names)
        for decided in result:
            row = by_id[decided.application]
            row.granted_yen = decided.granted
            row.status = (ApplicationStatus.ADOPTED if decided.granted else ApplicationStatus.REJECTED).value
        round_row.stage = "allocated"
        audit.record(session, user, "grant_round", round_id, "allocate", None, {
            "budget_yen": round_row.budget_yen, "cap_yen": round_row.cap_yen,
            "allocation": [[d.application, d.granted, d.reason] for d in result]})
    return round_results(ctx, round_id)

