"""What the layers above the EHC area may supply at start-up (their AppConfig.ready), so EHC pages can offer a
page that composes EHC records with other areas' data without this area importing them.

* ``review_report_url_name``: the URL name (taking the review's id) of the annual review report the review
  workspace links to. The EHC area's own report by default; the top layer points it at its composed report
  (the same report with EHC section F against the provision delivered).
"""

from __future__ import annotations

from dataclasses import dataclass, field

review_report_url_name = "ehc:review-report"


@dataclass(frozen=True)
class ReportSection:
    """A section a composing view adds to the annual review report: a template included where the report's
    sections are, with its own context (`section` in the template)."""

    template: str
    context: dict = field(default_factory=dict)
