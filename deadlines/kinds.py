"""Typed deadline kinds and specs: what an area hands deadlines.services to open, re-date or close a duty.

A kind names one duty (its stored key, the title staff see, the rule text shown next to the due date, and
whose duty it is); a spec is one computed due date for that kind, produced from the pure statutory functions
by the area that records the starting event. No ORM here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Party(models.TextChoices):
    SCHOOL = "school", "School"  # ours: drives reminders and escalation
    LA = "la", "LA"  # theirs: to chase, and to report on the LA's timeliness


@dataclass(frozen=True)
class DeadlineKind:
    """One duty. `key` is stored on the row (dotted: "ehc.advice"); `title` says what is due, never whose."""

    key: str
    title: str
    rule: str = ""
    party: str = Party.SCHOOL


@dataclass(frozen=True)
class DeadlineSpec:
    """One due date for a kind, computed by a pure rule from the event that starts it."""

    kind: DeadlineKind
    due_on: date
    responsible: User | None = None
    rule_suffix: str = ""

    @property
    def rule(self) -> str:
        return self.kind.rule + self.rule_suffix
