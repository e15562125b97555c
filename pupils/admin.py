"""Admin of schools, staff, classes, pupils and the register; plus the installation-wide logs (audit, sign-in
attempts, object grants) shown read-only. Set-up tables are editable (changes audited by auditlog's middleware);
register entries, concerns and grants change only through their services."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from guardian.models import UserObjectPermission

from send_mis.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AccessibilityPlan,
    Contact,
    Disclosure,
    Membership,
    NeedType,
    Pupil,
    PupilAccessGrant,
    PupilImport,
    RegisterEntry,
    School,
    SchoolClass,
    SenConcern,
    SencoQualification,
    Term,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "la_name", "la_code", "phase", "set_up_at"]
    list_filter = ["phase", "la_name"]
    search_fields = ["name", "urn", "la_name"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "starts_on", "ends_on"]
    list_filter = ["school"]
    search_fields = ["name", "school__name"]
    date_hierarchy = "starts_on"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__email", "user__last_name", "school__name"]
    autocomplete_fields = ["user", "school"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "year_group", "school"]
    list_filter = ["school", "year_group"]
    search_fields = ["name", "school__name"]
    filter_horizontal = ["teachers"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class RegisterEntryInline(ReadOnlyInline):
    model = RegisterEntry
    fields = ["status", "primary_need", "secondary_need", "started_on", "ended_on"]
    fk_name = "pupil"


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["upn", "legal_surname", "legal_forename", "year_group", "school_class", "school", "left_on"]
    list_filter = ["school", "year_group", "is_eal", "is_looked_after", "is_pupil_premium"]
    search_fields = ["upn", "legal_surname", "legal_forename", "preferred_surname", "preferred_forename"]
    list_select_related = ["school", "school_class"]
    raw_id_fields = ["school_class"]
    inlines = [ContactInline, RegisterEntryInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "relationship", "pupil", "has_parental_responsibility", "priority"]
    list_filter = ["has_parental_responsibility"]
    search_fields = ["name", "email", "pupil__upn", "pupil__legal_surname"]
    raw_id_fields = ["pupil"]


@admin.register(NeedType)
class NeedTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "broad_area", "sen_support_only", "ordering"]
    list_filter = ["broad_area"]
    search_fields = ["code", "name"]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "status", "primary_need", "secondary_need", "started_on", "ended_on"]
    list_filter = ["status", "primary_need", "pupil__school"]
    search_fields = ["pupil__upn", "pupil__legal_surname"]
    list_select_related = ["pupil", "primary_need", "secondary_need"]
    date_hierarchy = "started_on"


@admin.register(SenConcern)
class SenConcernAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "status", "broad_area", "raised_by", "raised_at", "triaged_at"]
    list_filter = ["status", "broad_area", "pupil__school"]
    search_fields = ["pupil__upn", "pupil__legal_surname", "raised_by__username"]
    list_select_related = ["pupil", "raised_by"]


@admin.register(PupilAccessGrant)
class PupilAccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["pupil", "user", "reason", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["pupil__school"]
    search_fields = ["pupil__upn", "user__username", "reason"]
    list_select_related = ["pupil", "user", "granted_by"]


@admin.register(PupilImport)
class PupilImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "school", "status", "total_rows", "uploaded_by", "uploaded_at", "finished_at"]
    list_filter = ["status", "school"]
    search_fields = ["file_name", "uploaded_by__username"]
    exclude = ["csv_text"]  # the uploaded file's personal data


# The school's duty records change only through pupils.school_setup, which keeps their deadlines in step.
@admin.register(SencoQualification)
class SencoQualificationAdmin(ReadOnlyAdmin):
    list_display = ["school", "senco", "took_up_on", "award", "begun_on", "completed_on"]
    list_filter = ["award", "school"]
    list_select_related = ["school", "senco"]


@admin.register(AccessibilityPlan)
class AccessibilityPlanAdmin(ReadOnlyAdmin):
    list_display = ["school", "plan_on", "held_by", "published_at"]
    list_filter = ["school"]
    list_select_related = ["school", "held_by"]


# --- Installation-wide logs: read-only (auditlog's own LogEntry admin is read-only already) ----------------


@admin.register(UserObjectPermission)
class UserObjectPermissionAdmin(ReadOnlyAdmin):
    list_display = ["user", "permission", "content_type", "object_pk"]
    search_fields = ["user__username", "object_pk"]


class ReadOnlyAccessLogAdmin(ReadOnlyAdmin, AccessLogAdmin):
    pass


class ReadOnlyAccessFailureLogAdmin(ReadOnlyAdmin, AccessFailureLogAdmin):
    pass


class LockoutAdmin(AccessAttemptAdmin):
    """Failed sign-in attempts: read-only, but deletable, which is how a superuser lifts a lock-out."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False


for model, model_admin in (
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
    (AccessAttempt, LockoutAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    """The disclosure log: written by pupils.services.disclosure_record, never changed."""

    list_display = ["pupil", "document", "disclosed_by", "disclosed_at", "recipient", "purpose"]
    list_filter = ["document", "purpose"]
    search_fields = ["pupil__upn", "pupil__legal_surname", "recipient"]
