"""Reads that draft the SEN information report's sections from the school's records.

Each drafted section gets a short paragraph of facts for the academic year, worded for parents and the
public. The report is published, so nothing here names or describes a pupil: counts pass through
send_mis.suppression, and a need shared by fewer than 5 pupils is not named on its own.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from provision.models import AssessmentPoint, Subject, SupportPlan
from pupils.models import BroadArea, Membership, NeedType, RegisterEntry, Role, School, SenConcern
from send_mis.suppression import THRESHOLD, percent, suppress_alone

from . import selectors
from .periods import Period, year_label


def additional_support_offered(school: School, academic_year: int) -> str:
    """The provisions the school offers, by name only, from the provision map's catalogue.

    Fill in here once the provision map exists: list the catalogue's provisions by area of need. Until then it
    returns an empty string and the section carries the school's own words alone."""
    return ""


def _need_facts(school: School, day: date) -> str:
    entries = RegisterEntry.objects.filter(
        selectors.on_register_q(day),
        selectors.on_roll_q(day, "pupil__"),
        pupil__school=school,
        status__in=selectors.REPORTED,
    )
    by_need = dict(entries.values_list("primary_need_id").annotate(n=Count("pk")))
    needs = list(NeedType.objects.all())
    areas = [a for a in BroadArea if a != BroadArea.OTHER]
    area_counts = {a: sum(by_need.get(n.code, 0) for n in needs if n.broad_area == a) for a in areas}
    named = [a.label.lower() for a in areas if area_counts[a] >= THRESHOLD]
    common = sorted(
        (n for n in needs if by_need.get(n.code, 0) >= THRESHOLD and n.code not in ("OTH", "NSA")),
        key=lambda n: (-by_need[n.code], n.ordering),
    )
    text = (
        "We make provision for pupils in all four broad areas of need set out in the SEND Code of Practice: "
        "communication and interaction; cognition and learning; social, emotional and mental health; and "
        "sensory and/or physical needs."
    )
    if named:
        text += f" On {day.day} {day:%B %Y}, pupils on our SEN register had needs in {_join(named)}."
    if common:
        text += " The primary needs recorded most often were " + _join([n.name.lower() for n in common]) + "."
    return text + " Needs shared by fewer than 5 pupils are not listed, so that no child can be identified."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def information_facts(school: School, academic_year: int, *, today: date) -> dict[str, str]:
    """The drafted paragraph of each section that the records can fill, for the academic year (up to today).
    About fifteen queries, none per pupil."""
    year = Period(academic_year)
    day = year.snapshot_day(today)
    end = min(year.ends_on, today)
    label = year_label(academic_year)
    facts: dict[str, str] = {"kinds_of_sen": _need_facts(school, day)}

    concerns = SenConcern.objects.filter(
        pupil__school=school, raised_at__date__gte=year.starts_on, raised_at__date__lte=end
    ).count()
    points = AssessmentPoint.objects.filter(school=school, academic_year=academic_year).count()
    subjects = list(Subject.objects.filter(school=school, is_active=True).values_list("name", flat=True))
    graduated = {t.key: t for t in selectors.graduated_figures(school, year, today=today)}
    flagged = graduated["progress-flags"].foot.cells[0]
    facts["identification"] = (
        f"Class teachers check every pupil's progress in {_join([s.lower() for s in subjects]) or 'core subjects'}"
        f" at {points or 'each'} assessment point{'s' if points != 1 else ''} this year. send-mis flags any pupil "
        "whose progress is slower than their peers' or their own previous rate, and the teacher and SENCO "
        f"decide what to do. In {label}, {flagged} pupils were flagged in this way and staff raised "
        f"{suppress_alone(concerns).text} concerns about a pupil's possible SEN with the SENCO."
    )
    reviews = graduated["support-plan-reviews"]
    on_time = reviews.rows[-1].cells[0]
    facts["evaluating_effectiveness"] = (
        "Each pupil on SEN support has a support plan that is reviewed by the date it sets, with the pupil's and "
        "parents' views, to judge whether the support is working. "
        + (
            f"In {label}, {on_time} of support plan reviews due were held on time. "
            if reviews.foot.cells[0] not in ("0",)
            else ""
        )
        + "The governing body receives a SEND report each term with anonymised figures on needs, progress and "
        "the timeliness of reviews."
    )
    annual = selectors.deadline_outcomes(school, selectors.ANNUAL_REVIEW.key, year, today=today)
    held = annual["on_time"] + annual["late"]
    facts["assessing_progress"] = (
        "We follow the graduated approach of assess, plan, do and review. "
        f"Progress is assessed at {points or 'regular'} assessment point{'s' if points != 1 else ''} in the year. "
        f"In {label}, {suppress_alone(held).text} annual reviews of EHC plans were held"
        + (f", {percent(suppress_alone(annual['on_time']), held)} of them on time." if held else ".")
    )
    plans = SupportPlan.objects.filter(pupil__school=school, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=year.starts_on)
    )
    offered = additional_support_offered(school, academic_year)
    facts["additional_support"] = (
        f"In {label}, {suppress_alone(plans.count()).text} pupils had a support plan setting out additional "
        "support and interventions beyond high-quality teaching." + (f" {offered}" if offered else "")
    )
    sencos = (
        Membership.objects.filter(school=school, role=Role.SENCO, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name")
    )
    contacts = [
        f"{m.user.get_full_name() or m.user.get_username()}" + (f" ({m.user.email})" if m.user.email else "")
        for m in sencos
    ]
    facts["senco"] = (
        f"Our SENCO: {_join(contacts)}. Contact the SENCO through the school office or by email."
        if contacts
        else "The school's SENCO is not recorded yet."
    )
    meetings = graduated["parent-meetings"]
    facts["consulting_parents"] = (
        "We meet the parents of every pupil on SEN support at least three times a year, once a term, with the "
        "class teacher and the SENCO. "
        + (
            f"In {label}, {meetings.rows[2].cells[0]} of the termly meetings due were held."
            if meetings.foot.cells[0] != "0"
            else ""
        )
    ).strip()
    facts["local_offer"] = (
        f"Our local authority is {school.la_name}. {school.la_name}'s Local Offer, describing the services "
        "available to children and young people with SEND and their families, is published on its website."
    )
    return facts
