"""One idiom for every form step of every area: bind the form, call one service, map its refusal onto the form.

A view builds its form with `bound(request)` (an empty POST still binds, so the form says what is missing),
then returns `form_step(...)`: a valid form calls `save(cleaned_data)` (one service call); a ValidationError
the service raises is shown on the field it names (`apply_service_errors`) and the form re-displays with the
user's data; success redirects with a message. Nothing here knows any area.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required`: its user is a signed-in `User` (for type checking views)."""

    user: User


def bound(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: the POST on a POST (even an empty one), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def apply_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors on the form, next to the field they name where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_step(
    request: HttpRequest,
    *,
    form: BaseForm,
    save: Callable[[dict[str, Any]], object],
    success: str | Callable[[object], str],
    next_url: str | Callable[[object], str],
    template: str,
    context: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The shape of every step: a valid POSTed form calls `save` once; its ValidationError re-displays the form
    with the reason; success says `success` (or `success(result)`, for a message that counts what changed)
    and redirects to `next_url` (or to `next_url(result)`)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **(context or {})})
