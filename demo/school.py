"""The demo school: its accounts' known secrets, names, staff and classes, and the builder's first part (the
school, its terms, staff with their second factor, about 420 pupils with contacts, the SEN register, concerns)."""

import random
from base64 import b32decode
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.gb.upn import calc_check_digit

from demo.terms import term_dates
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
from send_mis.dates import academic_year_start

DEMO_PASSWORD = "send-mis-demo"
# Every demo account has an authenticator app set up with this key (base32 of "send-mis-demo-secret"): add it to
# any authenticator app (time-based, 6 digits, 30 seconds) to get sign-in codes. Each demo account also has these
# recovery codes, each usable once. Known secrets: the demo refuses to run under production settings.
DEMO_TOTP_SECRET = "ONSW4ZBNNVUXGLLEMVWW6LLTMVRXEZLU"
DEMO_RECOVERY_CODES = ["demo1111", "demo2222", "demo3333", "demo4444", "demo5555"]
DEMO_URN = "122001"
SEED = 20261127

FORENAMES_F = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Florence",
    "Willow",
    "Grace",
    "Sophia",
    "Aisha",
    "Fatima",
    "Maryam",
    "Zainab",
    "Hafsa",
    "Amira",
    "Zofia",
    "Maja",
    "Hanna",
    "Ioana",
    "Chloe",
    "Ruby",
    "Evie",
    "Poppy",
    "Esme",
    "Nia",
    "Imani",
    "Precious",
    "Chantelle",
    "Priya",
    "Simran",
    "Harleen",
    "Erin",
    "Niamh",
]
FORENAMES_M = [
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Muhammad",
    "Oscar",
    "Harry",
    "Theo",
    "Jack",
    "Freddie",
    "Alfie",
    "Yusuf",
    "Ibrahim",
    "Ayaan",
    "Zayn",
    "Bilal",
    "Kacper",
    "Jakub",
    "Filip",
    "Andrei",
    "Luca",
    "Kai",
    "Tyler",
    "Reuben",
    "Mason",
    "Kofi",
    "Tobi",
    "Daniel",
    "Samuel",
    "Arjun",
    "Harjit",
    "Callum",
    "Rhys",
    "Finn",
    "Ethan",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Hussain",
    "Ali",
    "Ahmed",
    "Begum",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Popescu",
    "Ionescu",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Campbell",
    "Stewart",
    "O'Connor",
    "Murphy",
    "Singh",
    "Kaur",
    "Sharma",
    "Nguyen",
    "Chen",
    "Mahmood",
    "Iqbal",
    "Hughes",
    "Edwards",
    "Lewis",
    "Turner",
    "Baker",
    "Harris",
    "Martin",
]
LANGUAGES = ["Polish", "Urdu", "Punjabi", "Arabic", "Romanian", "Somali", "Bengali", "Kurdish", "Portuguese", "Twi"]

# Primary need on SEN support and with EHC plans, roughly in national proportions (DfE, SEN in England).
SEN_SUPPORT_NEEDS = [
    ("SLCN", 25),
    ("SEMH", 19),
    ("MLD", 17),
    ("SPLD", 12),
    ("ASD", 11),
    ("OTH", 3),
    ("PD", 3),
    ("HI", 2),
    ("VI", 1),
    ("NSA", 3),
    ("SLD", 1),
    ("MSI", 1),
]
EHC_NEEDS = [
    ("ASD", 33),
    ("SLCN", 22),
    ("SEMH", 14),
    ("SLD", 8),
    ("MLD", 7),
    ("PD", 6),
    ("PMLD", 3),
    ("HI", 3),
    ("SPLD", 2),
    ("VI", 1),
    ("OTH", 1),
]

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


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    codes, weights = zip(*table, strict=False)
    return rng.choices(codes, weights=weights)[0]


def make_upn(la_code: str, estab: str, year: int, serial: int) -> str:
    body = f"{la_code}{estab}{year % 100:02d}{serial:03d}"
    return calc_check_digit(body) + body


def _demo_second_factor(user) -> None:
    """The demo account's authenticator app (the documented demo key) and its recovery codes."""
    TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True, key=b32decode(DEMO_TOTP_SECRET).hex()
    )
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in DEMO_RECOVERY_CODES)


class SchoolBuilder:
    """Builds the school, staff and pupils; leaves on the builder what the later parts use (school, users,
    pupils, oak, ehc_pupils, ehc_issued, k_pupils, k_started, primary)."""

    today: date
    rng: random.Random

    def _build_pupils(self) -> dict:
        rng, today = self.rng, self.today
        year_start = academic_year_start(today)
        school = School.objects.create(
            name="Claremont Primary and Nursery School",
            urn=DEMO_URN,
            la_code="892",
            la_name="Nottingham City",
            phase="primary_nursery",
            # The letterhead and signatories of every letter and PDF (set-up's details step).
            address="Claremont Road\nCarrington\nNottingham",
            postcode="NG5 1BH",
            phone="0115 915 0000",
            email="office@claremont.example",
            head_name="David Marsh",
            senco_name="Sarah Okonjo",
        )
        self.school = school
        Term.objects.bulk_create(
            Term(school=school, name=n, starts_on=s, ends_on=e)
            for year in (year_start.year, year_start.year + 1)
            for n, s, e in term_dates(year)
        )
        User = get_user_model()
        # One hash for every demo account: PBKDF2 per user would make the seed slow for no gain.
        password = make_password(DEMO_PASSWORD)
        users = {}
        for username, first, last, role in STAFF:
            user = User.objects.create(
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                email=f"{username}@claremont.example",
            )
            Membership.objects.create(user=user, school=school, role=role)
            _demo_second_factor(user)
            users[username] = user
        self.users = users
        classes = []
        for year, names in CLASS_NAMES.items():
            for name in names:
                classes.append(SchoolClass.objects.create(school=school, name=name, year_group=year))
        teacher_names = iter(
            zip(rng.sample(FORENAMES_F + FORENAMES_M, len(classes)), rng.sample(SURNAMES, len(classes)), strict=False)
        )
        for n, klass in enumerate(classes):
            if klass.name == "3 Oak":
                teacher = users["teacher"]
            else:
                first, last = next(teacher_names)
                teacher = User.objects.create(
                    username=f"teacher{n:02d}",
                    password=password,
                    first_name=first,
                    last_name=last,
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
                sept = year_start
                age_sept = klass.year_group + 4
                born = date(sept.year - age_sept - 1, 9, 2) + timedelta(days=rng.randrange(365))
                admitted_year = sept.year - max(klass.year_group, 0)
                admitted = date(admitted_year, 9, rng.choice([2, 3, 4]))
                if rng.random() < 0.08 and klass.year_group > 1:
                    admitted = admitted + timedelta(days=rng.randrange(200, 700))
                is_eal = rng.random() < 0.22
                pupils.append(
                    Pupil(
                        school=school,
                        upn=make_upn("892", "2345", admitted.year, serial),
                        legal_forename=forename,
                        legal_surname=surname,
                        preferred_forename=rng.choice(["", "", "", "", forename[:3] + "ie"])
                        if len(forename) > 5
                        else "",
                        date_of_birth=born,
                        gender=gender,
                        year_group=klass.year_group,
                        school_class=klass,
                        is_eal=is_eal,
                        first_language=rng.choice(LANGUAGES) if is_eal else "English",
                        is_looked_after=rng.random() < 0.01,
                        is_pupil_premium=rng.random() < 0.33,
                        admitted_on=min(admitted, today),
                    )
                )
        Pupil.objects.bulk_create(pupils)
        # at least a handful of looked-after children, as in any city school
        for pupil in rng.sample(pupils, 4):
            pupil.is_looked_after = True
        Pupil.objects.bulk_update(pupils, ["is_looked_after"])
        self.pupils = pupils

        contacts = []
        for pupil in pupils:
            contacts.append(
                Contact(
                    pupil=pupil,
                    name=f"{rng.choice(FORENAMES_F)} {pupil.legal_surname}",
                    relationship="Mother",
                    phone=f"07700 9{rng.randrange(10000, 99999)}",
                    priority=1,
                    has_parental_responsibility=not pupil.is_looked_after,
                )
            )
            if pupil.is_looked_after:
                contacts.append(
                    Contact(
                        pupil=pupil,
                        name="Nottingham City Children's Services",
                        relationship="Local authority (corporate parent)",
                        phone="0115 915 0000",
                        priority=0,
                    )
                )
            elif rng.random() < 0.6:
                contacts.append(
                    Contact(
                        pupil=pupil,
                        name=f"{rng.choice(FORENAMES_M)} {pupil.legal_surname}",
                        relationship="Father",
                        phone=f"07700 9{rng.randrange(10000, 99999)}",
                        priority=2,
                    )
                )
        Contact.objects.bulk_create(contacts)

        load_need_types(NeedType)  # a flushed test database has lost the migration's rows
        needs = {n.code: n for n in NeedType.objects.all()}
        senco = users["senco"]
        school_age = [p for p in pupils if p.year_group >= YearGroup.RECEPTION]
        rng.shuffle(school_age)
        n_ehc, n_k, n_m = round(len(pupils) * 0.025), round(len(pupils) * 0.14), 12
        self.ehc_issued = self._ehc_issue_dates(n_ehc)
        # Plans issued long ago go to older pupils, and the Year 6 plans have their reviews this year (a
        # review held last year would be read as this year's transition review): reorder the EHC pupils so.
        ehc_first = school_age[:n_ehc]
        order = sorted(
            range(n_ehc),
            key=lambda i: (
                ehc_first[i].year_group != YearGroup.YEAR_6,
                ehc_first[i].year_group == YearGroup.RECEPTION,
                i,
            ),
        )
        preferred = [1, 2, 0, 3, 9, 8, 7, 6, 5, 4][:n_ehc] if n_ehc == 10 else list(range(n_ehc))
        slots = [None] * n_ehc
        for i, scenario in zip(order, preferred, strict=False):
            slots[scenario] = ehc_first[i]
        school_age[:n_ehc] = slots
        entries = []
        self.primary = {}
        self.ehc_pupils, self.k_pupils = [], []
        for i, pupil in enumerate(school_age[: n_ehc + n_k + n_m]):
            start = max(pupil.admitted_on, today - timedelta(days=rng.randrange(60, 900)))
            if i < n_ehc:
                status, primary = RegisterStatus.EHC_PLAN, _weighted(rng, EHC_NEEDS)
                # the register follows the plan: on the EHC register from the day the plan was issued
                start = max(pupil.admitted_on, self.ehc_issued[i])
                # most EHC pupils were on SEN support first: keep that history true
                first_start = max(pupil.admitted_on, start - timedelta(days=rng.randrange(200, 500)))
                if first_start < start:
                    entries.append(
                        RegisterEntry(
                            pupil=pupil,
                            school_id=pupil.school_id,
                            status=RegisterStatus.SEN_SUPPORT,
                            primary_need=needs[primary],
                            started_on=first_start,
                            start_reason="Needs identified through the graduated approach.",
                            ended_on=start,
                            end_reason="EHC plan issued by the LA.",
                            created_by=senco,
                        )
                    )
                reason = "EHC plan issued by Nottingham City."
                self.ehc_pupils.append(pupil)
            elif i < n_ehc + n_k:
                status, primary = RegisterStatus.SEN_SUPPORT, _weighted(rng, SEN_SUPPORT_NEEDS)
                reason = "Less than expected progress despite high-quality teaching; agreed with parents."
                self.k_pupils.append(pupil)
            else:
                status, primary = RegisterStatus.MONITORING, None
                reason = "Teacher concern; monitoring for a term before deciding on SEN support."
            self.primary[pupil.pk] = primary
            secondary = None
            if primary and rng.random() < 0.3:
                secondary = rng.choice([c for c in ("SEMH", "SLCN", "SPLD", "PD") if c != primary])
            entries.append(
                RegisterEntry(
                    pupil=pupil,
                    school_id=pupil.school_id,
                    status=status,
                    primary_need=needs[primary] if primary else None,
                    secondary_need=needs[secondary] if secondary else None,
                    started_on=start,
                    start_reason=reason,
                    created_by=senco,
                )
            )
        RegisterEntry.objects.bulk_create(entries)
        self.k_started = {
            e.pupil_id: e.started_on for e in entries if e.status == RegisterStatus.SEN_SUPPORT and e.ended_on is None
        }

        teacher = users["teacher"]
        oak = [p for p in pupils if p.school_class.name == "3 Oak"]
        self.oak = oak
        concern_texts = [
            "Finds it hard to follow two-step instructions in class; often watches others before starting.",
            "Reading has not moved on since September: still blending CVC words slowly and guessing at longer words.",
            "Frequent upset at transitions (lunch, PE); hides under the table and will not talk about it afterwards.",
        ]
        on_register = {e.pupil_id for e in entries}
        for pupil, text in zip([p for p in oak if p.pk not in on_register], concern_texts, strict=False):
            SenConcern.objects.create(pupil=pupil, raised_by=teacher, description=text, status=ConcernStatus.OPEN)
        return {"pupils": len(pupils), "k": n_k, "e": n_ehc, "m": n_m}
