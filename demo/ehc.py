"""The demo's EHC work, built after the school (see demo.school.SchoolBuilder for what it leaves)."""

import random
from datetime import date, time, timedelta

from demo.words import HOPES, LIKES, NEED_WORDS
from ehc import services as ehc
from ehc.models import InviteeRole, Recommendation
from ehc.statutory import add_months
from pupils.models import Pupil, YearGroup

# Annual reviews meet after school in the meeting room: the invitation letters give both.
MEETING_TIME = time(15, 30)
MEETING_PLACE = "the Willow meeting room"


class EhcBuilder:
    """The EHC work a SENCO has on the go: plans with annual reviews at every stage, an assessment, a draft
    plan and a disagreement, written through the EHC services with the SENCO as the actor."""

    today: date
    rng: random.Random

    def _ehc_issue_dates(self, n: int) -> list[date]:
        """The issue day of each EHC plan, chosen so the annual reviews tell the story the demo needs:
        0 overdue; 1 and 2 due in 5 and 4 weeks; 3 due in 9 days and already held; the rest upcoming (4 to 7
        issued 4 to 10 months ago; 8 and 9 issued 16 and 20 months ago with their first review held)."""
        today = self.today

        def year_before(day: date) -> date:
            # The issue day whose annual review is due on `day`: the 12 months starting with the issue day
            # end the day before its anniversary (CFA s.44(1)).
            return add_months(day + timedelta(days=1), -12)

        issued = [
            year_before(today) - timedelta(days=26),
            year_before(today + timedelta(days=35)),
            year_before(today + timedelta(days=28)),
            year_before(today + timedelta(days=9)),
            add_months(today, -4) - timedelta(days=6),
            add_months(today, -6) - timedelta(days=13),
            add_months(today, -8) + timedelta(days=3),
            add_months(today, -10) - timedelta(days=8),
            add_months(today, -16) - timedelta(days=11),
            add_months(today, -20) + timedelta(days=5),
        ]
        return (issued * (n // len(issued) + 1))[:n]

    def _sections(self, pupil: Pupil, code: str) -> dict[str, str]:
        rng = self.rng
        name = pupil.preferred_forename or pupil.legal_forename
        b, outcomes, f, _area, _short = NEED_WORDS.get(code, NEED_WORDS["MLD"])
        ks = 1 if pupil.year_group <= YearGroup.YEAR_2 else 2
        fill = {"name": name, "ks": ks, "year": max(pupil.year_group, 1)}
        return {
            "section_a": (
                f"{name} likes {rng.choice(LIKES)} and {rng.choice(HOPES)}. {name}'s family say they are kind "
                f"and funny, and want them to be happy and confident at school and to learn to read well."
            ),
            "section_b": b.format(**fill),
            "section_c": "No diagnosed health needs related to their SEN. Seen by the school nurse each year.",
            "section_d": "No social care needs related to their SEN or disability at the time of the plan.",
            "section_e": "\n".join(o.format(**fill) for o in outcomes),
            "section_f": f,
            "section_g": "Speech and language therapy and community paediatrics advice as set out in appendix K.",
            "section_h1": "None.",
            "section_h2": "Short breaks: a Saturday play scheme once a month during term time.",
            "section_i": "Claremont Primary and Nursery School (mainstream primary school, Nottingham City).",
            "section_j": "No personal budget has been requested.",
            "section_k": (
                "K1 Parent and child views. K2 School advice (SENCO). K3 Educational psychology advice. "
                "K4 Health advice (community paediatrician). K5 Social care advice."
            ),
        }

    def _build_ehc(self) -> None:

        today, senco = self.today, self.users["senco"]
        school = self.school
        self.plans = []
        for pupil, issued_on in zip(self.ehc_pupils, self.ehc_issued, strict=False):
            plan = ehc.plan_issue(
                pupil=pupil,
                la_name="Nottingham City",
                issued_on=issued_on,
                names_school=True,
                named_school=school.name,
                sections=self._sections(pupil, self.primary[pupil.pk]),
                today=self.today,
                actor=senco,
            )
            self.plans.append(plan)

        def invite(review, sent_on=None):
            # reg 20(2): the parents, the head, the LA SEN officer and health (social care: demo/law.py records
            # why it does not apply), and the educational psychologist
            # Names as the letters greet them ("Dear Jo Hardy"); the role goes under the name. The parents with
            # parental responsibility are invited when the review is scheduled; else the pupil's first contact.
            if not review.invitees.filter(role=InviteeRole.PARENT).exists():
                contact = review.plan.pupil.contacts.order_by("priority").first()
                ehc.review_invitee_add(
                    review=review,
                    role=InviteeRole.PARENT,
                    name=contact.name if contact else "Parents",
                    title=contact.relationship if contact else "",
                    invited_on=sent_on,
                    today=self.today,
                    actor=senco,
                )
            for role, name, title in (
                (InviteeRole.HEAD, "David Marsh", "Headteacher"),
                (InviteeRole.HEALTH, "Priya Nair", "School nurse, community health"),
            ):
                ehc.review_invitee_add(
                    review=review, role=role, name=name, title=title, invited_on=sent_on, today=self.today, actor=senco
                )
            ehc.review_invitee_add(
                review=review,
                role=InviteeRole.LA_SEN_OFFICER,
                name="Jo Hardy",
                title="SEN caseworker",
                email="sen.caseworker@nottinghamcity.example",
                invited_on=sent_on,
                today=self.today,
                actor=senco,
            )
            ehc.review_invitee_add(
                review=review,
                role=InviteeRole.OTHER,
                name="Dr Amir Shah",
                title="Educational psychologist",
                email="ep@nottinghamcity.example",
                invited_on=sent_on,
                today=self.today,
                actor=senco,
            )
            if sent_on:
                ehc.review_invitations_send(review=review, sent_on=sent_on, today=self.today, actor=senco)

        def held_review(plan, held_on, *, complete: bool):
            review = ehc.review_schedule(
                plan=plan, meeting_on=held_on, meeting_time=MEETING_TIME, meeting_place=MEETING_PLACE, actor=senco
            )
            invite(review, sent_on=held_on - timedelta(days=21))
            advice = ehc.review_advice_request(
                review=review,
                source="Educational psychologist",
                requested_on=held_on - timedelta(days=42),
                today=self.today,
                actor=senco,
            )
            ehc.review_advice_receive(
                advice=advice, received_on=held_on - timedelta(days=20), today=self.today, actor=senco
            )
            ehc.review_circulate(
                review=review, circulated_on=held_on - timedelta(days=16), today=self.today, actor=senco
            )
            ehc.review_hold(review=review, held_on=held_on, today=self.today, actor=senco)
            rows = review.outcome_progress.all()
            ehc.review_outcome_record(
                review=review,
                progress={
                    row.position: "Good progress: achieved with some adult support."
                    if row.position % 2
                    else "Partly achieved; keep this outcome for next year."
                    for row in rows
                },
                recommendation=Recommendation.MAINTAIN,
                pupil_views="I like my group with Miss and I want to keep my calm card.",
                parent_views="We are pleased with how settled they are. We would like more help with reading at home.",
                has_advocate=False,
                advocate_name="",
                actor=senco,
            )
            if complete:
                ehc.review_report_send(
                    review=review, sent_on=held_on + timedelta(days=9), today=self.today, actor=senco
                )
                ehc.review_la_decision_record(
                    review=review,
                    decision=Recommendation.MAINTAIN,
                    decided_on=held_on + timedelta(days=24),
                    today=self.today,
                    actor=senco,
                )
            return review

        plans = self.plans
        # 1: meeting in 4 weeks, invitations sent, advice requested (circulation due in 2 weeks)
        if len(plans) > 1:
            review = ehc.review_schedule(
                plan=plans[1],
                meeting_on=today + timedelta(days=28),
                meeting_time=MEETING_TIME,
                meeting_place=MEETING_PLACE,
                actor=senco,
            )
            invite(review, sent_on=today - timedelta(days=2))
            ehc.review_advice_request(
                review=review,
                source="Educational psychologist",
                requested_on=today - timedelta(days=9),
                today=self.today,
                actor=senco,
            )
            ehc.review_advice_request(
                review=review, source="Parents", requested_on=today - timedelta(days=2), today=self.today, actor=senco
            )
        # 2: meeting in 3 weeks, invitees added but invitations not sent (due in a week)
        if len(plans) > 2:
            review = ehc.review_schedule(
                plan=plans[2],
                meeting_on=today + timedelta(days=21),
                meeting_time=MEETING_TIME,
                meeting_place=MEETING_PLACE,
                actor=senco,
            )
            invite(review)
        # 3: held 6 days ago; the report is due in 8 days
        if len(plans) > 3:
            held_review(plans[3], today - timedelta(days=6), complete=False)
        # 8, 9: first annual review held and finished, next one upcoming
        for index in (8, 9):
            if len(plans) > index:
                held_review(plans[index], add_months(plans[index].issued_on, 12) - timedelta(days=12), complete=True)
        # a disagreement about provision, with mediation booked
        if len(plans) > 5:
            disagreement = ehc.disagreement_record(
                pupil=plans[5].pupil,
                raised_on=today - timedelta(days=19),
                summary="Parents disagree with the hours of teaching assistant support in section F and want "
                "one-to-one support at lunchtimes.",
                la_contacted_on=today - timedelta(days=18),
                today=self.today,
                actor=senco,
            )
            ehc.disagreement_update(
                disagreement=disagreement,
                la_contacted_on=today - timedelta(days=18),
                mediation_on=today + timedelta(days=12),
                tribunal_on=None,
                outcome="",
                resolved_on=None,
                today=self.today,
                actor=senco,
            )

        # An EHC needs assessment in progress: requested 5 weeks ago, the LA asked for advice 4 weeks ago.
        k_pupils = self.k_pupils
        if k_pupils:
            pupil = k_pupils[0]
            assessment = ehc.assessment_request(
                pupil=pupil,
                requested_by="school",
                requested_on=today - timedelta(days=35),
                today=self.today,
                actor=senco,
            )
            ehc.assessment_decision_record(
                assessment=assessment,
                decision="assess",
                decided_on=today - timedelta(days=29),
                today=self.today,
                actor=senco,
            )
            ehc.advice_request_receive(
                assessment=assessment, received_on=today - timedelta(days=29), today=self.today, actor=senco
            )
            ehc.advice_save(
                assessment=assessment,
                actor=senco,
                advice="Draft: reading age about two years below chronological age despite two cycles of SEN "
                "support; needs adult help to start and stay on task; see support plan reviews.",
            )
        # A draft plan received 10 days ago: the school's views are due in 4 days.
        if len(k_pupils) > 1:
            pupil = k_pupils[1]
            assessment = ehc.assessment_request(
                pupil=pupil,
                requested_by="parent",
                requested_on=today - timedelta(days=100),
                today=self.today,
                actor=senco,
            )
            ehc.assessment_decision_record(
                assessment=assessment,
                decision="assess",
                decided_on=today - timedelta(days=60),
                today=self.today,
                actor=senco,
            )
            ehc.advice_request_receive(
                assessment=assessment, received_on=today - timedelta(days=58), today=self.today, actor=senco
            )
            ehc.advice_submit(
                assessment=assessment,
                submitted_on=today - timedelta(days=30),
                today=self.today,
                actor=senco,
                advice="Attainment well below age-related expectations in reading, writing and maths; "
                "language and attention needs; impact of two years of SEN support attached.",
            )
            ehc.draft_receive(
                pupil=pupil,
                received_on=today - timedelta(days=10),
                assessment=assessment,
                today=self.today,
                actor=senco,
            )
