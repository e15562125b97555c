"""Leavers: the 15-school-day CTF duty (reg 9 of the 2005 Regulations) counted on the school's terms; open
duties closed with the reason; the record read-only in every area; the SEND file as one PDF; retention dates;
and the access matrix of the records URLs."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from deadlines.kinds import DeadlineKind, DeadlineSpec
from deadlines.models import Deadline, DeadlineStatus
from deadlines.services import deadlines_sync
from pupils.ctf import ctf_read
from pupils.models import Term
from pupils.retention import is_past_retention, send_file_retained_until
from records import leavers
from records import urls as records_urls
from records.kinds import CTF_TRANSFER
from records.statutory import school_days_after
from send_mis.dates import bank_holidays_england

HOLIDAYS = bank_holidays_england({2026, 2027})
TERMS_2026 = [
    (date(2026, 1, 5), date(2026, 3, 27)),
    (date(2026, 4, 13), date(2026, 7, 17)),
    (date(2026, 9, 2), date(2026, 12, 18)),
]


# --- The pure rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left_on", "terms", "expected", "case"),
    [
        (date(2026, 3, 4), TERMS_2026, date(2026, 3, 25), "mid-term: three weeks of weekdays"),
        (date(2026, 7, 17), TERMS_2026, date(2026, 9, 22), "last day of the summer term: the holiday does not count"),
        (date(2026, 3, 20), TERMS_2026, date(2026, 4, 24), "across the Easter holiday"),
        (date(2026, 4, 1), [], date(2026, 4, 24), "no terms entered: weekdays, Good Friday and Easter Monday skipped"),
        (
            date(2026, 12, 18),
            TERMS_2026,
            date(2027, 1, 13),
            "after the last term entered: weekdays count, Christmas bank holidays skipped",
        ),
    ],
)
def test_fifteen_school_days_after_leaving(left_on, terms, expected, case):
    assert school_days_after(left_on, 15, terms=terms, holidays=HOLIDAYS) == expected, case


@pytest.mark.parametrize(
    ("born", "kept_until"),
    [(date(2017, 11, 3), date(2048, 11, 3)), (date(2016, 2, 29), date(2047, 2, 28))],
)
def test_the_send_file_is_kept_until_date_of_birth_plus_31_years(born, kept_until):
    assert send_file_retained_until(born) == kept_until
    assert not is_past_retention(born, today=kept_until)
    assert is_past_retention(born, today=date.fromordinal(kept_until.toordinal() + 1))


# --- The service --------------------------------------------------------------------------------------------

SOME_DUTY = DeadlineKind("tests.some_duty", "A duty about this pupil", "A rule.")


@pytest.fixture
def terms(school_a):
    Term.objects.bulk_create(
        Term(school=school_a, name=f"T{i}", starts_on=s, ends_on=e) for i, (s, e) in enumerate(TERMS_2026)
    )


@pytest.fixture
def left_oak(pupil_oak, oak_entry, senco_a, terms):
    deadlines_sync(source=oak_entry, pupil=pupil_oak, specs=[DeadlineSpec(SOME_DUTY, date(2026, 4, 1))])
    return leavers.leaver_record(
        pupil=pupil_oak,
        left_on=date(2026, 3, 4),
        destination_school="Rise Park Primary",
        destination_urn="122610",
        actor=senco_a,
    )


def test_a_leaver_has_their_open_duties_excused_with_the_reason(left_oak):
    duty = Deadline.objects.get(kind=SOME_DUTY.key)

    assert duty.status == DeadlineStatus.EXCUSED
    assert duty.excused_reason == "The pupil left the school on 4 March 2026 to Rise Park Primary."
    assert duty.due_on == date(2026, 4, 1)  # the date never moves


def test_a_leaver_opens_the_ctf_duty_fifteen_school_days_on(left_oak):
    ctf = Deadline.objects.get(kind=CTF_TRANSFER.key, pupil=left_oak)

    assert ctf.status == DeadlineStatus.OPEN and ctf.due_on == date(2026, 3, 25)
    assert "reg 9" in ctf.rule


def test_a_leavers_register_entry_ends_on_the_day_they_left(left_oak, oak_entry):
    oak_entry.refresh_from_db()

    assert oak_entry.ended_on == date(2026, 3, 4) and oak_entry.end_reason == "Left the school"


def test_leaving_is_recorded_once_and_checked(pupil_oak, pupil_ash, senco_a, left_oak):
    with pytest.raises(ValidationError, match="already recorded"):
        leavers.leaver_record(
            pupil=left_oak, left_on=date(2026, 3, 5), destination_school="", destination_urn="", actor=senco_a
        )
    with pytest.raises(ValidationError, match="six digits"):
        leavers.leaver_record(
            pupil=pupil_ash, left_on=date(2026, 3, 5), destination_school="X", destination_urn="12", actor=senco_a
        )
    with pytest.raises(ValidationError, match="before the pupil was admitted"):
        leavers.leaver_record(
            pupil=pupil_ash, left_on=date(2000, 1, 1), destination_school="", destination_urn="", actor=senco_a
        )


def test_sending_the_ctf_meets_the_duty(left_oak, login, senco_a):
    response = login(senco_a).post(reverse("records:ctf-sent", args=[left_oak.pk]))

    assert response.status_code == 302
    assert Deadline.objects.get(kind=CTF_TRANSFER.key).status == DeadlineStatus.MET


# --- Read-only in every area ----------------------------------------------------------------------------------

WRITES = [
    "pupils:pupil-edit",
    "pupils:register-add",
    "pupils:concern-raise",
    "pupils:grants",
    "ehc:assessment-new",
    "ehc:draft-new",
    "ehc:plan-new",
    "ehc:disagreement-new",
    "provision:plan-start",
    "provision:meeting-add",
    "provision:passport-edit",
    "provision:check-two",
]
READS = ["overview:pupil", "ehc:overview", "provision:pupil", "overview:history", "provision:passport"]


@pytest.mark.parametrize("name", WRITES)
def test_every_write_view_refuses_a_leavers_record(left_oak, login, senco_a, name):
    client = login(senco_a)
    url = reverse(name, args=[left_oak.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("name", READS)
def test_a_leavers_record_can_still_be_read(left_oak, login, senco_a, name):
    assert login(senco_a).get(reverse(name, args=[left_oak.pk])).status_code == 200


def test_the_pupil_page_says_the_record_is_read_only_and_until_when_it_is_kept(left_oak, login, senco_a):
    content = login(senco_a).get(reverse("overview:pupil", args=[left_oak.pk])).content.decode()

    assert "Left on 4 March 2026" in content and "This record is read-only" in content
    assert "Keep the SEND file until 3 November 2048" in content
    assert reverse("records:send-file", args=[left_oak.pk]) in content
    assert "Edit details" not in content and "Raise an SEN concern" not in content


# --- Pages ------------------------------------------------------------------------------------------------------


def test_the_senco_records_a_leaver_through_the_form(login, senco_a, pupil_oak, terms):
    response = login(senco_a).post(
        reverse("records:leaver-record", args=[pupil_oak.pk]),
        {"left_on": "2026-03-04", "destination_school": "Rise Park Primary", "destination_urn": "122610"},
    )

    assert response.status_code == 302
    pupil_oak.refresh_from_db()
    assert pupil_oak.left_on == date(2026, 3, 4) and pupil_oak.destination_urn == "122610"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"left_on": "", "destination_urn": ""}, "This field is required."),
        ({"left_on": "2026-02-30", "destination_urn": ""}, "Enter a valid date."),
        ({"left_on": "2026-03-04", "destination_urn": "12x"}, "A URN is six digits."),
        # Its 15 school days would run past the last date there is: a date typed wrong, never a server error.
        ({"left_on": "9999-12-31", "destination_urn": ""}, "The last day on roll can be at most a year from today."),
    ],
)
def test_bad_leaver_details_are_refused_with_a_message(login, senco_a, pupil_oak, data, message):
    response = login(senco_a).post(
        reverse("records:leaver-record", args=[pupil_oak.pk]), {"destination_school": "Kept", **data}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Kept"' in response.content.decode()


def test_an_empty_leaver_post_binds_and_says_the_last_day_is_missing(login, senco_a, pupil_oak):
    response = login(senco_a).post(reverse("records:leaver-record", args=[pupil_oak.pk]), {})

    assert response.status_code == 200
    assert response.context["form"].errors["left_on"] == ["This field is required."]
    pupil_oak.refresh_from_db()
    assert not pupil_oak.has_left


def test_the_send_file_downloads_as_one_pdf_named_by_initials_and_date(left_oak, login, senco_a):
    response = login(senco_a).get(reverse("records:send-file", args=[left_oak.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="send-file-AT-') and "Thistlewood" not in disposition
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "SEND register history" in text, text
    assert "SEN support" in text, text
    assert "Rise Park Primary" in text, text


def test_the_ctf_downloads_for_the_new_school(left_oak, login, senco_a):
    response = login(senco_a).get(reverse("records:ctf", args=[left_oak.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ctf-AT-')
    [pupil] = ctf_read(response.content)
    assert pupil.upn == left_oak.upn and [p.provision for p in pupil.sen_history] == ["K"]


def test_the_leavers_page_lists_the_ctf_duty_and_retention(left_oak, login, senco_a):
    content = login(senco_a).get(reverse("records:leavers")).content.decode()

    assert "Due by 25 March 2026" in content and "3 November 2048" in content


# --- Access matrix of the records URLs ----------------------------------------------------------------------

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
OK, FORBIDDEN, MISSING, LOGIN, REDIRECT = 200, 403, 404, "login", "redirect"
ON_OAK = {
    "anonymous": LOGIN,
    "senco_a": OK,
    "teacher_a": FORBIDDEN,
    "teacher_b": MISSING,
    "head_a": OK,
    "governor_a": MISSING,
    "dsl_a": FORBIDDEN,
    "senco_b": MISSING,
}
MATRIX = {
    "records:leavers": (
        "get",
        {
            "anonymous": LOGIN,
            "senco_a": OK,
            "teacher_a": FORBIDDEN,
            "teacher_b": FORBIDDEN,
            "head_a": OK,
            "governor_a": FORBIDDEN,
            "dsl_a": FORBIDDEN,
            "senco_b": OK,
        },
    ),
    "records:leaver-record": ("get", ON_OAK),
    "records:send-file": ("get", ON_OAK),
    "records:ctf": ("get", ON_OAK),
    # On pupil_ash, who has left: 4 Ash's teacher sees them but may not record the CTF.
    "records:ctf-sent": (
        "post",
        {**ON_OAK, "senco_a": REDIRECT, "head_a": REDIRECT, "teacher_a": MISSING, "teacher_b": FORBIDDEN},
    ),
    # The head (or a superuser) finishing a school's set-up: see tests/pupils/test_school_admin_access_matrix.py.
    "records:setup-finish": None,
    # Retention: see tests/records/test_retention.py (the head alone).
    "records:retention": None,
    "records:records-destroy": None,
    # The subject access export: tests/test_access_matrix.py and tests/records/test_subject_access.py (the head).
    "records:subject-access": None,
}


@pytest.mark.parametrize(("url_name", "role"), [(n, r) for n, row in MATRIX.items() if row for r in ROLES])
def test_every_records_url_answers_every_role(request, login, url_name, role, pupil_oak, pupil_ash, senco_a, oak_entry):
    leavers.leaver_record(
        pupil=pupil_ash, left_on=date(2026, 3, 4), destination_school="", destination_urn="", actor=senco_a
    )
    method, by_role = MATRIX[url_name]
    expected = by_role[role]
    pupil = pupil_ash if url_name == "records:ctf-sent" else pupil_oak
    url = reverse(url_name, args=[pupil.pk]) if "pupil_id" in _converters(url_name) else reverse(url_name)
    client = login(None if role == "anonymous" else request.getfixturevalue(role))

    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302 and urlsplit(response.url).path == reverse("login")
    elif expected == REDIRECT:
        assert response.status_code == 302
    else:
        assert response.status_code == expected, f"{method} {url} as {role}: {response.status_code}"


def _converters(url_name: str) -> set[str]:
    pattern = next(p for p in records_urls.urlpatterns if f"records:{p.name}" == url_name)
    return set(pattern.pattern.converters)


def test_every_records_url_has_a_row():
    assert {f"records:{p.name}" for p in records_urls.urlpatterns} == set(MATRIX)
