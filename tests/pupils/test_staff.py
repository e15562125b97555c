"""Staff and roles: the head (or a superuser) invites staff by email with roles; the invitee sets a password
through a signed, expiring, single-use link; roles and a teacher's classes change on the Staff page; the last
head stays; schools of one installation never see each other's staff."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pupils import staff
from pupils.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "a-long-staff-password-9"


def _invite(client, school, **overrides):
    data = {
        "first_name": "Jo",
        "last_name": "Hardy",
        "email": "jo.hardy@school.example",
        "roles": [Role.SENCO],
        **overrides,
    }
    return client.post(reverse("school:staff-invite", args=[school.pk]), data)


def _link(message) -> str:
    return re.search(r"http://\S+/school/invitation/\S+/", message.body).group(0)


def test_the_head_invites_a_senco_who_sets_a_password_and_signs_in(
    login, head_a, school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(login(head_a), school_a)

    assert response.status_code == 302
    invitee = Membership.objects.get(school=school_a, role=Role.SENCO).user
    assert invitee.email == "jo.hardy@school.example" and not invitee.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["jo.hardy@school.example"]
    assert message.subject == f"Your send-mis account at {school_a.name}"
    assert "Helen Whitfield has given you a send-mis account" in message.body
    assert "Set your password to start" in message.alternatives[0][0]

    url = _link(message).removeprefix("http://127.0.0.1:8000")
    client = login(None)
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(PASSWORD)
    # Signed in with the new password; a SENCO then sets up a second factor before any page (first sign-in).
    assert client.get(reverse("home")).url.startswith(reverse("accounts:two-factor-setup"))
    # The link is spent with the password (asked by anyone: the signed-in SENCO is sent to set up a code first).
    assert Client().get(url).status_code == 400


def test_a_weak_password_is_refused_and_the_link_still_works(login, head_a, school_a):
    invitee, _ = staff.staff_invite(
        school=school_a, email="a@b.example", first_name="A", last_name="B", roles=[Role.TEACHER], actor=head_a
    )
    url = reverse("school:invitation-accept", args=[staff.invitation_token(invitee)])

    response = login(None).post(url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert login(None).get(url).status_code == 200


def test_an_expired_invitation_link_does_not_work(login, head_a, school_a, settings):
    invitee, _ = staff.staff_invite(
        school=school_a, email="a@b.example", first_name="A", last_name="B", roles=[Role.TEACHER], actor=head_a
    )
    token = staff.invitation_token(invitee)
    settings.STAFF_INVITATION_MAX_AGE = -1

    assert staff.invitation_user(token) is None
    assert login(None).get(reverse("school:invitation-accept", args=[token])).status_code == 400


def test_a_tampered_invitation_link_does_not_work(head_a, school_a):
    invitee, _ = staff.staff_invite(
        school=school_a, email="a@b.example", first_name="A", last_name="B", roles=[Role.TEACHER], actor=head_a
    )
    token = staff.invitation_token(invitee)

    assert staff.invitation_user(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    head_a.set_password(PASSWORD)
    head_a.save()
    assert staff.invitation_user(staff.invitation_token(head_a)) is None  # an account with a password already


def test_a_teacher_invited_with_a_class_sees_only_that_class(login, head_a, school_a, class_ash, pupil_oak, pupil_ash):
    response = _invite(
        login(head_a),
        school_a,
        email="new.teacher@school.example",
        roles=[Role.TEACHER],
        classes=[str(class_ash.pk)],
    )

    assert response.status_code == 302
    teacher = Membership.objects.get(school=school_a, user__email="new.teacher@school.example").user
    client = login(teacher)
    assert client.get(reverse("overview:pupil", args=[pupil_ash.pk])).status_code == 200
    assert client.get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"roles": []}, "roles", "This field is required."),
        ({"roles": ["janitor"]}, "roles", "Select a valid choice."),
        ({"first_name": ""}, "first_name", "This field is required."),
    ],
)
def test_bad_invitations_are_refused_with_a_message_and_kept(login, head_a, school_a, overrides, field, message):
    response = _invite(login(head_a), school_a, **overrides)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert response.context["form"].data["last_name"] == "Hardy"
    assert not mail.outbox


def test_classes_for_someone_who_is_not_a_teacher_are_refused(login, head_a, school_a, class_oak):
    response = _invite(login(head_a), school_a, roles=[Role.DSL], classes=[str(class_oak.pk)])

    assert response.status_code == 200
    assert "Only a teacher has classes" in response.content.decode()


def test_another_schools_class_cannot_be_given(login, head_a, school_a, class_b):
    response = _invite(login(head_a), school_a, roles=[Role.TEACHER], classes=[str(class_b.pk)])

    assert response.status_code == 200
    assert "classes" in response.context["form"].errors


def test_inviting_someone_already_on_the_staff_says_to_change_their_roles(login, head_a, school_a, senco_a):
    response = _invite(login(head_a), school_a, email=senco_a.email)

    assert response.status_code == 200
    assert "already on the school&#x27;s staff" in response.content.decode()


def test_a_trust_lead_keeps_one_account_across_schools_and_is_not_re_invited(
    login, senco_b, school_a, head_a, django_capture_on_commit_callbacks
):
    senco_b.set_password(PASSWORD)
    senco_b.save()

    with django_capture_on_commit_callbacks(execute=True):
        user, needs_link = staff.staff_invite(
            school=school_a,
            email=senco_b.email.upper(),
            first_name="S",
            last_name="H",
            roles=[Role.SENCO],
            actor=head_a,
        )

    assert user == senco_b and needs_link is False
    assert not mail.outbox
    assert set(Membership.objects.filter(user=senco_b).values_list("school__urn", flat=True)) == {"122000", "122610"}


def test_the_staff_page_lists_roles_classes_and_who_has_not_yet_set_a_password(
    login, head_a, school_a, teacher_a, class_oak, senco_b
):
    staff.staff_invite(
        school=school_a, email="x@y.example", first_name="Xan", last_name="Yu", roles=[Role.DSL], actor=head_a
    )

    response = login(head_a).get(reverse("school:staff", args=[school_a.pk]))

    rows = {row["user"].username: row for row in response.context["rows"]}
    assert rows["teacher_a"]["classes"] == ["3 Oak"] and rows["teacher_a"]["roles"] == ["Teacher"]
    assert rows["x@y.example"]["is_invited"] is True
    assert "senco_b" not in rows  # another school's staff never appear
    assert senco_b.last_name not in response.content.decode()


def test_the_staff_page_runs_the_same_queries_for_more_staff(login, head_a, school_a):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            login(head_a).get(reverse("school:staff", args=[school_a.pk]))
        return len(queries)

    few = count()
    for i in range(10):
        MembershipFactory(user=UserFactory(username=f"extra{i}"), school=school_a, role=Role.TEACHER)
    assert count() == few


def test_the_head_changes_a_teachers_roles_and_classes_audited(
    login, head_a, school_a, teacher_a, class_oak, class_ash
):
    url = reverse("school:staff-edit", args=[school_a.pk, staff.staff_ref(teacher_a)])
    client = login(head_a)
    assert client.get(url).context["form"].initial["roles"] == [Role.TEACHER]

    response = client.post(url, {"roles": [Role.TEACHER, Role.DSL], "classes": [str(class_ash.pk)]})

    assert response.status_code == 302
    assert set(Membership.objects.filter(user=teacher_a).values_list("role", flat=True)) == {Role.TEACHER, Role.DSL}
    assert list(school_a.classes.filter(teachers=teacher_a)) == [class_ash]
    membership_type = ContentType.objects.get_for_model(Membership)
    assert LogEntry.objects.filter(content_type=membership_type, actor=head_a, action=LogEntry.Action.CREATE).exists()


def test_nobody_can_remove_the_last_head(login, head_a, school_a):
    ref = staff.staff_ref(head_a)
    client = login(head_a)

    edit = client.post(reverse("school:staff-edit", args=[school_a.pk, ref]), {"roles": [Role.SENCO]})
    remove = client.post(reverse("school:staff-remove", args=[school_a.pk, ref]), follow=True)

    assert edit.status_code == 200
    assert "only headteacher" in edit.content.decode()
    assert "only headteacher" in remove.content.decode()
    assert Membership.objects.filter(user=head_a, school=school_a, role=Role.HEAD).exists()


def test_a_head_may_step_down_once_there_is_another(head_a, school_a, senco_a):
    staff.staff_roles_set(school=school_a, user=senco_a, roles=[Role.SENCO, Role.HEAD], actor=head_a)

    staff.staff_remove(school=school_a, user=head_a, actor=head_a)

    assert not Membership.objects.filter(user=head_a, school=school_a).exists()


def test_removing_a_teacher_takes_their_roles_and_classes_but_keeps_the_account(head_a, school_a, teacher_a, class_oak):
    staff.staff_remove(school=school_a, user=teacher_a, actor=head_a)

    teacher_a.refresh_from_db()
    assert not Membership.objects.filter(user=teacher_a).exists()
    assert not class_oak.teachers.filter(pk=teacher_a.pk).exists()
    deleted = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Membership), action=LogEntry.Action.DELETE
    )
    assert deleted.actor == head_a


def test_setting_the_same_roles_again_changes_nothing(head_a, school_a, teacher_a, class_oak):
    before = LogEntry.objects.count()

    staff.staff_roles_set(school=school_a, user=teacher_a, roles=[Role.TEACHER], classes=[class_oak], actor=head_a)

    assert LogEntry.objects.count() == before


def test_a_staff_reference_from_another_school_or_forged_finds_nobody(login, head_a, school_a, senco_b):
    client = login(head_a)

    assert client.get(reverse("school:staff-edit", args=[school_a.pk, staff.staff_ref(senco_b)])).status_code == 404
    assert client.get(reverse("school:staff-edit", args=[school_a.pk, f"{head_a.pk}:forged"])).status_code == 404


def test_staff_of_one_school_never_reach_anothers_staff_page(login, head_a, school_b):
    assert login(head_a).get(reverse("school:staff", args=[school_b.pk])).status_code == 404


def test_a_superuser_can_invite_the_first_head(login, school_a, db):
    root = UserFactory(username="root", is_superuser=True)

    response = _invite(login(root), school_a, roles=[Role.HEAD])

    assert response.status_code == 302
    assert staff.heads_of(school_a)


def test_a_service_refuses_no_roles_for_an_invitation(head_a, school_a):
    with pytest.raises(ValidationError):
        staff.staff_invite(school=school_a, email="a@b.example", first_name="A", last_name="B", roles=[], actor=head_a)


def test_an_empty_invitation_post_binds_and_says_what_is_missing(login, head_a, school_a):
    staff_before = Membership.objects.filter(school=school_a).count()

    response = login(head_a).post(reverse("school:staff-invite", args=[school_a.pk]), {})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This field is required."]
    assert Membership.objects.filter(school=school_a).count() == staff_before
