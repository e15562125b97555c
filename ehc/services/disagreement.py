"""Disagreements and complaints about EHC provision."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from pupils.models import Pupil
from pupils.services import audited

from ..models import (
    Disagreement,
)
from ._shared import (
    not_before,
    not_future,
    raise_errors,
)

# --- Disagreements -----------------------------------------------------------------------------


def _disagreement_errors(raised_on: date, la_contacted_on, mediation_on, tribunal_on, resolved_on, today: date) -> None:
    before = "cannot be before the disagreement was raised."
    raise_errors(
        not_future(raised_on, "raised_on", "date raised", today),
        not_future(la_contacted_on, "la_contacted_on", "date the LA was contacted", today),
        not_future(resolved_on, "resolved_on", "resolution date", today),
        not_before(la_contacted_on, raised_on, "la_contacted_on", f"The LA contact {before}"),
        not_before(mediation_on, raised_on, "mediation_on", f"Mediation {before}"),
        not_before(tribunal_on, raised_on, "tribunal_on", f"A tribunal hearing {before}"),
        not_before(resolved_on, raised_on, "resolved_on", f"The resolution {before}"),
    )


def disagreement_record(
    *, pupil: Pupil, raised_on: date, summary: str, la_contacted_on: date | None = None, today: date, actor: User
) -> Disagreement:
    """Record a disagreement or complaint about EHC provision (the policy says contact the LA immediately)."""
    _disagreement_errors(raised_on, la_contacted_on, None, None, None, today)
    with audited(actor):
        disagreement = Disagreement(
            pupil=pupil, raised_on=raised_on, summary=summary, la_contacted_on=la_contacted_on, created_by=actor
        )
        disagreement.full_clean()
        disagreement.save()
    return disagreement


def disagreement_update(
    *,
    disagreement: Disagreement,
    la_contacted_on: date | None,
    mediation_on: date | None,
    tribunal_on: date | None,
    outcome: str,
    resolved_on: date | None,
    today: date,
    actor: User,
) -> Disagreement:
    """Record the LA contacted, mediation, a tribunal hearing and the outcome."""
    _disagreement_errors(disagreement.raised_on, la_contacted_on, mediation_on, tribunal_on, resolved_on, today)
    with audited(actor):
        disagreement.la_contacted_on, disagreement.mediation_on = la_contacted_on, mediation_on
        disagreement.tribunal_on, disagreement.outcome, disagreement.resolved_on = tribunal_on, outcome, resolved_on
        disagreement.full_clean()
        disagreement.save()
    return disagreement
