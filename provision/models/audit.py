"""What the audit log keeps beside each change to a pupil's graduated-approach records."""

from __future__ import annotations

from pupils.models import Pupil


def _pupil_data(pupil: Pupil) -> dict:
    return {"school_id": str(pupil.school_id), "pupil_id": str(pupil.pk)}
