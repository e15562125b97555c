"""The CTF: a leaver's pupil and SEN history sections exported, validated against the schema of the subset
used, and read back for a joiner at another school; the round trip keeps every field and period."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from pupils import ctf, services
from pupils.models import Pupil, RegisterStatus


@pytest.fixture
def history(pupil_oak, senco_a, needs):
    """Amara: SEN support for SLCN from 2024, then an EHC plan (ASD, SLCN second) from 2026; a monitoring
    period first, which stays in school."""
    entry = services.register_entry_add(
        pupil=pupil_oak,
        status=RegisterStatus.MONITORING,
        primary_need=None,
        started_on=date(2023, 9, 4),
        start_reason="Watch",
        actor=senco_a,
    )
    services.register_entry_change(
        entry=entry,
        status=RegisterStatus.SEN_SUPPORT,
        primary_need=needs["SLCN"],
        secondary_need=None,
        changed_on=date(2024, 9, 2),
        reason="SALT report",
        actor=senco_a,
    )
    current = pupil_oak.register_entries.get(ended_on__isnull=True)
    services.register_entry_change(
        entry=current,
        status=RegisterStatus.EHC_PLAN,
        primary_need=needs["ASD"],
        secondary_need=needs["SLCN"],
        changed_on=date(2026, 2, 1),
        reason="Plan issued",
        actor=senco_a,
    )
    pupil_oak.preferred_forename = "Amy"
    pupil_oak.save()
    return pupil_oak


def test_a_ctf_exports_the_pupil_and_their_sen_history(history, school_a):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4), destination_urn="122610")

    root = etree.fromstring(content)
    assert root.tag == "CTfile"
    assert root.findtext("Header/SourceSchool/URN") == "122000" and root.findtext("Header/DestSchool/URN") == "122610"
    pupil = root.find("CTFpupilData/Pupil")
    assert pupil.findtext("UPN") == history.upn and pupil.findtext("PreferredForename") == "Amy"
    periods = pupil.findall("SENhistory/SEN")
    assert [p.findtext("SENprovision") for p in periods] == ["K", "E"]  # monitoring never leaves the school
    assert [n.findtext("SENtype") for n in periods[1].iterfind("SENneeds/SENneed")] == ["ASD", "SLCN"]


def test_a_ctf_round_trips_into_a_joiner_at_another_school(history, school_a, school_b, senco_b):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4))
    [read] = ctf.ctf_read(content)
    assert (read.upn, read.surname, read.forename, read.date_of_birth, read.gender) == (
        history.upn,
        history.legal_surname,
        history.legal_forename,
        history.date_of_birth,
        history.gender,
    )
    # The UPN travels with the pupil; the old record is destroyed in this test as if in another installation.
    history.register_entries.all().delete()
    Pupil.objects.filter(pk=history.pk).delete()

    joiner = ctf.ctf_import_joiner(
        school=school_b, ctf_pupil=read, admitted_on=date(2026, 3, 9), year_group=3, actor=senco_b
    )

    entries = list(joiner.register_entries.order_by("started_on"))
    assert [(e.status, e.primary_need_id, e.secondary_need_id, e.started_on, e.ended_on) for e in entries] == [
        ("K", "SLCN", None, date(2024, 9, 2), date(2026, 2, 1)),
        ("E", "ASD", "SLCN", date(2026, 2, 1), None),
    ]
    assert joiner.preferred_forename == "Amy" and joiner.school == school_b
    again = ctf.ctf_read(ctf.ctf_export(school=school_b, pupils=[joiner], on=date(2026, 3, 10)))
    assert again[0].sen_history == read.sen_history


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not xml", "The file is not XML"),
        (b"<CTfile/>", "Line 1"),
        (
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><CTfile>&e;</CTfile>",
            "no document type",
        ),
    ],
)
def test_a_file_that_is_not_a_valid_ctf_is_refused_with_where_and_why(content, message):
    with pytest.raises(ctf.CtfError, match=message):
        ctf.ctf_read(content)


def test_a_full_ctf_from_an_mis_is_read_for_the_pupil_and_sen_history_and_the_rest_set_aside(history, school_a):
    subset = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4))
    full = (
        subset.replace(
            b"</SupplierID>", b"</SupplierID><Time>10:15:00</Time><DocumentQualifier>full</DocumentQualifier>"
        )
        .replace(b"</Gender>", b"</Gender><BasicDetails><Ethnicity>WBRI</Ethnicity></BasicDetails>")
        .replace(b"</SENhistory>", b"</SENhistory><Attendance><YearData><Year>2025</Year></YearData></Attendance>")
    )
    assert b"<Attendance>" in full and b"<Ethnicity>" in full

    [read] = ctf.ctf_read(full)

    assert read == ctf.ctf_read(subset)[0]
    assert read.sen_history and read.upn == history.upn


def test_a_bad_sen_provision_code_is_refused_by_the_schema(history, school_a):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4)).replace(
        b"<SENprovision>K<", b"<SENprovision>S<"
    )

    with pytest.raises(ctf.CtfError, match="SENprovision"):
        ctf.ctf_read(content)


def test_a_joiner_whose_upn_is_already_here_is_refused(history, school_a, school_b, senco_b):
    [read] = ctf.ctf_read(ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4)))

    with pytest.raises(Exception, match="already recorded"):
        ctf.ctf_import_joiner(
            school=school_b, ctf_pupil=read, admitted_on=date(2026, 3, 9), year_group=3, actor=senco_b
        )


# --- The joiner page: upload, preview, confirm ---------------------------------------------------------------


def _upload(client, school, content: bytes, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = {
        "file": SimpleUploadedFile("joiner.xml", content, content_type="application/xml"),
        "admitted_on": "2026-03-09",
        "year_group": "3",
        **extra,
    }
    return client.post(reverse("school:ctf-import", args=[school.pk]), data)


def test_the_joiner_page_round_trips_a_leavers_export_into_another_school(history, school_a, school_b, senco_b, login):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4))
    upn = history.upn
    history.register_entries.all().delete()  # as if the old record were in another installation
    Pupil.objects.filter(pk=history.pk).delete()
    client = login(senco_b)

    preview = _upload(client, school_b, content)

    page = preview.content.decode()
    assert preview.status_code == 200 and "New pupil" in page and upn in page
    assert "SEN support" in page and "EHC plan" in page and "ASD, SLCN" in page
    assert not Pupil.objects.filter(upn=upn).exists()  # nothing saved by the preview

    from django.urls import reverse

    done = client.post(
        reverse("school:ctf-import-confirm", args=[school_b.pk]), {"payload": preview.context["payload"]}
    )

    assert done.status_code == 302
    joiner = Pupil.objects.get(upn=upn)
    assert joiner.school == school_b and joiner.year_group == 3 and joiner.admitted_on == date(2026, 3, 9)
    entries = joiner.register_entries.order_by("started_on")
    assert [(e.status, e.primary_need_id, e.started_on, e.ended_on) for e in entries] == [
        ("K", "SLCN", date(2024, 9, 2), date(2026, 2, 1)),
        ("E", "ASD", date(2026, 2, 1), None),
    ]
    again = ctf.ctf_read(ctf.ctf_export(school=school_b, pupils=[joiner], on=date(2026, 3, 10)))
    assert [p.provision for p in again[0].sen_history] == ["K", "E"]


def test_a_pupil_already_on_the_roll_is_updated_and_their_history_not_doubled(history, school_a, senco_a, login):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4)).replace(
        b"<Surname>Thistlewood<", b"<Surname>Thistlewood-Kaur<"
    )
    client = login(senco_a)

    preview = _upload(client, school_a, content)

    page = preview.content.decode()
    assert "Already on your roll" in page and "Thistlewood-Kaur" in page and "Already recorded" in page
    from django.urls import reverse

    client.post(reverse("school:ctf-import-confirm", args=[school_a.pk]), {"payload": preview.context["payload"]})
    history.refresh_from_db()
    assert history.legal_surname == "Thistlewood-Kaur"
    assert history.register_entries.count() == 3  # monitoring, K, E: nothing added twice


def test_a_pupil_of_another_school_here_is_left_out(history, school_a, school_b, senco_b, login):
    content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4))

    page = _upload(login(senco_b), school_b, content).content.decode()

    assert "Left out: This UPN is on another school&#x27;s roll here." in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not xml", "The file is not XML"),
        (b"<?xml version='1.0'?><Pupils><Pupil/></Pupils>", "root element is &lt;Pupils&gt;, not &lt;CTfile&gt;"),
        (None, "UPN &#x27;A12345&#x27;: A UPN has 13 characters"),
    ],
    ids=["not-xml", "wrong-root", "bad-upn"],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_the_form_kept(
    content, message, history, school_a, senco_a, login
):
    if content is None:
        content = ctf.ctf_export(school=school_a, pupils=[history], on=date(2026, 3, 4)).replace(
            history.upn.encode(), b"A12345"
        )

    response = _upload(login(senco_a), school_a, content)

    page = response.content.decode()
    assert response.status_code == 200 and message in page, page[page.find("problem") :][:600]
    assert 'value="2026-03-09"' in page  # what was typed is kept


def test_a_tampered_or_missing_payload_imports_nothing(school_a, senco_a, login):
    from django.urls import reverse

    response = login(senco_a).post(reverse("school:ctf-import-confirm", args=[school_a.pk]), {"payload": "forged"})

    assert response.status_code == 302 and Pupil.objects.count() == 0
