"""The demo school's provision map: staff rates, the SEN budget, a catalogue of fifteen provisions across the four
areas of need, groups that have run for a term with their sessions, attendance and entry and exit scores, two
pupils near the element-2 threshold, and an EHC plan whose section F the school has under-delivered this term.

Everything is written through the provision services and dated from `today`, so the same day gives the same map.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ehc.models import AnnualReview, EhcPlan, PlanStatus
from overview.services import section_f_line_add
from provision import services
from provision.models import AssessmentPoint, Provision, Scale, Session, SessionStatus, Subject
from provision.services import SessionInput
from pupils.models import BroadArea, Pupil, RegisterEntry, RegisterStatus, School, Term

SEED = 2026_11


@dataclass(frozen=True)
class Offer:
    name: str
    area: str
    wave: int
    staff: str
    category: str
    size: int
    minutes: int
    per_week: int
    weeks: int
    non_hour: str
    measure: str
    scale: str
    subject: str
    outcome: str
    gain: float  # the mean change the demo's pupils make (months for reading ages)
    spread: float


CI, CL, SEMH, SP = BroadArea.COMMUNICATION, BroadArea.COGNITION, BroadArea.SEMH, BroadArea.SENSORY_PHYSICAL
STD, AGE, RATING = Scale.STANDARDISED, Scale.READING_AGE, Scale.RATING

OFFERS = [
    Offer(
        "Talk Boost",
        CI,
        2,
        "ta3",
        "ta",
        4,
        30,
        3,
        10,
        "95.00",
        "Talk Boost checklist",
        RATING,
        "",
        "Listens and joins in with talk in a small group.",
        2.5,
        1.2,
    ),
    Offer(
        "Lego therapy",
        CI,
        2,
        "ta2",
        "ta",
        3,
        40,
        2,
        10,
        "40.00",
        "Adult rating of turn-taking",
        RATING,
        "",
        "Takes turns and shares ideas with two peers.",
        1.8,
        1.5,
    ),
    Offer(
        "Speech and language therapy",
        CI,
        3,
        "external",
        "external",
        1,
        30,
        1,
        12,
        "150.00",
        "Therapist's target rating",
        RATING,
        "",
        "Uses two-word phrases to ask for help.",
        2.0,
        1.0,
    ),
    Offer(
        "Social communication group",
        CI,
        2,
        "hlta",
        "ta",
        6,
        45,
        1,
        12,
        "0.00",
        "Adult rating",
        RATING,
        "",
        "Starts and keeps up a conversation with a peer.",
        0.4,
        1.4,
    ),
    Offer(
        "Reading catch-up",
        CL,
        2,
        "ta3",
        "ta",
        3,
        20,
        3,
        12,
        "60.00",
        "Salford sentence reading test",
        AGE,
        "",
        "Reading age up by at least six months in a term.",
        8.0,
        3.0,
    ),
    Offer(
        "Phonics catch-up",
        CL,
        2,
        "ta2",
        "ta",
        4,
        15,
        5,
        12,
        "0.00",
        "Standardised reading score",
        STD,
        "Reading",
        "Blends and segments phase 3 sounds securely.",
        5.0,
        4.0,
    ),
    Offer(
        "Maths catch-up",
        CL,
        2,
        "hlta",
        "ta",
        4,
        30,
        2,
        12,
        "0.00",
        "Standardised maths score",
        STD,
        "Maths",
        "Recalls number bonds to 10 and uses them.",
        1.0,
        4.0,
    ),
    Offer(
        "Precision teaching",
        CL,
        3,
        "ta3",
        "ta",
        1,
        10,
        5,
        12,
        "0.00",
        "Words read correctly a minute",
        RATING,
        "",
        "Reads the 100 high-frequency words fluently.",
        1.5,
        1.0,
    ),
    Offer(
        "One-to-one teacher tuition",
        CL,
        3,
        "teacher",
        "teacher",
        1,
        30,
        5,
        38,
        "0.00",
        "Standardised reading score",
        STD,
        "Reading",
        "Closes the gap in reading and writing.",
        3.0,
        3.0,
    ),
    Offer(
        "Nurture group",
        SEMH,
        2,
        "hlta",
        "ta",
        8,
        60,
        5,
        12,
        "200.00",
        "Boxall profile rating",
        RATING,
        "",
        "Settles to learn and manages the start of the day.",
        1.2,
        1.0,
    ),
    Offer(
        "ELSA sessions",
        SEMH,
        3,
        "ta3",
        "ta",
        1,
        30,
        1,
        12,
        "0.00",
        "Pupil's own rating of worries",
        RATING,
        "",
        "Names feelings and uses one calming strategy.",
        2.2,
        1.3,
    ),
    Offer(
        "Lunchtime social club",
        SEMH,
        2,
        "ta2",
        "supervisory",
        8,
        30,
        5,
        12,
        "30.00",
        "Adult rating",
        RATING,
        "",
        "Plays with others at lunchtime without an adult stepping in.",
        0.6,
        1.2,
    ),
    Offer(
        "Sensory circuits",
        SP,
        2,
        "ta2",
        "ta",
        6,
        15,
        5,
        12,
        "80.00",
        "Adult rating of readiness",
        RATING,
        "",
        "Arrives in class calm and ready to learn.",
        1.4,
        1.0,
    ),
    Offer(
        "Fine motor skills group",
        SP,
        2,
        "ta2",
        "ta",
        4,
        20,
        3,
        10,
        "45.00",
        "Handwriting speed rating",
        RATING,
        "",
        "Forms letters of a consistent size.",
        1.1,
        1.1,
    ),
    Offer(
        "Physiotherapy programme",
        SP,
        3,
        "ta3",
        "ta",
        1,
        20,
        3,
        12,
        "0.00",
        "Physiotherapist's rating",
        RATING,
        "",
        "Climbs stairs with alternating feet.",
        1.6,
        0.8,
    ),
]

RATES = [  # staff type, hourly rate, on-cost multiplier
    ("ta2", "12.10", "1.28"),
    ("ta3", "13.20", "1.28"),
    ("hlta", "14.80", "1.30"),
    ("teacher", "38.50", "1.35"),
    ("external", "65.00", "1.00"),
]


def _weekdays(start: date, end: date, per_week: int, first_day: int) -> list[date]:
    days = (
        [(first_day + n * (5 // max(per_week, 1) or 1)) % 5 for n in range(per_week)]
        if per_week < 5
        else [0, 1, 2, 3, 4]
    )
    out, day = [], start
    while day <= end:
        if day.weekday() in days:
            out.append(day)
        day += timedelta(days=1)
    return out


def build(*, school: School, users: dict, today: date) -> dict:
    """The demo's provision map. Returns its headline figures for the seed's summary line."""
    rng = random.Random(SEED)
    senco, head = users["senco"], users["head"]
    year_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    for staff_type, hourly, on_cost in RATES:
        services.staff_rate_set(
            school=school,
            staff_type=staff_type,
            hourly_rate=Decimal(hourly),
            on_cost=Decimal(on_cost),
            valid_from=year_start - timedelta(days=365),
            actor=head,
        )
    financial_year = today.year if today.month >= 4 else today.year - 1
    services.sen_budget_set(
        school=school,
        financial_year=financial_year,
        notional_budget=Decimal("98000"),
        top_up_funding=Decimal("12000"),
        actor=head,
    )
    subjects = {s.name: s for s in Subject.objects.filter(school=school)}
    provisions = {}
    for offer in OFFERS:
        provisions[offer.name] = services.provision_save(
            provision=Provision(
                school=school,
                name=offer.name,
                broad_area=offer.area,
                wave=offer.wave,
                intended_outcome=offer.outcome,
                evidence_base="",
                measure_name=offer.measure,
                measure_scale=offer.scale,
                subject=subjects.get(offer.subject),
                staff_type=offer.staff,
                cost_category=offer.category,
                group_size=offer.size,
                session_minutes=offer.minutes,
                sessions_per_week=offer.per_week,
                weeks=offer.weeks,
                non_hour_cost=Decimal(offer.non_hour),
            ),
            actor=senco,
        )

    # Pupils by area of need: those on the register (school age), then some monitored pupils for catch-up groups.
    entries = list(
        RegisterEntry.objects.filter(pupil__school=school, ended_on__isnull=True, pupil__year_group__gte=0)
        .select_related("pupil", "primary_need")
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    by_area: dict[str, list[Pupil]] = {CI: [], CL: [], SEMH: [], SP: []}
    ehc = [e.pupil for e in entries if e.status == RegisterStatus.EHC_PLAN]
    for entry in entries:
        area = entry.primary_need.broad_area if entry.primary_need else CL
        by_area.get(area, by_area[CL]).append(entry.pupil)
    others = list(
        Pupil.objects.filter(school=school, year_group__in=[1, 2, 3], register_entries__isnull=True).order_by("upn")[
            :24
        ]
    )

    terms = list(Term.objects.filter(school=school).values_list("starts_on", "ends_on"))

    def in_term(day: date) -> bool:
        # The demo holds this year's and next year's terms; earlier days count as term days.
        return day < min(s for s, _ in terms) or any(s <= day <= e for s, e in terms)

    run_start = today - timedelta(days=84)
    run_end = today - timedelta(days=3)
    groups = places = sessions = 0
    lead_cycle = [users["teacher"], senco, None]

    def run(
        offer: Offer, name: str, pupils: list[Pupil], *, ongoing: bool = False, weekday: int = 0, window=None
    ) -> None:
        nonlocal groups, places, sessions
        provision = provisions[offer.name]
        starts, ends = window or (run_start, today + timedelta(days=45) if ongoing else run_end)
        group = services.group_start(
            provision=provision,
            name=name,
            lead=lead_cycle[groups % 3],
            starts_on=starts,
            ends_on=ends,
            weekday=weekday,
            pupils=pupils[: offer.size],
            actor=senco,
        )
        groups += 1
        places += len(pupils[: offer.size])
        days = [d for d in _weekdays(starts, min(today, ends), offer.per_week, weekday) if in_term(d)]
        entries_ = []
        for day in days:
            if rng.random() < 0.05:
                entries_.append(
                    SessionInput(day, False, offer.minutes, cancel_reason="Staff absence: covering a class")
                )
                continue
            absent = frozenset(p.pk for p in pupils[: offer.size] if rng.random() < 0.07)
            entries_.append(SessionInput(day, True, offer.minutes, absent=absent))
        services.sessions_record(group=group, sessions=entries_, today=today, actor=senco)
        sessions += len(entries_)
        scores = []
        for place in group.allocations.order_by("pupil__upn"):  # a fixed order: the same day, the same scores
            start = {STD: 84, AGE: 80, RATING: 3}[offer.scale] + rng.randint(-3, 3) * (
                1 if offer.scale != RATING else 0
            )
            start = Decimal(start if offer.scale != RATING else rng.randint(2, 4))
            change = Decimal(str(round(rng.gauss(offer.gain, offer.spread), 0 if offer.scale != RATING else 1)))
            high = {STD: Decimal(140), AGE: Decimal(200), RATING: Decimal(10)}[offer.scale]
            exit_score = None if ongoing else min(high, max(Decimal(0), start + change))
            scores.append(services.ScoreInput(place.pk, start, exit_score))
        services.scores_record(
            group=group,
            scores=scores,
            entry_on=starts,
            exit_on=None if ongoing else min(ends, today),
            actor=senco,
        )

    offers = {o.name: o for o in OFFERS}
    pools = {CI: list(by_area[CI]), CL: list(by_area[CL]), SEMH: list(by_area[SEMH]), SP: list(by_area[SP])}

    spare = others[16:] + list(
        Pupil.objects.filter(school=school, year_group__in=[4, 5, 6], register_entries__isnull=True).order_by("upn")[
            :30
        ]
    )

    def take(area: str, n: int) -> list[Pupil]:
        pool = pools[area] + spare if len(pools[area]) < n else pools[area]
        chosen = [pool[i % len(pool)] for i in range(n)]
        pools[area] = pool[n:]
        return list(dict.fromkeys(chosen))

    # Cognition and learning: three phonics groups last spring and summer, between two termly assessments, with
    # twelve pupils (enough for an effect size against same-band pupils); reading and maths this term.
    assessed = list(
        AssessmentPoint.objects.filter(school=school, assessed_on__lte=today, scores__isnull=False)
        .distinct()
        .order_by("assessed_on")
        .values_list("assessed_on", flat=True)
    )
    phonics = (by_area[CL] + others)[:16]
    if len(assessed) >= 2:
        window = (assessed[-2] + timedelta(days=7), assessed[-1] + timedelta(days=3))
        for n in range(4):
            run(
                offers["Phonics catch-up"],
                f"Phonics catch-up {'ABCD'[n]}",
                phonics[n * 4 : n * 4 + 4],
                weekday=n,
                window=window,
            )
    run(offers["Reading catch-up"], "Reading catch-up, Year 4", take(CL, 3), weekday=1)
    run(offers["Reading catch-up"], "Reading catch-up, Year 5", take(CL, 3), weekday=3)
    run(offers["Maths catch-up"], "Maths catch-up, Year 3", take(CL, 4), weekday=2)
    run(offers["Maths catch-up"], "Maths catch-up, Year 6", take(CL, 4), ongoing=True, weekday=4)
    run(offers["Precision teaching"], "Precision teaching", take(CL, 1), ongoing=True)
    # Communication and interaction, SEMH, sensory and physical.
    run(offers["Talk Boost"], "Talk Boost, Key Stage 1", take(CI, 4), weekday=0)
    run(offers["Lego therapy"], "Lego therapy", take(CI, 3), ongoing=True, weekday=3)
    run(offers["Social communication group"], "Social communication group", take(CI, 6), weekday=4)
    run(offers["Nurture group"], "Nurture group", take(SEMH, 8), ongoing=True)
    run(offers["Lunchtime social club"], "Lunchtime social club", take(SEMH, 8))
    run(offers["ELSA sessions"], "ELSA, one to one", take(SEMH, 1), weekday=2)
    run(offers["Sensory circuits"], "Sensory circuits", take(SP, 6), ongoing=True)
    run(offers["Fine motor skills group"], "Fine motor skills", take(SP, 4), weekday=1)
    run(offers["Physiotherapy programme"], "Physiotherapy programme", take(SP, 1), ongoing=True)

    # Two pupils with EHC plans near the element-2 threshold: daily one-to-one tuition all year, and more.
    # The first has an annual review coming up, so its report shows section F against what was delivered.
    upcoming = set(
        AnnualReview.objects.filter(
            plan__pupil__school=school, plan__status=PlanStatus.ACTIVE, held_on__isnull=True
        ).values_list("plan__pupil_id", flat=True)
    )
    near = sorted(ehc, key=lambda p: p.pk not in upcoming)[:2]
    for i, pupil in enumerate(near):
        run(offers["One-to-one teacher tuition"], f"One-to-one tuition {i + 1}", [pupil], ongoing=True, weekday=i)
    for i, pupil in enumerate(near):
        run(offers["Speech and language therapy"], f"Speech and language therapy {i + 1}", [pupil], ongoing=True)
    run(offers["ELSA sessions"], "ELSA, one to one (2)", near[1:2], ongoing=True, weekday=3)
    # Section F of the first pupil's plan: weekly speech and language therapy is specified for an hour, but the
    # therapist comes for half an hour: under-delivered this term.
    plan = EhcPlan.objects.filter(pupil=near[0], status=PlanStatus.ACTIVE).first() if near else None
    if plan is not None:
        section_f_line_add(
            plan=plan,
            description="Speech and language therapy, one to one, to work on expressive language targets",
            minutes_per_week=60,
            delivered_by="Speech and language therapist",
            provisions=[provisions["Speech and language therapy"]],
            actor=senco,
        )
        section_f_line_add(
            plan=plan,
            description="Daily one-to-one teaching of reading and writing, 30 minutes",
            minutes_per_week=150,
            delivered_by="Qualified teacher",
            provisions=[provisions["One-to-one teacher tuition"]],
            actor=senco,
        )
    # A session recorded against the wrong group, withdrawn by the SENCO: kept in the group's history, not counted.
    mistaken = (
        Session.objects.filter(group__name="Lunchtime social club", status=SessionStatus.DELIVERED)
        .order_by("-held_on")
        .first()
    )
    if mistaken is not None:
        services.session_withdraw(
            session=mistaken,
            reason="Recorded against the wrong group: that lunchtime the pupils were at the nurture group.",
            now=timezone.make_aware(datetime.combine(mistaken.held_on, time(15, 40))),
            actor=senco,
        )
    return {"provisions": len(OFFERS), "groups": groups, "places": places, "sessions": sessions, "near": near}
