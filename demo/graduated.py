"""The demo's graduated approach, built after the school and the EHC work."""

import random
from datetime import date, timedelta
from decimal import Decimal

from demo.school import SEED
from demo.words import ADJUSTMENTS, EXPECTED_IMPACT, LIKES, NEED_WORDS, SUPPORT_PLAN_OUTCOMES, SUPPORT_PLAN_SUPPORT
from provision import selectors as provision_selectors
from provision import services as provision
from provision import terms as term_rules
from pupils.models import Term, YearGroup
from send_mis.dates import academic_year_start


class GraduatedBuilder:
    """The graduated approach: progress scores and flags, support plans, parent meetings and passports,
    written through the provision services with the SENCO as the actor."""

    today: date
    rng: random.Random

    def _build_provision(self) -> dict:

        today, senco, school = self.today, self.users["senco"], self.school
        year = academic_year_start(today).year
        points = []
        for academic_year in (year - 1, year):
            points += provision.school_defaults_ensure(school=school, academic_year=academic_year, actor=senco)
        subjects = list(provision_selectors.subjects_for(school))
        points = sorted((p for p in points if p.assessed_on <= today), key=lambda p: p.assessed_on)[-3:]

        # Standardised scores: mean 100, sd about 12. Pupils on SEN support start lower and fall behind a
        # little each term (slower progress than peers); pupils with EHC plans start lower still.
        srng = random.Random(SEED + 1)
        ehc_ids = {p.pk for p in self.ehc_pupils}
        k_ids = {p.pk for p in self.k_pupils}
        rows = []
        line = 0
        for pupil in self.pupils:
            if pupil.year_group < YearGroup.RECEPTION:
                continue
            if pupil.pk in ehc_ids:
                base, drift, noise = srng.gauss(76, 8), srng.gauss(-2.5, 1.5), 2.0
            elif pupil.pk in k_ids:
                base, drift, noise = srng.gauss(87, 9), srng.gauss(-3.5, 1.5), 2.0
            else:
                base, drift, noise = srng.gauss(102, 11), srng.gauss(0.5, 0.8), 1.0
            for subject in subjects:
                offset = srng.gauss(0, 4)
                for n, point in enumerate(points):
                    value = base + offset + drift * n + srng.gauss(0, noise)
                    if point.assessed_on < pupil.admitted_on:
                        continue
                    line += 1
                    score = Decimal(max(69, min(141, round(value))))
                    rows.append(
                        provision.ImportRow(
                            line=line, pupil_id=pupil.pk, subject_id=subject.pk, point=point, score=score
                        )
                    )
        provision.scores_import(school=school, rows=rows, today=today, actor=senco)
        run = provision.flags_compute(school=school, today=today)

        # Support plans for about half the pupils on SEN support: every one in 3 Oak, then every other one.
        oak_ids = {p.pk for p in self.oak}
        k_pupils = [p for p in self.k_pupils if p.pk in oak_ids] + [p for p in self.k_pupils if p.pk not in oak_ids]
        chosen = [p for i, p in enumerate(k_pupils) if p.pk in oak_ids or i % 2 == 0]
        plans = 0
        for i, pupil in enumerate(chosen):
            area = NEED_WORDS.get(self.primary[pupil.pk] or "MLD", NEED_WORDS["MLD"])[3]
            short = NEED_WORDS.get(self.primary[pupil.pk] or "MLD", NEED_WORDS["MLD"])[4]
            started_on = self.k_started.get(pupil.pk, today - timedelta(days=90))
            if i % 7 in (0, 3) and i < 21:
                current_review = today - timedelta(days=3 + i)  # a few overdue
            elif i % 7 in (1, 4, 5):
                current_review = today + timedelta(days=2 + i % 12)  # due in the next fortnight
            else:
                current_review = today + timedelta(days=21 + (i * 5) % 35)
            plan = provision.support_plan_start(pupil=pupil, started_on=started_on, actor=senco)
            provision.plan_parents_told(plan=plan, told_on=started_on, how="Meeting with parents", actor=senco)
            cycle = plan.cycles.get()
            provision.cycle_assess(
                cycle=cycle,
                actor=senco,
                data={
                    area: short,
                    "assessment_evidence": "Termly standardised scores, teacher assessment and class observation.",
                    "pupil_views": "I like it when an adult helps me get started.",
                    "parent_views": "Parents see the same at home and want to help with practice.",
                },
            )
            outcomes = [provision.OutcomeInput(d, m) for d, m in SUPPORT_PLAN_OUTCOMES[area]]
            support = SUPPORT_PLAN_SUPPORT[area]
            supports = [provision.SupportInput(support[0], support[1], support[2], started_on + timedelta(days=7))]
            first_review = started_on + timedelta(days=56)
            if first_review < today - timedelta(days=28) and first_review < current_review:
                provision.cycle_plan(
                    cycle=cycle,
                    adjustments=ADJUSTMENTS[area],
                    expected_impact=EXPECTED_IMPACT,
                    review_on=first_review,
                    outcomes=outcomes,
                    supports=supports,
                    actor=senco,
                )
                provision.cycle_agree(cycle=cycle, actor=senco)
                cycle = provision.cycle_review(
                    cycle=cycle,
                    reviewed_on=first_review,
                    actor=senco,
                    outcome_reviews=[
                        provision.OutcomeReview(o.pk, "achieved" if o.position == 0 else "partly", "Teacher check")
                        for o in cycle.outcomes.all()
                    ],
                    impact="Some progress; the first outcome is achieved.",
                    pupil_views="I can do more on my own now.",
                    parent_views="Pleased; would like the next steps shared.",
                    next_steps="Keep the support; new outcome added.",
                )
                outcomes = [provision.OutcomeInput(o.description, o.success_measure) for o in cycle.outcomes.all()]
                outcomes.append(
                    provision.OutcomeInput("Works independently for ten minutes", "Observed in three lessons")
                )
            provision.cycle_plan(
                cycle=cycle,
                adjustments=ADJUSTMENTS[area],
                expected_impact=EXPECTED_IMPACT,
                review_on=current_review,
                outcomes=outcomes,
                supports=supports,
                actor=senco,
            )
            if i % 5 != 4:  # a few wait for the SENCO's agreement
                provision.cycle_agree(cycle=cycle, actor=senco)
            plans += 1

        # Parent meetings: this term for two in three of those with plans, once term has started.
        term_rows = list(Term.objects.filter(school=school).values_list("starts_on", "ends_on"))
        term = term_rules.term_containing(term_rows, today)
        if term.starts_on < today:
            for i, pupil in enumerate(chosen):
                if i % 3 == 2:
                    continue
                held_on = max(term.starts_on, today - timedelta(days=5 + (i * 3) % 40))
                if held_on < self.k_started.get(pupil.pk, held_on):
                    continue
                provision.parent_meeting_record(
                    pupil=pupil,
                    held_on=held_on,
                    attendees="Parent, class teacher, SENCO",
                    outcomes="Shared progress against the support plan outcomes; parents happy with the support.",
                    actions_agreed="Practise reading for ten minutes a day at home.",
                    shared_with_parents_on=held_on + timedelta(days=1) if held_on < today else None,
                    actor=senco,
                )
        provision.parent_meetings_schedule(school=school, today=today)

        # A passport for each pupil in 3 Oak on SEN support or with an EHC plan.
        for pupil in self.oak:
            if pupil.pk in k_ids or pupil.pk in ehc_ids:
                name = pupil.preferred_forename or pupil.legal_forename
                provision.passport_write(
                    pupil=pupil,
                    important_to_me=f"My family, {self.rng.choice(LIKES)}.",
                    like_and_admire=f"{name} is kind, helpful and never gives up.",
                    how_to_support="Give me time to answer. Show me what to do as well as telling me. "
                    "Tell me before things change.",
                    in_own_words=True,
                    actor=senco,
                )
        return {"scores": len(rows), "flags": run.flags, "plans": plans}
