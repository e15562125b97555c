"""Every safeguarding URL x every role, with a recent second-factor verification (the step-up is tested on its
own below). One row per URL name; the coordinator folds these rows into the product's access matrix.

Roles: anonymous; senco_a; teacher_a (reported the concern, teaches pupil_oak); teacher_b (another class, not
the reporter); head_a; governor_a; dsl_a; deputy_dsl_a; senco_b and dsl_b (school B); share_active and
share_expired (school A staff with a live and an ended share of pupil_oak's file).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.models import AccessEvent, AccessOutcome
from tests.safeguarding.conftest import stepped_client

ROLES = [
    "anonymous",
    "senco_a",
    "teacher_a",
    "teacher_b",
    "head_a",
    "governor_a",
    "dsl_a",
    "deputy_dsl_a",
    "senco_b",
    "dsl_b",
    "share_active",
    "share_expired",
]


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = dict.fromkeys(ROLES, default)
    row["anonymous"] = 302
    row.update(overrides)
    return row


# School-wide pages of the DSL team: 403 for everyone else who signs in (dsl_b sees their own school's).
DSL_PAGE = _row(403, dsl_a=200, deputy_dsl_a=200, dsl_b=200)
# A file's working pages: the DSL team; 403 for the SENCO (may know the file exists) and a live share (reads
# only); 404 for everyone else, the reporter included.
FILE_WORK = _row(404, dsl_a=200, deputy_dsl_a=200, senco_a=403, share_active=403)
FILE_READ = _row(404, dsl_a=200, deputy_dsl_a=200, senco_a=403, share_active=200)
REPORTER_ONLY = _row(404, teacher_a=200)

# (URL name, how to build its arguments from the records, expected status per role, method)
MATRIX = [
    ("safeguarding:dashboard", lambda r: [], DSL_PAGE, "get"),
    ("safeguarding:inbox", lambda r: [], DSL_PAGE, "get"),
    ("safeguarding:categories", lambda r: [], DSL_PAGE, "get"),
    ("safeguarding:incoming-attach", lambda r: [], DSL_PAGE, "get"),
    ("safeguarding:report", lambda r: [], _row(200, governor_a=403), "get"),
    ("safeguarding:counts", lambda r: [], _row(403, governor_a=200, dsl_a=200, deputy_dsl_a=200, dsl_b=200), "get"),
    ("safeguarding:concern-receipt", lambda r: [r["concern"].pk], REPORTER_ONLY, "get"),
    ("safeguarding:concern-add", lambda r: [r["concern"].pk], REPORTER_ONLY, "get"),
    (
        "safeguarding:pupil-notice",
        lambda r: [r["file"].pupil_id],
        _row(404, senco_a=200, teacher_a=200, head_a=200, dsl_a=200, deputy_dsl_a=200, share_active=200),
        "get",
    ),
    ("safeguarding:file", lambda r: [r["file"].pk], FILE_READ, "get"),
    ("safeguarding:concern-triage", lambda r: [r["concern"].pk], FILE_WORK, "get"),
    ("safeguarding:file-note", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-outcome", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-action", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-referral", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-no-referral", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-status", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-flag", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-shares", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-log", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-transfer", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:file-export", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:senco-told", lambda r: [r["file"].pk], FILE_WORK, "get"),
    ("safeguarding:entry-correct", lambda r: [r["referral"].pk], FILE_WORK, "get"),
    ("safeguarding:action-done", lambda r: [r["action"].pk], FILE_WORK, "get"),
    ("safeguarding:referral-response", lambda r: [r["referral"].pk], FILE_WORK, "get"),
    ("safeguarding:flag-end", lambda r: [r["flag"].pk], FILE_WORK, "get"),
    ("safeguarding:transfer-sent", lambda r: [r["transfer"].pk], FILE_WORK, "get"),
    ("safeguarding:transfer-receipt", lambda r: [r["transfer"].pk], FILE_WORK, "get"),
    ("safeguarding:incoming-download", lambda r: [r["incoming"].pk], FILE_WORK, "get"),
    (
        "safeguarding:share-revoke",
        lambda r: [r["file"].shares.get(user__username="share_active").pk],
        _row(404, dsl_a=302, deputy_dsl_a=302, senco_a=403, share_active=403),
        "post",
    ),
]

CASES = [
    pytest.param(name, args, role, expected[role], method, id=f"{name.split(':')[1]}-{role}")
    for name, args, expected, method in MATRIX
    for role in ROLES
]


@pytest.fixture
def cast(
    senco_a,
    teacher_a,
    teacher_b,
    head_a,
    governor_a,
    dsl_a,
    deputy_dsl_a,
    senco_b,
    dsl_b,
    share_active,
    share_expired,
    pupil_b,
):
    return {
        "anonymous": None,
        "senco_a": senco_a,
        "teacher_a": teacher_a,
        "teacher_b": teacher_b,
        "head_a": head_a,
        "governor_a": governor_a,
        "dsl_a": dsl_a,
        "deputy_dsl_a": deputy_dsl_a,
        "senco_b": senco_b,
        "dsl_b": dsl_b,
        "share_active": share_active,
        "share_expired": share_expired,
    }


def test_every_url_has_a_row():
    from safeguarding import urls

    assert {f"safeguarding:{p.name}" for p in urls.urlpatterns} == {row[0] for row in MATRIX}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "role", "expected", "method"), CASES)
def test_access(cast, oak_records, name, args, role, expected, method):
    client = stepped_client(cast[role])
    url = reverse(name, args=args(oak_records))
    response = getattr(client, method)(url)
    assert response.status_code == expected, (name, role, response.status_code)
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


FILE_PAGES = [(name, args) for name, args, expected, method in MATRIX if expected in (FILE_WORK, FILE_READ)]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), FILE_PAGES, ids=[n.split(":")[1] for n, _ in FILE_PAGES])
def test_who_viewed_log_records_reads_and_refusals(cast, oak_records, name, args):
    file = oak_records["file"]
    url = reverse(name, args=args(oak_records))
    AccessEvent.objects.all().delete()
    stepped_client(cast["dsl_a"]).get(url)
    stepped_client(cast["senco_a"]).get(url)
    stepped_client(cast["teacher_a"]).get(url)
    stepped_client(cast["dsl_b"]).get(url)
    events = {(e.user.username, e.outcome) for e in AccessEvent.objects.filter(file=file, page=name)}
    read = AccessOutcome.EXPORTED if name.endswith(("export", "download")) else AccessOutcome.READ
    assert ("dsl_a", AccessOutcome.READ) in events
    if read == AccessOutcome.EXPORTED:
        assert ("dsl_a", AccessOutcome.EXPORTED) in events
    assert ("senco_a", AccessOutcome.REFUSED) in events
    assert ("teacher_a", AccessOutcome.REFUSED) in events
    assert ("dsl_b", AccessOutcome.REFUSED) in events


@pytest.mark.django_db
def test_inbox_and_dashboard_log_a_read_of_each_file_listed(cast, oak_file):
    stepped_client(cast["dsl_a"]).get(reverse("safeguarding:inbox"))
    stepped_client(cast["deputy_dsl_a"]).get(reverse("safeguarding:dashboard"))
    assert AccessEvent.objects.filter(file=oak_file, page="safeguarding:inbox", user=cast["dsl_a"]).exists()
    assert AccessEvent.objects.filter(file=oak_file, page="safeguarding:dashboard", user=cast["deputy_dsl_a"]).exists()


STEP_UP_PAGES = [
    (name, args)
    for name, args, expected, method in MATRIX
    if method == "get"
    and expected.get("dsl_a") == 200
    and name not in ("safeguarding:report", "safeguarding:counts")
    and expected is not REPORTER_ONLY
    and name != "safeguarding:pupil-notice"
]


@pytest.mark.django_db
@pytest.mark.parametrize("minutes_ago", [None, 16], ids=["never", "expired"])
@pytest.mark.parametrize(("name", "args"), STEP_UP_PAGES, ids=[n.split(":")[1] for n, _ in STEP_UP_PAGES])
def test_the_dsl_without_a_recent_second_factor_is_sent_to_step_up(cast, oak_records, name, args, minutes_ago):
    client = stepped_client(cast["dsl_a"], minutes_ago=minutes_ago)
    response = client.get(reverse(name, args=args(oak_records)))
    # Sent to enter a code (or, with no authenticator yet, to set one up), and brought back afterwards.
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith((reverse("accounts:two-factor-verify"), reverse("accounts:two-factor-setup")))
    assert "next=" in target
    assert not AccessEvent.objects.filter(user=cast["dsl_a"], outcome=AccessOutcome.READ).exists()
    # Never verified in this session: the sign-in itself is unfinished, so TwoFactorMiddleware sends the DSL to
    # set up or enter a code before any page runs. A step-up that expired reaches the page and is logged.
    if (name, args) in FILE_PAGES and minutes_ago is not None:
        refused = AccessEvent.objects.get(user=cast["dsl_a"], outcome=AccessOutcome.REFUSED, page=name)
        assert refused.file == oak_records["file"] and refused.detail == "No recent two-factor sign-in"


@pytest.mark.django_db
def test_a_teacher_cannot_read_another_teachers_concern_about_their_own_pupil(cast, pupil_oak, now):
    from safeguarding import services

    concern = services.concern_report(
        pupil=pupil_oak,
        occurred_at=now,
        location="Hall",
        account="Said she was hungry.",
        immediate_action="Fed her.",
        told_dsl_in_person=False,
        actor=cast["teacher_b"],
        now=now,
    )
    client = stepped_client(cast["teacher_a"])
    assert client.get(reverse("safeguarding:concern-receipt", args=[concern.pk])).status_code == 404
    assert client.get(reverse("safeguarding:file", args=[concern.file_id])).status_code == 404


@pytest.mark.django_db
def test_the_reporters_receipt_shows_no_content(cast, oak_report):
    response = stepped_client(cast["teacher_a"]).get(reverse("safeguarding:concern-receipt", args=[oak_report.pk]))
    body = response.content.decode()
    assert "Daddy" not in body and "Thistlewood" not in body and "bruise" not in body
    assert "cannot read the concern again" in body


@pytest.mark.django_db
def test_the_senco_sees_only_that_a_file_exists_and_whom_to_ask(cast, oak_records):
    body = (
        stepped_client(cast["senco_a"])
        .get(reverse("safeguarding:pupil-notice", args=[oak_records["file"].pupil_id]))
        .content.decode()
    )
    assert "A child protection file is held" in body
    assert "Diane Kowalski" in body
    assert "Daddy" not in body and reverse("safeguarding:file", args=[oak_records["file"].pk]) not in body


@pytest.mark.django_db
def test_a_teacher_learns_only_whom_to_ask(cast, oak_records):
    body = (
        stepped_client(cast["teacher_a"])
        .get(reverse("safeguarding:pupil-notice", args=[oak_records["file"].pupil_id]))
        .content.decode()
    )
    assert "A child protection file is held" not in body
    assert "ask them" in body


@pytest.mark.django_db
def test_a_live_share_reads_the_file_without_working_controls(cast, oak_records):
    body = (
        stepped_client(cast["share_active"])
        .get(reverse("safeguarding:file", args=[oak_records["file"].pk]))
        .content.decode()
    )
    assert "Daddy hit me" in body
    assert reverse("safeguarding:file-note", args=[oak_records["file"].pk]) not in body
