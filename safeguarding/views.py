"""Thin views for child protection files: parse, ask safeguarding/access.py, one service call, render.

Every page that shows any part of a file needs a second-factor verification in the last 15 minutes
(pupils.twofactor) and writes a line in the file's who-viewed log: a read, a refused attempt or an export.
Reporting a concern, its receipt and adding to it need neither: any member of staff must be able to report
at once, and the reporter never reads the concern back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access as core
from pupils.access import school_action_required
from pupils.letters import download_name
from pupils.models import School
from pupils.twofactor import require_recent_second_factor
from send_mis.pdf import INSTALL_HINT, PdfUnavailable, html_to_pdf
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import access, forms, selectors, services
from .access import FileAction
from .models import AccessOutcome, BodySide, ChildFile, Entry, EntryKind, IncomingFile, Share, StatusFlag, Transfer

READ, WORK = FileAction.READ, FileAction.WORK
STEP_UP_MINUTES = 15
# The URL argument that names a file, or a record of one, and how to find the file from it.
_FILE_OF = {
    "file_id": lambda pk: ChildFile.objects.filter(pk=pk).first(),
    "entry_id": lambda pk: ChildFile.objects.filter(entries__pk=pk).first(),
    "flag_id": lambda pk: ChildFile.objects.filter(flags__pk=pk).first(),
    "share_id": lambda pk: ChildFile.objects.filter(shares__pk=pk).first(),
    "transfer_id": lambda pk: ChildFile.objects.filter(transfers__pk=pk).first(),
    "incoming_id": lambda pk: ChildFile.objects.filter(incoming__pk=pk).first(),
}


def step_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """require_recent_second_factor, with the refusal logged against the file asked for (when there is one):
    an attempt without a recent second factor is a refused attempt like any other."""

    @wraps(view)
    def verified(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request._safeguarding_verified = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    guarded = require_recent_second_factor(minutes=STEP_UP_MINUTES)(verified)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = guarded(request, *args, **kwargs)
        if not getattr(request, "_safeguarding_verified", False):
            file = next((_FILE_OF[name](value) for name, value in kwargs.items() if name in _FILE_OF), None)
            if file is not None:
                services.access_record(
                    user=request.user,
                    file=file,
                    outcome=AccessOutcome.REFUSED,
                    page=_page(request),
                    detail="No recent two-factor sign-in",
                )
        return response

    return wrapped


def _page(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path[:60]


def _file(request: HttpRequest, file_id, action: FileAction) -> ChildFile:
    """The file, with the who-viewed log written: a read on GET, a refusal (then 404 or 403) otherwise."""
    try:
        file = access.get_file_for_user(request.user, file_id, action=action, today=timezone.localdate())
    except access.Refused as refused:
        if refused.file is not None:
            services.access_record(
                user=request.user, file=refused.file, outcome=AccessOutcome.REFUSED, page=_page(request)
            )
        raise refused.error
    if request.method == "GET":
        services.access_record(user=request.user, file=file, outcome=AccessOutcome.READ, page=_page(request))
    return file


def _child(request: HttpRequest, model, pk, action: FileAction, **filters):
    """A record of a file (an entry, a share, a transfer...) by id (404 if none), then the file's access rule."""
    obj = get_object_or_404(model.objects.filter(**filters), pk=pk)
    obj.file = _file(request, obj.file_id, action)
    return obj


def _step(
    request: HttpRequest,
    *,
    form: Form,
    title: str,
    save: Callable[[dict], object],
    success: str,
    next_url: str | Callable[[object], str],
    file: ChildFile | None = None,
    context: dict | None = None,
    template: str = "safeguarding/step_form.html",
) -> HttpResponse:
    """form_step inside the safeguarding page: its title and the way back (to the file, else the dashboard)."""
    back = reverse("safeguarding:file", args=[file.pk]) if file else reverse("safeguarding:dashboard")
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=next_url,
        template=template,
        context={"file": file, "title": title, "back": back, **(context or {})},
    )


def _file_url(file: ChildFile) -> str:
    return reverse("safeguarding:file", args=[file.pk])


def _now() -> object:
    return timezone.now()


# --- Reporting: any member of staff -------------------------------------------------------------


@school_action_required(access.SafeguardingAction.REPORT)
def report(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    pupils = access.pupils_to_report_on(request.user, school.pk)
    initial = {"pupil": request.GET.get("pupil")} if access.is_uuid(request.GET.get("pupil", "")) else {}
    form = forms.ConcernReportForm(bound(request), pupils=pupils, initial=initial)

    def save(data):
        return services.concern_report(
            pupil=data["pupil"],
            occurred_at=data["occurred_at"],
            location=data["location"],
            account=data["account"],
            others_involved=data["others_involved"],
            immediate_action=data["immediate_action"],
            told_dsl_in_person=data["told_dsl_in_person"],
            marks=data["marks"],
            actor=request.user,
            now=timezone.now(),
        )

    return _step(
        request,
        form=form,
        title="Report a safeguarding concern",
        save=save,
        success="Your concern has been sent to the DSL team.",
        next_url=lambda entry: reverse("safeguarding:concern-receipt", args=[entry.pk]),
        context={"body_grid": forms.body_grid(form)},
        template="safeguarding/report_form.html",
    )


@login_required
def concern_receipt(request: HttpRequest, entry_id) -> HttpResponse:
    concern = access.get_own_concern(request.user, entry_id)
    additions = concern.followups.filter(kind=EntryKind.ADDITION, recorded_by=request.user).count()
    dsl_team = access.dsl_team_of(concern.file.school_id)
    return render(
        request, "safeguarding/receipt.html", {"concern": concern, "additions": additions, "dsl_team": dsl_team}
    )


@login_required
def concern_add(request: HttpRequest, entry_id) -> HttpResponse:
    concern = access.get_own_concern(request.user, entry_id)
    form = forms.ConcernAddForm(bound(request))
    return _step(
        request,
        form=form,
        title="Add to your concern",
        save=lambda data: services.concern_add_to(
            concern=concern, text=data["text"], marks=data["marks"], actor=request.user, now=timezone.now()
        ),
        success="Your addition has been sent to the DSL team.",
        next_url=reverse("safeguarding:concern-receipt", args=[concern.pk]),
        context={
            "intro": "You cannot read your concern again; what you add here goes to the DSL team.",
            "body_grid": forms.body_grid(form),
        },
        template="safeguarding/report_form.html",
    )


# --- The DSL team's school-wide pages ------------------------------------------------------------


@login_required
@step_up
def dashboard(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    today = timezone.localdate()
    context = {
        "school": school,
        "concerns": selectors.concerns_new(school),
        "deadlines": selectors.actions_due(school, today=today),
        "referrals": selectors.referrals_awaiting(school),
        "transfers": selectors.transfers_open(school),
        "leavers": selectors.leavers_without_transfer(school),
        "files": selectors.files_of_school(school),
        "today": today,
    }
    services.access_record_reads(
        user=request.user,
        files=[e.file for e in context["concerns"]] + [e.file for e in context["referrals"]],
        page=_page(request),
    )
    return render(request, "safeguarding/dashboard.html", context)


@login_required
@step_up
def inbox(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    concerns = selectors.concerns_new(school)
    services.access_record_reads(user=request.user, files=[e.file for e in concerns], page=_page(request))
    return render(request, "safeguarding/inbox.html", {"school": school, "concerns": concerns})


@login_required
@step_up
def categories(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    form = forms.CategoryForm(bound(request))
    return _step(
        request,
        form=form,
        title="Categories of concern",
        save=lambda data: services.category_add(school=school, name=data["name"], actor=request.user),
        success="Category added.",
        next_url=reverse("safeguarding:categories"),
        context={"categories": selectors.categories_of(school)},
        template="safeguarding/categories.html",
    )


@school_action_required(access.SafeguardingAction.COUNTS)
def counts(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    return render(
        request, "safeguarding/counts.html", {"school": school, **selectors.counts_by_category_and_term(school)}
    )


@login_required
@step_up
def incoming_attach(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    form = forms.IncomingForm(
        bound(request), request.FILES or None, pupils=access.pupils_to_report_on(request.user, school.pk)
    )

    def save(data):
        upload = data["upload"]
        return services.incoming_file_attach(
            pupil=data["pupil"],
            from_school=data["from_school"],
            received_on=data["received_on"],
            filename=upload.name,
            content_type=upload.content_type or "application/octet-stream",
            content=upload.read(),
            actor=request.user,
            today=timezone.localdate(),
        )

    return _step(
        request,
        form=form,
        title="Attach a file from the previous school",
        save=save,
        success="The file is attached.",
        next_url=lambda incoming: _file_url(incoming.file),
        context={"multipart": True},
    )


# --- The pupil notice: whom to ask ------------------------------------------------------------------


@login_required
def pupil_notice(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_notice(request.user, pupil_id, today=timezone.localdate())
    file = ChildFile.objects.filter(pupil=pupil).first()
    readable = (
        file is not None
        and access.files_visible_to(request.user, today=timezone.localdate()).filter(pk=file.pk).exists()
    )
    # Whether a file exists is for those who may know it (the SENCO, the DSL team, a share); others learn only
    # whom to ask, the same words whether there is a file or not.
    knows = file is not None and (readable or access.knows_file_exists(request.user, file))
    return render(
        request,
        "safeguarding/pupil_notice.html",
        {
            "pupil": pupil,
            "file": file if knows else None,
            "readable": readable,
            "may_know": access.knows_file_exists_in(request.user, pupil.school_id),
            "dsl_team": access.dsl_team_of(pupil.school_id),
            "can_report": core.can_in_school(request.user, pupil.school_id, access.SafeguardingAction.REPORT),
        },
    )


# --- A child's file -----------------------------------------------------------------------------------


@login_required
@step_up
def file_detail(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, READ)
    context = {
        "file": file,
        "pupil": file.pupil,
        "entries": selectors.chronology(
            file, only=access.entries_shared_with(request.user, file, today=timezone.localdate())
        ),
        "can": access.file_can(request.user, file),
        **selectors.file_summary(file, today=timezone.localdate()),
    }
    return render(request, "safeguarding/file_detail.html", context)


def _entry_step(request, file_id, *, form_class, title, kind_service, success, form_kwargs_for=None) -> HttpResponse:
    file = _file(request, file_id, WORK)
    form = form_class(bound(request), **(form_kwargs_for(file) if form_kwargs_for else {}))
    return _step(
        request,
        form=form,
        file=file,
        title=title,
        save=lambda data: kind_service(file, data),
        success=success,
        next_url=_file_url(file),
    )


@login_required
@step_up
def file_note(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.NoteForm,
        title="Record a note",
        success="Note recorded.",
        kind_service=lambda file, data: services.note_record(
            file=file,
            kind=EntryKind.NOTE,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_outcome(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.OutcomeForm,
        title="Record an outcome",
        success="Outcome recorded.",
        kind_service=lambda file, data: services.note_record(
            file=file,
            kind=EntryKind.OUTCOME,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_action(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.ActionForm,
        title="Add an action",
        success="Action added; its owner will be reminded.",
        form_kwargs_for=lambda file: {"staff": core.staff_of(file.school)},
        kind_service=lambda file, data: services.action_record(
            file=file,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_referral(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.ReferralForm,
        title="Record a referral",
        success="Referral recorded; the response will be chased.",
        kind_service=lambda file, data: services.referral_record(
            file=file,
            agency=data["agency"],
            occurred_at=data["occurred_at"],
            reference=data["reference"],
            spoken_to=data["spoken_to"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_no_referral(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    team = get_user_model().objects.filter(pk__in=[user.pk for user in access.dsl_team_of(file.school_id)])
    form = forms.NoReferralForm(bound(request), dsl_team=team)
    return _step(
        request,
        form=form,
        file=file,
        title="Record a decision not to refer",
        save=lambda data: services.no_referral_record(
            file=file,
            agency=data["agency"],
            occurred_at=data["occurred_at"],
            reasons=data["reasons"],
            decided_by=data["decided_by"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Decision recorded.",
        next_url=_file_url(file),
        context={"intro": "KCSIE asks for every decision and the reasons for it: both are required."},
    )


@login_required
@step_up
def file_status(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.StatusForm,
        title="Change the file's status",
        success="Status changed.",
        kind_service=lambda file, data: services.file_status_change(
            file=file, status=data["status"], reason=data["reason"], actor=request.user, now=timezone.now()
        ),
    )


@login_required
@step_up
def file_flag(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.FlagForm,
        title="Record the child's status",
        success="Status recorded.",
        kind_service=lambda file, data: services.flag_start(
            file=file, kind=data["kind"], starts_on=data["starts_on"], actor=request.user, today=timezone.localdate()
        ),
    )


@login_required
@step_up
def flag_end(request: HttpRequest, flag_id) -> HttpResponse:
    flag = _child(request, StatusFlag, flag_id, WORK)
    form = forms.FlagEndForm(bound(request))
    return _step(
        request,
        form=form,
        file=flag.file,
        title=f"End: {flag.get_kind_display()}",
        save=lambda data: services.flag_end(
            flag=flag, ends_on=data["ends_on"], actor=request.user, today=timezone.localdate()
        ),
        success="Status ended.",
        next_url=_file_url(flag.file),
    )


@login_required
@step_up
def concern_triage(request: HttpRequest, entry_id) -> HttpResponse:
    concern = _child(request, Entry, entry_id, WORK, kind=EntryKind.CONCERN)
    form = forms.TriageForm(bound(request), categories=selectors.categories_of(concern.file.school))
    return _step(
        request,
        form=form,
        file=concern.file,
        title="Triage the concern",
        save=lambda data: services.concern_triage(
            concern=concern, category=data["category"], text=data["text"], actor=request.user, now=timezone.now()
        ),
        success="Concern triaged.",
        next_url=_file_url(concern.file),
        context={"concern": concern, "sides": BodySide.choices},
        template="safeguarding/triage_form.html",
    )


@login_required
@step_up
def action_done(request: HttpRequest, entry_id) -> HttpResponse:
    action = _child(request, Entry, entry_id, WORK, kind=EntryKind.ACTION)
    form = forms.ActionDoneForm(bound(request))
    return _step(
        request,
        form=form,
        file=action.file,
        title="Record the action done",
        save=lambda data: services.action_complete(
            action=action, done_on=data["done_on"], text=data["text"], actor=request.user, now=timezone.now()
        ),
        success="Action done.",
        next_url=_file_url(action.file),
        context={"intro": action.text},
    )


@login_required
@step_up
def referral_response(request: HttpRequest, entry_id) -> HttpResponse:
    referral = _child(request, Entry, entry_id, WORK, kind=EntryKind.REFERRAL)
    form = forms.ResponseForm(bound(request))
    return _step(
        request,
        form=form,
        file=referral.file,
        title=f"Response from {referral.get_agency_display()}",
        save=lambda data: services.referral_response_record(
            referral=referral,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Response recorded.",
        next_url=_file_url(referral.file),
    )


@login_required
@step_up
def entry_correct(request: HttpRequest, entry_id) -> HttpResponse:
    entry = _child(request, Entry, entry_id, WORK)
    local = timezone.localtime(entry.occurred_at)
    form = forms.CorrectionForm(
        bound(request), initial={"text": entry.text, "occurred_on": local.date(), "occurred_time": local.time()}
    )
    return _step(
        request,
        form=form,
        file=entry.file,
        title=f"Correct: {entry.get_kind_display()}",
        save=lambda data: services.entry_correct(
            entry=entry,
            text=data["text"],
            occurred_at=data["occurred_at"],
            reason=data["reason"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Correction recorded; the original is kept.",
        next_url=_file_url(entry.file),
        context={"intro": "The original stays in the file, marked as corrected, with your reason."},
    )


@login_required
@step_up
def file_shares(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    staff = core.staff_of(file.school)
    entries = Entry.objects.filter(file=file, superseded_by__isnull=True).order_by("occurred_at")
    form = forms.ShareForm(bound(request), staff=staff, entries=entries)
    return _step(
        request,
        form=form,
        file=file,
        title="Share this file",
        save=lambda data: services.share_grant(
            file=file,
            user=data["user"],
            until_on=data["until_on"],
            reason=data["reason"],
            actor=request.user,
            today=timezone.localdate(),
            entry=data["entry"],
        ),
        success="Shared.",
        next_url=reverse("safeguarding:file-shares", args=[file.pk]),
        context={
            "shares": Share.objects.filter(file=file).select_related("user", "granted_by", "entry"),
            "today": timezone.localdate(),
        },
        template="safeguarding/shares.html",
    )


@login_required
@step_up
@require_POST
def share_revoke(request: HttpRequest, share_id) -> HttpResponse:
    share = _child(request, Share, share_id, WORK)
    services.share_revoke(share=share, actor=request.user, now=timezone.now())
    messages.success(request, "Share withdrawn.")
    return redirect("safeguarding:file-shares", share.file.pk)


@login_required
@step_up
def file_log(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    return render(request, "safeguarding/log.html", {"file": file, "events": selectors.access_log(file)[:500]})


@login_required
@step_up
def file_transfer(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    initial = {"left_on": file.pupil.left_on} if file.pupil.left_on else {}
    form = forms.TransferForm(bound(request), initial=initial)
    return _step(
        request,
        form=form,
        file=file,
        title="The child is leaving: send the file on",
        save=lambda data: services.transfer_start(
            file=file, destination=data["destination"], left_on=data["left_on"], actor=request.user
        ),
        success="Transfer recorded: the file is due at the new school within 5 days.",
        next_url=_file_url(file),
    )


@login_required
@step_up
def transfer_sent(request: HttpRequest, transfer_id) -> HttpResponse:
    transfer = _child(request, Transfer, transfer_id, WORK)
    form = forms.TransferSentForm(bound(request))
    return _step(
        request,
        form=form,
        file=transfer.file,
        title=f"File sent to {transfer.destination}",
        save=lambda data: services.transfer_sent(
            transfer=transfer,
            sent_on=data["sent_on"],
            sent_how=data["sent_how"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Recorded as sent.",
        next_url=_file_url(transfer.file),
    )


@login_required
@step_up
def transfer_receipt(request: HttpRequest, transfer_id) -> HttpResponse:
    transfer = _child(request, Transfer, transfer_id, WORK)
    form = forms.ReceiptForm(bound(request))
    return _step(
        request,
        form=form,
        file=transfer.file,
        title=f"Receipt from {transfer.destination}",
        save=lambda data: services.transfer_receipt(
            transfer=transfer,
            received_by=data["received_by"],
            received_on=data["received_on"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Receipt recorded.",
        next_url=_file_url(transfer.file),
    )


@login_required
@step_up
def file_export(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    services.access_record(user=request.user, file=file, outcome=AccessOutcome.EXPORTED, page=_page(request))
    context = {
        "file": file,
        "pupil": file.pupil,
        "entries": selectors.chronology(file),
        "generated_at": timezone.localtime(),
        "is_pdf": True,
        **selectors.file_summary(file, today=timezone.localdate()),
    }
    html = render_to_string("safeguarding/bundle.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as error:
        return render(
            request, "safeguarding/pdf_unavailable.html", {"install": INSTALL_HINT, "detail": str(error)}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    # Never a child's name in a file name: the kind, the initials and the date.
    name = download_name("child-protection-file", file.pupil, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@step_up
def incoming_download(request: HttpRequest, incoming_id) -> HttpResponse:
    incoming = _child(request, IncomingFile, incoming_id, WORK)
    services.access_record(user=request.user, file=incoming.file, outcome=AccessOutcome.EXPORTED, page=_page(request))
    response = HttpResponse(bytes(incoming.content), content_type=incoming.content_type)
    # The sender's file name may carry the child's name: keep only its extension.
    suffix = incoming.filename.rsplit(".", 1)[-1].lower() if "." in incoming.filename else ""
    extension = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    name = download_name("incoming-file", incoming.file.pupil, incoming.received_on, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@step_up
def senco_told(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.SencoToldForm,
        title="Record that you told the SENCO",
        success="Recorded.",
        kind_service=lambda file, data: services.senco_told_record(
            file=file, text=data["text"], actor=request.user, now=timezone.now()
        ),
    )
