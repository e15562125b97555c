"""The Common Transfer File (CTF): the pupil and SEN history sections, exported for a leaver and imported for a
joiner. Built and read with lxml and validated against `CTF_SCHEMA` below before any use.

Elements used (a subset of the DfE CTF; names as in the DfE specification; nothing else is read or written):

    CTfile
      Header
        Document: Version, Status (L: live), Date (the file's date), SupplierID
        SourceSchool: LEA (3-digit LA code), Estab (4-digit establishment number), URN, SchoolName
        DestSchool: LEA, Estab, URN (the leaver's new school, where known)
      CTFpupilData
        Pupil (one or more)
          UPN, Surname, Forename, DOB (YYYY-MM-DD), Gender (M or F)
          PreferredSurname, PreferredForename (optional)
          SENhistory (optional)
            SEN (one per period on the register, E or K only: the census provision codes)
              StartDate, EndDate (optional), SENprovision (E or K)
              SENneeds: SENneed (SENtypeRank 1 or 2, SENtype: a census type-of-need code)

Not covered: attendance, assessment results, addresses and contacts, ethnicity, language, free school meals,
looked-after and other sections of the full CTF; the 'monitoring' status is the school's own and never leaves.
A full CTF from a school's MIS is read for the elements above: the other sections are set aside unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from lxml import etree

from .models import NeedType, Pupil, RegisterEntry, RegisterStatus, School
from .services import audited, pupil_save
from .upn import normalise_upn

CTF_VERSION = "19.0"
SUPPLIER_ID = "send-mis"

# The subset of the CTF this app writes and reads, as an XML Schema (pupils/ctf_subset.xsd).
CTF_SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("ctf_subset.xsd"))))


# The elements read, as paths from the root. A full CTF from a school's MIS carries many more sections
# (attendance, assessment, contacts...): they are set aside unread before the subset is checked, so such a file
# is read for what this app uses rather than refused.
_SCHOOL = ("LEA", "Estab", "URN", "SchoolName")
_READ = {
    ("CTfile",),
    ("CTfile", "Header"),
    ("CTfile", "Header", "Document"),
    *(("CTfile", "Header", "Document", tag) for tag in ("Version", "Status", "Date", "SupplierID")),
    *(("CTfile", "Header", school) for school in ("SourceSchool", "DestSchool")),
    *(("CTfile", "Header", school, tag) for school in ("SourceSchool", "DestSchool") for tag in _SCHOOL),
    ("CTfile", "CTFpupilData"),
    ("CTfile", "CTFpupilData", "Pupil"),
    *(
        ("CTfile", "CTFpupilData", "Pupil", tag)
        for tag in (
            "UPN",
            "Surname",
            "Forename",
            "DOB",
            "Gender",
            "PreferredSurname",
            "PreferredForename",
            "SENhistory",
        )
    ),
    ("CTfile", "CTFpupilData", "Pupil", "SENhistory", "SEN"),
    *(
        ("CTfile", "CTFpupilData", "Pupil", "SENhistory", "SEN", tag)
        for tag in ("StartDate", "EndDate", "SENprovision", "SENneeds")
    ),
    ("CTfile", "CTFpupilData", "Pupil", "SENhistory", "SEN", "SENneeds", "SENneed"),
    *(
        ("CTfile", "CTFpupilData", "Pupil", "SENhistory", "SEN", "SENneeds", "SENneed", tag)
        for tag in ("SENtypeRank", "SENtype")
    ),
}


def _set_aside_what_is_not_read(root) -> int:
    """Remove, in place, every element outside the subset read (a full CTF's other sections); how many."""
    removed = 0
    for element in list(root.iter(tag=etree.Element)):
        parent = element.getparent()
        if parent is None:
            continue
        path = (*(ancestor.tag for ancestor in reversed(list(element.iterancestors()))), element.tag)
        if path not in _READ:
            parent.remove(element)
            removed += 1
    return removed


class CtfError(ValueError):
    """The file is not a CTF this app can read: the message says where and why."""


@dataclass
class SenPeriod:
    started_on: date
    ended_on: date | None
    provision: str  # E or K
    needs: list[str] = field(default_factory=list)  # ranked: primary first


@dataclass
class CtfPupil:
    upn: str
    surname: str
    forename: str
    date_of_birth: date
    gender: str
    preferred_surname: str = ""
    preferred_forename: str = ""
    sen_history: list[SenPeriod] = field(default_factory=list)


def _sub(parent, tag: str, text: object | None = None):
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text.isoformat() if isinstance(text, date) else str(text)
    return element


def _school(parent, tag: str, *, la: str, estab: str, urn: str, name: str = "") -> None:
    school = _sub(parent, tag)
    for element, value in (("LEA", la), ("Estab", estab), ("URN", urn), ("SchoolName", name)):
        if value:
            _sub(school, element, value)


def ctf_export(*, school: School, pupils: list[Pupil], on: date, destination_urn: str = "") -> bytes:
    """A CTF of the pupils' details and SEN history (SEN support and EHC plan periods; never 'monitoring'),
    validated before it is returned. The establishment number is the UPN's (digits 5 to 8), as the DfE
    allocates it; `on` is the file's date."""
    root = etree.Element("CTfile")
    header = _sub(root, "Header")
    document = _sub(header, "Document")
    for tag, value in (("Version", CTF_VERSION), ("Status", "L"), ("Date", on), ("SupplierID", SUPPLIER_ID)):
        _sub(document, tag, value)
    estab = pupils[0].upn[4:8] if pupils else ""
    _school(header, "SourceSchool", la=school.la_code, estab=estab, urn=school.urn, name=school.name)
    if destination_urn:
        _school(header, "DestSchool", la="", estab="", urn=destination_urn)
    data = _sub(root, "CTFpupilData")
    for pupil in pupils:
        element = _sub(data, "Pupil")
        for tag, value in (
            ("UPN", pupil.upn),
            ("Surname", pupil.legal_surname),
            ("Forename", pupil.legal_forename),
            ("DOB", pupil.date_of_birth),
            ("Gender", pupil.gender),
        ):
            _sub(element, tag, value)
        if pupil.preferred_surname:
            _sub(element, "PreferredSurname", pupil.preferred_surname)
        if pupil.preferred_forename:
            _sub(element, "PreferredForename", pupil.preferred_forename)
        entries = [
            e
            for e in pupil.register_entries.order_by("started_on")
            if e.status in (RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN)
        ]
        if entries:
            history = _sub(element, "SENhistory")
            for entry in entries:
                sen = _sub(history, "SEN")
                _sub(sen, "StartDate", entry.started_on)
                if entry.ended_on:
                    _sub(sen, "EndDate", entry.ended_on)
                _sub(sen, "SENprovision", entry.status)
                needs = [n for n in (entry.primary_need_id, entry.secondary_need_id) if n]
                if needs:
                    holder = _sub(sen, "SENneeds")
                    for rank, code in enumerate(needs, start=1):
                        need = _sub(holder, "SENneed")
                        _sub(need, "SENtypeRank", rank)
                        _sub(need, "SENtype", code)
    CTF_SCHEMA.assertValid(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ctf_read(content: bytes) -> list[CtfPupil]:
    """The pupils of a CTF, after checking it against CTF_SCHEMA. Entities and network access are refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise CtfError(f"The file is not XML: {error}") from error
    if root.getroottree().docinfo.doctype:
        raise CtfError("A CTF has no document type declaration (entities are never expanded).")
    if root.tag != "CTfile":
        raise CtfError(
            f"The file's root element is <{root.tag}>, not <CTfile>: it is not a common transfer file. Export a "
            "CTF (an XML file) from the previous school's MIS, or ask them to send it through School to School."
        )
    _set_aside_what_is_not_read(root)
    for number, element in enumerate(root.iterfind("CTFpupilData/Pupil"), start=1):
        upn = (element.findtext("UPN") or "").strip()
        try:
            normalise_upn(upn)
        except ValidationError as error:
            raise CtfError(f"Pupil {number} in the file, UPN '{upn}': {error.messages[0]}") from error
    if not CTF_SCHEMA.validate(root):
        first = CTF_SCHEMA.error_log.filter_from_errors()[0]
        raise CtfError(f"Line {first.line}: {first.message}")
    pupils = []
    for element in root.iterfind("CTFpupilData/Pupil"):
        history = [
            SenPeriod(
                started_on=date.fromisoformat(sen.findtext("StartDate")),
                ended_on=date.fromisoformat(sen.findtext("EndDate")) if sen.findtext("EndDate") else None,
                provision=sen.findtext("SENprovision"),
                needs=[
                    need.findtext("SENtype")
                    for need in sorted(sen.iterfind("SENneeds/SENneed"), key=lambda n: int(n.findtext("SENtypeRank")))
                ],
            )
            for sen in element.iterfind("SENhistory/SEN")
        ]
        pupils.append(
            CtfPupil(
                upn=element.findtext("UPN"),
                surname=element.findtext("Surname"),
                forename=element.findtext("Forename"),
                date_of_birth=date.fromisoformat(element.findtext("DOB")),
                gender=element.findtext("Gender"),
                preferred_surname=element.findtext("PreferredSurname") or "",
                preferred_forename=element.findtext("PreferredForename") or "",
                sen_history=history,
            )
        )
    return pupils


def ctf_import_joiner(
    *, school: School, ctf_pupil: CtfPupil, admitted_on: date, year_group: int, actor: AbstractBaseUser
) -> Pupil:
    """A joiner from a CTF: the pupil is created with their details, and their SEN history becomes register
    entries (past periods ended as they were; the open one stays open), so the history is not lost between
    schools. A UPN already here is refused (the pupil is already on a roll in this installation)."""
    if Pupil.objects.filter(upn=ctf_pupil.upn).exists():
        raise ValidationError({"upn": f"A pupil with UPN {ctf_pupil.upn} is already recorded."})
    needs = {n.code: n for n in NeedType.objects.all()}
    with audited(actor):
        pupil = pupil_save(
            pupil=Pupil(
                school=school,
                upn=ctf_pupil.upn,
                legal_forename=ctf_pupil.forename,
                legal_surname=ctf_pupil.surname,
                preferred_forename=ctf_pupil.preferred_forename,
                preferred_surname=ctf_pupil.preferred_surname,
                date_of_birth=ctf_pupil.date_of_birth,
                gender=ctf_pupil.gender,
                year_group=year_group,
                admitted_on=admitted_on,
            ),
            actor=actor,
        )
        for period in sorted(ctf_pupil.sen_history, key=lambda p: p.started_on):
            unknown = [code for code in period.needs if code not in needs]
            if unknown:
                raise ValidationError(f"{', '.join(unknown)} is not a census type of need.")
            entry = RegisterEntry(
                pupil=pupil,
                school_id=pupil.school_id,
                status=period.provision,
                primary_need=needs[period.needs[0]] if period.needs else None,
                secondary_need=needs[period.needs[1]] if len(period.needs) > 1 else None,
                started_on=period.started_on,
                start_reason="From the previous school's common transfer file",
                ended_on=period.ended_on,
                end_reason="Ended at the previous school" if period.ended_on else "",
                created_by=actor,
            )
            entry.full_clean()
            entry.save()
    return pupil


# --- A joiner's CTF uploaded by the SENCO or head: what it would do, then doing it ---------------------------


@dataclass
class PeriodPlan:
    period: SenPeriod
    outcome: str  # "add", "recorded" (already here) or "overlaps" (left out: the register here differs)


@dataclass
class JoinerPlan:
    """What importing one pupil of a CTF would do: create them, update them (their UPN is on this school's roll
    already, say from the MIS import), or nothing (their UPN belongs to another school here)."""

    ctf_pupil: CtfPupil
    action: str  # "create", "update" or "refuse"
    pupil: Pupil | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, now, from the CTF)
    periods: list[PeriodPlan] = field(default_factory=list)
    reason: str = ""


DETAIL_FIELDS = (
    ("legal_surname", "surname", "Surname"),
    ("legal_forename", "forename", "Forename"),
    ("preferred_surname", "preferred_surname", "Preferred surname"),
    ("preferred_forename", "preferred_forename", "Preferred forename"),
    ("date_of_birth", "date_of_birth", "Date of birth"),
    ("gender", "gender", "Gender"),
)


def _overlaps(period: SenPeriod, entry: RegisterEntry) -> bool:
    far = date.max
    return period.started_on <= (entry.ended_on or far) and entry.started_on <= (period.ended_on or far)


def ctf_plan(*, school: School, ctf_pupils: list[CtfPupil]) -> list[JoinerPlan]:
    """For each pupil of the file, what an import would create or change (nothing is written). Need codes that
    the census does not know are refused here, with the pupil's number in the file."""
    known = set(NeedType.objects.values_list("code", flat=True))
    upns = [p.upn for p in ctf_pupils]
    here = {p.upn: p for p in Pupil.objects.filter(upn__in=upns).prefetch_related("register_entries")}
    plans = []
    for number, ctf_pupil in enumerate(ctf_pupils, start=1):
        unknown = sorted({code for period in ctf_pupil.sen_history for code in period.needs} - known)
        if unknown:
            raise CtfError(f"Pupil {number} in the file: {', '.join(unknown)} is not a census type of need.")
        pupil = here.get(ctf_pupil.upn)
        if pupil is None:
            periods = [PeriodPlan(p, "add") for p in sorted(ctf_pupil.sen_history, key=lambda p: p.started_on)]
            plans.append(JoinerPlan(ctf_pupil, "create", periods=periods))
            continue
        if pupil.school_id != school.pk:
            plans.append(JoinerPlan(ctf_pupil, "refuse", pupil, reason="This UPN is on another school's roll here."))
            continue
        changes = [
            (label, str(getattr(pupil, mine)), str(getattr(ctf_pupil, theirs)))
            for mine, theirs, label in DETAIL_FIELDS
            if getattr(ctf_pupil, theirs) and getattr(pupil, mine) != getattr(ctf_pupil, theirs)
        ]
        entries = list(pupil.register_entries.all())
        periods = []
        for period in sorted(ctf_pupil.sen_history, key=lambda p: p.started_on):
            if any(e.started_on == period.started_on and e.status == period.provision for e in entries):
                periods.append(PeriodPlan(period, "recorded"))
            elif any(_overlaps(period, e) for e in entries):
                periods.append(PeriodPlan(period, "overlaps"))
            else:
                periods.append(PeriodPlan(period, "add"))
        plans.append(JoinerPlan(ctf_pupil, "update", pupil, changes=changes, periods=periods))
    return plans


def _add_period(pupil: Pupil, period: SenPeriod, needs: dict, actor) -> None:
    entry = RegisterEntry(
        pupil=pupil,
        school_id=pupil.school_id,
        status=period.provision,
        primary_need=needs[period.needs[0]] if period.needs else None,
        secondary_need=needs[period.needs[1]] if len(period.needs) > 1 else None,
        started_on=period.started_on,
        start_reason="From the previous school's common transfer file",
        ended_on=period.ended_on,
        end_reason="Ended at the previous school" if period.ended_on else "",
        created_by=actor,
    )
    entry.full_clean()
    entry.save()


def ctf_import(
    *, school: School, ctf_pupils: list[CtfPupil], admitted_on: date, year_group: int, actor: AbstractBaseUser
) -> list[JoinerPlan]:
    """Do what ctf_plan shows: create the new pupils (admitted on `admitted_on` into `year_group`, which the CTF
    subset does not carry), update the details of those already on the roll, and add the SEN periods marked
    "add". All or nothing, audited. Returns the plans carried out."""
    plans = ctf_plan(school=school, ctf_pupils=ctf_pupils)
    needs = {n.code: n for n in NeedType.objects.all()}
    with audited(actor):
        for plan in plans:
            if plan.action == "create":
                plan.pupil = ctf_import_joiner(
                    school=school, ctf_pupil=plan.ctf_pupil, admitted_on=admitted_on, year_group=year_group, actor=actor
                )
            elif plan.action == "update":
                pupil = plan.pupil
                if plan.changes:
                    for mine, theirs, _ in DETAIL_FIELDS:
                        if getattr(plan.ctf_pupil, theirs):
                            setattr(pupil, mine, getattr(plan.ctf_pupil, theirs))
                    pupil_save(pupil=pupil, actor=actor)
                for item in plan.periods:
                    if item.outcome == "add":
                        _add_period(pupil, item.period, needs, actor)
    return plans
