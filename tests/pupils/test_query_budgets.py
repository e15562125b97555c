"""Query budgets: the lists and the dashboard run the same queries for a school of 50 pupils and of 500.

Each test warms up once (so per-process caches such as ContentType's are filled), counts the queries at the
small size, adds pupils (15% of them on the register with an open SEN concern) and counts again. The counts
must be equal, and equal to the budget, whose queries are listed beside it. A new N+1 (a query per pupil, per
entry or per concern) breaks the equality; any other new query breaks the budget, and the listing is updated.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

SMALL, LARGE = 50, 500

# Every signed-in page starts with these four:
#   1. the session (django_session)
#   2. the user (auth_user)
#   3. the user's memberships (access.roles_of, once per request)
#   4. the current school (access.current_school, once per request)
SIGNED_IN = 4

# Pupil list as the SENCO: the page of 50 pupils, each with its open register entry's status and needs
# (one LEFT JOIN on the open entry), its class (a join), the visibility rule (the guardian grants as a
# subquery, not a query of their own) and the count of matching pupils (a window function on the same query).
#   5. the page of pupils, with class, register status and the count
#   6. the classes, for the "Class" filter         7. the need types, for the "Primary need" filter
# A "need" in the query string adds one: the filter looks the code up to validate it. A page after the first
# adds one: the COUNT is its own query there (send_mis/paging.py), as Django's Paginator does.
PUPIL_LIST = SIGNED_IN + 3
NEED_LOOKUP = 1
LATER_PAGE = 1

# Dashboard as the SENCO: register_counts is two queries, then one query each for recent changes and open
# concerns; the deadlines app's panels add three.
#   5. the need types
#   6. pupils on roll with their open entry, by year group, status and primary need (the register's counts,
#      the year groups shown and the total on roll, in one pass over the pupils)
#   7. the school's terms (closures, for deadline warnings)
#   8. the first ten overdue deadlines, with how many there are (a subquery)
#   9. the first ten deadlines due in 14 days, with how many there are
#  then the panels of work to start (overview.selectors.senco_panels), before the concerns and recent entries:
#  10. the first ten pupils on SEN support with no open support plan, with how many on SEN support have one
#      (a subquery; the panel's total is the register's count on SEN support less that)
#  11. the first ten open SEN support entries whose parents are not recorded as told (no settled parents-told
#      deadline), with pupil and class, from the school's index of its open SEN support entries; each with its
#      deadline's due date where the sweep has set one (a subquery per row shown), and how many of the school's
#      open SEN support entries have a settled parents-told deadline (a subquery: the panel's total is the
#      register's count on SEN support less that)
#  12. the school's terms (the due date of a duty the sweep has not opened yet)
#  13. the open support plans of those ten pupils (where to record it)
#  14. the current assessment point (none here: with one, two more: the subjects, and the classes owing scores
#      with pupils and scores counted per class in one query; tests/overview/test_landing_pages.py counts those)
#  15. the 20 oldest open concerns, with pupil, class and who raised them
#  16. the ten most recent register entries, with pupil and need, from the school's index of its entries
# The head's dashboard adds "Needs the head": the terms (closure warnings) and the escalated duties.
REGISTER_COUNTS = 2
DEADLINE_PANELS = 3
WORK_PANELS = 5
HEAD_PANEL = 2
DASHBOARD = SIGNED_IN + REGISTER_COUNTS + DEADLINE_PANELS + WORK_PANELS + 2

# My class as a teacher: the pupils of the classes they teach, with class and register status.
#   5. the pupils
MY_CLASS = SIGNED_IN + 1


def _count(client, url: str, query: dict | None = None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


def _assert_flat(small: tuple[int, list[str]], large: tuple[int, list[str]], budget: int) -> None:
    listing = "\n".join(f"{n}. {sql[:300]}" for n, sql in enumerate(large[1], 1))
    assert small[0] == large[0], f"{small[0]} queries for {SMALL} pupils, {large[0]} for {LARGE}:\n{listing}"
    assert large[0] == budget, f"budget {budget}, ran {large[0]}:\n{listing}"


PUPIL_LIST_QUERIES = [
    pytest.param({}, PUPIL_LIST, id="no_filters"),
    pytest.param({"status": "any", "sort": "-status"}, PUPIL_LIST, id="on_the_register_by_status"),
    pytest.param({"need": "SLCN", "area": "ci", "eal": "true"}, PUPIL_LIST + NEED_LOOKUP, id="need_area_and_eal"),
    pytest.param({"q": "Bulksurname", "year_group": "3", "sort": "year"}, PUPIL_LIST, id="search_and_year_group"),
    pytest.param(
        {"year_group": "abc", "need": "ZZZ", "sort": "bogus", "page": "999"},
        PUPIL_LIST + NEED_LOOKUP + LATER_PAGE,
        id="garbage_filters",
    ),
    pytest.param({"page": "2"}, PUPIL_LIST + LATER_PAGE, id="second_page"),
]


@pytest.mark.parametrize(("query", "budget"), PUPIL_LIST_QUERIES)
def test_the_pupil_list_runs_the_same_queries_for_50_and_500_pupils(
    login, senco_a, school_a, make_pupils, query, budget
):
    client = login(senco_a)
    url = reverse("pupils:pupil-list")
    make_pupils(SMALL, school_a)
    assert client.get(url, query).context["page"].object_list, "an empty page skips a query: choose other filters"

    small = _count(client, url, query)
    make_pupils(LARGE - SMALL, school_a)
    large = _count(client, url, query)

    _assert_flat(small, large, budget)


def test_the_pupil_list_shows_register_data_for_the_bulk_pupils(login, senco_a, school_a, make_pupils):
    """The budget above is for a page that really reads register data."""
    make_pupils(SMALL, school_a)

    page = login(senco_a).get(reverse("pupils:pupil-list"), {"status": "any"}).context["page"]

    assert page.paginator.count == sum(1 for i in range(SMALL) if i % 20 < 3)
    assert {p.register_status for p in page.object_list} == {"K", "E", "M"}


# The DSL lands on the safeguarding dashboard (its budget: tests/safeguarding/test_query_budgets.py).
@pytest.mark.parametrize("role", ["senco_a", "head_a"])
def test_the_dashboard_runs_the_same_queries_for_50_and_500_pupils(request, login, school_a, make_pupils, role):
    client = login(request.getfixturevalue(role))
    url = reverse("overview:dashboard")
    make_pupils(SMALL, school_a)
    client.get(url)

    small = _count(client, url)
    make_pupils(LARGE - SMALL, school_a)
    large = _count(client, url)

    _assert_flat(small, large, DASHBOARD + (HEAD_PANEL if role == "head_a" else 0))
    response = client.get(url)
    assert response.context["counts"].total_on_roll == LARGE
    assert len(response.context["concerns"]) == 20
    assert len(response.context["recent"]) == 10


def test_my_class_runs_the_same_queries_for_a_small_and_a_large_class(login, teacher_a, class_oak, make_pupils):
    client = login(teacher_a)
    url = reverse("pupils:my-class")
    make_pupils(5, class_oak.school, class_oak)
    client.get(url)

    small = _count(client, url)
    make_pupils(35, class_oak.school, class_oak)
    large = _count(client, url)

    assert small[0] == large[0], "\n".join(large[1])
    assert large[0] == MY_CLASS, "\n".join(large[1])
    assert len(client.get(url).context["pupils"]) == 40


def test_the_concern_queue_runs_the_same_queries_for_50_and_500_pupils(login, senco_a, school_a, make_pupils):
    # 5. COUNT of open concerns (paginator)   6. the page of concerns, with pupil, class and who raised them
    client = login(senco_a)
    url = reverse("pupils:concern-queue")
    make_pupils(SMALL, school_a)
    client.get(url)

    small = _count(client, url)
    make_pupils(LARGE - SMALL, school_a)
    large = _count(client, url)

    _assert_flat(small, large, SIGNED_IN + 2)


def test_the_register_summary_runs_the_same_queries_for_50_and_500_pupils(login, governor_a, school_a, make_pupils):
    # 5 and 6: the two register_counts queries, as on the dashboard (5 and 6).
    client = login(governor_a)
    url = reverse("pupils:register-summary")
    make_pupils(SMALL, school_a)
    client.get(url)

    small = _count(client, url)
    make_pupils(LARGE - SMALL, school_a)
    large = _count(client, url)

    _assert_flat(small, large, SIGNED_IN + REGISTER_COUNTS)


def test_the_register_summary_never_reads_a_pupils_name(login, governor_a, school_a, make_pupils):
    """Governors see aggregates only: the page's queries count and group, and select no names at all."""
    make_pupils(SMALL, school_a)

    _count_unused, queries = _count(login(governor_a), reverse("pupils:register-summary"))

    pupil_queries = [sql for sql in queries if "pupils_pupil" in sql]
    assert pupil_queries
    for sql in pupil_queries:
        assert "legal_surname" not in sql and "legal_forename" not in sql, sql


def test_the_pupil_search_reads_the_trigram_index_not_every_pupil(school_a, make_pupils):
    """The search's five arms (four names, the UPN) each answered from pupils_pupil_names_trgm on PostgreSQL
    (the embedded SQLite has no such index, and reads its few hundred pupils)."""
    from pupils.filters import PupilFilter
    from pupils.models import Pupil

    pupils = make_pupils(SMALL, school_a)
    search = PupilFilter({"q": pupils[7].legal_surname}, queryset=Pupil.objects.all(), school=school_a).qs
    assert list(search) == [pupils[7]]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole anyway
        plan = search.explain()
    assert "pupils_pupil_names_trgm" in plan, plan
    assert plan.count("Index Cond") >= 5, plan
