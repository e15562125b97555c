"""First run and school settings: a superuser with no school sets one up; the head revisits each step.
Forms refuse bad input with a clear message and keep what was typed; every write is audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from provision.models import AssessmentPoint, SchoolSettings, Subject
from pupils import school_setup
from pupils.models import Phase, School, Term
from pupils.term_csv import TermLine, parse_terms
from tests.factories import PupilFactory, UserFactory

DETAILS = {
    "name": "Bluecoat Primary",
    "urn": "123456",
    "la_name": "Nottingham City",
    "la_code": "892",
    "phase": Phase.PRIMARY,
    "uses_phase_defaults": "",
    "transfer_year_groups": ["2", "6"],
    "address": "1 Church Street\nNottingham",
    "postcode": "NG1 1AA",
    "phone": "0115 900 0000",
    "email": "office@bluecoat.example",
    "head_name": "Jo Hardy",
    "senco_name": "Sam Patel",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_superuser_with_no_school_is_asked_to_set_one_up_not_refused(login, superuser):
    response = login(superuser).get(reverse("home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("school:start")
    assert "Set up your school" in response.content.decode()


def test_a_staff_member_with_no_role_is_still_refused(login, db):
    assert login(UserFactory(username="nobody")).get(reverse("home")).status_code == 403


def test_setting_up_a_school_saves_its_details_and_logo_audited(login, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("crest.png", _png(), content_type="image/png")

    response = login(superuser).post(reverse("school:create"), {**DETAILS, "logo": logo})

    assert response.status_code == 302, response.context["form"].errors
    school = School.objects.get(urn="123456")
    assert response.url == reverse("school:terms", args=[school.pk])
    assert school.la_code == "892" and school.head_name == "Jo Hardy" and school.transfer_year_groups == [2, 6]
    assert school.year_groups == list(range(7))  # a primary's usual Reception to Year 6
    assert school.logo.name == f"schools/{school.pk}/logo.png"
    created = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(School), object_pk=str(school.pk))
    assert created.actor == superuser


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("urn", "12345", "A URN is six digits."),
        ("la_code", "89", "An LA code is three digits."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("name", "", "This field is required."),
        ("phase", "college", "Select a valid choice."),
    ],
)
def test_bad_school_details_are_refused_with_a_message_and_kept(login, superuser, field, value, message):
    response = login(superuser).post(reverse("school:create"), {**DETAILS, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].data["address"] == DETAILS["address"]
    assert not School.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(login, superuser):
    bad = SimpleUploadedFile("crest.png", b"not an image", content_type="image/png")

    response = login(superuser).post(reverse("school:create"), {**DETAILS, "logo": bad})

    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not School.objects.exists()


def test_a_second_school_with_the_same_urn_is_refused(login, superuser, school_a):
    response = login(superuser).post(reverse("school:create"), {**DETAILS, "urn": school_a.urn})

    assert response.status_code == 200
    assert "urn" in response.context["form"].errors


def test_the_head_changes_the_schools_details(login, head_a, school_a):
    data = {**DETAILS, "urn": school_a.urn, "name": "Claremont Primary"}

    response = login(head_a).post(reverse("school:details", args=[school_a.pk]), data)

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.name == "Claremont Primary" and school_a.senco_name == "Sam Patel"


# --- Terms -------------------------------------------------------------------------------------------------


def test_term_dates_parse_from_csv_in_either_date_style_skipping_a_header():
    terms, errors = parse_terms(
        "term,first day,last day\nAutumn 1, 2026-09-02, 2026-10-23\nAutumn 2,02/11/2026,18 December 2026\n"
    )

    assert errors == []
    assert [(t.name, t.starts_on, t.ends_on) for t in terms] == [
        ("Autumn 1", date(2026, 9, 2), date(2026, 10, 23)),
        ("Autumn 2", date(2026, 11, 2), date(2026, 12, 18)),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Autumn 1, 2026-09-02", "Line 1: give three values"),
        ("Autumn 1, 2026-09-02, 31/02/2026", "Line 1: '31/02/2026' is not a date"),
        ("Autumn 1, 2026-10-23, 2026-09-02", "Line 1: Autumn 1 ends before it starts."),
        (", 2026-09-02, 2026-10-23", "Line 1: the term has no name."),
        (
            "Autumn, 2026-09-02, 2026-12-18\nAutumn 2, 2026-11-02, 2026-12-18",
            "Autumn 2 starts on 2 November 2026, before Autumn ends on 18 December 2026.",
        ),
    ],
)
def test_bad_term_lines_are_reported_with_their_line(text, message):
    _, errors = parse_terms(text)

    assert any(message in error for error in errors), errors


def test_a_term_inside_a_long_term_is_an_overlap_even_when_not_next_to_it():
    _, errors = parse_terms("Year, 2026-09-01, 2027-07-20\nA, 2026-09-02, 2026-09-03\nB, 2026-10-01, 2026-10-02")

    assert len(errors) == 2


def test_pasted_term_dates_with_a_bad_line_add_nothing_and_show_every_error(login, head_a, school_a):
    text = "Autumn 1, 2026-09-02, 2026-10-23\nAutumn 2, 2026-11-02, 2026-13-18\nSpring 1, 2027-01-05"

    response = login(head_a).post(reverse("school:terms", args=[school_a.pk]), {"form": "paste", "paste-text": text})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Line 2: &#x27;2026-13-18&#x27; is not a date" in content
    assert "Line 3: give three values" in content
    assert text.splitlines()[0] in content  # what was pasted is kept
    assert not Term.objects.filter(school=school_a).exists()


def test_pasted_term_dates_are_added_and_closures_shown(login, head_a, school_a):
    text = "Autumn 1, 2026-09-02, 2026-10-23\nAutumn 2, 2026-11-02, 2026-12-18"
    client = login(head_a)

    response = client.post(reverse("school:terms", args=[school_a.pk]), {"form": "paste", "paste-text": text})

    assert response.status_code == 302
    assert Term.objects.filter(school=school_a).count() == 2
    page = client.get(reverse("school:terms", args=[school_a.pk])).content.decode()
    assert "Closed from 24 October 2026, reopening 2 November 2026" in page


def test_an_uploaded_csv_of_term_dates_is_added(login, head_a, school_a):
    upload = SimpleUploadedFile("terms.csv", b"Spring 1,2027-01-05,2027-02-12\n", content_type="text/csv")

    response = login(head_a).post(reverse("school:terms", args=[school_a.pk]), {"form": "paste", "paste-file": upload})

    assert response.status_code == 302
    assert school_a.terms.get().name == "Spring 1"


def test_a_term_overlapping_one_already_entered_is_refused(login, head_a, school_a, head_a_term):
    data = {"form": "term", "term-name": "Clash", "term-starts_on": "2026-10-01", "term-ends_on": "2026-10-30"}

    response = login(head_a).post(reverse("school:terms", args=[school_a.pk]), data)

    assert response.status_code == 200
    assert "Clash starts on 1 October 2026, before Autumn 1 ends on 23 October 2026." in response.content.decode()
    assert school_a.terms.count() == 1


def test_a_term_whose_last_day_is_before_its_first_is_refused(login, head_a, school_a):
    data = {"form": "term", "term-name": "Autumn", "term-starts_on": "2026-10-01", "term-ends_on": "2026-09-30"}

    response = login(head_a).post(reverse("school:terms", args=[school_a.pk]), data)

    assert response.status_code == 200
    assert "The last day is before the first day." in response.content.decode()


def test_a_term_is_removed_and_the_removal_audited(login, head_a, school_a, head_a_term):
    response = login(head_a).post(reverse("school:term-remove", args=[school_a.pk]), {"term": head_a_term.pk})

    assert response.status_code == 302
    assert not school_a.terms.exists()
    removed = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Term), action=LogEntry.Action.DELETE)
    assert removed.actor == head_a


def test_another_schools_term_cannot_be_removed(login, head_a, school_a, school_b):
    other = Term.objects.create(school=school_b, name="Autumn", starts_on=date(2026, 9, 2), ends_on=date(2026, 10, 1))

    response = login(head_a).post(reverse("school:term-remove", args=[school_a.pk]), {"term": other.pk})

    assert response.status_code == 404
    assert Term.objects.filter(pk=other.pk).exists()


@pytest.fixture
def head_a_term(school_a) -> Term:
    return Term.objects.create(school=school_a, name="Autumn 1", starts_on=date(2026, 9, 2), ends_on=date(2026, 10, 23))


# --- Year groups and classes ---------------------------------------------------------------------------------


def test_the_head_adds_a_class_in_a_year_group_the_school_teaches(login, head_a, school_a):
    school_a.year_groups = [3, 4]
    school_a.save()

    response = login(head_a).post(
        reverse("school:classes", args=[school_a.pk]), {"form": "class", "name": "3 Elm", "year_group": "3"}
    )

    assert response.status_code == 302
    assert school_a.classes.get().name == "3 Elm"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "3 oak", "year_group": "3"}, "The school already has a class called 3 oak."),
        ({"name": "6 Birch", "year_group": "6"}, "Select a valid choice."),
        ({"name": "", "year_group": "3"}, "This field is required."),
    ],
)
def test_bad_classes_are_refused_with_a_message(login, head_a, school_a, class_oak, data, message):
    school_a.year_groups = [3, 4]
    school_a.save()

    response = login(head_a).post(reverse("school:classes", args=[school_a.pk]), {"form": "class", **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert school_a.classes.count() == 1


def test_a_year_group_with_a_class_cannot_be_taken_away(login, head_a, school_a, class_oak):
    response = login(head_a).post(
        reverse("school:classes", args=[school_a.pk]), {"form": "years", "year_groups": ["4", "5"]}
    )

    assert response.status_code == 200
    assert "Classes are still in Year 3: remove them first." in response.content.decode()


def test_a_class_with_pupils_cannot_be_removed(login, head_a, school_a, class_oak, pupil_oak):
    response = login(head_a).post(reverse("school:class-remove", args=[school_a.pk, class_oak.pk]), follow=True)

    assert "3 Oak still has pupils: move them to another class first." in response.content.decode()
    assert school_a.classes.filter(pk=class_oak.pk).exists()


# --- Finishing ----------------------------------------------------------------------------------------------


def test_finishing_the_set_up_creates_the_schools_progress_defaults_once(
    login, head_a, school_a, class_oak, head_a_term
):
    client = login(head_a)

    response = client.post(reverse("records:setup-finish", args=[school_a.pk]))
    client.post(reverse("records:setup-finish", args=[school_a.pk]))

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.set_up_at is not None
    assert SchoolSettings.objects.filter(school=school_a).count() == 1
    assert list(Subject.objects.filter(school=school_a).values_list("name", flat=True)) == [
        "Reading",
        "Writing",
        "Maths",
    ]
    assert AssessmentPoint.objects.filter(school=school_a).count() == 3
    assert (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subject), actor=head_a, action=LogEntry.Action.CREATE
        ).count()
        == 3
    )


def test_the_set_up_cannot_finish_without_a_term_and_a_class(login, head_a, school_a):
    response = login(head_a).post(reverse("records:setup-finish", args=[school_a.pk]), follow=True)

    content = response.content.decode()
    assert "Add at least one term." in content and "Add at least one class." in content
    school_a.refresh_from_db()
    assert school_a.set_up_at is None
    assert not Subject.objects.filter(school=school_a).exists()


def test_terms_add_is_all_or_nothing(school_a, head_a, head_a_term):
    lines = [
        TermLine(1, "Spring 1", date(2027, 1, 5), date(2027, 2, 12)),
        TermLine(2, "Clash", date(2026, 9, 1), date(2026, 9, 5)),
    ]

    with pytest.raises(Exception, match="Clash"):
        school_setup.terms_add(school=school_a, terms=lines, actor=head_a)

    assert school_a.terms.count() == 1


def test_class_removal_leaves_pupils_of_other_classes_alone(school_a, head_a, class_oak, class_ash):
    pupil = PupilFactory(school=school_a, school_class=class_oak, year_group=3)

    school_setup.class_remove(school_class=class_ash, actor=head_a)

    pupil.refresh_from_db()
    assert pupil.school_class == class_oak


def test_the_phase_transfers_are_one_setting_the_head_keeps_in_the_details(login, head_a, school_a):
    client = login(head_a)
    url = reverse("school:details", args=[school_a.pk])
    fields = {
        "name": school_a.name,
        "urn": school_a.urn,
        "la_name": school_a.la_name,
        "la_code": school_a.la_code,
        "phase": school_a.phase,
    }
    # The phase's usual year groups (None), then the school's own, then none at all (an all-through school).
    assert client.post(url, {**fields, "uses_phase_defaults": "on"}).status_code == 302
    school_a.refresh_from_db()
    assert school_a.transfer_year_groups is None
    assert client.post(url, {**fields, "transfer_year_groups": ["-1", "6"]}).status_code == 302
    school_a.refresh_from_db()
    assert school_a.transfer_year_groups == [-1, 6] and school_a.phase_transfer_year_groups() == {-1, 6}
    assert client.post(url, fields).status_code == 302
    school_a.refresh_from_db()
    assert school_a.transfer_year_groups == [] and school_a.phase_transfer_year_groups() == frozenset()
    # A year group that does not exist is refused with the data kept.
    response = client.post(url, {**fields, "transfer_year_groups": ["99"]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("transfers", "taught", "expected"),
    [
        (["secondary"], list(range(7)), [6]),  # a primary: Year 6 to secondary
        (["infant_junior"], [0, 1, 2], [2]),  # an infant school
        (["early_years_school", "secondary"], list(range(-1, 7)), [-1, 6]),  # a primary with a nursery class
        (["primary_middle"], [0, 1, 2, 3, 4], [4]),  # a first school
        (["secondary"], [5, 6, 7, 8], [8]),  # a middle school: its oldest year decides
        (["post_16"], list(range(7, 12)), [11]),  # a secondary without a sixth form
        ([], [], []),  # nothing entered: the phase's usual ones stay
    ],
)
def test_the_migration_keeps_what_set_up_recorded_as_year_groups(transfers, taught, expected):
    import importlib

    migration = importlib.import_module("pupils.migrations.0012_one_phase_transfer_setting")
    assert migration.year_groups_for(transfers, taught) == expected
