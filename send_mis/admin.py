"""The Django admin of send-mis: for superusers only, and read-only where a record must change through its
audited service (its deadlines, grants and history would otherwise go out of step).

Each app registers its models in its own admin.py with list displays, search and filters; this module holds
the site and the shared read-only base.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    site_header = "send-mis administration"
    site_title = "send-mis admin"
    index_title = "Every table (superusers only)"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only a superuser: school staff manage their school from the app, where access is per school."""
        return request.user.is_active and request.user.is_superuser


class SendMisAdminConfig(AdminConfig):
    default_site = "send_mis.admin.SuperuserAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searched and filtered, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
