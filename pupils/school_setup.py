"""Every write of a school's set-up: its details, terms, year groups and classes. Audited, keyword-only, with
an actor. A school's defaults in other areas (progress subjects, assessment points) are made by the top layer
when the set-up is finished, since this layer imports no area."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from .models import Phase, School, SchoolClass, Term, YearGroup
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
