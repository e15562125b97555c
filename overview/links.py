"""Where each piece of work is done: the link a landing page gives beside a duty, only where the user may follow
it. The top layer knows every area's pages; each rule below matches the area's own access module (a teacher
works on their own pupils' support plans and meetings; the EHC record is for the SENCO, head and DSL; anyone who
sees a pupil sees their support plan and the pupil page).

The decisions are made for a whole list at once: the user's roles (cached per request) and the classes they
teach (one query), never a query per row."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from deadlines.models import Deadline
from deadlines.school_duties import PARENTS_TOLD
from provision import selectors as provision_selectors
from provision.access import works_for
from provision.kinds import HEALTHCARE_PLAN_REVIEW, PARENT_MEETING_KEY, PLAN_REVIEW
from provision.models import Cycle
from pupils.access import WHOLE_SCHOOL_ROLES, roles_of
from pupils.models import Pupil, Role, SchoolClass
from send_mis import statements

EHC_PREFIX = "ehc."  # every EHC deadline kind's key (ehc/kinds.py)


@dataclass(frozen=True)
class WorkLink:
    url: str
    label: str


class Linker:
    """What `user` may follow in one school, worked out once for a list."""

    def __init__(self, user, school_id) -> None:
        self.held = roles_of(user).in_school(school_id)
        self.is_senco = Role.SENCO in self.held
        self.sees_ehc = bool(self.held & WHOLE_SCHOOL_ROLES)
        self.taught = (
            set(SchoolClass.objects.filter(teachers=user, school_id=school_id).values_list("pk", flat=True))
            if Role.TEACHER in self.held
            else set()
        )

    def works_on(self, pupil: Pupil) -> bool:
        """The graduated approach's work rule (provision.access.works_for), on a pupil still on roll."""
        return not pupil.has_left and works_for(self.held, self.taught, pupil)

    def pupil(self, pupil: Pupil) -> WorkLink:
        return WorkLink(reverse("overview:pupil", args=[pupil.pk]), "Open the pupil's page")

    def start_plan(self, pupil: Pupil, plan=None) -> WorkLink | None:
        if plan is not None:
            return WorkLink(reverse("provision:plan-detail", args=[pupil.pk, plan.pk]), "Open the support plan")
        if self.works_on(pupil):
            return WorkLink(reverse("provision:plan-start", args=[pupil.pk]), "Start the support plan")
        return None

    def deadlines(self, deadlines: Iterable[Deadline]) -> dict:
        """A WorkLink for each deadline, by its id: the page where the duty is done. Two queries at most (the
        cycles behind plan reviews, the open support plans of pupils still to be told)."""
        rows = list(deadlines)
        cycle_ids = [d.source_id for d in rows if d.kind == PLAN_REVIEW.key]
        plans_of_cycles = (
            dict(
                statements.rows(
                    Cycle.objects.filter(pk__in=cycle_ids).values_list("pk", "plan_id"),
                    key=("overview.plans_of_cycles", *cycle_ids),
                )
            )
            if cycle_ids
            else {}
        )
        told = [d.pupil_id for d in rows if d.kind == PARENTS_TOLD.key]
        open_plans = provision_selectors.open_plans_by_pupil(told) if told else {}
        links = {}
        for deadline in rows:
            pupil = deadline.pupil
            link: WorkLink | None = None
            if deadline.kind == PLAN_REVIEW.key:
                plan_id = plans_of_cycles.get(_uuid(deadline.source_id))
                if plan_id:
                    link = WorkLink(
                        reverse("provision:plan-detail", args=[pupil.pk, plan_id]), "Review the support plan"
                    )
            elif deadline.kind == PARENT_MEETING_KEY and self.works_on(pupil):
                link = WorkLink(reverse("provision:meeting-add", args=[pupil.pk]), "Record the meeting")
            elif deadline.kind == HEALTHCARE_PLAN_REVIEW.key:
                link = WorkLink(reverse("provision:healthcare-plans", args=[pupil.pk]), "Review the healthcare plan")
            elif deadline.kind == PARENTS_TOLD.key:
                plan = open_plans.get(pupil.pk)
                link = self.start_plan(pupil, plan)
                if link and plan is not None:
                    link = WorkLink(link.url, "Record that the parents were told")
            elif deadline.kind.startswith(EHC_PREFIX) and self.sees_ehc:
                link = WorkLink(reverse("ehc:overview", args=[pupil.pk]), "Open the EHC record")
            links[deadline.pk] = link or self.pupil(pupil)
            deadline.work_link = links[deadline.pk]  # type: ignore[attr-defined]  (read by the template)
        return links


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
