"""The impact and cost table: counts, sums and sums of squares from the database, turned into figures by the
pure functions of provision.impact."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, Floor, Round

from pupils.models import BroadArea, Pupil, School

from .. import costs, impact
from ..models import AssessmentPoint, SchoolSettings
from ..models_maps import (
    Allocation,
    PlaceCost,
    Provision,
    Scale,
)
from ..terms import SEASONS
from .common import Period, _allocations


@dataclass
class ImpactRow:
    key: str
    label: str
    provision: Provision | None
    summary: impact.Summary
    effect: impact.EffectSize | None
    cost_per_pupil: Decimal | None
    pupils_allocated: int
    ratio_gain: Decimal | None = None
    ratio_band: str = ""


BY_CHOICES = {
    "provision": "Provision",
    "area": "Area of need",
    "lead": "Group lead",
    "term": "Term of the exit assessment",
}


def _impact_key(by: str):
    """The database expression a row of the impact table groups places by."""
    if by == "area":
        return F("group__provision__broad_area")
    if by == "lead":
        return F("group__lead_id")
    if by == "term":
        # The term of the exit test as academic year x 10 + the term's place (autumn 0, spring 1, summer 2), as
        # provision.terms.season_of names it: September to December autumn, January to March spring.
        year = ExtractYear("exit_on")
        return Case(
            When(exit_on__isnull=True, then=Value(None)),
            When(Q(exit_on__month__gte=9), then=year * 10),
            When(Q(exit_on__month__lte=3), then=(year - 1) * 10 + 1),
            default=(year - 1) * 10 + 2,
            output_field=IntegerField(),
        )
    return F("group__provision_id")


def _impact_label(by: str, key, provisions: dict, leads: dict) -> tuple[str, str]:
    if by == "area":
        return key, dict(BroadArea.choices).get(key, key)
    if by == "term":
        if key is None:
            return "", "Not yet assessed"
        year, index = divmod(int(key), 10)
        return f"{year}-{index}", f"{SEASONS[index].capitalize()} term {year}/{(year + 1) % 100:02d}"
    if by == "lead":
        lead = leads.get(key)
        return (str(lead.pk), lead.get_full_name() or lead.username) if lead else ("", "No lead named")
    return str(key), provisions[key].name


def impact_table(school: School, *, period: Period, by: str = "provision") -> list[ImpactRow]:
    """Per provision (or area of need, group lead, or term of the exit test): pupils with entry and exit scores,
    mean change, the share who improved, the mean ratio gain for reading ages, cost per pupil of the groups' whole
    runs, and for provisions linked to a progress subject, Hedges' g against same-band pupils who did not receive
    it. Counts, sums and sums of squares come from the database (one grouped query for the rows, one for the
    reading ages, one for staff costs, one per pair of assessment points compared), and the pure functions of
    provision.impact turn them into the figures: none reads every place or score into Python."""
    places = _allocations(school, period)
    key = _impact_key(by)
    scored = Q(entry_score__isnull=False, exit_score__isnull=False)
    dated = Q(entry_on__isnull=False, exit_on__isnull=False, exit_score__isnull=False)
    totals = list(
        places.annotate(k=key)
        .values("k")
        .annotate(
            pupils=Count("pupil", distinct=True),
            groups=Count("group", distinct=True),
            scored=Count("pk", filter=scored),
            total=Sum(
                F("exit_score") - F("entry_score"),
                filter=scored,
                output_field=DecimalField(max_digits=20, decimal_places=1),
            ),
            improved=Count("pk", filter=scored & Q(exit_score__gt=F("entry_score"))),
            dated=Count("pk", filter=dated),
            first_entry=Min("entry_on", filter=dated),
            last_exit=Max("exit_on", filter=dated),
        )
        .order_by()
    )
    if not totals:
        return []
    provisions = {p.pk: p for p in Provision.objects.filter(school=school).select_related("subject")}
    leads = (
        {u.pk: u for u in get_user_model().objects.filter(pk__in=[t["k"] for t in totals if t["k"] is not None])}
        if by == "lead"
        else {}
    )
    ratios: dict = defaultdict(list)
    for k, entry, exit_, entry_on, exit_on in (
        places.filter(scored, group__provision__measure_scale=Scale.READING_AGE)
        .annotate(k=key)
        .values_list("k", "entry_score", "exit_score", "entry_on", "exit_on")
    ):
        ratio = impact.ratio_gain(
            entry_months=entry, exit_months=exit_, months_elapsed=impact.months_between(entry_on, exit_on)
        )
        if ratio is not None:
            ratios[k].append(ratio)
    # The whole runs of the groups counted (every year), not only the days inside the window.
    staff = (
        dict(
            PlaceCost.objects.filter(
                group__provision__school=school,
                group__starts_on__lte=period.ends_on,
                group__ends_on__gte=period.starts_on,
            )
            .values("group__provision_id")
            .annotate(total=Sum("share"))
            .values_list("group__provision_id", "total")
        )
        if by == "provision"
        else {}
    )
    comparisons = _comparisons(school, places, totals, provisions) if by == "provision" else {}

    rows = []
    for t in totals:
        row_key, label = _impact_label(by, t["k"], provisions, leads)
        cost_per_pupil = None
        if by == "provision":
            spent = staff.get(t["k"], Decimal(0)) + provisions[t["k"]].non_hour_cost * t["groups"]
            cost_per_pupil = costs.to_pennies(spent / t["pupils"]) if t["pupils"] else None
        key_ratios = ratios.get(t["k"], [])
        mean_ratio = (sum(key_ratios, Decimal(0)) / len(key_ratios)).quantize(Decimal("0.01")) if key_ratios else None
        rows.append(
            ImpactRow(
                key=row_key,
                label=label,
                provision=provisions[t["k"]] if by == "provision" else None,
                summary=impact.summary_of_totals(t["scored"], t["total"] or Decimal(0), t["improved"]),
                effect=comparisons.get(t["k"]) if by == "provision" else None,
                cost_per_pupil=cost_per_pupil,
                pupils_allocated=t["pupils"],
                ratio_gain=mean_ratio,
                ratio_band=impact.ratio_band(mean_ratio).value if mean_ratio is not None else "",
            )
        )
    return sorted(rows, key=lambda r: (r.summary.mean_change is None, -(r.summary.mean_change or 0), r.label))


def _whole(value) -> int:
    """A count or sum of whole tenths from the database (an integer, a Decimal, or a float on SQLite)."""
    return round(value) if value is not None else 0


def _comparisons(
    school: School, places: QuerySet[Allocation], totals: list[dict], provisions: dict
) -> dict[uuid.UUID, impact.EffectSize]:
    """Hedges' g per provision linked to a progress subject: the change in that subject's termly scores between
    the last assessment point on or before the first entry test and the last one on or before the last exit
    test, for recipients against non-recipients of the same baseline band. The database sums each baseline
    band's changes (in whole tenths, exact on every database) for all pupils and for each provision's
    recipients; comparison pupils are the band's others. Two queries, and one per pair of assessment points."""
    linked = {t["k"]: t for t in totals if provisions[t["k"]].subject_id is not None}
    if not linked:
        return {}
    points = list(
        AssessmentPoint.objects.filter(school=school).order_by("assessed_on").values_list("pk", "assessed_on")
    )
    settings_row = SchoolSettings.objects.filter(school=school).first()
    width = settings_row.baseline_band_width if settings_row else Decimal(5)
    frames: dict[tuple, list] = defaultdict(list)  # (subject, entry point, exit point) -> provisions compared
    result: dict[uuid.UUID, impact.EffectSize] = {}
    for provision_id, t in linked.items():
        subject = provisions[provision_id].subject
        if not t["dated"]:
            result[provision_id] = impact.EffectSize(None, 0, 0, "No pupil has an exit score yet.")
            continue
        start, end = t["first_entry"], t["last_exit"]
        before = [pk for pk, on in points if on <= start]
        after = [pk for pk, on in points if start < on <= end]
        if before and after:
            frames[(subject.pk, before[-1], after[-1])].append(provision_id)
        else:
            result[provision_id] = impact.EffectSize(
                None, t["dated"], 0, f"No termly {subject.name} assessment before and during the provision to compare."
            )
    tenths_of_width = Value(int((width * 10).to_integral_value()))
    for (subject_id, entry_point, exit_point), compared in frames.items():
        # Each pupil's two scores joined in (no subquery per pupil), the change and band worked out once per row.
        received = {pid: Q(pk__in=places.filter(group__provision_id=pid).values("pupil_id")) for pid in compared}
        change = F("change")
        sums = {}
        for i, pid in enumerate(compared):
            sums |= {
                f"n{i}": Count("pk", filter=received[pid]),
                f"s{i}": Sum(change, filter=received[pid], output_field=IntegerField()),
                f"q{i}": Sum(change * change, filter=received[pid], output_field=IntegerField()),
            }
        bands = (
            Pupil.objects.filter(school=school)
            .alias(
                at_entry=FilteredRelation(
                    "progress_scores",
                    condition=Q(progress_scores__subject_id=subject_id, progress_scores__point_id=entry_point),
                ),
                at_exit=FilteredRelation(
                    "progress_scores",
                    condition=Q(progress_scores__subject_id=subject_id, progress_scores__point_id=exit_point),
                ),
            )
            .filter(at_entry__score__isnull=False, at_exit__score__isnull=False)
            .annotate(
                change=Round((F("at_exit__score") - F("at_entry__score")) * 10, output_field=IntegerField()),
                band=Floor(Round(F("at_entry__score") * 10, output_field=IntegerField()) / tenths_of_width),
            )
            .values("band")
            .annotate(
                n=Count("pk"),
                s=Sum(change, output_field=IntegerField()),
                q=Sum(change * change, output_field=IntegerField()),
                **sums,
            )
            .order_by()
        )
        moments: dict[uuid.UUID, list[list[int]]] = {pid: [[0, 0, 0], [0, 0, 0]] for pid in compared}
        for band in bands:
            every = [_whole(band["n"]), _whole(band["s"]), _whole(band["q"])]
            for i, pid in enumerate(compared):
                treated = [_whole(band[f"n{i}"]), _whole(band[f"s{i}"]), _whole(band[f"q{i}"])]
                if treated[0]:
                    for j in range(3):
                        moments[pid][0][j] += treated[j]
                        moments[pid][1][j] += every[j] - treated[j]
        for pid, (treated, comparison) in moments.items():
            result[pid] = impact.hedges_g_of_moments(
                impact.Moments(treated[0], Decimal(treated[1]) / 10, Decimal(treated[2]) / 100),
                impact.Moments(comparison[0], Decimal(comparison[1]) / 10, Decimal(comparison[2]) / 100),
            )
    return result


def best_and_worst(rows: list[ImpactRow]) -> tuple[ImpactRow | None, ImpactRow | None]:
    """The rows with the largest and smallest share of pupils improved (then mean change), among those with
    scored pupils. Shares compare across measures where mean changes on different scales do not."""
    scored = [r for r in rows if r.summary.mean_change is not None]
    if not scored:
        return None, None
    ordered = sorted(scored, key=lambda r: (r.summary.percent_improved, r.summary.mean_change))
    return ordered[-1], ordered[0]
