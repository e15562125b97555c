from django.http import HttpRequest

from pupils import access

from .access import records_nav


def navigation(request: HttpRequest) -> dict:
    """The records links in the navigation (leavers, retention), decided by records.access."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not access.roles_of(user).by_school:
        return {}
    return {"nav_records": records_nav(user, access.current_school(request).pk)}
