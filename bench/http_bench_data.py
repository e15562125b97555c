"""The http bench's bulk data: the demo school, then either 47 more schools of about 417 pupils (a trust
of 20,000) or the demo school grown to 20,000 pupils. Run by bench/http_bench.py in a process of its own,
pointed at the new database, with the code of BENCH_CODE (an earlier checkout, for ``--before-databases``) or
this one's. The rows name only fields the code has, so an earlier checkout's models build them too."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(os.environ.get("BENCH_CODE") or Path(__file__).resolve().parent.parent)
TODAY = "2026-11-27"  # a school day: the demo and the bulk rows are dated from it, so a reused database stays valid
TRUST_SCHOOLS = 47
PUPILS_PER_TRUST_SCHOOL = 417
LARGE_SCHOOL_EXTRA = 19_580


def build(size: str) -> None:
    """In a fresh process pointed at the new database: migrate, the demo, then the bulk rows for the size."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from auditlog.context import disable_auditlog
    from django.core.management import call_command

    from pupils.models import School

    call_command("migrate", verbosity=0)
    call_command("seed_demo", today=__import__("datetime").date.fromisoformat(TODAY), verbosity=0)
    demo = School.objects.get(urn=__import__("demo.school", fromlist=["DEMO_URN"]).DEMO_URN)
    with disable_auditlog():
        if size == "20k-trust":
            for n in range(TRUST_SCHOOLS):
                school = School.objects.create(
                    name=f"Trust school {n + 1}",
                    urn=f"{800000 + n}",
                    la_code="892",
                    la_name="Nottingham City",
                    phase="primary",
                )
                add_pupils(school, PUPILS_PER_TRUST_SCHOOL, seed=n)
                print(f"  trust school {n + 1} of {TRUST_SCHOOLS}", flush=True)
        elif size == "20k-school":
            add_pupils(demo, LARGE_SCHOOL_EXTRA, seed=0)


def add_pupils(school, n: int, *, seed: int) -> None:
    """Bulk rows for one school: classes of 28 with a teacher each, pupils, 16% on SEN support and 2.5% with an
    EHC plan (with its annual review deadline), three subjects x six assessment points of scores, flags."""
    import random
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline
    from ehc.models import EhcPlan
    from provision import selectors as provision_selectors
    from provision import services as provision_services
    from provision.models import AssessmentPoint, ProgressScore, Subject
    from pupils.models import Membership, NeedType, Pupil, RegisterEntry, Role, SchoolClass

    # The score helpers from this script's folder, whatever BENCH_CODE is; flags_bench puts its own checkout
    # first on sys.path when imported, so the path is put back: the code imported later is BENCH_CODE's.
    path = list(sys.path)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from flags_bench import score_rows, six_points

    sys.path[:] = path

    rng = random.Random(seed)
    today = date.fromisoformat(TODAY)
    User = get_user_model()
    start = SchoolClass.objects.filter(school=school).count()
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, name=f"{i % 7 + 1} Class {start + i}", year_group=i % 7 + 1)
        for i in range(max(n // 28, 1))
    )
    teachers = User.objects.bulk_create(
        User(username=f"t-{school.urn}-{start + i}", first_name=f"Teacher{i}", last_name=f"Bench{i}")
        for i in range(len(classes))
    )
    Membership.objects.bulk_create(Membership(user=t, school=school, role=Role.TEACHER) for t in teachers)
    SchoolClass.teachers.through.objects.bulk_create(
        SchoolClass.teachers.through(schoolclass_id=c.pk, user_id=t.pk) for c, t in zip(classes, teachers, strict=True)
    )
    senco = Membership.objects.filter(school=school, role=Role.SENCO).first()
    creator = senco.user if senco else teachers[0]
    pupils = Pupil.objects.bulk_create(
        (
            Pupil(
                school=school,
                upn=f"B{school.urn[-4:]}{seed:02d}{i:06d}",
                legal_forename=rng.choice(["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harry"]),
                legal_surname=f"Surname{i:05d}",
                date_of_birth=today - timedelta(days=365 * (5 + classes[i % len(classes)].year_group) + i % 365),
                gender=rng.choice("FM"),
                year_group=classes[i % len(classes)].year_group,
                school_class=classes[i % len(classes)],
                admitted_on=date(2022, 9, 1),
                is_eal=rng.random() < 0.2,
                is_pupil_premium=rng.random() < 0.25,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    needs = list(NeedType.objects.exclude(code="NSA"))
    # Fields an earlier checkout's models may not have yet (for --before-databases).
    entry_school = {"school_id": school.pk} if _has_field(RegisterEntry, "school") else {}
    deadline_school = {"school": school} if _has_field(Deadline, "school") else {}
    entries, plans = [], []
    for pupil in pupils:
        roll = rng.random()
        if roll < 0.185:
            status = "E" if roll < 0.025 else "K"
            entries.append(
                RegisterEntry(
                    pupil=pupil,
                    **entry_school,
                    status=status,
                    primary_need=rng.choice(needs),
                    started_on=today - timedelta(days=rng.randrange(30, 900)),
                    start_reason="bench",
                    created_by=creator,
                )
            )
            if status == "E":
                plans.append(
                    EhcPlan(
                        pupil=pupil,
                        la_name="Nottingham City",
                        issued_on=today - timedelta(days=rng.randrange(30, 1000)),
                        created_by=creator,
                    )
                )
    RegisterEntry.objects.bulk_create(entries, batch_size=2000)
    EhcPlan.objects.bulk_create(plans, batch_size=2000)
    plan_type = ContentType.objects.get_for_model(EhcPlan)
    Deadline.objects.bulk_create(
        (
            Deadline(
                **deadline_school,
                pupil_id=plan.pupil_id,
                kind="annual_review_due",
                title="Annual review of the EHC plan",
                rule="Within 12 months of the plan being issued (reg 18).",
                due_on=today + timedelta(days=rng.randrange(-20, 300)),
                source_type=plan_type,
                source_id=str(plan.pk),
            )
            for plan in plans
        ),
        batch_size=2000,
    )
    if not Subject.objects.filter(school=school).exists():
        for ordering, name in enumerate(provision_services.DEFAULT_SUBJECTS):
            Subject.objects.create(school=school, name=name, ordering=ordering)
    subjects = list(provision_selectors.subjects_for(school))[:3]
    points = list(AssessmentPoint.objects.filter(school=school).order_by("assessed_on"))[-6:]
    if len(points) < 6:
        points = six_points(school, today)
    ProgressScore.objects.bulk_create(score_rows(pupils, subjects, points, rng, creator), batch_size=5000)
    provision_services.flags_compute(school=school, today=today)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())
