"""Reads for the census check: the register as the DfE school census would count it on a census day.

The census records SEN provision as E (EHC plan), K (SEN support) or N (no special educational need): the
school's own 'monitoring' status is N to the census. Needs are ranked: the primary need is rank 1, the
secondary rank 2. The checklist finds the records the census validation would reject or query, so the SENCO
can put them right first; it names pupils, so only the SENCO and the head see it (reports.access).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from ehc.models import EhcPlan
from pupils.models import NeedType, Pupil, RegisterEntry, RegisterStatus, School

from .selectors import Row, Table, on_register_q, on_roll_q


@dataclass
class Check:
    title: str
    rule: str
    pupils: list[Pupil] = field(default_factory=list)


@dataclass
class CensusFigures:
    day: date
    provision: Table
    needs: Table
    checks: list[Check]

    @property
    def problems(self) -> int:
        return sum(len(check.pupils) for check in self.checks)


def census_figures(school: School, *, day: date) -> CensusFigures:
    """E, K and N counts and ranked needs for pupils on roll on the census day, and the checklist of records
    the census would reject. Six queries, whatever the size of the school."""
    on_roll = Pupil.objects.filter(on_roll_q(day), school=school)
    entries = RegisterEntry.objects.filter(on_register_q(day), on_roll_q(day, "pupil__"), pupil__school=school)
    reported = entries.filter(status__in=(RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN))
    by_status = dict(reported.values_list("status").annotate(n=Count("pk")))
    roll = on_roll.count()
    e, k = by_status.get(RegisterStatus.EHC_PLAN, 0), by_status.get(RegisterStatus.SEN_SUPPORT, 0)
    provision = Table(
        "census-provision",
        f"SEN provision as the census counts it, {day.day} {day:%B %Y}",
        ["SEN provision", "Pupils"],
        [
            Row("E: EHC plan", [str(e)]),
            Row("K: SEN support", [str(k)]),
            Row("N: no special educational need (including 'monitoring')", [str(roll - e - k)]),
        ],
        Row("Pupils on roll (E + K + N)", [str(roll)]),
    )
    primary = dict(reported.values_list("primary_need_id").annotate(n=Count("pk")))
    secondary = dict(
        reported.filter(secondary_need__isnull=False).values_list("secondary_need_id").annotate(n=Count("pk"))
    )
    needs = sorted(NeedType.objects.all(), key=lambda n: (-primary.get(n.code, 0), n.ordering))
    need_table = Table(
        "census-needs",
        "Type of need, ranked (pupils on SEN support or with an EHC plan)",
        ["Type of need", "Code", "Rank 1 (primary)", "Rank 2 (secondary)"],
        [Row(n.name, [n.code, str(primary.get(n.code, 0)), str(secondary.get(n.code, 0))]) for n in needs],
    )
    active_plan = EhcPlan.objects.filter(pupil=OuterRef("pk"), issued_on__lte=day).filter(
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=day)
    )
    open_entry = RegisterEntry.objects.filter(on_register_q(day), pupil=OuterRef("pk"))
    pupils = on_roll.select_related("school_class").order_by("legal_surname", "legal_forename")
    checks = [
        Check(
            "SEN support with no type of need",
            "A pupil recorded as K must have a primary type of need.",
            list(pupils.filter(Exists(open_entry.filter(status=RegisterStatus.SEN_SUPPORT, primary_need=None)))),
        ),
        Check(
            "EHC plan recorded with need NSA",
            "NSA (no specialist assessment) is valid only with SEN support, never with an EHC plan.",
            list(
                pupils.filter(
                    Exists(
                        open_entry.filter(status=RegisterStatus.EHC_PLAN).filter(
                            Q(primary_need="NSA") | Q(secondary_need="NSA")
                        )
                    )
                )
            ),
        ),
        Check(
            "EHC plan issued, register not showing E",
            "A pupil whose EHC plan has been issued is recorded as E, not K or N.",
            list(pupils.filter(Exists(active_plan)).exclude(Exists(open_entry.filter(status=RegisterStatus.EHC_PLAN)))),
        ),
        Check(
            "Register shows E, no EHC plan recorded",
            "A pupil recorded as E needs an EHC plan in force on the census day.",
            list(pupils.filter(Exists(open_entry.filter(status=RegisterStatus.EHC_PLAN))).exclude(Exists(active_plan))),
        ),
    ]
    return CensusFigures(day, provision, need_table, checks)
