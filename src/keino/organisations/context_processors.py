from django.http import HttpRequest

from keino.organisations.access import accessible_organisations


def organisations(request: HttpRequest) -> dict:
    """The organisation switcher's entries and the organisation the page is about."""
    access = getattr(request, "organisation_access", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"organisation_access": None, "my_organisations": []}
    return {
        "organisation_access": access,
        "current_organisation": access.organisation if access else None,
        "my_organisations": list(accessible_organisations(user).only("slug", "name")),
    }
