"""Groups: the timetable, a group's page, the class view and a pupil's provision history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)

from pupils.models import Pupil, School, SchoolClass

from .. import costs, impact
from ..models_maps import (
    Allocation,
    Attendance,
    Group,
    PlaceCost,
    Session,
    SessionStatus,
)


def timetable(groups: QuerySet[Group], *, today: date) -> list[Group]:
    """Groups running today or later, by day and time, each with its pupils in place today."""
    return list(
        groups.filter(ends_on__gte=today)
        .select_related("provision", "lead")
        .annotate(
            in_place=Count(
                "allocations",
                filter=Q(allocations__joined_on__lte=today)
                & (Q(allocations__left_on__isnull=True) | Q(allocations__left_on__gte=today)),
                distinct=True,
            )
        )
        .order_by(F("weekday").asc(nulls_last=True), F("starts_at").asc(nulls_last=True), "name")
    )


def group_detail(group: Group) -> dict:
    """A group's places (with pupils) and its sessions with attendance counts, newest first."""
    places = list(group.allocations.select_related("pupil", "pupil__school_class").order_by("joined_on"))
    sessions = list(group.sessions.order_by("-held_on", "status").select_related("recorded_by", "withdrawn_by"))
    return {"places": places, "sessions": sessions}


def week_of(day: date) -> list[date]:
    """The Monday to Friday of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(5)]


def class_view(user, school: School, *, today: date) -> dict:
    """A teacher's own pupils' current provisions and this week's sessions of their groups: three queries."""
    class_ids = list(SchoolClass.objects.filter(school=school, teachers=user).values_list("pk", flat=True))
    places = list(
        Allocation.objects.filter(pupil__school_class_id__in=class_ids, group__ends_on__gte=today, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("pupil", "pupil__school_class", "group", "group__provision", "group__lead")
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    week = week_of(today)
    group_ids = {p.group_id for p in places} | set(
        Group.objects.filter(lead=user, provision__school=school, ends_on__gte=today).values_list("pk", flat=True)
    )
    sessions = list(
        Session.objects.filter(group_id__in=group_ids, held_on__range=(week[0], week[-1]))
        .exclude(status=SessionStatus.WITHDRAWN)
        .select_related("group", "group__provision")
    )
    return {"places": places, "week": week, "sessions": sessions, "class_ids": class_ids}


def pupil_history(pupil: Pupil) -> list[dict]:
    """Every place a pupil has held over their time in school, newest first, with sessions attended and missed
    and their delivered cost (their shares plus non-hour costs). Three queries."""
    places = list(
        Allocation.objects.filter(pupil=pupil)
        .select_related("group", "group__provision", "group__lead")
        .order_by("-joined_on")
    )
    attended = {
        r["session__group_id"]: r
        for r in Attendance.objects.filter(pupil=pupil, session__status=SessionStatus.DELIVERED)
        .values("session__group_id")
        .annotate(present=Count("pk", filter=Q(is_present=True)), absent=Count("pk", filter=Q(is_present=False)))
    }
    shares = dict(
        PlaceCost.objects.filter(pupil=pupil)
        .values("group_id")
        .annotate(total=Sum("share"))
        .values_list("group_id", "total")
    )
    allocated = dict(
        Allocation.objects.filter(group_id__in=[p.group_id for p in places])
        .values("group_id")
        .annotate(n=Count("pupil", distinct=True))
        .values_list("group_id", "n")
    )
    history = []
    for place in places:
        figures = attended.get(place.group_id, {"present": 0, "absent": 0})
        non_hour = costs.non_hour_share(place.group.provision.non_hour_cost, allocated.get(place.group_id, 1))
        history.append(
            {
                "place": place,
                "present": figures["present"],
                "absent": figures["absent"],
                "cost": costs.pupil_delivered_cost(
                    [], non_hour_share=shares.get(place.group_id, Decimal(0)) + non_hour
                ),
                "change": impact.change(place.entry_score, place.exit_score)
                if place.entry_score is not None and place.exit_score is not None
                else None,
            }
        )
    return history
