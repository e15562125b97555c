"""The database connection as production uses it: in PostgreSQL, a statement a connection repeats is prepared."""

import pytest
from django.db import connection

from pupils.models import School


@pytest.mark.django_db
def test_a_statement_a_connection_runs_again_is_prepared_and_planned_once():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (the embedded SQLite database has no server to plan)")
    for _ in range(3):
        list(School.objects.filter(urn="999999"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())

    # Bound by the server ($1, not the value written into the text), prepared at its second use.
    school_lookup = [plans for statement, plans in prepared.items() if '"pupils_school"."urn" = $1' in statement]
    assert school_lookup == [2], prepared
