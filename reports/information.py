"""The SEN information report's sections, in the order of the law (pure data: no Django).

SEND Regulations 2014, regulation 51 and Schedule 1: the information a governing body must publish on its
website about its policy for pupils with SEN, updated every year (and as soon as possible after a change).
Children and Families Act 2014 s.69(3): the same report also covers the arrangements for disabled pupils set
out in s.69(3)(a) to (d). Titles paraphrase the provisions; `reference` cites each one.

`drafted` names the sections send-mis drafts from the school's records (reports.selectors.information_facts);
the others are the school's own words, carried over from the previous version for editing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSection:
    key: str
    reference: str
    title: str
    prompt: str
    drafted: bool = False


SECTIONS: tuple[ReportSection, ...] = (
    ReportSection(
        "kinds_of_sen",
        "Schedule 1, paragraph 1",
        "The kinds of special educational needs we provide for",
        "Describe the needs the school provides for, in each of the four broad areas of need.",
        drafted=True,
    ),
    ReportSection(
        "identification",
        "Schedule 1, paragraph 2",
        "How we identify and assess pupils with SEN",
        "How staff notice less than expected progress, raise a concern, and how the SENCO assesses need.",
        drafted=True,
    ),
    ReportSection(
        "evaluating_effectiveness",
        "Schedule 1, paragraph 3(a)",
        "How we evaluate the effectiveness of our provision",
        "How the school judges whether support works: reviews, progress measures, governors' oversight.",
        drafted=True,
    ),
    ReportSection(
        "assessing_progress",
        "Schedule 1, paragraph 3(b)",
        "How we assess and review the progress of pupils with SEN",
        "Assess, plan, do, review; how often progress is assessed; annual reviews of EHC plans.",
        drafted=True,
    ),
    ReportSection(
        "teaching_approach",
        "Schedule 1, paragraph 3(c)",
        "Our approach to teaching pupils with SEN",
        "High-quality teaching adapted for individuals, and what happens beyond it.",
    ),
    ReportSection(
        "adapting_curriculum",
        "Schedule 1, paragraph 3(d)",
        "How we adapt the curriculum and the learning environment",
        "Adaptations to lessons, resources, classrooms and the wider environment.",
    ),
    ReportSection(
        "additional_support",
        "Schedule 1, paragraph 3(e)",
        "Additional support for learning",
        "Interventions and support available beyond the classroom, and how they are allocated.",
        drafted=True,
    ),
    ReportSection(
        "inclusion_in_activities",
        "Schedule 1, paragraph 3(f)",
        "Taking part in all the school's activities",
        "How pupils with SEN join in clubs, trips, physical activities and events with other pupils.",
    ),
    ReportSection(
        "emotional_social",
        "Schedule 1, paragraph 3(g)",
        "Support for emotional and social development",
        "Pastoral support, measures against bullying, and help with emotional and social development.",
    ),
    ReportSection(
        "senco",
        "Schedule 1, paragraph 4",
        "Our SENCO and how to contact them",
        "The SENCO's name and contact details.",
        drafted=True,
    ),
    ReportSection(
        "staff_expertise",
        "Schedule 1, paragraph 5",
        "Staff expertise and training, and specialist help",
        "Training staff have had, and how specialist expertise is secured.",
    ),
    ReportSection(
        "equipment_facilities",
        "Schedule 1, paragraph 6",
        "Equipment and facilities",
        "How equipment and facilities to support pupils with SEN are secured.",
    ),
    ReportSection(
        "consulting_parents",
        "Schedule 1, paragraph 7",
        "Consulting and involving parents",
        "How parents are consulted about and involved in their child's education.",
        drafted=True,
    ),
    ReportSection(
        "consulting_pupils",
        "Schedule 1, paragraph 8",
        "Consulting and involving pupils",
        "How pupils are consulted about and involved in their education.",
    ),
    ReportSection(
        "complaints",
        "Schedule 1, paragraph 9",
        "Complaints about SEN provision",
        "How parents can complain about the provision made for their child.",
    ),
    ReportSection(
        "other_bodies",
        "Schedule 1, paragraph 10",
        "Working with other bodies",
        "How the governing body involves health, social care, LA support services and voluntary organisations.",
    ),
    ReportSection(
        "parent_support_services",
        "Schedule 1, paragraph 11",
        "Support services for parents",
        "Contact details of support services for parents, including the SEND information, advice and support service.",
    ),
    ReportSection(
        "transitions",
        "Schedule 1, paragraph 12",
        "Moving between phases and preparing for adulthood",
        "How pupils are supported when they join, change class or phase, leave, and prepare for adult life.",
    ),
    ReportSection(
        "local_offer",
        "Schedule 1, paragraph 13",
        "Where the local authority's Local Offer is published",
        "The address of the LA's Local Offer.",
        drafted=True,
    ),
    ReportSection(
        "admission_disabled",
        "Children and Families Act 2014, s.69(3)(a)",
        "Admitting disabled pupils",
        "The arrangements for the admission of disabled pupils.",
    ),
    ReportSection(
        "less_favourable_treatment",
        "Children and Families Act 2014, s.69(3)(b)",
        "Preventing less favourable treatment of disabled pupils",
        "The steps taken to prevent disabled pupils from being treated less favourably than other pupils.",
    ),
    ReportSection(
        "access_facilities",
        "Children and Families Act 2014, s.69(3)(c)",
        "Facilities to help disabled pupils get into and around the school",
        "The facilities provided to help disabled pupils to access the school.",
    ),
    ReportSection(
        "accessibility_plan",
        "Children and Families Act 2014, s.69(3)(d)",
        "Our accessibility plan",
        "The accessibility plan (Equality Act 2010, Schedule 10, paragraph 3): what it covers and where to read it.",
    ),
)

SECTION_KEYS = tuple(section.key for section in SECTIONS)
