from django.db import migrations


def load_need_types(apps, schema_editor):
    from pupils.census import NEED_TYPES

    NeedType = apps.get_model("pupils", "NeedType")
    for ordering, (code, name, area, sen_support_only) in enumerate(NEED_TYPES):
        NeedType.objects.update_or_create(
            code=code,
            defaults={"name": name, "broad_area": area, "sen_support_only": sen_support_only, "ordering": ordering},
        )


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial")]
    operations = [migrations.RunPython(load_need_types, migrations.RunPython.noop)]
