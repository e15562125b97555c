"""The SEND register and SEN concern services, against the real database: the census rules (with the
database constraints behind them), history kept by ending entries rather than overwriting them, and the
audit rows every write leaves."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from pupils import services
from pupils.models import ConcernStatus, Pupil, PupilAccessGrant, RegisterEntry, RegisterStatus, SenConcern

NSA_MESSAGE = "NSA (SEN support but no specialist assessment of type of need) is only valid with SEN support."
K, E, M = RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN, RegisterStatus.MONITORING


@pytest.fixture
def add(pupil_oak, senco_a, needs):
    """register_entry_add for pupil_oak by the SENCO, needs given by code."""

    def _add(status, primary=None, secondary=None, *, started_on=date(2024, 9, 2), pupil=None):
        return services.register_entry_add(
            pupil=pupil or pupil_oak,
            status=status,
            primary_need=needs[primary] if primary else None,
            secondary_need=needs[secondary] if secondary else None,
            started_on=started_on,
            start_reason="Assessment by the SENCO",
            actor=senco_a,
        )

    return _add


def log_entries(model, obj, action=None):
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(obj.pk))
    return rows.filter(action=action) if action is not None else rows


# --- The census rules, in the service -----------------------------------------------------------------


@pytest.mark.parametrize("status", [E, M])
def test_nsa_as_primary_need_is_refused_except_with_sen_support(add, status):
    with pytest.raises(ValidationError) as raised:
        add(status, "NSA")

    assert raised.value.message_dict["primary_need"] == [NSA_MESSAGE]
    assert not RegisterEntry.objects.exists()


def test_nsa_as_secondary_need_is_refused_with_an_ehc_plan(add):
    with pytest.raises(ValidationError) as raised:
        add(E, "ASD", "NSA")

    assert raised.value.message_dict["secondary_need"] == [NSA_MESSAGE]


def test_nsa_is_accepted_with_sen_support(add):
    entry = add(K, "NSA")

    assert entry.primary_need_id == "NSA"
    assert entry.is_open


@pytest.mark.parametrize("status", [K, E])
def test_sen_support_and_ehc_plan_need_a_primary_need(add, status):
    with pytest.raises(ValidationError) as raised:
        add(status)

    assert raised.value.message_dict["primary_need"] == [
        "SEN support and EHC plan entries need a primary type of need."
    ]


def test_monitoring_needs_no_primary_need(add):
    assert add(M).primary_need is None


def test_the_secondary_need_must_differ_from_the_primary(add):
    with pytest.raises(ValidationError) as raised:
        add(K, "SLCN", "SLCN")

    assert raised.value.message_dict["secondary_need"] == ["The secondary need must differ from the primary need."]


def test_a_secondary_need_without_a_primary_is_refused(add):
    with pytest.raises(ValidationError) as raised:
        add(M, None, "SLCN")

    assert raised.value.message_dict["secondary_need"] == ["Give a primary need before a secondary need."]


def test_an_entry_cannot_start_before_the_pupil_was_born(add, pupil_oak):
    with pytest.raises(ValidationError) as raised:
        add(K, "SLCN", started_on=date(2017, 11, 2))

    assert raised.value.message_dict["started_on"] == ["The start date is before the pupil's date of birth."]
    assert pupil_oak.date_of_birth == date(2017, 11, 3)


def test_a_pupil_has_at_most_one_open_entry(add):
    add(K, "SLCN")

    with pytest.raises(ValidationError) as raised:
        add(E, "ASD", started_on=date(2025, 1, 6))

    assert raised.value.messages == ["This pupil already has an open register entry: change or end it instead."]
    assert RegisterEntry.objects.count() == 1


def test_another_pupil_may_have_an_open_entry_at_the_same_time(add, pupil_ash):
    add(K, "SLCN")
    add(K, "SLCN", pupil=pupil_ash)

    assert RegisterEntry.objects.filter(ended_on__isnull=True).count() == 2


# --- The same rules in the database, for a write that bypasses the service ----------------------------


def _raw_entry(pupil, user, needs, **fields) -> dict:
    values = {
        "pupil": pupil,
        "school_id": pupil.school_id,
        "status": K,
        "primary_need": needs["SLCN"],
        "started_on": date(2024, 9, 2),
        "start_reason": "Written around the service",
        "created_by": user,
    }
    values.update({k: needs[v] if k.endswith("_need") and v else v for k, v in fields.items()})
    return values


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": E, "primary_need": "NSA"}, id="nsa_with_an_ehc_plan"),
        pytest.param({"status": M, "primary_need": "NSA"}, id="nsa_with_monitoring"),
        pytest.param({"status": E, "primary_need": "ASD", "secondary_need": "NSA"}, id="nsa_secondary_with_ehc_plan"),
        pytest.param({"status": K, "primary_need": None}, id="sen_support_without_primary_need"),
        pytest.param({"status": M, "primary_need": None, "secondary_need": "SLCN"}, id="secondary_without_primary"),
        pytest.param({"primary_need": "SLCN", "secondary_need": "SLCN"}, id="secondary_same_as_primary"),
        pytest.param({"ended_on": date(2024, 9, 1), "end_reason": "x"}, id="ends_before_it_starts"),
    ],
)
def test_the_database_refuses_an_entry_that_breaks_a_census_rule(pupil_oak, senco_a, needs, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(**_raw_entry(pupil_oak, senco_a, needs, **fields))

    assert not RegisterEntry.objects.exists()


def test_the_database_refuses_a_second_open_entry(pupil_oak, senco_a, needs):
    RegisterEntry.objects.create(**_raw_entry(pupil_oak, senco_a, needs))

    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(**_raw_entry(pupil_oak, senco_a, needs, status=E, primary_need="ASD"))

    # An ended entry does not count against the one open entry.
    RegisterEntry.objects.create(**_raw_entry(pupil_oak, senco_a, needs, ended_on=date(2024, 12, 20), end_reason="x"))
    assert RegisterEntry.objects.count() == 2


def test_the_database_keeps_an_entry_in_its_pupils_school(pupil_oak, senco_a, needs, school_b):
    """The entry's copy of the pupil's school (what a school's register is read by) cannot name another school:
    PostgreSQL holds (pupil, school) as a foreign key to the pupil's own pair, and carries a change of the
    pupil's school to its entries. The embedded SQLite relies on the services, which copy the pupil's."""
    if connection.vendor != "postgresql":
        pytest.skip("the pair's foreign key is PostgreSQL's (migration 0014)")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(**{**_raw_entry(pupil_oak, senco_a, needs), "school_id": school_b.pk})
        connection.check_constraints()  # the key is checked at commit, as Django's own are
    assert not RegisterEntry.objects.exists()

    entry = RegisterEntry.objects.create(**_raw_entry(pupil_oak, senco_a, needs))
    Pupil.objects.filter(pk=pupil_oak.pk).update(school=school_b)
    entry.refresh_from_db()
    assert entry.school_id == school_b.pk


# --- History: change and end never overwrite -----------------------------------------------------------


def test_a_change_ends_the_open_entry_and_opens_a_new_one_keeping_both(add, senco_a, needs, pupil_oak):
    first = add(K, "SLCN")

    second = services.register_entry_change(
        entry=first,
        status=E,
        primary_need=needs["ASD"],
        secondary_need=needs["SLCN"],
        changed_on=date(2025, 3, 3),
        reason="EHC plan issued",
        actor=senco_a,
    )

    first.refresh_from_db()
    assert second.pk != first.pk
    assert (first.status, first.primary_need_id, first.started_on) == (K, "SLCN", date(2024, 9, 2))
    assert (first.ended_on, first.end_reason) == (date(2025, 3, 3), "Changed: EHC plan issued")
    assert (second.status, second.primary_need_id, second.secondary_need_id) == (E, "ASD", "SLCN")
    assert (second.started_on, second.ended_on, second.start_reason) == (date(2025, 3, 3), None, "EHC plan issued")
    assert list(pupil_oak.register_entries.order_by("started_on")) == [first, second]


def test_a_change_that_changes_nothing_makes_no_new_entry(add, senco_a, needs):
    entry = add(K, "SLCN")

    same = services.register_entry_change(
        entry=entry,
        status=K,
        primary_need=needs["SLCN"],
        secondary_need=None,
        changed_on=date(2025, 3, 3),
        reason="Reviewed",
        actor=senco_a,
    )

    assert same.pk == entry.pk
    assert RegisterEntry.objects.get().ended_on is None


def test_a_change_that_breaks_a_rule_leaves_the_open_entry_open(add, senco_a, needs):
    entry = add(K, "SLCN")

    with pytest.raises(ValidationError):
        services.register_entry_change(
            entry=entry,
            status=E,
            primary_need=needs["NSA"],
            secondary_need=None,
            changed_on=date(2025, 3, 3),
            reason="Plan issued",
            actor=senco_a,
        )

    entry.refresh_from_db()
    assert entry.is_open
    assert RegisterEntry.objects.count() == 1


def test_a_change_dated_before_the_entry_started_is_refused(add, senco_a, needs):
    entry = add(K, "SLCN")

    with pytest.raises(ValidationError) as raised:
        services.register_entry_change(
            entry=entry,
            status=E,
            primary_need=needs["ASD"],
            secondary_need=None,
            changed_on=date(2024, 9, 1),
            reason="Plan issued",
            actor=senco_a,
        )

    assert raised.value.message_dict["ended_on"] == [
        "The end date cannot be before the entry started on 2 September 2024."
    ]
    assert RegisterEntry.objects.get().is_open


def test_ending_an_entry_keeps_it_in_the_history(add, senco_a):
    entry = add(K, "SLCN")

    ended = services.register_entry_end(
        entry=entry, ended_on=date(2025, 7, 18), end_reason="Met targets", actor=senco_a
    )

    assert ended.pk == entry.pk
    stored = RegisterEntry.objects.get()
    assert (stored.ended_on, stored.end_reason, stored.status) == (date(2025, 7, 18), "Met targets", K)
    assert not stored.is_open


def test_ending_an_entry_twice_changes_nothing(add, senco_a):
    entry = add(K, "SLCN")
    services.register_entry_end(entry=entry, ended_on=date(2025, 7, 18), end_reason="Met targets", actor=senco_a)

    again = services.register_entry_end(entry=entry, ended_on=date(2025, 7, 20), end_reason="Again", actor=senco_a)

    assert (again.ended_on, again.end_reason) == (date(2025, 7, 18), "Met targets")
    assert log_entries(RegisterEntry, entry, LogEntry.Action.UPDATE).count() == 1


def test_an_entry_cannot_end_before_it_started(add, senco_a):
    entry = add(K, "SLCN")

    with pytest.raises(ValidationError) as raised:
        services.register_entry_end(entry=entry, ended_on=date(2024, 9, 1), end_reason="Typo", actor=senco_a)

    assert raised.value.message_dict["ended_on"] == [
        "The end date cannot be before the entry started on 2 September 2024."
    ]
    assert RegisterEntry.objects.get().is_open


def test_an_entry_may_end_on_the_day_it_started(add, senco_a):
    entry = add(M)

    services.register_entry_end(entry=entry, ended_on=entry.started_on, end_reason="Entered in error", actor=senco_a)

    assert RegisterEntry.objects.get().ended_on == date(2024, 9, 2)


# --- SEN concerns ---------------------------------------------------------------------------------------


def test_triage_to_sen_support_puts_the_pupil_on_the_register_and_links_the_entry(oak_concern, senco_a, needs):
    concern = services.concern_triage(
        concern=oak_concern,
        outcome=ConcernStatus.SEN_SUPPORT,
        reason="Assessment confirms SLCN",
        primary_need=needs["SLCN"],
        started_on=date(2025, 1, 13),
        actor=senco_a,
    )

    entry = RegisterEntry.objects.get()
    assert concern.register_entry == entry
    assert (entry.status, entry.primary_need_id, entry.started_on) == (K, "SLCN", date(2025, 1, 13))
    assert entry.start_reason == "SEN concern: Assessment confirms SLCN"
    stored = SenConcern.objects.get()
    assert (stored.status, stored.register_entry_id, stored.triaged_by) == (
        ConcernStatus.SEN_SUPPORT,
        entry.pk,
        senco_a,
    )
    assert stored.triaged_at is not None


def test_triage_of_a_pupil_already_on_the_register_changes_their_entry(oak_entry, oak_concern, senco_a, needs):
    concern = services.concern_triage(
        concern=oak_concern,
        outcome=ConcernStatus.SEN_SUPPORT,
        reason="Needs are wider",
        primary_need=needs["MLD"],
        started_on=date(2025, 1, 13),
        actor=senco_a,
    )

    oak_entry.refresh_from_db()
    assert oak_entry.ended_on == date(2025, 1, 13)
    assert concern.register_entry.primary_need_id == "MLD"
    assert concern.register_entry.is_open
    assert RegisterEntry.objects.count() == 2


def test_triage_to_sen_support_without_a_primary_need_is_refused(oak_concern, senco_a):
    with pytest.raises(ValidationError) as raised:
        services.concern_triage(concern=oak_concern, outcome=ConcernStatus.SEN_SUPPORT, reason="Yes", actor=senco_a)

    assert "primary_need" in raised.value.message_dict
    assert SenConcern.objects.get().status == ConcernStatus.OPEN
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_a_concern_without_a_reason_is_refused(oak_concern, senco_a, reason):
    with pytest.raises(ValidationError) as raised:
        services.concern_triage(concern=oak_concern, outcome=ConcernStatus.CLOSED, reason=reason, actor=senco_a)

    assert raised.value.message_dict["reason"] == ["Say why the concern is closed."]
    assert SenConcern.objects.get().status == ConcernStatus.OPEN


def test_closing_a_concern_with_a_reason_closes_it_without_a_register_entry(oak_concern, senco_a):
    services.concern_triage(concern=oak_concern, outcome=ConcernStatus.CLOSED, reason="Typical progress", actor=senco_a)

    stored = SenConcern.objects.get()
    assert (stored.status, stored.outcome_reason, stored.register_entry) == (
        ConcernStatus.CLOSED,
        "Typical progress",
        None,
    )
    assert not RegisterEntry.objects.exists()


def test_an_unknown_triage_outcome_is_refused(oak_concern, senco_a):
    with pytest.raises(ValidationError) as raised:
        services.concern_triage(concern=oak_concern, outcome="maybe", reason="Hmm", actor=senco_a)

    assert raised.value.message_dict["outcome"] == ["Choose an outcome."]


def test_a_concern_already_triaged_is_not_triaged_again(oak_concern, senco_a, needs):
    services.concern_triage(concern=oak_concern, outcome=ConcernStatus.CLOSED, reason="Typical progress", actor=senco_a)

    again = services.concern_triage(
        concern=oak_concern,
        outcome=ConcernStatus.SEN_SUPPORT,
        reason="Changed mind",
        primary_need=needs["SLCN"],
        actor=senco_a,
    )

    assert again.status == ConcernStatus.CLOSED
    assert not RegisterEntry.objects.exists()


def test_a_concern_description_is_required(pupil_oak, teacher_a):
    with pytest.raises(ValidationError) as raised:
        services.concern_raise(pupil=pupil_oak, description="", actor=teacher_a)

    assert "description" in raised.value.message_dict
    assert not SenConcern.objects.exists()


# --- Audit: every write names its actor and records what changed ---------------------------------------


def test_adding_an_entry_is_audited_with_the_actor_and_the_new_values(add, senco_a):
    entry = add(K, "SLCN")

    row = log_entries(RegisterEntry, entry).get()
    assert (row.action, row.actor) == (LogEntry.Action.CREATE, senco_a)
    assert row.changes_dict["status"][1] == "K"
    assert row.changes_dict["primary_need"][1] == "SLCN"
    assert row.additional_data["school_id"] == str(entry.pupil.school_id)


def test_ending_an_entry_is_audited_with_the_old_and_new_end_date(add, senco_a, head_a):
    entry = add(K, "SLCN")

    services.register_entry_end(entry=entry, ended_on=date(2025, 7, 18), end_reason="Met targets", actor=head_a)

    row = log_entries(RegisterEntry, entry, LogEntry.Action.UPDATE).get()
    assert row.actor == head_a
    assert row.changes_dict["ended_on"] == [None, "2025-07-18"]
    assert row.changes_dict["end_reason"][1] == "Met targets"


def test_changing_an_entry_is_audited_as_an_end_and_a_new_entry(add, senco_a, needs):
    first = add(K, "SLCN")

    second = services.register_entry_change(
        entry=first,
        status=E,
        primary_need=needs["ASD"],
        secondary_need=None,
        changed_on=date(2025, 3, 3),
        reason="Plan issued",
        actor=senco_a,
    )

    ended = log_entries(RegisterEntry, first, LogEntry.Action.UPDATE).get()
    created = log_entries(RegisterEntry, second, LogEntry.Action.CREATE).get()
    assert ended.actor == created.actor == senco_a
    assert "ended_on" in ended.changes_dict
    assert created.changes_dict["status"][1] == "E"


def test_a_refused_write_leaves_no_audit_row(add, senco_a):
    entry = add(K, "SLCN")
    before = LogEntry.objects.count()

    with pytest.raises(ValidationError):
        services.register_entry_end(entry=entry, ended_on=date(2024, 1, 1), end_reason="Typo", actor=senco_a)

    assert LogEntry.objects.count() == before


def test_raising_and_triaging_a_concern_are_audited(pupil_oak, teacher_a, senco_a):
    concern = services.concern_raise(pupil=pupil_oak, description="Rarely speaks in group work.", actor=teacher_a)
    services.concern_triage(concern=concern, outcome=ConcernStatus.CLOSED, reason="Typical progress", actor=senco_a)

    raised = log_entries(SenConcern, concern, LogEntry.Action.CREATE).get()
    triaged = log_entries(SenConcern, concern, LogEntry.Action.UPDATE).get()
    assert raised.actor == teacher_a
    assert raised.changes_dict["description"][1] == "Rarely speaks in group work."
    assert triaged.actor == senco_a
    assert triaged.changes_dict["status"] == ["open", "closed"]


def test_saving_a_pupil_is_audited_with_old_and_new_values(pupil_oak, senco_a):
    pupil_oak.preferred_forename = "Mara"

    services.pupil_save(pupil=pupil_oak, actor=senco_a)

    row = log_entries(Pupil, pupil_oak, LogEntry.Action.UPDATE).get()
    assert row.actor == senco_a
    assert row.changes_dict["preferred_forename"] == ["", "Mara"]


def test_granting_and_revoking_access_are_audited(pupil_oak, ta_a, senco_a, head_a):
    grant = services.pupil_access_grant(pupil=pupil_oak, user=ta_a, reason="Supporting in class", actor=senco_a)
    services.pupil_access_revoke(grant=grant, actor=head_a)

    granted = log_entries(PupilAccessGrant, grant, LogEntry.Action.CREATE).get()
    revoked = log_entries(PupilAccessGrant, grant, LogEntry.Action.UPDATE).get()
    assert (granted.actor, revoked.actor) == (senco_a, head_a)
    assert granted.changes_dict["reason"][1] == "Supporting in class"
    assert revoked.changes_dict["revoked_at"][0] is None


def test_recording_a_read_of_a_pupil_writes_an_access_log_row(pupil_oak, dsl_a):
    services.pupil_record_viewed(pupil=pupil_oak, actor=dsl_a)

    row = log_entries(Pupil, pupil_oak, LogEntry.Action.ACCESS).get()
    assert row.actor == dsl_a
    assert row.additional_data["school_id"] == str(pupil_oak.school_id)


def test_opening_a_pupil_page_logs_the_read_and_the_head_sees_it_in_the_audit_log(login, pupil_oak, dsl_a, head_a):
    assert login(dsl_a).get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 200

    row = log_entries(Pupil, pupil_oak, LogEntry.Action.ACCESS).get()
    assert row.actor == dsl_a
    page = login(head_a).get(reverse("pupils:audit-log"), {"action": LogEntry.Action.ACCESS})
    assert [entry.pk for entry in page.context["page"].object_list] == [row.pk]
    assert "Diane Kowalski" in page.content.decode()


def test_the_audit_log_shows_only_its_own_schools_rows(login, pupil_oak, pupil_b, senco_a, senco_b, head_a):
    services.pupil_record_viewed(pupil=pupil_oak, actor=senco_a)
    services.pupil_record_viewed(pupil=pupil_b, actor=senco_b)

    page = login(head_a).get(reverse("pupils:audit-log"))

    rows = page.context["page"].object_list
    assert {entry.object_pk for entry in rows if entry.content_type.model == "pupil"} == {str(pupil_oak.pk)}
    assert all(entry.additional_data["school_id"] == str(pupil_oak.school_id) for entry in rows)


def test_triage_never_steps_a_pupil_down_the_register(pupil_oak, oak_concern, senco_a, needs):
    plan = services.register_entry_add(
        pupil=pupil_oak,
        status=RegisterStatus.EHC_PLAN,
        primary_need=needs["ASD"],
        started_on=date(2024, 9, 2),
        start_reason="EHC plan issued",
        actor=senco_a,
    )
    with pytest.raises(ValidationError) as raised:
        services.concern_triage(concern=oak_concern, outcome=ConcernStatus.MONITORING, reason="Watch", actor=senco_a)

    assert "already on the register (EHC plan)" in str(raised.value)
    plan.refresh_from_db()
    assert plan.is_open
    assert SenConcern.objects.get().status == ConcernStatus.OPEN


def test_a_pupils_record_cannot_be_granted_to_a_governor_or_another_schools_staff(
    pupil_oak, governor_a, senco_b, senco_a
):
    for outsider in (governor_a, senco_b):
        with pytest.raises(ValidationError) as raised:
            services.pupil_access_grant(pupil=pupil_oak, user=outsider, reason="Curious", actor=senco_a)
        assert "staff of this school" in str(raised.value)
    assert not pupil_oak.access_grants.exists()


def test_membership_and_class_changes_reach_the_heads_audit_log(login, school_a, head_a, teacher_b, class_oak, senco_a):
    from pupils.models import Membership, Role

    with services.audited(senco_a):
        Membership.objects.create(user=teacher_b, school=school_a, role=Role.DSL)
        class_oak.name = "3 Oak (renamed)"
        class_oak.save()

    page = login(head_a).get("/audit/").content.decode()
    assert "3 Oak (renamed)" in page
    assert "DSL at" in page
