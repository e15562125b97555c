"""Safeguarding fixtures on top of the shared cast (tests/conftest.py).

Added to the cast: a deputy DSL of school A; school B's DSL; two members of school A's staff (teacher
memberships, no class) holding a share of pupil_oak's file: one live, one whose end date has passed. pupil_oak's
file starts from a concern teacher_a reported, and holds one of everything the URLs need.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pupils.models import Role
from pupils.twofactor import VERIFIED_AT_KEY as SESSION_KEY
from safeguarding import services
from safeguarding.models import Agency, Category, FlagKind, Share
from tests.conftest import _member


@pytest.fixture
def deputy_dsl_a(school_a):
    # Deputy DSL of school A (also a teacher without a class): every safeguarding file of school A.
    user = _member("deputy_dsl_a", "Dev", "Okonjo", school_a, Role.DEPUTY_DSL)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, school=school_a, role=Role.TEACHER)
    return user


@pytest.fixture
def dsl_b(school_b):
    # DSL of school B: school B's files; school A's are 404.
    return _member("dsl_b", "Bea", "Lindqvist", school_b, Role.DSL)


@pytest.fixture
def share_active(school_a):
    # A teaching assistant given pupil_oak's file until a date in the future: reads it, works on nothing.
    return _member("share_active", "Sam", "Ashdown", school_a, Role.TEACHER)


@pytest.fixture
def share_expired(school_a):
    # Given pupil_oak's file until yesterday: 404 now.
    return _member("share_expired", "Eve", "Farrant", school_a, Role.TEACHER)


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def oak_report(pupil_oak, teacher_a, dsl_a, now):
    """teacher_a's concern about pupil_oak, with one body-map mark (it opens pupil_oak's file)."""
    return services.concern_report(
        pupil=pupil_oak,
        occurred_at=now - timedelta(hours=2),
        location="Playground, by the climbing frame",
        account='She said "Daddy hit me with the belt" and showed a bruise.',
        others_involved="",
        immediate_action="Listened, did not ask leading questions, came straight to the office.",
        told_dsl_in_person=True,
        marks=[services.Mark(side="back", row=5, column=3, description="Purple bruise about 4 cm long")],
        actor=teacher_a,
        now=now,
    )


@pytest.fixture
def oak_file(oak_report):
    return oak_report.file


@pytest.fixture
def category(oak_file) -> Category:
    return Category.objects.get(school=oak_file.school, name="Physical abuse")


@pytest.fixture
def oak_records(oak_file, oak_report, dsl_a, senco_a, share_active, share_expired, category, now, today):
    """One of each record in pupil_oak's file, by name."""
    referral = services.referral_record(
        file=oak_file,
        agency=Agency.SOCIAL_CARE,
        occurred_at=now - timedelta(hours=1),
        reference="MASH-1234",
        spoken_to="Duty social worker",
        text="Disclosure of physical harm.",
        actor=dsl_a,
        now=now,
    )
    action = services.action_record(
        file=oak_file,
        text="Check in with the child each morning",
        owner=dsl_a,
        due_on=today + timedelta(days=7),
        actor=dsl_a,
        now=now,
    )
    flag = services.flag_start(file=oak_file, kind=FlagKind.CIN, starts_on=today, actor=dsl_a, today=today)
    services.share_grant(
        file=oak_file,
        user=share_active,
        until_on=today + timedelta(days=30),
        reason="Key adult",
        actor=dsl_a,
        today=today,
    )
    expired = services.share_grant(
        file=oak_file, user=share_expired, until_on=today, reason="Covering", actor=dsl_a, today=today
    )
    Share.objects.filter(pk=expired.pk).update(until_on=today - timedelta(days=1))
    transfer = services.transfer_start(file=oak_file, destination="Rise Park Primary", left_on=today, actor=dsl_a)
    services.transfer_sent(transfer=transfer, sent_on=today, sent_how="Secure transfer", actor=dsl_a, today=today)
    incoming = services.incoming_file_attach(
        pupil=oak_file.pupil,
        from_school="Old School",
        received_on=today,
        filename="file.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.4 test",
        actor=dsl_a,
        today=today,
    )
    return {
        "concern": oak_report,
        "referral": referral,
        "action": action,
        "flag": flag,
        "transfer": transfer,
        "incoming": incoming,
        "file": oak_file,
        "category": category,
    }


def stepped_client(user, *, minutes_ago: float | None = 1) -> Client:
    """A client signed in as `user` (anonymous for None) whose last second-factor verification was
    `minutes_ago` minutes ago (None: never)."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if minutes_ago is not None:
        session = client.session
        session[SESSION_KEY] = (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()
        session.save()
    return client


@pytest.fixture
def stepped() -> Callable[..., Client]:
    return stepped_client
