"""Services on the real database: the alert, decisions and their reasons, corrections, deadlines, shares,
transfers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from deadlines.models import Deadline, DeadlineStatus
from safeguarding import kinds, selectors, services
from safeguarding.models import AlertSent, ChildFile, Entry, EntryKind, FileStatus
from safeguarding.tasks import concern_alert_task
from tests.safeguarding.conftest import stepped_client

pytestmark = pytest.mark.django_db


def _report(pupil, actor, now, **overrides):
    values = {
        "pupil": pupil,
        "occurred_at": now - timedelta(hours=1),
        "location": "Classroom",
        "account": 'He said "Mum locked me out all night".',
        "immediate_action": "Reassured him and came to the DSL.",
        "told_dsl_in_person": False,
        "actor": actor,
        "now": now,
    }
    return services.concern_report(**(values | overrides))


def test_a_concern_alerts_the_dsl_team_on_commit_with_no_name_and_no_content(
    pupil_oak, teacher_a, dsl_a, deputy_dsl_a, senco_a, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _report(pupil_oak, teacher_a, now)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([dsl_a.email, deputy_dsl_a.email])
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for part in (message.subject, message.body, html):
            for secret in ("Amara", "Thistlewood", "Mum", "locked", "Classroom", "Tom", "Okafor", "Diane", "Dev"):
                assert secret not in part, (secret, part)
        assert reverse("safeguarding:inbox") in message.body
        assert reverse("safeguarding:inbox") in html
        assert message.subject == "A new safeguarding concern has been reported"


def test_the_alert_is_not_sent_before_commit(pupil_oak, teacher_a, dsl_a, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _report(pupil_oak, teacher_a, now)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_repeated_alert_task_never_emails_twice(pupil_oak, teacher_a, dsl_a, now):
    concern = _report(pupil_oak, teacher_a, now)
    mail.outbox.clear()
    assert concern_alert_task.delay(str(concern.pk)).get() == 1
    assert concern_alert_task.delay(str(concern.pk)).get() == 0
    assert len(mail.outbox) == 1
    assert AlertSent.objects.filter(entry=concern).count() == 1


def test_a_concern_opens_the_childs_file_once(pupil_oak, teacher_a, teacher_b, now):
    first = _report(pupil_oak, teacher_a, now)
    second = _report(pupil_oak, teacher_b, now)
    assert first.file_id == second.file_id
    assert ChildFile.objects.filter(pupil=pupil_oak).count() == 1


def test_a_concern_without_the_account_is_refused(pupil_oak, teacher_a, now):
    with pytest.raises(ValidationError) as error:
        _report(pupil_oak, teacher_a, now, account="  ")
    assert "account" in error.value.message_dict
    assert not Entry.objects.exists()


def test_a_decision_not_to_refer_without_reasons_or_the_dsl_is_refused(oak_file, dsl_a, teacher_a, now):
    for reasons, decided_by, field in [
        ("", dsl_a, "reasons"),
        ("Reasons", None, "decided_by"),
        ("Reasons", teacher_a, "decided_by"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.no_referral_record(
                file=oak_file, agency="", occurred_at=now, reasons=reasons, decided_by=decided_by, actor=dsl_a, now=now
            )
        assert field in error.value.message_dict
    assert not Entry.objects.filter(kind=EntryKind.NO_REFERRAL).exists()
    entry = services.no_referral_record(
        file=oak_file,
        agency="social_care",
        occurred_at=now,
        reasons="Explained by a documented fall; parents engaged.",
        decided_by=dsl_a,
        actor=dsl_a,
        now=now,
    )
    assert entry.decided_by == dsl_a


def test_a_correction_supersedes_and_keeps_the_original(oak_records, dsl_a, now):
    referral = oak_records["referral"]
    correction = services.entry_correct(
        entry=referral,
        text="Disclosure of physical harm by a parent.",
        occurred_at=referral.occurred_at,
        reason="The first note missed who.",
        actor=dsl_a,
        now=now,
    )
    referral.refresh_from_db()
    assert referral.text == "Disclosure of physical harm."
    assert correction.supersedes == referral and correction.agency == referral.agency
    chronology = selectors.chronology(oak_records["file"])
    assert referral.pk not in [e.pk for e in chronology]
    current = next(e for e in chronology if e.pk == correction.pk)
    assert [old.pk for old in current.history] == [referral.pk]
    with pytest.raises(ValidationError):
        services.entry_correct(entry=referral, text="Again", occurred_at=now, reason="x", actor=dsl_a, now=now)
    assert Entry.objects.filter(pk=referral.pk).exists()


def test_a_back_dated_entry_lands_in_its_place(oak_records, dsl_a, now):
    note = services.note_record(
        file=oak_records["file"],
        kind=EntryKind.NOTE,
        occurred_at=now - timedelta(days=30),
        text="Earlier: came to school without a coat in the snow.",
        actor=dsl_a,
        now=now,
    )
    assert selectors.chronology(oak_records["file"])[0].pk == note.pk


def test_a_referral_is_chased_as_a_deadline_until_the_response(oak_records, dsl_a, now):
    referral = oak_records["referral"]
    deadline = Deadline.objects.get(kind=kinds.REFERRAL_CHASE.key)
    assert deadline.status == DeadlineStatus.OPEN and deadline.due_on > referral.occurred_at.date()
    assert selectors.referrals_awaiting(referral.file.school) == [referral]
    services.referral_response_record(
        referral=referral, occurred_at=now, text="Strategy meeting called.", actor=dsl_a, now=now
    )
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert selectors.referrals_awaiting(referral.file.school) == []


def test_an_action_is_a_deadline_closed_when_done(oak_records, dsl_a, now, today):
    action = oak_records["action"]
    deadline = Deadline.objects.get(kind=kinds.ACTION.key)
    assert (deadline.due_on, deadline.responsible) == (action.due_on, dsl_a)
    services.action_complete(action=action, done_on=today, text="Done", actor=dsl_a, now=now)
    services.action_complete(action=action, done_on=today, text="Done twice", actor=dsl_a, now=now)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert Entry.objects.filter(kind=EntryKind.ACTION_DONE).count() == 1


def test_closing_a_file_needs_a_reason(oak_file, dsl_a, now):
    with pytest.raises(ValidationError):
        services.file_status_change(file=oak_file, status=FileStatus.CLOSED, reason="", actor=dsl_a, now=now)
    services.file_status_change(
        file=oak_file, status=FileStatus.CLOSED, reason="Support ended; no further concerns.", actor=dsl_a, now=now
    )
    oak_file.refresh_from_db()
    assert oak_file.status == FileStatus.CLOSED


def test_the_transfer_opens_a_five_day_deadline_closed_when_sent_then_the_receipt(oak_file, dsl_a, today):
    transfer = services.transfer_start(file=oak_file, destination="Rise Park", left_on=today, actor=dsl_a)
    deadline = Deadline.objects.get(kind=kinds.TRANSFER.key)
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.due_on == today + timedelta(days=5)
    with pytest.raises(ValidationError):
        services.transfer_receipt(transfer=transfer, received_by="Ms Lee", received_on=today, actor=dsl_a, today=today)
    services.transfer_sent(transfer=transfer, sent_on=today, sent_how="Secure transfer", actor=dsl_a, today=today)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, today)
    transfer = services.transfer_receipt(
        transfer=transfer, received_by="Ms Lee, DSL", received_on=today, actor=dsl_a, today=today
    )
    assert (transfer.received_by, transfer.received_on) == ("Ms Lee, DSL", today)
    assert Entry.objects.filter(file=oak_file, kind=EntryKind.TRANSFER_SENT).exists()


def test_a_share_ends_on_its_date_and_when_withdrawn(oak_file, dsl_a, ta_a, governor_a, today, now):
    url = reverse("safeguarding:file", args=[oak_file.pk])
    with pytest.raises(ValidationError):
        services.share_grant(file=oak_file, user=governor_a, until_on=today, reason="x", actor=dsl_a, today=today)
    share = services.share_grant(file=oak_file, user=ta_a, until_on=today, reason="Key adult", actor=dsl_a, today=today)
    assert stepped_client(ta_a).get(url).status_code == 200
    services.share_revoke(share=share, actor=dsl_a, now=now)
    assert stepped_client(ta_a).get(url).status_code == 404


def test_a_share_from_guardian_alone_is_not_enough(oak_file, ta_a):
    from safeguarding import access

    access.grant_file_share(user=ta_a, file=oak_file)
    assert stepped_client(ta_a).get(reverse("safeguarding:file", args=[oak_file.pk])).status_code == 404


def test_an_incoming_file_for_a_child_with_send_prompts_to_tell_the_senco(oak_file, oak_entry, dsl_a, today, now):
    services.incoming_file_attach(
        pupil=oak_file.pupil,
        from_school="Old School",
        received_on=today,
        filename="f.pdf",
        content_type="application/pdf",
        content=b"%PDF",
        actor=dsl_a,
        today=today,
    )
    assert selectors.file_summary(oak_file, today=today)["tell_senco"]
    body = stepped_client(dsl_a).get(reverse("safeguarding:file", args=[oak_file.pk])).content.decode()
    assert "Make sure the SENCO knows" in body
    services.senco_told_record(file=oak_file, text="", actor=dsl_a, now=now)
    assert not selectors.file_summary(oak_file, today=today)["tell_senco"]


def test_governors_see_suppressed_counts_only(oak_records, governor_a, school_a, today):
    from pupils.models import Term

    Term.objects.create(
        school=school_a, name="Autumn", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    body = stepped_client(governor_a).get(reverse("safeguarding:counts")).content.decode()
    assert "Autumn" in body and "<td>fewer than 5</td>" in body and "<td>c</td>" not in body
    assert "Thistlewood" not in body and "Amara" not in body


def test_safeguarding_deadlines_are_seen_by_the_dsl_team_and_the_owner_only(
    oak_records, dsl_a, senco_a, teacher_a, head_a, deputy_dsl_a, now, today
):
    from deadlines import access as core

    services.action_record(
        file=oak_records["file"], text="Phone the school nurse", owner=teacher_a, due_on=today, actor=dsl_a, now=now
    )
    assert core.deadlines_visible_to(dsl_a).filter(kind__startswith="safeguarding.").count() == 4
    assert not core.deadlines_visible_to(senco_a).filter(kind__startswith="safeguarding.").exists()
    assert not core.deadlines_visible_to(head_a).filter(kind__startswith="safeguarding.").exists()
    assert [d.title for d in core.deadlines_visible_to(teacher_a).filter(kind__startswith="safeguarding.")] == [
        "DSL action due"
    ]


def test_a_child_with_a_file_who_leaves_is_listed_until_a_transfer_is_started(oak_file, dsl_a, today):
    from pupils.models import Pupil

    Pupil.objects.filter(pk=oak_file.pupil_id).update(left_on=today)
    client = stepped_client(dsl_a)
    assert selectors.leavers_without_transfer(oak_file.school) == [oak_file]
    body = client.get(reverse("safeguarding:dashboard")).content.decode()
    assert reverse("safeguarding:file-transfer", args=[oak_file.pk]) in body
    response = client.post(
        reverse("safeguarding:file-transfer", args=[oak_file.pk]),
        {"destination": "Rise Park", "left_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert selectors.leavers_without_transfer(oak_file.school) == []
    assert Deadline.objects.get(kind=kinds.TRANSFER.key).due_on == today + timedelta(days=5)


def test_ended_shares_lose_their_guardian_permission(oak_records, share_expired, share_active, today):
    from guardian.shortcuts import get_perms

    file = oak_records["file"]
    assert "read_childfile" in get_perms(share_expired, file)
    assert concern_alert_task.app.tasks["safeguarding.tasks.shares_expire_task"].delay(today.isoformat()).get() == 1
    assert "read_childfile" not in get_perms(share_expired, file)
    assert "read_childfile" in get_perms(share_active, file)


def test_one_entry_shared_shows_that_entry_and_what_followed_only(oak_records, dsl_a, ta_a, today, now):
    referral = oak_records["referral"]
    share = services.share_grant(
        file=oak_records["file"],
        entry=referral,
        user=ta_a,
        until_on=today,
        reason="Attends the strategy meeting",
        actor=dsl_a,
        today=today,
    )
    services.referral_response_record(
        referral=referral, occurred_at=now, text="Strategy meeting on Monday.", actor=dsl_a, now=now
    )
    body = stepped_client(ta_a).get(reverse("safeguarding:file", args=[oak_records["file"].pk])).content.decode()
    assert "MASH-1234" in body and "Strategy meeting on Monday." in body
    assert "Daddy hit me" not in body and "Check in with the child" not in body
    services.share_revoke(share=share, actor=dsl_a, now=now)
    assert stepped_client(ta_a).get(reverse("safeguarding:file", args=[oak_records["file"].pk])).status_code == 404


def test_a_corrected_referral_keeps_its_chase_and_a_corrected_concern_stays_triaged(oak_records, dsl_a, category, now):
    concern, referral = oak_records["concern"], oak_records["referral"]
    services.concern_triage(concern=concern, category=category, text="Refer", actor=dsl_a, now=now)
    new_concern = services.entry_correct(
        entry=concern, text="Corrected account", occurred_at=concern.occurred_at, reason="Typo", actor=dsl_a, now=now
    )
    assert selectors.concerns_new(concern.file.school) == []
    assert new_concern.followups.filter(kind=EntryKind.TRIAGE).exists()
    new_referral = services.entry_correct(
        entry=referral, text="Corrected", occurred_at=referral.occurred_at, reason="Detail", actor=dsl_a, now=now
    )
    assert selectors.referrals_awaiting(referral.file.school) == [new_referral]
    services.referral_response_record(referral=new_referral, occurred_at=now, text="Response", actor=dsl_a, now=now)
    assert Deadline.objects.get(kind=kinds.REFERRAL_CHASE.key).status == DeadlineStatus.MET
    assert selectors.referrals_awaiting(referral.file.school) == []
