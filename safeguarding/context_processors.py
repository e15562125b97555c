from django.http import HttpRequest

from pupils import access as core

from . import access


def navigation(request: HttpRequest) -> dict:
    """The safeguarding links in base.html (report a concern, the DSL's pages, governors' counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not core.roles_of(user).by_school:
        return {}
    return {"nav_safeguarding": access.safeguarding_nav(user, core.current_school(request).pk)}
