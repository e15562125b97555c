"""Reads of the provision map: the catalogue, the whole-school map with its costs and totals, the element-2
meter, the impact and cost table, the class view, a pupil's history and the groups' timetable.

Each page's reads are a fixed number of aggregate queries, whatever the number of pupils and sessions: costs
are summed in the database (a pupil's share of a session is its cost / pupils present), then rounded once to
the penny by provision.costs.
"""

from .common import (
    Period,
    catalogue,
    element2_near_share,
    element2_threshold,
    rates_of,
    sen_budget,
    staff_rates,
)
from .groups import class_view, group_detail, pupil_history, timetable, week_of
from .impact_and_cost import BY_CHOICES, ImpactRow, best_and_worst, impact_table
from .spend import ProvisionSpend, SpendCell, provision_spend
from .whole_school import (
    BudgetView,
    MapRow,
    MapTotals,
    PupilCost,
    SchoolMap,
    budget_view,
    map_places,
    map_rows,
    map_totals,
    pupil_costs,
    school_map,
)

__all__ = [
    "BY_CHOICES",
    "BudgetView",
    "ImpactRow",
    "MapRow",
    "MapTotals",
    "Period",
    "ProvisionSpend",
    "PupilCost",
    "SchoolMap",
    "SpendCell",
    "best_and_worst",
    "budget_view",
    "catalogue",
    "class_view",
    "element2_near_share",
    "element2_threshold",
    "group_detail",
    "impact_table",
    "map_places",
    "map_rows",
    "map_totals",
    "provision_spend",
    "pupil_costs",
    "pupil_history",
    "rates_of",
    "school_map",
    "sen_budget",
    "staff_rates",
    "timetable",
    "week_of",
]
