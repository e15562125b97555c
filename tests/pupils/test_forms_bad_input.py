"""Bad input on every form: the page answers 200 (never a 500), says what is wrong, and keeps what the person
typed. Ids that do not exist answer 404. Nothing is written when a form is refused."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pupils import services
from pupils.models import ConcernStatus, NeedType, Pupil, PupilAccessGrant, RegisterEntry, SenConcern

INVALID_DATE = "Enter a valid date."
REQUIRED = "This field is required."
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."
NSA_MESSAGE = "NSA (SEN support but no specialist assessment of type of need) is only valid with SEN support."


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def refused(response, message: str, *typed: str) -> str:
    """The form came back with `message`, and each piece of `typed` text is still in it."""
    assert response.status_code == 200
    content = response.content.decode()
    assert escape(message) in content, f"missing message: {message}"
    assert 'class="error-summary"' in content
    for text in typed:
        assert escape(text) in content, f"not redisplayed: {text}"
    return content


def not_a_choice(value: str) -> str:
    return f"Select a valid choice. {value} is not one of the available choices."


# --- Add and edit a pupil -------------------------------------------------------------------------------


def pupil_data(**changes) -> dict:
    data = {
        "upn": "B801200005001",
        "legal_forename": "Imogen",
        "legal_surname": "Quennell",
        "preferred_forename": "",
        "preferred_surname": "",
        "date_of_birth": "2017-02-14",
        "gender": "F",
        "year_group": "3",
        "school_class": "",
        "first_language": "English",
        "admitted_on": "2021-09-01",
        "left_on": "",
    }
    data.update(changes)
    return data


PUPIL_CASES = [
    pytest.param({"date_of_birth": "FUTURE"}, "The date of birth cannot be in the future.", id="future_date_of_birth"),
    pytest.param({"date_of_birth": "31/02/2026"}, INVALID_DATE, id="thirty_first_of_february"),
    pytest.param({"admitted_on": "yesterday"}, INVALID_DATE, id="a_word_for_a_date"),
    pytest.param(
        {"left_on": "2021-08-31"}, "The leaving date cannot be before the admission date.", id="left_before_admitted"
    ),
    pytest.param(
        {"admitted_on": "2017-01-01"},
        "The admission date cannot be before the date of birth.",
        id="admitted_before_born",
    ),
    pytest.param(
        {"is_eal": "on", "first_language": "English"},
        "A pupil with EAL has a first language other than English.",
        id="eal_with_english",
    ),
    pytest.param(
        {"upn": "A801200005001"},
        "The check letter does not match the rest of the UPN: one character is probably mistyped.",
        id="wrong_upn_check_letter",
    ),
    pytest.param({"year_group": "abc"}, not_a_choice("abc"), id="year_group_not_a_number"),
    pytest.param({"gender": "Q"}, not_a_choice("Q"), id="unknown_gender"),
    pytest.param({"school_class": str(uuid.uuid4())}, NOT_A_CHOICE, id="class_that_does_not_exist"),
    pytest.param({"school_class": "not-a-uuid"}, "“not-a-uuid” is not a valid UUID.", id="class_id_garbage"),
    pytest.param({"legal_surname": ""}, REQUIRED, id="missing_surname"),
]


# Fields a person types into (selects and checkboxes cannot redisplay a value that is not a choice).
TYPED_FIELDS = {"upn", "legal_forename", "legal_surname", "date_of_birth", "admitted_on", "left_on", "first_language"}


def _fill(changes: dict) -> dict:
    return {k: tomorrow() if v == "FUTURE" else v for k, v in changes.items()}


@pytest.mark.parametrize(("changes", "message"), PUPIL_CASES)
def test_adding_a_pupil_with_bad_input_shows_the_form_again(login, senco_a, changes, message):
    data = pupil_data(**_fill(changes))

    response = login(senco_a).post(reverse("pupils:pupil-add"), data)

    typed = [v for k, v in data.items() if k in changes and k in TYPED_FIELDS and v] + ["Imogen"]
    refused(response, message, *typed)
    assert not Pupil.objects.exists()


def test_adding_a_pupil_in_a_class_of_another_year_names_the_class(login, senco_a, class_oak):
    response = login(senco_a).post(reverse("pupils:pupil-add"), pupil_data(year_group="4", school_class=class_oak.pk))

    refused(response, "3 Oak is a Year 3 class.", "Quennell")


def test_adding_a_pupil_in_another_schools_class_is_refused(login, senco_a, class_b):
    response = login(senco_a).post(reverse("pupils:pupil-add"), pupil_data(school_class=class_b.pk))

    refused(response, NOT_A_CHOICE, "Quennell")
    assert not Pupil.objects.exists()


def test_adding_a_pupil_with_another_pupils_upn_is_refused(login, senco_a, pupil_b):
    response = login(senco_a).post(reverse("pupils:pupil-add"), pupil_data(upn=pupil_b.upn))

    refused(response, "Pupil with this UPN already exists.", pupil_b.upn)


def test_adding_a_pupil_with_good_input_saves_and_redirects(login, senco_a, school_a, class_oak):
    response = login(senco_a).post(
        reverse("pupils:pupil-add"), pupil_data(upn="b801 2000 05001", school_class=class_oak.pk)
    )

    pupil = Pupil.objects.get()
    assert response.status_code == 302
    assert (pupil.upn, pupil.school, pupil.school_class) == ("B801200005001", school_a, class_oak)


@pytest.mark.parametrize(("changes", "message"), PUPIL_CASES)
def test_editing_a_pupil_with_bad_input_shows_the_form_again(login, senco_a, pupil_oak, changes, message):
    data = pupil_data(**_fill(changes), legal_forename="Amarantha")

    response = login(senco_a).post(reverse("pupils:pupil-edit", args=[pupil_oak.pk]), data)

    typed = [v for k, v in data.items() if k in changes and k in TYPED_FIELDS and v] + ["Amarantha"]
    refused(response, message, *typed)
    pupil_oak.refresh_from_db()
    assert pupil_oak.legal_forename == "Amara"


# --- The SEND register ------------------------------------------------------------------------------------


def entry_data(**changes) -> dict:
    data = {
        "status": "K",
        "primary_need": "SLCN",
        "secondary_need": "",
        "started_on": "2025-01-13",
        "reason": "Observed in phonics groups",
    }
    data.update(changes)
    return {k: tomorrow() if v == "FUTURE" else v for k, v in data.items()}


REGISTER_FORM_CASES = [
    pytest.param({"status": "E", "primary_need": "NSA"}, NSA_MESSAGE, id="nsa_with_ehc_plan"),
    pytest.param({"status": "M", "primary_need": "NSA"}, NSA_MESSAGE, id="nsa_with_monitoring"),
    pytest.param({"started_on": "FUTURE"}, None, id="future_date"),
    pytest.param({"started_on": "31/02/2026"}, INVALID_DATE, id="thirty_first_of_february"),
    pytest.param({"started_on": "yesterday"}, INVALID_DATE, id="a_word_for_a_date"),
    pytest.param({"started_on": ""}, REQUIRED, id="missing_date"),
    pytest.param({"reason": ""}, REQUIRED, id="missing_reason"),
    pytest.param({"primary_need": "ZZZ"}, NOT_A_CHOICE, id="unknown_need_code"),
    pytest.param({"secondary_need": "ZZZ"}, NOT_A_CHOICE, id="unknown_secondary_need_code"),
    pytest.param({"status": "Z"}, not_a_choice("Z"), id="unknown_status"),
    pytest.param(
        {"status": "K", "primary_need": ""},
        "SEN support and EHC plan entries need a primary type of need.",
        id="sen_support_without_need",
    ),
    pytest.param(
        {"secondary_need": "SLCN"},
        "The secondary need must differ from the primary need.",
        id="secondary_same_as_primary",
    ),
    pytest.param(
        {"status": "M", "primary_need": "", "secondary_need": "ASD"},
        "Give a primary need before a secondary need.",
        id="secondary_without_primary",
    ),
    pytest.param(
        {"reason": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001).", id="reason_too_long"
    ),
]
FUTURE_START = "The start date cannot be in the future."


def _typed(data: dict, changes: dict) -> list[str]:
    """What the person typed that the form must still show: free text and date strings."""
    shown = [data["reason"]] if data["reason"] and len(data["reason"]) < 100 else []
    return shown + [data[k] for k in ("started_on", "ended_on") if k in changes and data.get(k)]


@pytest.mark.parametrize(("changes", "message"), REGISTER_FORM_CASES)
def test_adding_to_the_register_with_bad_input_shows_the_form_again(login, senco_a, pupil_ash, changes, message):
    data = entry_data(**changes)

    response = login(senco_a).post(reverse("pupils:register-add", args=[pupil_ash.pk]), data)

    refused(response, message or FUTURE_START, *_typed(data, changes))
    assert not RegisterEntry.objects.exists()


def test_adding_to_the_register_before_the_pupil_was_born_is_refused(login, senco_a, pupil_ash):
    data = entry_data(started_on="2016-05-20")

    response = login(senco_a).post(reverse("pupils:register-add", args=[pupil_ash.pk]), data)

    refused(response, "The start date is before the pupil's date of birth.", "2016-05-20", data["reason"])


def test_adding_a_second_open_entry_says_to_change_or_end_the_first(login, senco_a, pupil_oak, oak_entry):
    data = entry_data(status="E", primary_need="ASD")

    response = login(senco_a).post(reverse("pupils:register-add", args=[pupil_oak.pk]), data)

    refused(response, "This pupil already has an open register entry: change or end it instead.", data["reason"])
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize(("changes", "message"), REGISTER_FORM_CASES)
def test_changing_an_entry_with_bad_input_shows_the_form_again(login, senco_a, pupil_oak, oak_entry, changes, message):
    data = entry_data(**changes)
    url = reverse("pupils:register-change", args=[pupil_oak.pk, oak_entry.pk])

    response = login(senco_a).post(url, data)

    refused(response, message or FUTURE_START, *_typed(data, changes))
    oak_entry.refresh_from_db()
    assert oak_entry.is_open
    assert RegisterEntry.objects.count() == 1


def test_a_change_dated_before_the_entry_started_is_refused_on_the_page(login, senco_a, pupil_oak, oak_entry):
    data = entry_data(status="E", primary_need="ASD", started_on="2024-09-01")
    url = reverse("pupils:register-change", args=[pupil_oak.pk, oak_entry.pk])

    response = login(senco_a).post(url, data)

    refused(response, "The end date cannot be before the entry started on 2 September 2024.", "2024-09-01")
    assert RegisterEntry.objects.get().is_open


def end_data(**changes) -> dict:
    data = {"ended_on": "2025-07-18", "end_reason": "Targets met at the summer review"}
    data.update(changes)
    return {k: tomorrow() if v == "FUTURE" else v for k, v in data.items()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"ended_on": "2024-09-01"},
            "The end date cannot be before the entry started on 2 September 2024.",
            id="end_before_start",
        ),
        pytest.param({"ended_on": "FUTURE"}, "The end date cannot be in the future.", id="future_date"),
        pytest.param({"ended_on": "31/02/2026"}, INVALID_DATE, id="thirty_first_of_february"),
        pytest.param({"ended_on": "yesterday"}, INVALID_DATE, id="a_word_for_a_date"),
        pytest.param({"end_reason": ""}, REQUIRED, id="missing_reason"),
        pytest.param({"end_reason": "   "}, REQUIRED, id="blank_reason"),
    ],
)
def test_ending_an_entry_with_bad_input_shows_the_form_again(login, senco_a, pupil_oak, oak_entry, changes, message):
    data = end_data(**changes)
    url = reverse("pupils:register-end", args=[pupil_oak.pk, oak_entry.pk])

    response = login(senco_a).post(url, data)

    typed = [v for v in data.values() if v.strip()]
    refused(response, message, *typed)
    assert RegisterEntry.objects.get().is_open


# --- SEN concerns ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"description": "Too short", "actions_taken": "Moved her seat"},
            "Ensure this value has at least 20 characters (it has 9).",
            id="description_too_short",
        ),
        pytest.param({"description": "   ", "actions_taken": "Moved her seat"}, REQUIRED, id="blank_description"),
        pytest.param(
            {"description": "Cannot copy from the board reliably.", "broad_area": "astrology"},
            not_a_choice("astrology"),
            id="unknown_area",
        ),
    ],
)
def test_raising_a_concern_with_bad_input_shows_the_form_again(login, teacher_a, pupil_oak, data, message):
    response = login(teacher_a).post(reverse("pupils:concern-raise", args=[pupil_oak.pk]), data)

    refused(response, message, *[v for v in data.values() if v.strip() and v != "astrology"])
    assert not SenConcern.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"outcome": ConcernStatus.CLOSED, "reason": ""}, REQUIRED, id="close_without_reason"),
        pytest.param(
            {"outcome": ConcernStatus.SEN_SUPPORT, "reason": "Assessment agrees"},
            "SEN support needs a primary type of need.",
            id="sen_support_without_need",
        ),
        pytest.param(
            {"outcome": ConcernStatus.MONITORING, "primary_need": "NSA", "reason": "Watch for a term"},
            "NSA is only valid with SEN support.",
            id="nsa_with_monitoring",
        ),
        pytest.param(
            {"outcome": ConcernStatus.SEN_SUPPORT, "primary_need": "ZZZ", "reason": "Assessment agrees"},
            NOT_A_CHOICE,
            id="unknown_need_code",
        ),
        pytest.param({"outcome": "maybe", "reason": "Not sure yet"}, not_a_choice("maybe"), id="unknown_outcome"),
        pytest.param({"reason": "No outcome chosen"}, REQUIRED, id="missing_outcome"),
    ],
)
def test_triaging_a_concern_with_bad_input_shows_the_form_again(login, senco_a, oak_concern, data, message):
    response = login(senco_a).post(reverse("pupils:concern-triage", args=[oak_concern.pk]), data)

    refused(response, message, *([data["reason"]] if data["reason"] else []))
    stored = SenConcern.objects.get()
    assert (stored.status, stored.register_entry) == (ConcernStatus.OPEN, None)


def test_a_triage_the_register_refuses_is_shown_on_the_page(login, senco_a, pupil_oak, oak_concern):
    # A date of birth after today (written around the form) makes the service refuse an entry starting today.
    Pupil.objects.filter(pk=pupil_oak.pk).update(date_of_birth=timezone.localdate() + timedelta(days=1))
    data = {"outcome": ConcernStatus.MONITORING, "reason": "Watch for a term"}

    response = login(senco_a).post(reverse("pupils:concern-triage", args=[oak_concern.pk]), data)

    refused(response, "The start date is before the pupil's date of birth.", "Watch for a term")
    assert SenConcern.objects.get().status == ConcernStatus.OPEN
    assert not RegisterEntry.objects.exists()


# --- Access grants --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "reason", "message"),
    [
        pytest.param("999999", "Supply teacher for Year 3", NOT_A_CHOICE, id="user_that_does_not_exist"),
        pytest.param("abc", "Supply teacher for Year 3", NOT_A_CHOICE, id="user_id_garbage"),
        pytest.param("senco_b", "Visiting from Rise Park", NOT_A_CHOICE, id="staff_of_another_school"),
        pytest.param("governor_a", "Governor visit", NOT_A_CHOICE, id="a_governor"),
        pytest.param("ta_a", "", REQUIRED, id="missing_reason"),
        pytest.param(
            "ta_a", "x" * 201, "Ensure this value has at most 200 characters (it has 201).", id="reason_too_long"
        ),
    ],
)
def test_granting_access_with_bad_input_shows_the_form_again(
    request, login, senco_a, ta_a, pupil_oak, user, reason, message
):
    user_id = str(request.getfixturevalue(user).pk) if not user.isdigit() and user != "abc" else user

    response = login(senco_a).post(reverse("pupils:grants", args=[pupil_oak.pk]), {"user": user_id, "reason": reason})

    refused(response, message, *([reason] if reason and len(reason) < 100 else []))
    assert not PupilAccessGrant.objects.exists()


# --- Ids that do not exist ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "ids", "method"),
    [
        pytest.param("overview:pupil", ["missing"], "get", id="pupil"),
        pytest.param("pupils:pupil-edit", ["missing"], "post", id="pupil_edit"),
        pytest.param("pupils:register-add", ["missing"], "post", id="register_add"),
        pytest.param("pupils:register-change", ["pupil", "missing"], "post", id="register_change_entry"),
        pytest.param("pupils:register-end", ["pupil", "missing"], "post", id="register_end_entry"),
        pytest.param("pupils:register-end", ["missing", "entry"], "post", id="register_end_pupil"),
        pytest.param("pupils:register-change", ["pupil", "other_pupils_entry"], "get", id="entry_of_another_pupil"),
        pytest.param("pupils:concern-raise", ["missing"], "post", id="concern_raise"),
        pytest.param("pupils:concern-triage", ["missing"], "post", id="concern_triage"),
        pytest.param("pupils:grants", ["missing"], "post", id="grants"),
        pytest.param("pupils:grant-revoke", ["pupil", "missing"], "post", id="grant_revoke"),
        pytest.param("pupils:grant-revoke", ["pupil", "other_pupils_grant"], "post", id="grant_of_another_pupil"),
    ],
)
def test_an_id_that_does_not_exist_answers_404(
    login, senco_a, ta_a, pupil_oak, pupil_ash, oak_entry, url_name, ids, method
):
    other_entry = services.register_entry_add(
        pupil=pupil_ash, status="M", primary_need=None, started_on=date(2024, 9, 2), start_reason="Watch", actor=senco_a
    )
    other_grant = services.pupil_access_grant(pupil=pupil_ash, user=ta_a, reason="Support", actor=senco_a)
    values = {
        "missing": uuid.uuid4(),
        "pupil": pupil_oak.pk,
        "entry": oak_entry.pk,
        "other_pupils_entry": other_entry.pk,
        "other_pupils_grant": other_grant.pk,
    }

    response = getattr(login(senco_a), method)(reverse(url_name, args=[values[i] for i in ids]), {})

    assert response.status_code == 404
    assert PupilAccessGrant.objects.filter(revoked_at__isnull=False).count() == 0


def test_an_id_that_is_not_a_uuid_answers_404(login, senco_a):
    assert login(senco_a).get("/pupils/12345/").status_code == 404


def test_an_ended_entry_cannot_be_changed_or_ended_again(login, senco_a, pupil_oak, oak_entry):
    services.register_entry_end(entry=oak_entry, ended_on=date(2025, 1, 1), end_reason="Met targets", actor=senco_a)
    client = login(senco_a)

    assert client.get(reverse("pupils:register-change", args=[pupil_oak.pk, oak_entry.pk])).status_code == 404
    assert client.post(reverse("pupils:register-end", args=[pupil_oak.pk, oak_entry.pk]), end_data()).status_code == 404


def test_a_concern_already_triaged_answers_404(login, senco_a, oak_concern):
    services.concern_triage(concern=oak_concern, outcome=ConcernStatus.CLOSED, reason="Typical", actor=senco_a)

    assert login(senco_a).get(reverse("pupils:concern-triage", args=[oak_concern.pk])).status_code == 404


# --- Lists with garbage in the query string -------------------------------------------------------------


def test_the_pupil_list_with_garbage_filters_answers_200_with_every_pupil(
    login, senco_a, pupil_oak, pupil_ash, oak_entry
):
    response = login(senco_a).get(
        reverse("pupils:pupil-list"), {"year_group": "abc", "need": "ZZZ", "sort": "bogus", "page": "999"}
    )

    assert response.status_code == 200
    assert {p.pk for p in response.context["page"].object_list} == {pupil_oak.pk, pupil_ash.pk}
    assert escape(not_a_choice("abc")) in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 500},
        {"q": "a\x00b"},
        {"school_class": "not-a-uuid"},
        {"school_class": str(uuid.uuid4())},
        {"status": "'; drop table pupils_pupil; --"},
        {"area": "\x00"},
        {"eal": "perhaps", "lac": "2", "pp": ""},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e9"},
        {"sort": "-status"},
        {"sort": "name,bogus"},
    ],
    ids=lambda q: ",".join(q),
)
def test_the_pupil_list_survives_any_query_string(login, senco_a, pupil_oak, query):
    assert login(senco_a).get(reverse("pupils:pupil-list"), query).status_code == 200


def test_the_pupil_list_filters_by_need_status_area_and_name(login, senco_a, pupil_oak, pupil_ash, oak_entry):
    client = login(senco_a)

    def listed(**query) -> set:
        return {p.pk for p in client.get(reverse("pupils:pupil-list"), query).context["page"].object_list}

    assert listed(need="SLCN") == {pupil_oak.pk}
    assert listed(need="ASD") == set()
    assert listed(status="K") == {pupil_oak.pk}
    assert listed(status="none") == {pupil_ash.pk}
    assert listed(area="ci") == {pupil_oak.pk}
    assert listed(q="pemberton") == {pupil_ash.pk}
    assert listed(q=pupil_oak.upn.lower()) == {pupil_oak.pk}
    assert listed(year_group="4") == {pupil_ash.pk}
    # The need filter's options: each need's code as the value, its name and code as the label; the chosen one
    # selected (read as rows, send_mis.widgets.LightModelChoiceField).
    page = client.get(reverse("pupils:pupil-list"), {"need": "SLCN"}).content.decode()
    for need in NeedType.objects.all():
        selected = " selected" if need.code == "SLCN" else ""
        assert f'<option value="{need.code}"{selected}>{need.name} ({need.code})</option>' in page


@pytest.mark.parametrize(
    "query",
    [{"action": "abc"}, {"action": "99999999999999999999"}, {"page": "zzz"}],
    ids=lambda q: ",".join(f"{k}={v[:8]}" for k, v in q.items()),
)
def test_the_audit_log_survives_any_query_string(login, head_a, query):
    assert login(head_a).get(reverse("pupils:audit-log"), query).status_code == 200


@pytest.mark.parametrize("page", ["999", "abc"])
def test_the_concern_queue_survives_a_bad_page_number(login, senco_a, oak_concern, page):
    response = login(senco_a).get(reverse("pupils:concern-queue"), {"page": page})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [oak_concern]


def test_an_empty_post_shows_what_is_missing_not_a_blank_form(login, teacher_a, pupil_oak):
    # An empty POST binds the form: it must list the required fields, not quietly show the form again.
    response = login(teacher_a).post(reverse("pupils:concern-raise", args=[pupil_oak.pk]), {})

    content = refused(response, REQUIRED)
    assert 'class="error-summary"' in content
    assert not SenConcern.objects.exists()
