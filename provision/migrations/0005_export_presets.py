from django.db import migrations


def seed(apps, schema_editor):
    from provision.export_columns import STARTING_PRESETS

    ExportPreset = apps.get_model("provision", "ExportPreset")
    for ordering, (name, columns) in enumerate(STARTING_PRESETS):
        ExportPreset.objects.get_or_create(name=name, defaults={"columns": columns, "ordering": ordering})


class Migration(migrations.Migration):
    dependencies = [("provision", "0004_provision_map")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
