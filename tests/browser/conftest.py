"""The demo school the browser tests sign in to, seeded once per test and committed (the live server reads it)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def demo_school(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    if connection.vendor == "postgresql":
        # The live server's queries planned on the demo's real row counts, as autovacuum would have them in
        # production (it is off on the test machines): without this the planner works from whatever counts an
        # earlier test left behind, and a nested query over the demo's 420 pupils can run for minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
