"""EHC access beyond the matrix (tests/test_access_matrix.py holds every URL x role, DESIGN.md s.2).

SENCO views and changes; head and DSL view; a teacher reads only their own pupil's plan summary (403 on
everything else EHC about that pupil, 404 on other classes' pupils); governors see nothing EHC (404 on a
pupil's pages, 403 on school-wide ones); another school's staff get 404. A URL added to ehc/urls.py without
a row here fails the suite.
"""

from __future__ import annotations

from django.urls import reverse

# --- What the matrix cannot show -------------------------------------------------------------------------


def test_teacher_summary_shows_needs_outcomes_and_provision_only(ehc_plan, login, teacher_a, pupil_oak):
    page = login(teacher_a).get(reverse("ehc:plan-summary", args=[pupil_oak.pk])).content.decode()
    for letter in ("B", "E", "F"):
        assert f"Section {letter} text" in page or letter == "E"
    assert "Reads a short text aloud" in page
    for letter in ("A", "C", "D", "G", "H1", "H2", "I", "J", "K"):
        assert f"Section {letter} text" not in page
    assert "I have read the plan summary" in page


def test_teacher_confirms_reading_the_summary(ehc_plan, login, teacher_a, pupil_oak):
    client = login(teacher_a)
    response = client.post(reverse("ehc:plan-confirm-read", args=[pupil_oak.pk]), follow=True)
    assert "You confirmed you had read this summary" in response.content.decode()
    assert ehc_plan.versions.get().read_confirmations.get(teacher=teacher_a).confirmed_at is not None


def test_pupil_profile_links_to_the_ehc_record_for_viewers_and_the_summary_for_the_teacher(
    ehc_plan, login, senco_a, teacher_a, pupil_oak
):
    profile = reverse("overview:pupil", args=[pupil_oak.pk])
    senco_page = login(senco_a).get(profile).content.decode()
    teacher_page = login(teacher_a).get(profile).content.decode()
    overview = f'href="{reverse("ehc:overview", args=[pupil_oak.pk])}"'
    assert overview in senco_page
    assert f'href="{reverse("ehc:plan-summary", args=[pupil_oak.pk])}"' in teacher_page
    assert overview not in teacher_page


def test_nav_shows_ehc_to_the_senco_and_not_to_the_governor_or_teacher(login, senco_a, governor_a, teacher_a):
    link = f'href="{reverse("ehc:index")}"'
    assert link in login(senco_a).get(reverse("pupils:my-class")).content.decode()
    assert link not in login(teacher_a).get(reverse("pupils:my-class")).content.decode()
    assert link not in login(governor_a).get(reverse("pupils:register-summary")).content.decode()


def test_school_b_senco_sees_none_of_school_as_ehc_records_in_their_lists(
    ehc_plan, ehc_assessment, login, senco_b, pupil_oak
):
    for name in ("ehc:index", "ehc:la-timeliness"):
        assert pupil_oak.legal_surname not in login(senco_b).get(reverse(name)).content.decode()
    assert login(senco_b).get(reverse("ehc:la-timeliness")).context["rows"] == []
