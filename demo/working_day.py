"""The demo's working day: what each role's landing page has to show beyond the rest of the demo."""

from datetime import date

from pupils import services as pupil_services
from pupils.models import ConcernStatus, Pupil, School


def build(*, school: School, users: dict, today: date) -> None:
    """A concern the class teacher of 3 Oak raised has been decided by the SENCO (closed, with the reason), so the
    teacher's "Today" shows its outcome beside the concerns still waiting."""
    teacher, senco = users["teacher"], users["senco"]
    pupil = (
        Pupil.objects.filter(school=school, school_class__name="3 Oak", register_entries__isnull=True)
        .exclude(sen_concerns__isnull=False)
        .order_by("legal_surname", "legal_forename")
        .first()
    )
    if pupil is None:
        return
    concern = pupil_services.concern_raise(
        pupil=pupil,
        description="Rushes written work and leaves it unfinished; seems to lose focus after ten minutes.",
        actions_taken="Sat nearer the front; work broken into two parts with a check-in between.",
        actor=teacher,
    )
    pupil_services.concern_triage(
        concern=concern,
        outcome=ConcernStatus.CLOSED,
        reason="Progress is in line with peers since the changes; keep the check-ins and raise it again if it slips.",
        actor=senco,
    )
