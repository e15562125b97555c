"""Build the demo school, deterministically: about 420 pupils from Nursery to Year 6 and one user per role,
with the EHC work (plans, annual reviews, an assessment, a draft plan, a disagreement) and the graduated
approach (progress scores and flags, support plans, parent meetings, passports) a SENCO would have on the go.

Every date is relative to ``--today`` (default: today), so the demo always shows a live picture; the same
``--today`` gives the same school. EHC and provision records are written through their services, with the
SENCO as the actor, so deadlines and audit rows are made as in real use.
"""

import random
from base64 import b32decode
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.gb.upn import calc_check_digit

from demo import law
from demo import maps as demo_maps
from demo.reports import build_reports
from demo.safeguarding import build_safeguarding
from demo.school_day import last_school_day
from ehc import services as ehc
from ehc.models import InviteeRole, Recommendation
from ehc.statutory import add_months
from provision import selectors as provision_selectors
from provision import services as provision
from provision import terms as term_rules
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


# --- Term dates ----------------------------------------------------------------------------------


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def easter_sunday(year: int) -> date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def term_dates(academic_year: int) -> list[tuple[str, date, date]]:
    """English-style half terms of the academic year starting in September `academic_year`: a week off at
    the end of October, two weeks at Christmas, a week in mid-February, two weeks at Easter (Holy Week and
    Easter week), the late-May bank holiday week, and the summer from late July."""
    y1, y2 = academic_year, academic_year + 1
    october = _monday_on_or_before(date(y1, 10, 31))
    february = _monday_on_or_after(date(y2, 2, 12))
    easter = easter_sunday(y2)
    late_may = _monday_on_or_before(date(y2, 5, 31))
    christmas_end = date(y1, 12, 20) - timedelta(days=(date(y1, 12, 20).weekday() - 4) % 7)
    return [
        ("Autumn 1", _weekday_on_or_after(date(y1, 9, 2)), october - timedelta(days=3)),
        ("Autumn 2", october + timedelta(days=7), christmas_end),
        ("Spring 1", _weekday_on_or_after(date(y2, 1, 5)), february - timedelta(days=3)),
        ("Spring 2", february + timedelta(days=7), easter - timedelta(days=9)),
        ("Summer 1", easter + timedelta(days=8), late_may - timedelta(days=3)),
        ("Summer 2", late_may + timedelta(days=7), _weekday_on_or_before(date(y2, 7, 22))),
    ]


# --- Demo words ----------------------------------------------------------------------------------
# Short, plain-English text for EHC plans and support plans, by primary need. Kept general: no real child.

NEED_WORDS = {
    # code: (section B, section E outcomes, section F provision, broad area, support plan need)
    "ASD": (
        "{name} is autistic. They find changes to routine, busy places and noise hard, and can become "
        "overwhelmed, especially at lunchtime and in PE. They understand more than they can say when anxious.",
        [
            "By the end of Key Stage {ks}, {name} will use a visual timetable to move between activities without "
            "adult prompting",
            "{name} will tell an adult when they need a break, using a break card or words",
            "{name} will take part in a small-group game with two peers for ten minutes",
        ],
        "A visual timetable and now-and-next board in class. A named adult at lunchtime and at transitions. "
        "Access to a quiet space when needed. Social communication group (Lego-based) twice a week for 30 "
        "minutes. Advice from the Autism Team once a term.",
        "needs_communication",
        "Finds changes in routine very hard; needs warning before transitions and a quiet space to calm.",
    ),
    "SLCN": (
        "{name} has a speech, language and communication need. Their understanding of spoken language is well "
        "below that of children of the same age and they find it hard to find words and put sentences together.",
        [
            "{name} will follow two-part instructions in class without a visual prompt",
            "{name} will retell a short story in the right order using four key words",
            "{name} will use new topic vocabulary in their own sentences",
        ],
        "Speech and language therapy programme set by the NHS therapist, delivered by a trained teaching "
        "assistant three times a week for 20 minutes. Pre-teaching of topic vocabulary. Instructions chunked "
        "and backed up with pictures. Therapist review each term.",
        "needs_communication",
        "Struggles to understand longer instructions and to find the words to explain ideas.",
    ),
    "SEMH": (
        "{name} has social, emotional and mental health needs. They can find it hard to manage strong feelings, "
        "particularly when work feels difficult or at unstructured times, and may leave the classroom.",
        [
            "{name} will name how they are feeling using the zones of regulation and choose a calming strategy",
            "{name} will stay in class for whole lessons on four days out of five",
            "{name} will repair a friendship after a falling-out with adult support",
        ],
        "A consistent key adult with a daily check-in. Emotional literacy support (ELSA) once a week for 30 "
        "minutes. A calm space and agreed exit card. Lunchtime club. Advice from the educational psychologist.",
        "needs_semh",
        "Becomes upset and leaves the room when work feels hard; settles with a calm adult and a quiet space.",
    ),
    "MLD": (
        "{name} has moderate learning difficulties. They learn new skills slowly, need a lot of repetition and "
        "find it hard to remember what they have learned from one day to the next.",
        [
            "{name} will read and understand a book at their level with 95% accuracy",
            "{name} will add and subtract numbers to 20 using objects or a number line",
            "{name} will write two sentences independently using a word mat",
        ],
        "Teaching in small steps with daily over-learning. Precision teaching for reading and number facts, "
        "10 minutes daily. Small-group literacy and numeracy with a teaching assistant four times a week. "
        "Practical resources in every lesson.",
        "needs_cognition",
        "Learns new skills slowly and forgets them quickly; needs lots of practice and practical resources.",
    ),
    "SPLD": (
        "{name} has specific learning difficulties (dyslexic-type difficulties). They are articulate and "
        "understand well, but reading and spelling are much harder for them than for their classmates.",
        [
            "{name} will read age-appropriate texts at 80 words a minute",
            "{name} will spell the Year {year} common exception words correctly in their writing",
            "{name} will record their ideas using a laptop or scribe when writing at length",
        ],
        "Structured, multi-sensory phonics and spelling programme four times a week for 20 minutes. Coloured "
        "overlays and a reading ruler. Access to a laptop for longer writing. Extra time and a reader in tests.",
        "needs_cognition",
        "Reads and spells well below their understanding; written work does not show what they know.",
    ),
    "SLD": (
        "{name} has severe learning difficulties and needs support in all areas of learning and self-care. "
        "They communicate using some single words, signs and pictures.",
        [
            "{name} will use 20 Makaton signs or symbols to make choices and requests",
            "{name} will recognise and count objects to 5",
            "{name} will wash and dry their hands independently",
        ],
        "Full-time support from a trained teaching assistant, shared with one other pupil. A personalised "
        "curriculum based on engagement steps. Total communication approach (Makaton, symbols). Daily "
        "self-care programme. Termly advice from the speech and language therapist.",
        "needs_cognition",
        "Needs support in all areas of learning; communicates with single words and signs.",
    ),
    "PD": (
        "{name} has a physical disability (cerebral palsy) that affects their balance and fine motor control. "
        "They tire easily and need help with dressing, writing and moving around safely.",
        [
            "{name} will move around school safely using their walker, with one adult nearby",
            "{name} will record their work using a writing slope and adapted pencil or a tablet",
            "{name} will dress for PE with minimal help",
        ],
        "Daily physiotherapy programme set by the NHS physiotherapist, delivered by a trained teaching "
        "assistant. Adapted equipment (writing slope, chair, cutlery). Extra time to move between lessons. "
        "Occupational therapy review each term.",
        "needs_sensory",
        "Fine motor skills are weak; finds handwriting tiring and needs adapted equipment.",
    ),
    "HI": (
        "{name} has a moderate hearing loss in both ears and wears hearing aids. They miss parts of what is said, "
        "especially in noisy rooms, and their vocabulary is behind that of their classmates.",
        [
            "{name} will check and report when their hearing aids are not working",
            "{name} will learn and use five new topic words each half term",
            "{name} will ask for repetition when they have not heard",
        ],
        "A radio aid used by all staff. Seating near the teacher, away from noise. Pre-teaching of vocabulary. "
        "Visits from the Teacher of the Deaf twice a term.",
        "needs_sensory",
        "Misses parts of what is said in noisy rooms; needs to sit near the teacher.",
    ),
}
NEED_WORDS["PMLD"] = NEED_WORDS["SLD"]
for _code in ("VI", "MSI", "OTH", "NSA"):
    NEED_WORDS[_code] = NEED_WORDS["PD"] if _code in ("VI", "MSI") else NEED_WORDS["MLD"]

LIKES = [
    "football and the park",
    "drawing and Lego",
    "dinosaurs and trains",
    "music and dancing",
    "swimming and their bike",
    "animals, especially their cat",
    "cooking with grandma",
    "books about space",
]
HOPES = [
    "wants to have more friends to play with",
    "wants to be a vet when they grow up",
    "wants to read stories to their little sister",
    "wants to play for a football team",
    "wants to feel calm at school",
    "wants to go to secondary school with their friends",
]

SUPPORT_PLAN_OUTCOMES = {
    "needs_communication": [
        ("Follows two-step instructions in class", "Observed in four lessons out of five"),
        ("Uses three new topic words in their own sentences", "Teacher notes during topic lessons"),
    ],
    "needs_cognition": [
        ("Reads and spells the next 20 high-frequency words", "Precision teaching record"),
        ("Recalls number bonds to 10 within three seconds", "Weekly quick check"),
    ],
    "needs_semh": [
        ("Names feelings and chooses a calming strategy", "Check-in record, four days out of five"),
        ("Stays in class for whole lessons", "Behaviour log: no more than one exit a week"),
    ],
    "needs_sensory": [
        ("Forms letters correctly on a writing slope", "Handwriting sample each half term"),
        ("Sets up own equipment at the start of lessons", "Teaching assistant observation"),
    ],
}
SUPPORT_PLAN_SUPPORT = {
    "needs_communication": ("Language group (Talk Boost)", "Teaching assistant", "3 times a week, 20 minutes"),
    "needs_cognition": ("Precision teaching for reading and number", "Teaching assistant", "Daily, 10 minutes"),
    "needs_semh": (
        "Daily check-in with a key adult and ELSA sessions",
        "ELSA-trained teaching assistant",
        "Daily check-in; ELSA weekly",
    ),
    "needs_sensory": ("Fine motor group (Clever Hands)", "Teaching assistant", "3 times a week, 15 minutes"),
}
EXPECTED_IMPACT = "Closes part of the gap with peers and works with less adult help."
ADJUSTMENTS = {
    "needs_communication": "Instructions given one step at a time with pictures; key words on the board.",
    "needs_cognition": "Word mat and number line on the desk; work broken into small steps; extra thinking time.",
    "needs_semh": "Seat near the door; a calm corner and an exit card; warning before transitions.",
    "needs_sensory": "Writing slope and pencil grip; seat near the front; extra time to finish written work.",
}


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Load the demo school (Claremont Primary and Nursery School, about 420 pupils) with EHC plans, reviews, "
        "progress data and support plans, all dated relative to --today. Refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_parse_day,
            default=None,
            metavar="YYYY-MM-DD",
            help="Build the demo as of this day (default: today). The same day always gives the same school.",
        )
        parser.add_argument(
            "--code",
            action="store_true",
            help="Only print the demo accounts' current sign-in code (what an authenticator app with the demo key "
            "shows now), then stop.",
        )

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_demo refuses to run under production settings: it creates known passwords.")
        if options.get("code"):
            self.stdout.write(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
            return
        today = options.get("today") or last_school_day(timezone.localdate())
        if today > timezone.localdate():
            raise CommandError("--today cannot be in the future: the services refuse events dated after today.")
        if School.objects.filter(urn=DEMO_URN).exists():
            self.stdout.write("The demo school is already loaded.")
            return
        with transaction.atomic():
            counts = Builder(today).build()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo school loaded as of {today}: {pupils} pupils, {k} on SEN support, {e} with EHC plans, "
                "{m} monitoring; {scores} progress scores, {flags} flags, {plans} support plans.".format(
                    today=today.isoformat(), **counts
                )
            )
        )


def _demo_second_factor(user) -> None:
    """The demo account's authenticator app (the documented demo key) and its recovery codes."""
    TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True, key=b32decode(DEMO_TOTP_SECRET).hex()
    )
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in DEMO_RECOVERY_CODES)


class Builder:
    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(SEED)

    def days_ago(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def build(self) -> dict:
        counts = self._build_pupils()
        self._build_ehc()
        counts.update(self._build_provision())
        build_safeguarding(school=self.school, users=self.users, today=self.today)
        build_reports(school=self.school, users=self.users, today=self.today)
        counts["maps"] = demo_maps.build(school=self.school, users=self.users, today=self.today)
        law.build(school=self.school, users=self.users, today=self.today)
        return counts

    # --- pupils, staff, register ---------------------------------------------------------------

    def _build_pupils(self) -> dict:
        rng, today = self.rng, self.today
        year_start = academic_year_start(today)
        school = School.objects.create(
            name="Claremont Primary and Nursery School",
            urn=DEMO_URN,
            la_code="892",
            la_name="Nottingham City",
            phase="primary_nursery",
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

    # --- EHC -----------------------------------------------------------------------------------

    def _ehc_issue_dates(self, n: int) -> list[date]:
        """The issue day of each EHC plan, chosen so the annual reviews tell the story the demo needs:
        0 overdue; 1 and 2 due in 5 and 4 weeks; 3 due in 9 days and already held; the rest upcoming (4 to 7
        issued 4 to 10 months ago; 8 and 9 issued 16 and 20 months ago with their first review held)."""
        today = self.today

        def year_before(day: date) -> date:
            # The issue day whose annual review is due on `day`: the 12 months starting with the issue day
            # end the day before its anniversary (CFA s.44(1)).
            return add_months(day + timedelta(days=1), -12)

        issued = [
            year_before(today) - timedelta(days=26),
            year_before(today + timedelta(days=35)),
            year_before(today + timedelta(days=28)),
            year_before(today + timedelta(days=9)),
            add_months(today, -4) - timedelta(days=6),
            add_months(today, -6) - timedelta(days=13),
            add_months(today, -8) + timedelta(days=3),
            add_months(today, -10) - timedelta(days=8),
            add_months(today, -16) - timedelta(days=11),
            add_months(today, -20) + timedelta(days=5),
        ]
        return (issued * (n // len(issued) + 1))[:n]

    def _sections(self, pupil: Pupil, code: str) -> dict[str, str]:
        rng = self.rng
        name = pupil.preferred_forename or pupil.legal_forename
        b, outcomes, f, _area, _short = NEED_WORDS.get(code, NEED_WORDS["MLD"])
        ks = 1 if pupil.year_group <= YearGroup.YEAR_2 else 2
        fill = {"name": name, "ks": ks, "year": max(pupil.year_group, 1)}
        return {
            "section_a": (
                f"{name} likes {rng.choice(LIKES)} and {rng.choice(HOPES)}. {name}'s family say they are kind "
                f"and funny, and want them to be happy and confident at school and to learn to read well."
            ),
            "section_b": b.format(**fill),
            "section_c": "No diagnosed health needs related to their SEN. Seen by the school nurse each year.",
            "section_d": "No social care needs related to their SEN or disability at the time of the plan.",
            "section_e": "\n".join(o.format(**fill) for o in outcomes),
            "section_f": f,
            "section_g": "Speech and language therapy and community paediatrics advice as set out in appendix K.",
            "section_h1": "None.",
            "section_h2": "Short breaks: a Saturday play scheme once a month during term time.",
            "section_i": "Claremont Primary and Nursery School (mainstream primary school, Nottingham City).",
            "section_j": "No personal budget has been requested.",
            "section_k": (
                "K1 Parent and child views. K2 School advice (SENCO). K3 Educational psychology advice. "
                "K4 Health advice (community paediatrician). K5 Social care advice."
            ),
        }

    def _build_ehc(self) -> None:

        today, senco = self.today, self.users["senco"]
        school = self.school
        self.plans = []
        for pupil, issued_on in zip(self.ehc_pupils, self.ehc_issued, strict=False):
            plan = ehc.plan_issue(
                pupil=pupil,
                la_name="Nottingham City",
                issued_on=issued_on,
                names_school=True,
                named_school=school.name,
                sections=self._sections(pupil, self.primary[pupil.pk]),
                today=self.today,
                actor=senco,
            )
            self.plans.append(plan)

        def invite(review, sent_on=None):
            # reg 20(2): the parents, the head, the LA SEN officer and health (social care: demo/law.py records
            # why it does not apply), and the educational psychologist
            for role, name in (
                (InviteeRole.PARENT, "Parents"),
                (InviteeRole.HEAD, "David Marsh (head teacher)"),
                (InviteeRole.HEALTH, "School nurse (community health)"),
            ):
                ehc.review_invitee_add(
                    review=review, role=role, name=name, invited_on=sent_on, today=self.today, actor=senco
                )
            ehc.review_invitee_add(
                review=review,
                role=InviteeRole.LA_SEN_OFFICER,
                name="Jo Hardy (SEN caseworker)",
                email="sen.caseworker@nottinghamcity.example",
                invited_on=sent_on,
                today=self.today,
                actor=senco,
            )
            ehc.review_invitee_add(
                review=review,
                role=InviteeRole.OTHER,
                name="Dr Amir Shah (educational psychologist)",
                email="ep@nottinghamcity.example",
                invited_on=sent_on,
                today=self.today,
                actor=senco,
            )
            if sent_on:
                ehc.review_invitations_send(review=review, sent_on=sent_on, today=self.today, actor=senco)

        def held_review(plan, held_on, *, complete: bool):
            review = ehc.review_schedule(plan=plan, meeting_on=held_on, actor=senco)
            invite(review, sent_on=held_on - timedelta(days=21))
            advice = ehc.review_advice_request(
                review=review,
                source="Educational psychologist",
                requested_on=held_on - timedelta(days=42),
                today=self.today,
                actor=senco,
            )
            ehc.review_advice_receive(
                advice=advice, received_on=held_on - timedelta(days=20), today=self.today, actor=senco
            )
            ehc.review_circulate(
                review=review, circulated_on=held_on - timedelta(days=16), today=self.today, actor=senco
            )
            ehc.review_hold(review=review, held_on=held_on, today=self.today, actor=senco)
            rows = review.outcome_progress.all()
            ehc.review_outcome_record(
                review=review,
                progress={
                    row.position: "Good progress: achieved with some adult support."
                    if row.position % 2
                    else "Partly achieved; keep this outcome for next year."
                    for row in rows
                },
                recommendation=Recommendation.MAINTAIN,
                pupil_views="I like my group with Miss and I want to keep my calm card.",
                parent_views="We are pleased with how settled they are. We would like more help with reading at home.",
                has_advocate=False,
                advocate_name="",
                actor=senco,
            )
            if complete:
                ehc.review_report_send(
                    review=review, sent_on=held_on + timedelta(days=9), today=self.today, actor=senco
                )
                ehc.review_la_decision_record(
                    review=review,
                    decision=Recommendation.MAINTAIN,
                    decided_on=held_on + timedelta(days=24),
                    today=self.today,
                    actor=senco,
                )
            return review

        plans = self.plans
        # 1: meeting in 4 weeks, invitations sent, advice requested (circulation due in 2 weeks)
        if len(plans) > 1:
            review = ehc.review_schedule(plan=plans[1], meeting_on=today + timedelta(days=28), actor=senco)
            invite(review, sent_on=today - timedelta(days=2))
            ehc.review_advice_request(
                review=review,
                source="Educational psychologist",
                requested_on=today - timedelta(days=9),
                today=self.today,
                actor=senco,
            )
            ehc.review_advice_request(
                review=review, source="Parents", requested_on=today - timedelta(days=2), today=self.today, actor=senco
            )
        # 2: meeting in 3 weeks, invitees added but invitations not sent (due in a week)
        if len(plans) > 2:
            review = ehc.review_schedule(plan=plans[2], meeting_on=today + timedelta(days=21), actor=senco)
            invite(review)
        # 3: held 6 days ago; the report is due in 8 days
        if len(plans) > 3:
            held_review(plans[3], today - timedelta(days=6), complete=False)
        # 8, 9: first annual review held and finished, next one upcoming
        for index in (8, 9):
            if len(plans) > index:
                held_review(plans[index], add_months(plans[index].issued_on, 12) - timedelta(days=12), complete=True)
        # a disagreement about provision, with mediation booked
        if len(plans) > 5:
            disagreement = ehc.disagreement_record(
                pupil=plans[5].pupil,
                raised_on=today - timedelta(days=19),
                summary="Parents disagree with the hours of teaching assistant support in section F and want "
                "one-to-one support at lunchtimes.",
                la_contacted_on=today - timedelta(days=18),
                today=self.today,
                actor=senco,
            )
            ehc.disagreement_update(
                disagreement=disagreement,
                la_contacted_on=today - timedelta(days=18),
                mediation_on=today + timedelta(days=12),
                tribunal_on=None,
                outcome="",
                resolved_on=None,
                today=self.today,
                actor=senco,
            )

        # An EHC needs assessment in progress: requested 5 weeks ago, the LA asked for advice 4 weeks ago.
        k_pupils = self.k_pupils
        if k_pupils:
            pupil = k_pupils[0]
            assessment = ehc.assessment_request(
                pupil=pupil,
                requested_by="school",
                requested_on=today - timedelta(days=35),
                today=self.today,
                actor=senco,
            )
            ehc.assessment_decision_record(
                assessment=assessment,
                decision="assess",
                decided_on=today - timedelta(days=29),
                today=self.today,
                actor=senco,
            )
            ehc.advice_request_receive(
                assessment=assessment, received_on=today - timedelta(days=29), today=self.today, actor=senco
            )
            ehc.advice_save(
                assessment=assessment,
                actor=senco,
                advice="Draft: reading age about two years below chronological age despite two cycles of SEN "
                "support; needs adult help to start and stay on task; see support plan reviews.",
            )
        # A draft plan received 10 days ago: the school's views are due in 4 days.
        if len(k_pupils) > 1:
            pupil = k_pupils[1]
            assessment = ehc.assessment_request(
                pupil=pupil,
                requested_by="parent",
                requested_on=today - timedelta(days=100),
                today=self.today,
                actor=senco,
            )
            ehc.assessment_decision_record(
                assessment=assessment,
                decision="assess",
                decided_on=today - timedelta(days=60),
                today=self.today,
                actor=senco,
            )
            ehc.advice_request_receive(
                assessment=assessment, received_on=today - timedelta(days=58), today=self.today, actor=senco
            )
            ehc.advice_submit(
                assessment=assessment,
                submitted_on=today - timedelta(days=30),
                today=self.today,
                actor=senco,
                advice="Attainment well below age-related expectations in reading, writing and maths; "
                "language and attention needs; impact of two years of SEN support attached.",
            )
            ehc.draft_receive(
                pupil=pupil,
                received_on=today - timedelta(days=10),
                assessment=assessment,
                today=self.today,
                actor=senco,
            )

    # --- graduated approach --------------------------------------------------------------------

    def _build_provision(self) -> dict:

        today, senco, school = self.today, self.users["senco"], self.school
        year = academic_year_start(today).year
        points = []
        for academic_year in (year - 1, year):
            points += provision.school_defaults_ensure(school=school, academic_year=academic_year, actor=senco)
        subjects = list(provision_selectors.subjects_for(school))
        points = sorted((p for p in points if p.assessed_on <= today), key=lambda p: p.assessed_on)[-3:]

        # Standardised scores: mean 100, sd about 12. Pupils on SEN support start lower and fall behind a
        # little each term (slower progress than peers); pupils with EHC plans start lower still.
        srng = random.Random(SEED + 1)
        ehc_ids = {p.pk for p in self.ehc_pupils}
        k_ids = {p.pk for p in self.k_pupils}
        rows = []
        line = 0
        for pupil in self.pupils:
            if pupil.year_group < YearGroup.RECEPTION:
                continue
            if pupil.pk in ehc_ids:
                base, drift, noise = srng.gauss(76, 8), srng.gauss(-2.5, 1.5), 2.0
            elif pupil.pk in k_ids:
                base, drift, noise = srng.gauss(87, 9), srng.gauss(-3.5, 1.5), 2.0
            else:
                base, drift, noise = srng.gauss(102, 11), srng.gauss(0.5, 0.8), 1.0
            for subject in subjects:
                offset = srng.gauss(0, 4)
                for n, point in enumerate(points):
                    value = base + offset + drift * n + srng.gauss(0, noise)
                    if point.assessed_on < pupil.admitted_on:
                        continue
                    line += 1
                    score = Decimal(max(69, min(141, round(value))))
                    rows.append(
                        provision.ImportRow(
                            line=line, pupil_id=pupil.pk, subject_id=subject.pk, point=point, score=score
                        )
                    )
        provision.scores_import(school=school, rows=rows, today=today, actor=senco)
        run = provision.flags_compute(school=school, today=today)

        # Support plans for about half the pupils on SEN support: every one in 3 Oak, then every other one.
        oak_ids = {p.pk for p in self.oak}
        k_pupils = [p for p in self.k_pupils if p.pk in oak_ids] + [p for p in self.k_pupils if p.pk not in oak_ids]
        chosen = [p for i, p in enumerate(k_pupils) if p.pk in oak_ids or i % 2 == 0]
        plans = 0
        for i, pupil in enumerate(chosen):
            area = NEED_WORDS.get(self.primary[pupil.pk] or "MLD", NEED_WORDS["MLD"])[3]
            short = NEED_WORDS.get(self.primary[pupil.pk] or "MLD", NEED_WORDS["MLD"])[4]
            started_on = self.k_started.get(pupil.pk, today - timedelta(days=90))
            if i % 7 in (0, 3) and i < 21:
                current_review = today - timedelta(days=3 + i)  # a few overdue
            elif i % 7 in (1, 4, 5):
                current_review = today + timedelta(days=2 + i % 12)  # due in the next fortnight
            else:
                current_review = today + timedelta(days=21 + (i * 5) % 35)
            plan = provision.support_plan_start(pupil=pupil, started_on=started_on, actor=senco)
            provision.plan_parents_told(plan=plan, told_on=started_on, how="Meeting with parents", actor=senco)
            cycle = plan.cycles.get()
            provision.cycle_assess(
                cycle=cycle,
                actor=senco,
                data={
                    area: short,
                    "assessment_evidence": "Termly standardised scores, teacher assessment and class observation.",
                    "pupil_views": "I like it when an adult helps me get started.",
                    "parent_views": "Parents see the same at home and want to help with practice.",
                },
            )
            outcomes = [provision.OutcomeInput(d, m) for d, m in SUPPORT_PLAN_OUTCOMES[area]]
            support = SUPPORT_PLAN_SUPPORT[area]
            supports = [provision.SupportInput(support[0], support[1], support[2], started_on + timedelta(days=7))]
            first_review = started_on + timedelta(days=56)
            if first_review < today - timedelta(days=28) and first_review < current_review:
                provision.cycle_plan(
                    cycle=cycle,
                    adjustments=ADJUSTMENTS[area],
                    expected_impact=EXPECTED_IMPACT,
                    review_on=first_review,
                    outcomes=outcomes,
                    supports=supports,
                    actor=senco,
                )
                provision.cycle_agree(cycle=cycle, actor=senco)
                cycle = provision.cycle_review(
                    cycle=cycle,
                    reviewed_on=first_review,
                    actor=senco,
                    outcome_reviews=[
                        provision.OutcomeReview(o.pk, "achieved" if o.position == 0 else "partly", "Teacher check")
                        for o in cycle.outcomes.all()
                    ],
                    impact="Some progress; the first outcome is achieved.",
                    pupil_views="I can do more on my own now.",
                    parent_views="Pleased; would like the next steps shared.",
                    next_steps="Keep the support; new outcome added.",
                )
                outcomes = [provision.OutcomeInput(o.description, o.success_measure) for o in cycle.outcomes.all()]
                outcomes.append(
                    provision.OutcomeInput("Works independently for ten minutes", "Observed in three lessons")
                )
            provision.cycle_plan(
                cycle=cycle,
                adjustments=ADJUSTMENTS[area],
                expected_impact=EXPECTED_IMPACT,
                review_on=current_review,
                outcomes=outcomes,
                supports=supports,
                actor=senco,
            )
            if i % 5 != 4:  # a few wait for the SENCO's agreement
                provision.cycle_agree(cycle=cycle, actor=senco)
            plans += 1

        # Parent meetings: this term for two in three of those with plans, once term has started.
        term_rows = list(Term.objects.filter(school=school).values_list("starts_on", "ends_on"))
        term = term_rules.term_containing(term_rows, today)
        if term.starts_on < today:
            for i, pupil in enumerate(chosen):
                if i % 3 == 2:
                    continue
                held_on = max(term.starts_on, today - timedelta(days=5 + (i * 3) % 40))
                if held_on < self.k_started.get(pupil.pk, held_on):
                    continue
                provision.parent_meeting_record(
                    pupil=pupil,
                    held_on=held_on,
                    attendees="Parent, class teacher, SENCO",
                    outcomes="Shared progress against the support plan outcomes; parents happy with the support.",
                    actions_agreed="Practise reading for ten minutes a day at home.",
                    shared_with_parents_on=held_on + timedelta(days=1) if held_on < today else None,
                    actor=senco,
                )
        provision.parent_meetings_schedule(school=school, today=today)

        # A passport for each pupil in 3 Oak on SEN support or with an EHC plan.
        for pupil in self.oak:
            if pupil.pk in k_ids or pupil.pk in ehc_ids:
                name = pupil.preferred_forename or pupil.legal_forename
                provision.passport_write(
                    pupil=pupil,
                    important_to_me=f"My family, {self.rng.choice(LIKES)}.",
                    like_and_admire=f"{name} is kind, helpful and never gives up.",
                    how_to_support="Give me time to answer. Show me what to do as well as telling me. "
                    "Tell me before things change.",
                    in_own_words=True,
                    actor=senco,
                )
        return {"scores": len(rows), "flags": run.flags, "plans": plans}
