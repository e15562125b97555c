"""Phase-transfer deadlines used to hang off a transition review; they now belong to the plan's PhaseTransfer
(opened by the daily sweep). Open ones left on reviews would never close: excuse them, keeping their dates."""

from django.db import migrations

REASON = "Replaced by the plan's phase-transfer deadline (reg 18), which the amended plan naming the next school meets."


def excuse_review_phase_transfers(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("deadlines", "Deadline")
    review_type = ContentType.objects.filter(app_label="ehc", model="annualreview").first()
    if review_type is None:
        return
    Deadline.objects.filter(source_type=review_type, kind="ehc.phase_transfer", status="open").update(
        status="excused", excused_reason=REASON
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ehc", "0004_review_invitees_and_report_content"),
        ("deadlines", "0002_calendarfeedtoken_digestsent_reminder"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(excuse_review_phase_transfers, migrations.RunPython.noop)]
