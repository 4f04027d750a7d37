from django.http import HttpRequest

from samskap.accounts.access import access_for


def navigation(request: HttpRequest) -> dict:
    """What the header needs to decide which links to show."""
    return {"access": access_for(request.user)}
