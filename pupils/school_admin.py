"""School set-up and settings, and the staff page: thin views over pupils.school_setup and pupils.staff.

A superuser with no school is sent here from the home page to set one up; afterwards the head revisits each
step from "School settings". Finishing the first set-up lives in the top layer (records.setup), because it
also creates each area's defaults.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from send_mis.steps import bound, form_step

from . import access, school_setup, school_statutory, staff
from . import school_forms as forms
from .models import School, YearGroup
from .school_access import SchoolAdminAction, can_create_school, get_school_for_admin

SETTINGS = SchoolAdminAction.SETTINGS
STAFF = SchoolAdminAction.STAFF


def _bound(request: HttpRequest, name: str) -> dict | None:
    """POST data for the form the request submitted (pages with two forms say which in `form`)."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


@login_required
def school_start(request: HttpRequest) -> HttpResponse:
    """Where a superuser begins: set up a school, or open one already set up."""
    if not can_create_school(request.user):
        raise PermissionDenied
    return render(request, "school/start.html", {"schools": School.objects.order_by("name")})


@login_required
def school_create(request: HttpRequest) -> HttpResponse:
    if not can_create_school(request.user):
        raise PermissionDenied
    form = forms.SchoolDetailsForm(bound(request), request.FILES or None)
    return form_step(
        request,
        form=form,
        save=lambda d: school_setup.school_save(school=form.instance, actor=request.user),
        success="School created. Now its terms.",
        next_url=lambda school: reverse("school:terms", args=[school.pk]),  # type: ignore[attr-defined]
        template="school/details.html",
        context={"school": None, "title": "Set up your school"},
    )


@login_required
def school_settings(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    context = {
        "school": school,
        "terms": school.terms.all(),
        "classes": school.classes.all(),
        "staff_count": len(staff.staff_list(school)),
    }
    return render(request, "school/settings.html", context)


@login_required
def school_details(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    form = forms.SchoolDetailsForm(bound(request), request.FILES or None, instance=school)
    # A refused save leaves the form's instance half-changed; the page shows what was typed, not the instance.
    return form_step(
        request,
        form=form,
        save=lambda d: school_setup.school_save(school=form.instance, actor=request.user),
        success="School details saved.",
        next_url=reverse("school:settings", args=[school.pk]),
        template="school/details.html",
        context={"school": school, "title": "School details"},
    )


@login_required
def school_terms(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    term_form = forms.TermForm(_bound(request, "term"), prefix="term")
    paste_form = forms.TermPasteForm(_bound(request, "paste"), request.FILES or None, prefix="paste")

    def add_term(data: dict) -> object:
        return school_setup.terms_add(school=school, terms=term_form.term_lines(), actor=request.user)

    def add_pasted(data: dict) -> object:
        return school_setup.terms_add(school=school, terms=data["terms"], actor=request.user)

    # Two forms on one page: the one the request names in `form` takes the step.
    form, save, success = (
        (paste_form, add_pasted, "Term dates added.") if paste_form.is_bound else (term_form, add_term, "Term added.")
    )
    context = {
        "school": school,
        "terms": school.terms.all(),
        "closures": school.closures(),
        "term_form": term_form,
        "paste_form": paste_form,
    }
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=reverse("school:terms", args=[school.pk]),
        template="school/terms.html",
        context=context,
    )


@login_required
@require_POST
def term_remove(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    term_id = request.POST.get("term", "")
    term = school.terms.filter(pk=term_id).first() if term_id.isdigit() else None
    if term is None:
        raise Http404("No such term.")
    school_setup.term_remove(term=term, actor=request.user)
    messages.success(request, f"{term.name} removed.")
    return redirect("school:terms", school_id=school.pk)


@login_required
def school_classes(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    years_form = forms.YearGroupsForm(_bound(request, "years"), initial={"year_groups": school.year_groups})
    class_form = forms.ClassForm(_bound(request, "class"), school=school)

    def set_years(data: dict) -> object:
        return school_setup.school_year_groups_set(school=school, year_groups=data["year_groups"], actor=request.user)

    def add_class(data: dict) -> object:
        return school_setup.class_add(school=school, actor=request.user, **data)

    # Two forms on one page: the one the request names in `form` takes the step.
    form, save, success = (
        (years_form, set_years, "Year groups saved.")
        if years_form.is_bound
        else (class_form, add_class, "Class added.")
    )
    context = {
        "school": school,
        "classes": school.classes.all(),
        "years": [YearGroup(y).label for y in school.year_groups],
        "years_form": years_form,
        "class_form": class_form,
    }
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=reverse("school:classes", args=[school.pk]),
        template="school/classes.html",
        context=context,
    )


@login_required
@require_POST
def class_remove(request: HttpRequest, school_id, class_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    school_class = get_object_or_404(school.classes, pk=class_id)
    try:
        school_setup.class_remove(school_class=school_class, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{school_class.name} removed.")
    return redirect("school:classes", school_id=school.pk)


# --- Staff ---------------------------------------------------------------------------------------------


@login_required
def staff_page(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=STAFF)
    return render(request, "school/staff.html", {"school": school, "rows": staff.staff_list(school)})


@login_required
def staff_invite(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=STAFF)
    return form_step(
        request,
        form=forms.StaffInviteForm(bound(request), school=school),
        save=lambda d: staff.staff_invite(school=school, actor=request.user, **d),
        success="Added to the staff; anyone new has been emailed a link to set their password.",
        next_url=reverse("school:staff", args=[school.pk]),
        template="school/staff_invite.html",
        context={"school": school},
    )


@login_required
def staff_edit(request: HttpRequest, school_id, ref: str) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=STAFF)
    member = staff.staff_member_of(school, ref)
    if member is None:
        raise Http404("No such member of staff.")
    initial = {
        "roles": list(member.memberships.filter(school=school).values_list("role", flat=True)),
        "classes": list(school.classes.filter(teachers=member)),
    }
    return form_step(
        request,
        form=forms.StaffRolesForm(bound(request), school=school, initial=initial),
        save=lambda d: staff.staff_roles_set(school=school, user=member, actor=request.user, **d),
        success="Roles saved.",
        next_url=reverse("school:staff", args=[school.pk]),
        template="school/staff_edit.html",
        context={"school": school, "member": member, "ref": ref},
    )


@login_required
@require_POST
def staff_remove(request: HttpRequest, school_id, ref: str) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=STAFF)
    member = staff.staff_member_of(school, ref)
    if member is None:
        raise Http404("No such member of staff.")
    try:
        staff.staff_remove(school=school, user=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.get_full_name() or member.get_username()} removed from the staff.")
    return redirect("school:staff", school_id=school.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee sets a password from the emailed link; anyone with a bad or spent link is told so."""
    user = staff.invitation_user(token)
    if user is None:
        return render(request, "school/invitation_invalid.html", status=400)

    def accept(data: dict) -> None:
        staff.invitation_accept(user=user, password=data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")

    return form_step(
        request,
        form=forms.InvitationPasswordForm(user, bound(request)),
        save=accept,
        success="Your password is set. Welcome to send-mis.",
        next_url="home",
        template="school/invitation_accept.html",
        context={"invitee": user},
    )


# --- The school's own statutory calendar -----------------------------------------------------------------


def _qualification_rows(school: School) -> list[dict]:
    rows = []
    for record in school.senco_qualifications.select_related("senco").order_by("took_up_on"):
        met_on = school_statutory.qualified_on(record.award, begun_on=record.begun_on, completed_on=record.completed_on)
        rows.append(
            {
                "record": record,
                "due_on": school_statutory.senco_qualification_due(record.took_up_on),
                "met_on": met_on,
                "problem": school_statutory.award_problem(
                    record.award, begun_on=record.begun_on, completed_on=record.completed_on
                )
                if record.award
                else None,
            }
        )
    return rows


@login_required
def school_duties(request: HttpRequest, school_id) -> HttpResponse:
    """The school's own statutory calendar: the SENCO's qualification, the accessibility plan and the first SEN
    information report's date (the deadlines themselves are in the deadline list)."""
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    today = timezone.localdate()
    plans = list(school.accessibility_plans.select_related("held_by"))
    context = {
        "school": school,
        "qualifications": _qualification_rows(school),
        "plans": plans,
        "next_plan_due": school_statutory.accessibility_plan_due(plans[0].plan_on) if plans else None,
        "rules": {
            "senco": school_statutory.SENCO_QUALIFICATION_RULE,
            "plan": school_statutory.ACCESSIBILITY_PLAN_RULE,
            "report": school_statutory.INFORMATION_REPORT_RULE,
        },
    }
    return form_step(
        request,
        form=forms.InformationReportFirstDueForm(
            bound(request), initial={"due_on": school.information_report_first_due_on}
        ),
        save=lambda d: school_setup.information_report_first_due_set(
            school=school, due_on=d["due_on"], today=today, actor=request.user
        ),
        success="Date saved.",
        next_url=reverse("school:duties", args=[school.pk]),
        template="school/duties.html",
        context=context,
    )


@login_required
def senco_qualification(request: HttpRequest, school_id) -> HttpResponse:
    """Record when a SENCO took up the post and the award they hold (reg 49 as amended by SI 2024/535)."""
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    sencos = staff.sencos_of(school)
    return form_step(
        request,
        form=forms.SencoQualificationForm(bound(request), sencos=sencos),
        save=lambda d: school_setup.senco_qualification_save(
            school=school, today=timezone.localdate(), actor=request.user, **d
        ),
        success="The SENCO's qualification is saved.",
        next_url=reverse("school:duties", args=[school.pk]),
        template="school/senco_qualification.html",
        context={"school": school, "has_sencos": sencos.exists()},
    )


@login_required
def accessibility_plan(request: HttpRequest, school_id) -> HttpResponse:
    """Record the school's accessibility plan for a new 3-year period."""
    school = get_school_for_admin(request.user, school_id, action=SETTINGS)
    return form_step(
        request,
        form=forms.AccessibilityPlanForm(bound(request), staff=access.staff_of(school)),
        save=lambda d: school_setup.accessibility_plan_add(
            school=school, today=timezone.localdate(), actor=request.user, **d
        ),
        success="The accessibility plan is recorded.",
        next_url=reverse("school:duties", args=[school.pk]),
        template="school/accessibility_plan.html",
        context={"school": school},
    )
