"""A trigram index for the pupil search (PostgreSQL only): "son" in any of the four names, or a UPN.

The pupil list's search is `icontains` on four names and `iexact` on the UPN, which Django writes as
`UPPER(column::text) LIKE UPPER('%son%')`; one GIN index over those five expressions lets PostgreSQL answer each
arm from the index and OR them (a bitmap), instead of reading every pupil in the trust. pg_trgm is a trusted
extension: the database's owner may create it. SQLite (the embedded default) has neither and needs neither.
"""

from django.db import migrations

COLUMNS = ("legal_forename", "legal_surname", "preferred_forename", "preferred_surname", "upn")
INDEX = "pupils_pupil_names_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    expressions = ", ".join(f"(UPPER({column}::text)) gin_trgm_ops" for column in COLUMNS)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON pupils_pupil USING gin ({expressions})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("pupils", "0012_one_phase_transfer_setting")]

    operations = [migrations.RunPython(create, drop)]
