"""The pupil list's columns (UPN, date of birth, year and class), its search by UPN or date of birth, its sort
choices, and the EHC and deadline lists' counts."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from pupils import services
from send_mis import statements

pytestmark = pytest.mark.django_db


def _listed(client, **query) -> set:
    return {p.pk for p in client.get(reverse("pupils:pupil-list"), query).context["page"].object_list}


def test_the_list_shows_upn_date_of_birth_year_and_class(login, senco_a, pupil_oak):
    page = login(senco_a).get(reverse("pupils:pupil-list")).content.decode()
    assert pupil_oak.upn in page
    assert "3 Nov 2017" in page
    assert pupil_oak.school_class.name in page
    assert f'href="/pupils/{pupil_oak.pk}/"' in page  # the row's link, built from a prefix


@pytest.mark.parametrize("typed", ["03/11/2017", "3/11/17", "2017-11-03", "3 November 2017", "3 Nov 2017"])
def test_a_date_of_birth_finds_the_pupil_however_it_is_written(login, senco_a, pupil_oak, pupil_ash, typed):
    assert _listed(login(senco_a), q=typed) == {pupil_oak.pk}


def test_a_upn_finds_the_pupil(login, senco_a, pupil_oak, pupil_ash):
    client = login(senco_a)
    assert _listed(client, q=pupil_oak.upn) == {pupil_oak.pk}
    assert _listed(client, q=pupil_oak.upn.lower()) == {pupil_oak.pk}


def test_a_date_that_is_not_a_date_is_searched_as_words(login, senco_a, pupil_oak):
    assert _listed(login(senco_a), q="31/02/2017") == set()  # no such day, no such name: nothing, never a 500


def test_the_sort_choices_have_no_blank_and_name_is_the_default(login, senco_a, pupil_oak):
    page = login(senco_a).get(reverse("pupils:pupil-list")).content.decode()
    sort = page[page.index('name="sort"') : page.index("</select>", page.index('name="sort"'))]
    assert "---------" not in sort
    assert sort.index(">Name<") < sort.index(">Year group<") < sort.index(">Class<")
    assert ">Date of birth<" in sort


def test_sorting_by_class_or_date_of_birth(login, senco_a, pupil_oak, pupil_ash):
    client = login(senco_a)
    for sort in ("class", "-class", "dob", "-dob"):
        response = client.get(reverse("pupils:pupil-list"), {"sort": sort})
        assert response.status_code == 200
        assert {p.pk for p in response.context["page"].object_list} == {pupil_oak.pk, pupil_ash.pk}


def test_the_ehc_list_counts_its_plans_and_pages_them(login, senco_a):
    response = login(senco_a).get(reverse("ehc:index"))
    assert response.context["page"].paginator.count == 0
    assert "Active EHC plans (0)" in response.content.decode()
    assert login(senco_a).get(reverse("ehc:index"), {"page": "abc"}).status_code == 200


def test_the_deadline_list_says_how_many(login, senco_a):
    page = login(senco_a).get(reverse("deadlines:deadline-list"), {"state": "all"})
    assert page.status_code == 200
    count = page.context["page"].paginator.count
    if count:
        assert f"{count} deadline" in page.content.decode()


@override_settings(SEND_MIS_STATEMENT_CHECK=False)
def test_a_grant_given_and_revoked_shows_at_once_with_the_lists_statement_kept(
    login, senco_a, teacher_a, pupil_oak, pupil_ash
):
    """The list's statement is compiled once per process for its key (send_mis/statements.py), as in production;
    grants are read by the statement itself (a subquery on the user), so one given or revoked shows on the next
    request though the key is the same."""
    statements.forget()
    client = login(teacher_a)
    assert _listed(client) == {pupil_oak.pk}

    grant = services.pupil_access_grant(pupil=pupil_ash, user=teacher_a, reason="Covering 4 Ash", actor=senco_a)
    assert _listed(client) == {pupil_oak.pk, pupil_ash.pk}
    services.pupil_access_revoke(grant=grant, actor=senco_a)
    assert _listed(client) == {pupil_oak.pk}
