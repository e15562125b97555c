"""Every write of a school's set-up: its details, terms, year groups and classes. Audited, keyword-only, with
an actor. A school's defaults in other areas (progress subjects, assessment points) are made by the top layer
when the set-up is finished, since this layer imports no area."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from send_mis.dates import not_in_future

from . import school_statutory
from .models import AccessibilityPlan, Phase, Role, School, SchoolClass, SencoQualification, Term, YearGroup
from .services import audited
from .term_csv import TermLine, overlaps

# The year groups a school of each phase usually teaches; the head changes them on the classes page.
DEFAULT_YEAR_GROUPS: dict[str, list[int]] = {
    Phase.NURSERY: [YearGroup.NURSERY_1, YearGroup.NURSERY_2],
    Phase.PRIMARY: list(range(7)),
    Phase.PRIMARY_NURSERY: list(range(-1, 7)),
    Phase.SECONDARY: list(range(7, 12)),
    Phase.ALL_THROUGH: list(range(14)),
    Phase.SPECIAL: list(range(14)),
}


def school_save(*, school: School, actor: AbstractBaseUser) -> School:
    """Create or update a school's details (built, not saved, by the details form). A new school teaches the
    year groups its phase usually has until the head says otherwise."""
    with audited(actor):
        if school._state.adding and not school.year_groups:
            school.year_groups = [int(y) for y in DEFAULT_YEAR_GROUPS.get(school.phase, [])]
        school.full_clean()
        school.save()
    return school


def school_year_groups_set(*, school: School, year_groups: list[int], actor: AbstractBaseUser) -> School:
    """The year groups a school teaches. A year group that still has a class cannot be taken away."""
    wanted = sorted({int(y) for y in year_groups})
    in_use = set(school.classes.exclude(year_group__in=wanted).values_list("year_group", flat=True))
    if in_use:
        names = ", ".join(YearGroup(y).label for y in sorted(in_use))
        raise ValidationError({"year_groups": f"Classes are still in {names}: remove them first."})
    with audited(actor):
        school.year_groups = wanted
        school.save(update_fields=["year_groups"])
    return school


def terms_add(*, school: School, terms: list[TermLine], actor: AbstractBaseUser) -> list[Term]:
    """Add terms to the school, all or none: each must end on or after its first day and overlap no other term
    (the gaps between terms are the school's closures, which the statutory closure rules read)."""
    existing = [TermLine(0, t.name, t.starts_on, t.ends_on) for t in school.terms.all()]
    problems = [f"{t.name} ends before it starts." for t in terms if t.ends_on < t.starts_on]
    problems += overlaps(existing + list(terms))
    if problems:
        raise ValidationError(problems)
    with audited(actor):
        created = []
        for line in terms:
            term = Term(school=school, name=line.name, starts_on=line.starts_on, ends_on=line.ends_on)
            term.full_clean()
            term.save()
            created.append(term)
    return created


def term_remove(*, term: Term, actor: AbstractBaseUser) -> None:
    """Remove a term entered by mistake; the audit log keeps what it was."""
    with audited(actor):
        term.delete()


def class_add(*, school: School, name: str, year_group: int, actor: AbstractBaseUser) -> SchoolClass:
    """A class in one of the school's year groups, its name unique in the school."""
    name = name.strip()
    if school.year_groups and int(year_group) not in school.year_groups:
        raise ValidationError({"year_group": "The school does not teach that year group: add it first."})
    if school.classes.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"The school already has a class called {name}."})
    with audited(actor):
        school_class = SchoolClass(school=school, name=name, year_group=year_group)
        school_class.full_clean()
        school_class.save()
    return school_class


def class_remove(*, school_class: SchoolClass, actor: AbstractBaseUser) -> None:
    """Remove a class that has no pupils (a class with pupils is emptied first, so nobody is lost)."""
    if school_class.pupils.exists():
        raise ValidationError(f"{school_class.name} still has pupils: move them to another class first.")
    with audited(actor):
        school_class.delete()


def school_setup_finish(*, school: School, now: datetime, actor: AbstractBaseUser) -> School:
    """Record that the first set-up is done (once: finishing again changes nothing). The school needs at
    least one term and one class first."""
    if school.set_up_at is not None:
        return school
    missing = []
    if not school.terms.exists():
        missing.append("Add at least one term.")
    if not school.classes.exists():
        missing.append("Add at least one class.")
    if missing:
        raise ValidationError(missing)
    with audited(actor):
        school.set_up_at = now
        school.save(update_fields=["set_up_at"])
    return school


# --- The school's own statutory calendar: the SENCO's qualification, the accessibility plan, the SEN
# information report's first date. The deadlines these records start live in the deadlines layer, above this
# one: it registers a listener here (deadlines.apps), called in the same transaction after each change, so a
# qualification recorded closes its deadline at once; the daily sweep keeps them in step as well.

SchoolDutiesListener = Callable[..., object]
_SCHOOL_DUTIES_LISTENERS: list[SchoolDutiesListener] = []


def register_school_duties_listener(listener: SchoolDutiesListener) -> None:
    """A layer above states what follows a change to the school's duty records: `listener(school=, today=)`."""
    if listener not in _SCHOOL_DUTIES_LISTENERS:
        _SCHOOL_DUTIES_LISTENERS.append(listener)


def _school_duties_changed(school: School, today: date) -> None:
    for listener in _SCHOOL_DUTIES_LISTENERS:
        listener(school=school, today=today)


def senco_qualification_save(
    *,
    school: School,
    senco: AbstractBaseUser,
    took_up_on: date,
    award: str,
    begun_on: date | None,
    completed_on: date | None,
    today: date,
    actor: AbstractBaseUser,
) -> SencoQualification:
    """Record (or correct) when a SENCO of the school took up the post and what award they hold. The award must
    count under reg 49 as amended (school_statutory.award_problem); dates cannot be in the future. The
    deadline on the third anniversary opens, moves, or closes when a qualifying award is completed."""
    if not school.memberships.filter(user=senco, role=Role.SENCO).exists():
        raise ValidationError({"senco": "Choose a SENCO of this school."})
    problems: dict[str, str] = {}
    for name, value, what in (
        ("took_up_on", took_up_on, "The day the SENCO took up the post"),
        ("begun_on", begun_on, "The day the award was begun"),
        ("completed_on", completed_on, "The day the award was completed"),
    ):
        if message := not_in_future(value, today=today, what=what):
            problems[name] = message
    if not award and (begun_on or completed_on):
        problems["award"] = "Choose the award the dates belong to."
    if award and (message := school_statutory.award_problem(award, begun_on=begun_on, completed_on=completed_on)):
        problems.setdefault("completed_on" if "completed" in message else "begun_on", message)
    if problems:
        raise ValidationError(problems)
    with audited(actor):
        record = SencoQualification.objects.filter(school=school, senco=senco).first() or SencoQualification(
            school=school, senco=senco
        )
        record.took_up_on, record.award = took_up_on, award
        record.begun_on, record.completed_on = begun_on, completed_on
        record.full_clean()
        record.save()
        _school_duties_changed(school, today)
    return record


def accessibility_plan_add(
    *,
    school: School,
    plan_on: date,
    held_by: AbstractBaseUser | None,
    published_at: str,
    today: date,
    actor: AbstractBaseUser,
) -> AccessibilityPlan:
    """Record the school's accessibility plan (a new plan for a new 3-year period). The next plan falls due on
    the last day of this one's period; a plan recorded after an earlier one meets the earlier one's duty."""
    if message := not_in_future(plan_on, today=today, what="The date of the plan"):
        raise ValidationError({"plan_on": message})
    if school.accessibility_plans.filter(plan_on=plan_on).exists():
        raise ValidationError({"plan_on": "A plan of that date is already recorded."})
    if held_by is not None and not school.memberships.filter(user=held_by).exists():
        raise ValidationError({"held_by": "Choose a member of this school's staff."})
    with audited(actor):
        plan = AccessibilityPlan(school=school, plan_on=plan_on, held_by=held_by, published_at=published_at.strip())
        plan.full_clean()
        plan.save()
        _school_duties_changed(school, today)
    return plan


def information_report_first_due_set(
    *, school: School, due_on: date | None, today: date, actor: AbstractBaseUser
) -> School:
    """The day the first SEN information report is due, until one is published in send-mis (each publication
    then sets the next date). Setting the same day again changes nothing."""
    if school.information_report_first_due_on == due_on:
        return school
    with audited(actor):
        school.information_report_first_due_on = due_on
        school.save(update_fields=["information_report_first_due_on"])
        _school_duties_changed(school, today)
    return school
