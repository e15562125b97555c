"""The demo school's SEN information reports: last year's, approved and published, and this year's draft
carried over from it for the SENCO to edit (the governors' report needs no demo data of its own: it reads the
register history, EHC records and graduated approach the seed already builds)."""

from __future__ import annotations

from datetime import date, timedelta

from pupils.models import School
from reports import services
from reports.periods import current_term

SCHOOL_TEXT = {
    "kinds_of_sen": "We are a mainstream primary school with a nursery. We welcome pupils with a wide range of needs.",
    "identification": "Teachers talk to the SENCO about any pupil who is not making the progress we expect. We "
    "listen to parents' concerns and may ask for advice from specialists such as an educational psychologist.",
    "evaluating_effectiveness": "The SENCO checks the impact of every intervention each term and reports to the "
    "SEND governor.",
    "assessing_progress": "Pupils with SEN are assessed in reading, writing and maths three times a year.",
    "teaching_approach": "High-quality teaching, adapted for each pupil, is the first step for every child.",
    "adapting_curriculum": "We adapt resources, use visual timetables and offer quiet spaces in every classroom.",
    "additional_support": "Small-group and one-to-one interventions in reading, language, maths and social skills.",
    "inclusion_in_activities": "Every pupil takes part in trips, clubs and sports day, with adjustments planned "
    "with parents beforehand.",
    "emotional_social": "Our learning mentor runs nurture groups, and every class has a worry box and a trusted adult.",
    "senco": "The SENCO works Monday to Thursday and is happy to meet parents by appointment.",
    "staff_expertise": "All staff have training in autism awareness and speech and language support each year.",
    "equipment_facilities": "Specialist equipment is bought from our notional SEN budget or with the LA's support.",
    "consulting_parents": "Parents are invited to every review of their child's support plan.",
    "consulting_pupils": "Pupils share their views in their one-page profile and at every review.",
    "complaints": "Please speak first to the class teacher or SENCO; our complaints policy is on the website.",
    "other_bodies": "We work with the LA's inclusion team, the speech and language therapy service, CAMHS and the "
    "school nurse.",
    "parent_support_services": "Nottingham City's SEND information, advice and support service (SENDIASS) offers "
    "free, impartial advice to parents.",
    "transitions": "Pupils visit their new class or school several times before they move, with a transition book.",
    "local_offer": "Search for 'Nottingham City Local Offer' to find it.",
    "admission_disabled": "Disabled pupils are admitted on the same terms as every other pupil, following the "
    "LA's admissions arrangements.",
    "less_favourable_treatment": "We make reasonable adjustments so that disabled pupils are not treated less "
    "favourably, and check our policies for their effect on disabled pupils.",
    "access_facilities": "The school is on one level with ramps, an accessible toilet and a hygiene room.",
    "accessibility_plan": "Our accessibility plan covers the curriculum, the building and written information; "
    "it is on the school's website.",
}


def build_reports(*, school: School, users: dict, today: date) -> None:
    """Last year's report approved by the governor eleven months ago (so next year's publication is due within
    the month: a school-level deadline), and this year's draft saved by the SENCO."""
    this_year = current_term(today).academic_year
    last = services.information_report_save(
        school=school, academic_year=this_year - 1, texts=SCHOOL_TEXT, today=today, actor=users["senco"]
    )
    services.information_report_approve(version=last, today=today - timedelta(days=340), actor=users["governor"])
    services.information_report_save(
        school=school, academic_year=this_year, texts=SCHOOL_TEXT, today=today, actor=users["senco"]
    )
