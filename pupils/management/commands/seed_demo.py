"""Build the demo school, deterministically: about 420 pupils from Nursery to Year 6 and one user per role."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from stdnum.gb.upn import calc_check_digit

from pupils.census import load_need_types
from pupils.models import (
    ConcernStatus,
    Contact,
    Gender,
    Membership,
    NeedType,
    Pupil,
    RegisterEntry,
    RegisterStatus,
    Role,
    School,
    SchoolClass,
    SenConcern,
    Term,
    YearGroup,
)

DEMO_PASSWORD = "send-mis-demo"
DEMO_URN = "122001"
SEED = 20261127
TODAY = date(2026, 11, 27)  # the demo is built as of this date, so every run gives the same school

FORENAMES_F = [
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Willow", "Grace", "Sophia",
    "Aisha", "Fatima", "Maryam", "Zainab", "Hafsa", "Amira", "Zofia", "Maja", "Hanna", "Ioana", "Chloe", "Ruby",
    "Evie", "Poppy", "Esme", "Nia", "Imani", "Precious", "Chantelle", "Priya", "Simran", "Harleen", "Erin", "Niamh",
]
FORENAMES_M = [
    "Oliver", "George", "Noah", "Arthur", "Leo", "Muhammad", "Oscar", "Harry", "Theo", "Jack", "Freddie", "Alfie",
    "Yusuf", "Ibrahim", "Ayaan", "Zayn", "Bilal", "Kacper", "Jakub", "Filip", "Andrei", "Luca", "Kai", "Tyler",
    "Reuben", "Mason", "Kofi", "Tobi", "Daniel", "Samuel", "Arjun", "Harjit", "Callum", "Rhys", "Finn", "Ethan",
]
SURNAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Hussain",
    "Ali", "Ahmed", "Begum", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Kowalski", "Nowak", "Wiśniewski", "Popescu", "Ionescu", "Mensah",
    "Okafor", "Adeyemi", "Campbell", "Stewart", "O'Connor", "Murphy", "Singh", "Kaur", "Sharma", "Nguyen",
    "Chen", "Mahmood", "Iqbal", "Hughes", "Edwards", "Lewis", "Turner", "Baker", "Harris", "Martin",
]
LANGUAGES = ["Polish", "Urdu", "Punjabi", "Arabic", "Romanian", "Somali", "Bengali", "Kurdish", "Portuguese", "Twi"]

# Primary need on SEN support and with EHC plans, roughly in national proportions (DfE, SEN in England).
SEN_SUPPORT_NEEDS = [("SLCN", 25), ("SEMH", 19), ("MLD", 17), ("SPLD", 12), ("ASD", 11), ("OTH", 3),
                     ("PD", 3), ("HI", 2), ("VI", 1), ("NSA", 3), ("SLD", 1), ("MSI", 1)]
EHC_NEEDS = [("ASD", 33), ("SLCN", 22), ("SEMH", 14), ("SLD", 8), ("MLD", 7), ("PD", 6), ("PMLD", 3),
             ("HI", 3), ("SPLD", 2), ("VI", 1), ("OTH", 1)]

STAFF = [
    # username, first, last, role
    ("senco", "Sarah", "Okonjo", Role.SENCO),
    ("head", "David", "Marsh", Role.HEAD),
    ("governor", "Helen", "Fairbrother", Role.GOVERNOR),
    ("dsl", "Priya", "Raman", Role.DSL),
    ("teacher", "Tom", "Whitaker", Role.TEACHER),
]

CLASS_NAMES = {
    YearGroup.NURSERY_2: ["Nursery"],
    YearGroup.RECEPTION: ["Reception Robins", "Reception Wrens"],
    YearGroup.YEAR_1: ["1 Beech", "1 Birch"],
    YearGroup.YEAR_2: ["2 Cedar", "2 Cherry"],
    YearGroup.YEAR_3: ["3 Oak", "3 Olive"],
    YearGroup.YEAR_4: ["4 Ash", "4 Aspen"],
    YearGroup.YEAR_5: ["5 Hazel", "5 Holly"],
    YearGroup.YEAR_6: ["6 Maple", "6 Rowan"],
}

TERMS = [
    ("Summer 2", date(2026, 6, 8), date(2026, 7, 21)),
    ("Autumn 1", date(2026, 9, 2), date(2026, 10, 23)),
    ("Autumn 2", date(2026, 11, 2), date(2026, 12, 18)),
    ("Spring 1", date(2027, 1, 5), date(2027, 2, 12)),
    ("Spring 2", date(2027, 2, 22), date(2027, 3, 26)),
    ("Summer 1", date(2027, 4, 12), date(2027, 5, 28)),
    ("Summer 2", date(2027, 6, 7), date(2027, 7, 21)),
]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    codes, weights = zip(*table)
    return rng.choices(codes, weights=weights)[0]


def make_upn(la_code: str, estab: str, year: int, serial: int) -> str:
    body = f"{la_code}{estab}{year % 100:02d}{serial:03d}"
    return calc_check_digit(body) + body


class Command(BaseCommand):
    help = "Load the demo school (Claremont Primary and Nursery School, about 420 pupils). Refuses in production."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_demo refuses to run under production settings: it creates known passwords.")
        if School.objects.filter(urn=DEMO_URN).exists():
            self.stdout.write("The demo school is already loaded.")
            return
        with transaction.atomic():
            counts = self._build()
        self.stdout.write(self.style.SUCCESS(
            "Demo school loaded: {pupils} pupils, {k} on SEN support, {e} with EHC plans, {m} monitoring.".format(**counts)
        ))

    def _build(self) -> dict:
        rng = random.Random(SEED)
        school = School.objects.create(
            name="Claremont Primary and Nursery School", urn=DEMO_URN, la_code="892", la_name="Nottingham City",
            phase="primary_nursery",
        )
        Term.objects.bulk_create(Term(school=school, name=n, starts_on=s, ends_on=e) for n, s, e in TERMS)
        User = get_user_model()
        # One hash for every demo account: PBKDF2 per user would make the seed slow for no gain.
        password = make_password(DEMO_PASSWORD)
        users = {}
        for username, first, last, role in STAFF:
            user = User.objects.create(
                username=username, password=password, first_name=first, last_name=last,
                email=f"{username}@claremont.example",
            )
            Membership.objects.create(user=user, school=school, role=role)
            users[username] = user
        classes = []
        for year, names in CLASS_NAMES.items():
            for name in names:
                classes.append(SchoolClass.objects.create(school=school, name=name, year_group=year))
        teacher_names = iter(zip(rng.sample(FORENAMES_F + FORENAMES_M, len(classes)), rng.sample(SURNAMES, len(classes))))
        for n, klass in enumerate(classes):
            if klass.name == "3 Oak":
                teacher = users["teacher"]
            else:
                first, last = next(teacher_names)
                teacher = User.objects.create(
                    username=f"teacher{n:02d}", password=password, first_name=first, last_name=last,
                    email=f"teacher{n:02d}@claremont.example",
                )
                Membership.objects.create(user=teacher, school=school, role=Role.TEACHER)
            klass.teachers.add(teacher)

        pupils = []
        serial = 0
        for klass in classes:
            size = 28
            for _ in range(size):
                serial += 1
                gender = rng.choice([Gender.FEMALE, Gender.MALE])
                forename = rng.choice(FORENAMES_F if gender == Gender.FEMALE else FORENAMES_M)
                surname = rng.choice(SURNAMES)
                # On 1 September a Reception child is 4, a Year 1 child 5, and so on; Nursery 2 is 3.
                sept = date(2026, 9, 1)
                age_sept = klass.year_group + 4
                born = date(sept.year - age_sept - 1, 9, 2) + timedelta(days=rng.randrange(365))
                admitted_year = sept.year - max(klass.year_group, 0)
                admitted = date(admitted_year, 9, rng.choice([2, 3, 4]))
                if rng.random() < 0.08 and klass.year_group > 1:
                    admitted = admitted + timedelta(days=rng.randrange(200, 700))
                is_eal = rng.random() < 0.22
                pupils.append(Pupil(
                    school=school, upn=make_upn("892", "2345", admitted.year, serial),
                    legal_forename=forename, legal_surname=surname,
                    preferred_forename=rng.choice(["", "", "", "", forename[:3] + "ie"]) if len(forename) > 5 else "",
                    date_of_birth=born, gender=gender, year_group=klass.year_group, school_class=klass,
                    is_eal=is_eal, first_language=rng.choice(LANGUAGES) if is_eal else "English",
                    is_looked_after=rng.random() < 0.01, is_pupil_premium=rng.random() < 0.33,
                    admitted_on=min(admitted, TODAY),
                ))
        Pupil.objects.bulk_create(pupils)
        # at least a handful of looked-after children, as in any city school
        for pupil in rng.sample(pupils, 4):
            pupil.is_looked_after = True
        Pupil.objects.bulk_update(pupils, ["is_looked_after"])

        contacts = []
        for pupil in pupils:
            contacts.append(Contact(
                pupil=pupil, name=f"{rng.choice(FORENAMES_F)} {pupil.legal_surname}", relationship="Mother",
                phone=f"07700 9{rng.randrange(10000, 99999)}", priority=1,
                has_parental_responsibility=not pupil.is_looked_after,
            ))
            if pupil.is_looked_after:
                contacts.append(Contact(pupil=pupil, name="Nottingham City Children's Services", relationship="Local authority (corporate parent)", phone="0115 915 0000", priority=0))
            elif rng.random() < 0.6:
                contacts.append(Contact(
                    pupil=pupil, name=f"{rng.choice(FORENAMES_M)} {pupil.legal_surname}", relationship="Father",
                    phone=f"07700 9{rng.randrange(10000, 99999)}", priority=2,
                ))
        Contact.objects.bulk_create(contacts)

        load_need_types(NeedType)  # a flushed test database has lost the migration's rows
        needs = {n.code: n for n in NeedType.objects.all()}
        senco = users["senco"]
        school_age = [p for p in pupils if p.year_group >= YearGroup.RECEPTION]
        rng.shuffle(school_age)
        n_ehc, n_k, n_m = round(len(pupils) * 0.025), round(len(pupils) * 0.14), 12
        entries = []
        for i, pupil in enumerate(school_age[: n_ehc + n_k + n_m]):
            start = max(pupil.admitted_on, TODAY - timedelta(days=rng.randrange(60, 900)))
            if i < n_ehc:
                status, primary = RegisterStatus.EHC_PLAN, _weighted(rng, EHC_NEEDS)
                # most EHC pupils were on SEN support first: keep that history true
                first_start = max(pupil.admitted_on, start - timedelta(days=rng.randrange(200, 500)))
                if first_start < start:
                    entries.append(RegisterEntry(
                        pupil=pupil, status=RegisterStatus.SEN_SUPPORT, primary_need=needs[primary],
                        started_on=first_start, start_reason="Needs identified through the graduated approach.",
                        ended_on=start, end_reason="EHC plan issued by the LA.", created_by=senco,
                    ))
                reason = "EHC plan issued by Nottingham City."
            elif i < n_ehc + n_k:
                status, primary = RegisterStatus.SEN_SUPPORT, _weighted(rng, SEN_SUPPORT_NEEDS)
                reason = "Less than expected progress despite high-quality teaching; agreed with parents."
            else:
                status, primary = RegisterStatus.MONITORING, None
                reason = "Teacher concern; monitoring for a term before deciding on SEN support."
            secondary = None
            if primary and rng.random() < 0.3:
                secondary = rng.choice([c for c in ("SEMH", "SLCN", "SPLD", "PD") if c != primary])
            entries.append(RegisterEntry(
                pupil=pupil, status=status, primary_need=needs[primary] if primary else None,
                secondary_need=needs[secondary] if secondary else None, started_on=start,
                start_reason=reason, created_by=senco,
            ))
        RegisterEntry.objects.bulk_create(entries)

        teacher = users["teacher"]
        oak = [p for p in pupils if p.school_class.name == "3 Oak"]
        concern_texts = [
            "Finds it hard to follow two-step instructions in class; often watches others before starting.",
            "Reading has not moved on since September: still blending CVC words slowly and guessing at longer words.",
            "Frequent upset at transitions (lunch, PE); hides under the table and will not talk about it afterwards.",
        ]
        on_register = {e.pupil_id for e in entries}
        for pupil, text in zip([p for p in oak if p.pk not in on_register], concern_texts):
            SenConcern.objects.create(pupil=pupil, raised_by=teacher, description=text, status=ConcernStatus.OPEN)
        return {
            "pupils": len(pupils), "k": n_k, "e": n_ehc, "m": n_m,
        }
