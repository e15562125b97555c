"""The demo school's safeguarding: a deputy DSL, three children with child protection files and a teacher's
concern waiting in the DSL's inbox. Written through the safeguarding services, dated relative to `today`.

- a referral to children's social care, its response and the outcome (a child protection plan);
- a decision not to refer, with the reasons and the deciding DSL, the file kept open for monitoring;
- a child with SEND whose file the DSL shared with the SENCO for a month;
- the class teacher's concern about a 3 Oak child, reported today and not yet triaged;
- the term's earlier, lower-level concerns, each triaged and handled in school, so the governors' report counts
  concerns by category and term.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pupils.models import Membership, Pupil, RegisterEntry, Role, School, Term
from safeguarding import services
from safeguarding.models import Agency, Category, EntryKind, FileStatus, FlagKind


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def build_safeguarding(*, school: School, users: dict, today: date) -> dict:
    """Build the demo's safeguarding records; returns the deputy DSL and the files by what they show."""
    dsl, teacher, senco = users["dsl"], users["teacher"], users["senco"]
    now = _at(today, 16)
    deputy = get_user_model().objects.create(
        username="deputy",
        password=users["senco"].password,  # the demo password, already hashed
        first_name="Marcus",
        last_name="Bell",
        email="deputy@claremont.example",
    )
    Membership.objects.create(user=deputy, school=school, role=Role.DEPUTY_DSL)
    Membership.objects.create(user=deputy, school=school, role=Role.TEACHER)

    pupils = Pupil.objects.filter(school=school, left_on__isnull=True).order_by("upn")
    with_send = set(
        RegisterEntry.objects.filter(pupil__school=school, ended_on__isnull=True).values_list("pupil_id", flat=True)
    )
    without = [p for p in pupils.exclude(school_class__name="3 Oak")[:40] if p.pk not in with_send]
    referred, not_referred = without[0], without[1]
    shared = next(p for p in pupils.exclude(school_class__name="3 Oak") if p.pk in with_send)
    waiting = pupils.filter(school_class__name="3 Oak").exclude(pk__in=with_send).first()
    colleague = (
        Membership.objects.filter(school=school, role=Role.TEACHER).exclude(user__in=[teacher, deputy]).first().user
    )

    def report(pupil, day, *, account, where, action, told, marks=(), by=colleague):
        return services.concern_report(
            pupil=pupil,
            occurred_at=_at(day, 10, 40),
            location=where,
            account=account,
            immediate_action=action,
            told_dsl_in_person=told,
            marks=marks,
            actor=by,
            now=now,
        )

    def category(name):
        return Category.objects.get(school=school, name=name)

    # 1. A referral with its response and outcome.
    first = report(
        referred,
        today - timedelta(days=20),
        account='At breakfast club he said "Dad hit me with his belt because I was too loud." '
        "He lifted his shirt to show a mark on his back.",
        where="Breakfast club",
        action="Listened, reassured him, did not ask leading questions; told the DSL at once.",
        told=True,
        marks=[services.Mark(side="back", row=5, column=3, description="Linear red mark, about 8 cm")],
    )
    services.concern_triage(
        concern=first,
        category=category("Physical abuse"),
        text="Disclosure of physical harm with a visible injury: refer to MASH today.",
        actor=dsl,
        now=now,
    )
    referral = services.referral_record(
        file=first.file,
        agency=Agency.SOCIAL_CARE,
        occurred_at=_at(today - timedelta(days=20), 11, 30),
        reference="MASH-48213",
        spoken_to="Duty social worker, Nottingham City MASH",
        text="Disclosure of physical chastisement with a belt; mark seen on the back.",
        actor=dsl,
        now=now,
    )
    services.referral_response_record(
        referral=referral,
        occurred_at=_at(today - timedelta(days=19), 9),
        actor=dsl,
        now=now,
        text="Strategy discussion held; section 47 enquiry opened. Child not to be collected by father today.",
    )
    services.flag_start(
        file=first.file, kind=FlagKind.CP_PLAN, starts_on=today - timedelta(days=5), actor=dsl, today=today
    )
    services.note_record(
        file=first.file,
        kind=EntryKind.OUTCOME,
        occurred_at=_at(today - timedelta(days=5), 14),
        actor=dsl,
        now=now,
        text="Initial child protection conference: child protection plan (physical abuse). "
        "The school is a core group member.",
    )
    services.action_record(
        file=first.file,
        text="Attend the first core group meeting and share attendance data",
        owner=deputy,
        due_on=today + timedelta(days=5),
        actor=dsl,
        now=now,
    )

    # 2. A decision not to refer, with its reasons, and monitoring.
    second = report(
        not_referred,
        today - timedelta(days=10),
        account='She said "I was hungry this morning, there was no breakfast."',
        where="Classroom, first lesson",
        action="Gave her toast from breakfast club; told the DSL at break.",
        told=False,
    )
    services.concern_triage(
        concern=second,
        category=category("Neglect"),
        text="First concern of this kind; speak to mum.",
        actor=dsl,
        now=now,
    )
    services.no_referral_record(
        file=second.file,
        agency=Agency.SOCIAL_CARE,
        occurred_at=_at(today - timedelta(days=9), 15, 30),
        decided_by=dsl,
        actor=dsl,
        now=now,
        reasons="Spoke to mum at pick-up: the cooker broke and money is short until payday. No other indicators; "
        "attendance and presentation good. Threshold for social care not met: offered breakfast club and a food "
        "bank referral through the family support worker. Review in four weeks.",
    )
    services.file_status_change(
        file=second.file, status=FileStatus.MONITORING, reason="Monitor for four weeks.", actor=dsl, now=now
    )

    # 3. A child with SEND: early help, and the file shared with the SENCO.
    third = report(
        shared,
        today - timedelta(days=6),
        account='He said "Mum and her boyfriend shout all night and I hide under the bed."',
        where="Nurture room",
        action="Stayed calm, let him talk; told the DSL in person.",
        told=True,
    )
    services.concern_triage(
        concern=third,
        category=category("Domestic abuse"),
        text="Possible domestic abuse at home. Check Operation Encompass notifications; early help assessment.",
        actor=dsl,
        now=now,
    )
    services.flag_start(
        file=third.file, kind=FlagKind.EARLY_HELP, starts_on=today - timedelta(days=3), actor=dsl, today=today
    )
    services.share_grant(
        file=third.file,
        user=senco,
        until_on=today + timedelta(days=30),
        actor=dsl,
        today=today,
        reason="His SEND support plan review: changes in behaviour may be linked to home.",
    )

    # 4. The class teacher's concern, waiting in the inbox.
    report(
        waiting,
        today,
        account='She said "My uncle showed me videos on his phone that I didn\'t like."',
        where="3 Oak, after the PSHE lesson",
        action="Thanked her for telling me and came straight to the office.",
        told=False,
        by=teacher,
    )
    # 5. The term's earlier concerns: triaged, handled in school, counted for governors by category and term.
    terms = list(Term.objects.filter(school=school).values_list("starts_on", "ends_on"))
    year_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    others = without[2:22]
    for n, (days_ago, name, account, decision) in enumerate(EARLIER_CONCERNS):
        day = today - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        if day < year_start or not any(start <= day <= end for start, end in terms):
            continue  # before this school year, or in a holiday
        concern = report(
            others[n % len(others)], day, account=account, where="Classroom", action="Told the DSL.", told=False
        )
        services.concern_triage(concern=concern, category=category(name), text=decision, actor=dsl, now=now)
    return {"deputy": deputy, "referred": first.file, "not_referred": second.file, "shared": third.file}


# (days before today, category, the account, the DSL's triage decision): worries handled in school.
EARLIER_CONCERNS = [
    (80, "Neglect", "Came in without a coat again in the rain; said the washing machine is broken.", "Spoke to dad."),
    (78, "Mental health", "Crying at lunchtime; said she cannot sleep because she worries about her nan.", "ELSA."),
    (
        75,
        "Online safety",
        "Said an older child sends him messages on a game and asked for his address.",
        "Parents told.",
    ),
    (73, "Neglect", "Hungry at the start of the day three days running.", "Breakfast club offered."),
    (71, "Attendance and children missing education", "Absent five days with no reason given.", "Home visit."),
    (68, "Neglect", "Head lice untreated for several weeks; other children avoid sitting by her.", "Spoke to mum."),
    (66, "Mental health", "Said he wants to hurt himself when he gets things wrong.", "School nurse; parents met."),
    (64, "Emotional abuse", "Said he is called stupid at home every day.", "Monitor; speak to mum."),
    (61, "Online safety", "Watching videos meant for adults on a tablet at home, by her account.", "Parents told."),
    (59, "Neglect", "Collected late from school four times this half term.", "Spoke to mum."),
    (57, "Mental health", "Refusing to eat lunch and hiding food.", "School nurse referral."),
    (
        54,
        "Child-on-child abuse",
        "Says two older pupils took his snack and pushed him every playtime.",
        "Behaviour policy.",
    ),
    (52, "Neglect", "Very tired and unwashed; said he sleeps on the sofa.", "Early help discussed."),
    (47, "Online safety", "A group chat of the class shared an unkind photo of a child.", "Parents of the class told."),
    (45, "Mental health", "Panics in the morning and will not come into class.", "Phased entry; ELSA."),
    (43, "Neglect", "Dental pain for weeks; said there is no dentist.", "Dentist list given to mum."),
    (40, "Attendance and children missing education", "Holiday in term time not agreed; no contact.", "Letter home."),
    (38, "Mental health", "Talks about a pet that died and says nobody at home listens.", "ELSA."),
    (36, "Neglect", "Came in with the same clothes all week, smelling of smoke.", "Spoke to dad."),
    (33, "Online safety", "Said she meets people on a chat app to talk at night.", "Parents met; online safety."),
    (31, "Emotional abuse", "Frightened to take a reading book home in case it is ripped.", "Monitor."),
    (29, "Neglect", "No packed lunch again; friends share theirs.", "Free school meals check."),
    (27, "Mental health", "Scratching his arms in lessons when anxious.", "School nurse; parents met."),
    (24, "Child-on-child abuse", "Pupils in the toilets took a phone and filmed a younger child.", "Behaviour policy."),
]
