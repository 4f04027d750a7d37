"""One confirmation step before an action that deletes, ends, sends or withdraws.

The GOV.UK and Aksel pattern without a JavaScript dependency: the row's button posts to the
action's URL; without ``confirmed=yes`` the view answers with a page that names what will
happen and repeats the posted fields, a danger button that posts them again with
``confirmed=yes``, and a link back. The view then acts and says so with a message.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def confirm_first(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    cancel_url: str,
    consequence: str = "",
) -> HttpResponse | None:
    """The confirmation page, or None when the request carries the confirmation."""
    if request.POST.get(CONFIRMED) == "yes":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {
        "title": title,
        "question": question,
        "consequence": consequence,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "action": request.path,
    }
    return render(request, "confirm.html", context)
