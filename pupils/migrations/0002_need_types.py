from django.db import migrations


def load_need_types(apps, schema_editor):
    from pupils.census import load_need_types

    load_need_types(apps.get_model("pupils", "NeedType"))


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial")]
    operations = [migrations.RunPython(load_need_types, migrations.RunPython.noop)]
