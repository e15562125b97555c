"""Pupils from the MIS CSV: every bad-row kind with its reason, nothing imported from a file with errors unless
asked, a re-import matched by UPN that reports what changed, SEN status into the register, audit rows, bulk
writes whose query count does not grow with the file."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils import mis_csv, mis_import
from pupils.models import ImportStatus, Pupil, RegisterEntry
from tests.factories import make_upn, next_upn

HEADER = [
    "UPN",
    "Legal forename",
    "Legal surname",
    "Preferred forename",
    "Date of birth",
    "Sex",
    "Year group",
    "Class",
    "Admission date",
    "EAL",
    "Pupil premium",
    "LAC",
    "SEN status",
    "SEN need 1",
    "SEN need 2",
    "SEN start date",
]
TODAY = date(2026, 11, 27)


def row(**overrides) -> dict:
    values = {
        "UPN": next_upn(establishment="3000"),
        "Legal forename": "Ada",
        "Legal surname": "Quennell",
        "Preferred forename": "",
        "Date of birth": "03/11/2017",
        "Sex": "F",
        "Year group": "3",
        "Class": "3 Oak",
        "Admission date": "02/09/2021",
        "EAL": "N",
        "Pupil premium": "N",
        "LAC": "N",
        "SEN status": "",
        "SEN need 1": "",
        "SEN need 2": "",
        "SEN start date": "",
    }
    values.update(overrides)
    return values


def make_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def check(rows: list[dict]):
    parsed, problems = mis_csv.read(make_csv(rows))
    assert problems == []
    needs = {code: code == "NSA" for code in ("SLCN", "ASD", "SEMH", "MLD", "NSA")}
    return mis_csv.check_rows(parsed, classes={"3 oak": 3, "4 ash": 4}, needs=needs, today=TODAY)


# --- Every bad-row kind (pure) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"UPN": "A801200005001"}, "The check letter does not match"),
        ({"UPN": "B80120000500"}, "A UPN has 13 characters"),
        ({"Class": "3 Pine"}, "Class '3 Pine' is not one of the school's classes"),
        ({"Date of birth": "31/02/2017"}, "The date of birth '31/02/2017' is not a real date"),
        ({"Admission date": "2021-13-01"}, "The admission date '2021-13-01' is not a real date"),
        ({"Date of birth": "01/01/2027"}, "The date of birth 1 January 2027 is in the future."),
        ({"Admission date": "01/09/2016"}, "The admission date is before the date of birth."),
        ({"SEN status": "S", "SEN need 1": "MLD"}, "SEN status S is no longer a census code"),
        ({"SEN status": "X", "SEN need 1": "MLD"}, "SEN status 'X' is not a census code"),
        ({"SEN status": "K", "SEN need 1": "DYS"}, "'DYS' is not a census type of need."),
        ({"SEN status": "E", "SEN need 1": "NSA"}, "NSA is valid only with SEN support (K)."),
        ({"SEN status": "K"}, "SEN status K needs a type of need ranked 1."),
        ({"SEN status": "K", "SEN need 1": "ASD", "SEN need 2": "ASD"}, "The needs ranked 1 and 2 are the same."),
        ({"SEN status": "", "SEN need 1": "ASD"}, "SEN needs are given but the SEN status is not E or K."),
        ({"Sex": "X"}, "Sex 'X' is not M or F."),
        ({"Year group": "14"}, "Year group '14' is not N1, N2, R or 1 to 13."),
        ({"EAL": "maybe"}, "EAL 'maybe' is not Y or N."),
        ({"Legal surname": ""}, "No legal surname."),
    ],
)
def test_each_bad_row_is_reported_with_its_reason(overrides, reason):
    good, problems = check([row(**overrides)])

    assert good == []
    [problem] = problems
    assert problem.line == 2
    assert any(reason in r for r in problem.reasons), problem.reasons


def test_a_upn_twice_in_the_file_is_reported_on_the_second_line():
    upn = make_upn(900, establishment="3000")

    good, problems = check([row(UPN=upn), row(UPN=upn)])

    assert len(good) == 1
    assert problems[0].line == 3 and f"UPN {upn} is also on line 2." in problems[0].reasons


def test_a_row_with_several_problems_lists_them_all():
    _, [problem] = check([row(UPN="nonsense", Class="9 Z", Sex="")])

    assert len(problem.reasons) == 3


def test_a_file_missing_a_required_column_is_refused_whole():
    rows, problems = mis_csv.read("UPN,Legal forename\nB801200005001,Ada\n")

    assert rows == []
    assert "The file has no 'legal surname' column." in problems


def test_good_rows_parse_dates_year_groups_and_flags():
    [pupil], _ = check(
        [row(**{"Year group": "R", "EAL": "Y", "Date of birth": "2021-01-05", "SEN status": "k", "SEN need 1": "slcn"})]
    )

    assert pupil.year_group == 0 and pupil.is_eal is True and pupil.date_of_birth == date(2021, 1, 5)
    assert (pupil.sen_status, pupil.need_1) == ("K", "SLCN")


# --- The service ---------------------------------------------------------------------------------------------


@pytest.fixture
def upload(school_a, senco_a, needs, class_oak, class_ash, django_capture_on_commit_callbacks):
    """Upload a file and run the check task (eagerly, on commit)."""

    def _upload(rows: list[dict]):
        with django_capture_on_commit_callbacks(execute=True):
            pupil_import = mis_import.import_upload(
                school=school_a, file_name="pupils.csv", text=make_csv(rows), actor=senco_a
            )
        pupil_import.refresh_from_db()
        return pupil_import

    return _upload


@pytest.fixture
def confirm(senco_a, django_capture_on_commit_callbacks):
    def _confirm(pupil_import, *, allow: bool = False):
        with django_capture_on_commit_callbacks(execute=True):
            mis_import.import_confirm(pupil_import=pupil_import, is_errors_allowed=allow, actor=senco_a)
        pupil_import.refresh_from_db()
        return pupil_import

    return _confirm


def test_a_file_with_errors_imports_nothing_unless_asked(upload, confirm, school_a):
    pupil_import = upload([row(), row(Class="9 Nowhere")])

    assert pupil_import.status == ImportStatus.CHECKED
    assert pupil_import.preview["new"] == 1 and len(pupil_import.problems) == 1
    with pytest.raises(Exception, match="rows with errors"):
        confirm(pupil_import)
    assert not Pupil.objects.filter(school=school_a).exists()

    done = confirm(pupil_import, allow=True)

    assert done.status == ImportStatus.DONE
    assert done.result["created"] == 1 and done.result["skipped"] == 1
    assert Pupil.objects.filter(school=school_a).count() == 1
    assert done.csv_text == ""


def test_a_clean_file_imports_pupils_with_classes_and_register_entries_audited(
    upload, confirm, school_a, senco_a, class_oak
):
    rows = [
        row(),
        row(**{"SEN status": "K", "SEN need 1": "SLCN", "SEN start date": "01/10/2024"}),
        row(**{"SEN status": "E", "SEN need 1": "ASD", "SEN need 2": "SEMH"}),
    ]

    done = confirm(upload(rows))

    assert done.result["created"] == 3 and done.result["sen_added"] == 2
    pupils = Pupil.objects.filter(school=school_a)
    assert {p.school_class for p in pupils} == {class_oak}
    entry = RegisterEntry.objects.get(pupil__upn=rows[1]["UPN"])
    assert (entry.status, entry.primary_need_id, entry.started_on) == ("K", "SLCN", date(2024, 10, 1))
    pupil_type = ContentType.objects.get_for_model(Pupil)
    logs = LogEntry.objects.filter(content_type=pupil_type, action=LogEntry.Action.CREATE)
    assert logs.count() == 3 and {log.actor for log in logs} == {senco_a}
    assert logs.first().additional_data == {"school_id": str(school_a.pk)}


def test_a_re_import_matches_by_upn_and_reports_what_changed(upload, confirm, school_a, class_ash):
    first = [row(), row()]
    confirm(upload(first))
    second = [
        row(UPN=first[0]["UPN"], Class="4 Ash", **{"Year group": "4"}),
        row(UPN=first[1]["UPN"], **{"Legal surname": "Quennell-Hart"}),
    ]

    preview = upload(second)

    assert preview.preview["changed"] == 2 and preview.preview["new"] == 0
    done = confirm(preview)
    assert done.result["updated"] == 2 and done.result["created"] == 0
    reports = {item["upn"]: item["changes"] for item in done.result["changes"]}
    assert {"field": "Class", "old": "3 Oak", "new": "4 Ash"} in reports[first[0]["UPN"]]
    assert {"field": "Legal surname", "old": "Quennell", "new": "Quennell-Hart"} in reports[first[1]["UPN"]]
    assert Pupil.objects.get(upn=first[0]["UPN"]).school_class == class_ash
    update = LogEntry.objects.get(
        object_pk=str(Pupil.objects.get(upn=first[1]["UPN"]).pk), action=LogEntry.Action.UPDATE
    )
    assert update.changes["legal_surname"] == ["Quennell", "Quennell-Hart"]


def test_importing_the_same_file_again_changes_nothing(upload, confirm):
    rows = [row(**{"SEN status": "K", "SEN need 1": "SLCN"})]
    confirm(upload(rows))
    logs = LogEntry.objects.count()

    done = confirm(upload(rows))

    assert done.result["unchanged"] == 1 and done.result["updated"] == 0 and done.result["sen_changed"] == 0
    assert LogEntry.objects.count() == logs


def test_a_changed_sen_need_ends_the_entry_and_starts_a_new_one(upload, confirm):
    rows = [row(**{"SEN status": "K", "SEN need 1": "SLCN", "SEN start date": "01/10/2024"})]
    confirm(upload(rows))
    rows[0].update({"SEN need 1": "ASD", "SEN start date": "01/10/2026"})

    done = confirm(upload(rows))

    assert done.result["sen_changed"] == 1
    entries = RegisterEntry.objects.filter(pupil__upn=rows[0]["UPN"]).order_by("started_on")
    assert [(e.primary_need_id, e.ended_on) for e in entries] == [("SLCN", date(2026, 10, 1)), ("ASD", None)]


def test_a_upn_of_another_schools_pupil_is_a_bad_row(upload, pupil_b):
    pupil_import = upload([row(UPN=pupil_b.upn)])

    assert pupil_import.problems[0]["reasons"] == [f"UPN {pupil_b.upn} belongs to a pupil of another school."]


def _statements(queries) -> int:
    """How many statements ran, one bulk insert counted once: SQLite splits a bulk_create into batches under its
    limit of parameters a statement (90 pupils' columns exceed it), PostgreSQL does not. Only an insert of several
    rows continues into the next one; inserts of one row each (a save per row) count one by one."""
    count, previous = 0, None
    for query in queries:
        sql = query["sql"]
        head = sql.split(" VALUES ")[0] if sql.startswith("INSERT INTO") else None
        if not (head and previous == head):
            count += 1
        previous = head if head and "), (" in sql else None
    return count


def test_the_import_runs_the_same_queries_for_three_times_the_rows(upload, senco_a):
    def queries_for(n: int) -> int:
        pupil_import = upload(
            [row(**({"SEN status": "K", "SEN need 1": "SLCN"} if i % 5 == 0 else {})) for i in range(n)]
        )
        pupil_import.status = ImportStatus.IMPORTING
        pupil_import.save()
        with CaptureQueriesContext(connection) as queries:
            mis_import.import_apply(pupil_import=pupil_import, today=TODAY, now=None, actor=senco_a)
        return _statements(queries)

    queries_for(3)  # the first import in a process looks up the content types the audit log names, then keeps them
    assert queries_for(30) == queries_for(90)


# --- The pages -----------------------------------------------------------------------------------------------


def test_the_senco_uploads_sees_the_preview_and_imports(
    login, senco_a, school_a, needs, class_oak, django_capture_on_commit_callbacks
):
    client = login(senco_a)
    text = make_csv([row(), row(UPN="B80120000500")])
    file = SimpleUploadedFile("pupils.csv", text.encode(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("school:pupil-import", args=[school_a.pk]), {"file": file})

    assert response.status_code == 302
    page = client.get(response.url)
    content = page.content.decode()
    assert "Checked: ready to import" in content
    assert "A UPN has 13 characters" in content
    confirm_url = reverse("school:pupil-import-confirm", args=[school_a.pk, page.context["job"].pk])

    refused = client.post(confirm_url, follow=True)
    assert "fix them, or import only the good rows" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url, {"is_errors_allowed": "on"})

    assert "1 pupils added" in client.get(response.url).content.decode()
    assert Pupil.objects.filter(school=school_a).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not CSV text"), (b"", "The submitted file is empty.")],
)
def test_an_upload_that_is_not_csv_text_is_refused(login, senco_a, school_a, content, message):
    file = SimpleUploadedFile("pupils.csv", content, content_type="text/csv")

    response = login(senco_a).post(reverse("school:pupil-import", args=[school_a.pk]), {"file": file})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_empty_upload_post_binds_and_says_the_file_is_missing(login, senco_a, school_a):
    response = login(senco_a).post(reverse("school:pupil-import", args=[school_a.pk]), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert not response.context["school"].pupil_imports.exists()


def test_the_upload_page_shows_an_unbound_form(login, senco_a, school_a):
    response = login(senco_a).get(reverse("school:pupil-import", args=[school_a.pk]))

    assert response.status_code == 200
    assert not response.context["form"].is_bound
