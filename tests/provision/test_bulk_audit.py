"""A grid of scores written in one statement keeps one CREATE audit row per score, naming who entered it, with
the same changes and school as a score saved on its own."""

from __future__ import annotations

from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from provision import services
from provision.models import ProgressScore


def test_a_grid_of_new_scores_is_audited_row_by_row(
    pupil_oak, pupil_ash, provision_points, provision_subjects, teacher_a
):
    point = provision_points[0]
    values = {
        (pupil.pk, subject.pk): Decimal(score)
        for pupil, score in ((pupil_oak, 31), (pupil_ash, 44))
        for subject in provision_subjects.values()
    }

    changes = services.scores_save(
        point=point, values=values, today=timezone.localdate(), actor=teacher_a, recompute=False
    )

    assert changes.created == len(values) == ProgressScore.objects.count()
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ProgressScore))
    assert entries.count() == len(values)
    assert {e.actor_id for e in entries} == {teacher_a.pk}
    assert {e.action for e in entries} == {LogEntry.Action.CREATE}
    score = ProgressScore.objects.get(pupil=pupil_oak, subject=next(iter(provision_subjects.values())))
    entry = entries.get(object_pk=str(score.pk))
    assert entry.changes_dict["score"][1].startswith("31")
    assert entry.additional_data == {"school_id": str(point.school_id), "pupil_id": str(pupil_oak.pk)}
