"""What the access matrix (tests/test_access_matrix.py) cannot show about the pupils app: which pupils a page
lists, grants and their revocation, and that governors see no names."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse

from pupils import access, services
from pupils.models import PupilAccessGrant
from tests.factories import UserFactory
from tests.test_access_matrix import MATRIX, OK, converters_of


def test_teacher_sees_only_their_own_class_in_the_pupil_list(login, teacher_a, pupil_oak, pupil_ash, pupil_b):
    response = login(teacher_a).get(reverse("pupils:pupil-list"))

    assert response.status_code == 200
    listed = {pupil.pk for pupil in response.context["page"].object_list}
    assert listed == {pupil_oak.pk}
    assert pupil_oak.legal_surname in response.content.decode()
    assert pupil_ash.legal_surname not in response.content.decode()


def test_teacher_cannot_see_other_class(login, teacher_b, pupil_oak):
    assert login(teacher_b).get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 404


def test_governor_pages_never_name_a_pupil(
    login, governor_a, senco_a, pupil_oak, pupil_ash, oak_entry, make_pupils, school_a
):
    bulk = make_pupils(6, school_a)
    surnames = [pupil_oak.legal_surname, pupil_ash.legal_surname] + [p.legal_surname for p in bulk]
    # The same names are on the SENCO's list, so a leak would be visible to this test.
    senco_page = login(senco_a).get(reverse("pupils:pupil-list")).content.decode()
    assert all(surname in senco_page for surname in surnames)

    governor = login(governor_a)
    pages = [governor.get(reverse("home"), follow=True)]
    pages += [
        governor.get(reverse(name))
        for name, row in MATRIX.items()
        if row.method == "get" and row.expected["governor_a"] == OK and not converters_of(name)
    ]

    assert any(page.request["PATH_INFO"] == reverse("pupils:register-summary") for page in pages)
    for page in pages:
        assert page.status_code == 200
        if not page["Content-Type"].startswith("text/html"):
            continue  # PDFs and CSVs: each area's tests read their text for names
        content = page.content.decode()
        for surname in surnames:
            assert surname not in content, f"{page.request['PATH_INFO']} names {surname}"


def test_a_grant_lets_another_teacher_see_one_pupil_until_it_is_revoked(login, senco_a, teacher_b, pupil_oak):
    detail = reverse("overview:pupil", args=[pupil_oak.pk])
    client = login(teacher_b)
    pupil_type = ContentType.objects.get_for_model(PupilAccessGrant)
    assert client.get(detail).status_code == 404

    grant = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)

    assert client.get(detail).status_code == 200
    created = LogEntry.objects.get(content_type=pupil_type, object_pk=str(grant.pk), action=LogEntry.Action.CREATE)
    assert created.actor == senco_a
    # A grant gives sight, not the class teacher's actions.
    assert client.get(reverse("pupils:concern-raise", args=[pupil_oak.pk])).status_code == 403

    services.pupil_access_revoke(grant=grant, actor=senco_a)

    assert client.get(detail).status_code == 404
    revoked = LogEntry.objects.get(content_type=pupil_type, object_pk=str(grant.pk), action=LogEntry.Action.UPDATE)
    assert revoked.actor == senco_a
    assert "revoked_at" in revoked.changes_dict


def test_a_granted_pupil_appears_in_the_grantees_pupil_list(login, senco_a, teacher_b, pupil_oak, pupil_ash):
    services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)

    response = login(teacher_b).get(reverse("pupils:pupil-list"))

    assert {pupil.pk for pupil in response.context["page"].object_list} == {pupil_oak.pk, pupil_ash.pk}


def test_revoking_through_the_page_takes_sight_away(login, senco_a, ta_a, pupil_oak, oak_grant):
    detail = reverse("overview:pupil", args=[pupil_oak.pk])
    assert login(ta_a).get(detail).status_code == 200

    response = login(senco_a).post(reverse("pupils:grant-revoke", args=[pupil_oak.pk, oak_grant.pk]))

    assert response.status_code == 302
    assert login(ta_a).get(detail).status_code == 404


def test_a_pupil_can_be_granted_again_after_a_revoke(login, senco_a, teacher_b, pupil_oak):
    first = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)
    services.pupil_access_revoke(grant=first, actor=senco_a)

    second = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering again", actor=senco_a)

    assert second.pk != first.pk
    assert login(teacher_b).get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 200


def test_a_signed_in_user_with_no_role_anywhere_sees_nothing(login, pupil_oak):
    client = login(UserFactory(username="no_role"))

    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("pupils:pupil-list")).status_code == 403
    assert client.get(reverse("overview:pupil", args=[pupil_oak.pk])).status_code == 404


def test_the_governors_summary_shows_counts_under_five_as_fewer_than_five(login, governor_a, oak_entry, pupil_ash):
    response = login(governor_a).get(reverse("pupils:register-summary"))

    sen_support = next(t for t in response.context["counts"].by_status if t.key == "K")
    assert sen_support.count == 1
    content = response.content.decode()
    assert '<td class="num">fewer than 5</td>' in content
    assert '<td class="num">1</td>' not in content and '<td class="num">2</td>' not in content


def test_one_pupil_is_found_for_exactly_the_users_whose_list_holds_it(
    senco_a, head_a, dsl_a, teacher_a, teacher_b, ta_a, governor_a, senco_b, pupil_oak, pupil_ash, pupil_b, oak_grant
):
    """get_pupil_for_user answers the visibility rule for the one pupil it reads (from the request's roles where
    they settle it); it must agree with pupils_visible_to, the rule's list, for every user and pupil."""
    outsider = UserFactory(username="no_role")
    for user in (senco_a, head_a, dsl_a, teacher_a, teacher_b, ta_a, governor_a, senco_b, outsider):
        listed = set(access.pupils_visible_to(user).values_list("pk", flat=True))
        for pupil in (pupil_oak, pupil_ash, pupil_b):
            try:
                found = access.get_pupil_for_user(user, pupil.pk) == pupil
            except Http404:
                found = False
            assert found == (pupil.pk in listed), (user.username, pupil.school_class.name)
    # What that comes to here: the school's SENCO, head and DSL, the class's teacher and the grantee see 3 Oak's
    # pupil; the other class's teacher, a governor, another school's SENCO and a user with no role do not.
    assert access.get_pupil_for_user(ta_a, pupil_oak.pk) == pupil_oak
    assert access.get_pupil_for_user(teacher_b, pupil_ash.pk) == pupil_ash
