"""The top layer's pages: each role's landing page, the SENCO's dashboard, the pupil's page and SEND history.
Thin views: parse, ask the access modules, read through selectors, render.
Also an EHC plan's section F, specified against delivered this term."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from deadlines import selectors as deadline_selectors
from ehc.access import EhcAction, ehc_actions, ehc_can, get_pupil_for_ehc
from ehc.extensions import ReportSection
from ehc.models import AnnualReview, EhcPlan
from ehc.views.documents import review_report_document
from provision.access import provision_can
from pupils import access, school_access, selectors, services
from pupils.access import Action, SchoolAction, school_action_required
from pupils.models import RegisterStatus, Role, School
from pupils.pages import render_page
from pupils.retention import send_file_retained_until
from safeguarding.access import SafeguardingAction
from send_mis.links import id_prefix
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import selectors as overview_selectors
from . import services as overview_services
from .forms import SectionFLineForm


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.roles_of(request.user).by_school and school_access.can_create_school(request.user):
        # A superuser with no role in a school: set one up (or open one), rather than a 403.
        return redirect("school:start")
    school = access.current_school(request)
    if access.can_in_school(request.user, school.pk, SchoolAction.DASHBOARD):
        return redirect("overview:dashboard")
    if access.can_in_school(request.user, school.pk, SafeguardingAction.WORK):
        return redirect("safeguarding:dashboard")  # the DSL team lands on their own dashboard
    if access.can_in_school(request.user, school.pk, SchoolAction.PUPIL_LIST):
        return redirect("overview:today")
    return redirect("pupils:register-summary")


@school_action_required(SchoolAction.DASHBOARD, cached_page=True)
def dashboard(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()

    def build() -> dict:
        counts = selectors.register_counts(school, on=today)
        return {
            "school": school,
            "counts": counts,
            "recent": selectors.recent_register_changes(school),
            "concerns": selectors.first_concerns_open(school, limit=20),
            "can_triage": access.can_in_school(request.user, school.pk, SchoolAction.CONCERN_TRIAGE),
            "deadline_panels": deadline_selectors.deadline_panels(school, today=today),
            "panels": overview_selectors.senco_panels(
                request.user, school, today=today, on_sen_support=counts.count_of(RegisterStatus.SEN_SUPPORT)
            ),
            "head": (
                overview_selectors.head_panels(request.user, school, today=today)
                if Role.HEAD in access.roles_of(request.user).in_school(school.pk)
                else None
            ),
            # Each row's link is a prefix and an id (send_mis/links.py): a page's forty rows, two reverse().
            "pupil_url": id_prefix("overview:pupil"),
            "triage_url": id_prefix("pupils:concern-triage"),
        }

    return render_page(request, "overview/dashboard.html", build)


@school_action_required(SchoolAction.PUPIL_LIST)
def today(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    """Each member of staff's to-do list; the teacher's landing page."""
    day = timezone.localdate()
    todo = overview_selectors.today_for(request.user, school, today=day)
    return render(request, "overview/today.html", {"school": school, "on": day, "todo": todo})


@login_required
def pupil(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.VIEW)
    services.pupil_record_viewed(pupil=pupil, actor=request.user)

    def build() -> dict:
        ehc = ehc_can(request.user, pupil)
        return {
            "pupil": pupil,
            "summary": overview_selectors.pupil_summary(
                request.user,
                pupil,
                today=timezone.localdate(),
                sees_ehc_plan=ehc["ehc_view"] or ehc["ehc_plan_summary"],
            ),
            "contacts": selectors.contacts_of(pupil),
            "history": selectors.register_history(pupil),
            "concerns": selectors.concerns_about(pupil),
            "can": access.pupil_can(request.user, pupil) | ehc | provision_can(request.user, pupil),
            "can_read_disclosures": access.can_in_school(request.user, pupil.school_id, access.DisclosureAction.VIEW),
            "retained_until": send_file_retained_until(pupil.date_of_birth),
        }

    return render_page(request, "overview/pupil.html", build)


@login_required
def history(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    """The pupil's SEND history: anyone who may see the pupil (the graduated approach's view rule)."""
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.VIEW)
    services.pupil_record_viewed(pupil=pupil, actor=request.user)
    return render_page(
        request,
        "overview/history.html",
        lambda: {"pupil": pupil, "events": overview_selectors.send_history(pupil, today=timezone.localdate())},
    )


def _plan(request: HttpRequest, plan_id, action: EhcAction) -> EhcPlan:
    """The plan, if the user may see its pupil (else 404) and take this EHC action (else 403)."""
    plan = get_object_or_404(EhcPlan.objects.select_related("pupil"), pk=plan_id)
    get_pupil_for_ehc(request.user, plan.pupil_id, action=action)
    return plan


@login_required
def section_f(request: HttpRequest, plan_id) -> HttpResponse:
    plan = _plan(request, plan_id, EhcAction.VIEW)
    term, rows = overview_selectors.specified_vs_delivered(plan, today=timezone.localdate())
    can_change = EhcAction.CHANGE in ehc_actions(request.user, plan.pupil)
    return render(
        request,
        "overview/section_f.html",
        {"plan": plan, "pupil": plan.pupil, "term": term, "rows": rows, "can_change": can_change},
    )


@login_required
def section_f_add(request: HttpRequest, plan_id) -> HttpResponse:
    plan = _plan(request, plan_id, EhcAction.CHANGE)
    form = SectionFLineForm(bound(request), school=plan.pupil.school)
    return form_step(
        request,
        form=form,
        save=lambda data: overview_services.section_f_line_add(plan=plan, actor=request.user, **data),
        success="Section F line added.",
        next_url=reverse("overview:section-f", kwargs={"plan_id": plan.pk}),
        template="overview/section_f_form.html",
        context={"plan": plan, "pupil": plan.pupil},
    )


def _section_f_of(review: AnnualReview) -> list[ReportSection]:
    """Section F against the provision delivered, for the annual review report: the term of the meeting (or
    today's, before it), each line's minutes owed and delivered, shortfalls flagged."""
    today = timezone.localdate()
    on = min(today, review.held_on or review.meeting_on or today)
    term, rows = overview_selectors.specified_vs_delivered(review.plan, today=on)
    return [ReportSection("overview/includes/section_f_delivery.html", {"term": term, "rows": rows, "on": on})]


@login_required
def review_report(request: AuthenticatedHttpRequest, review_id, *, as_pdf: bool = False) -> HttpResponse:
    """The annual review report (and its PDF) with EHC section F specified against the provision delivered: the
    EHC area's report, for whoever may see it, with the section composed here."""
    return review_report_document(
        request, review_id, as_pdf=as_pdf, pdf_name="overview:review-report-pdf", extra_sections=_section_f_of
    )
