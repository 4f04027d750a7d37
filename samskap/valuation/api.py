"""JSON API: a value map and its results, for those who may see the initiative's internal data.

``GET /api/v1/valuation/initiatives/{slug}[?view=sroi|cba]``: ``map`` in the file format of
``docs/valuation.md`` and ``results`` with the keys of ``samskap value --format json --view …``
(SROI by default; ``cba`` is the cost-benefit view) (or ``problems`` if the map
cannot be computed yet); all three are ``null`` while the initiative has no value map, as its
page then offers to make one. 404 when the initiative is not visible, 403 when the caller may see
the initiative but not its internal data.
"""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from samskap.api import AUTH_REQUIRED, api_access, responses

from . import selectors
from .valuemap import ValueMapError

router = Router(auth=AUTH_REQUIRED)


@router.get("/initiatives/{slug}", response=responses({200: dict}, 403, 404, 422))
def value_map(request, slug: str, view: Literal["sroi", "cba"] = "sroi"):
    access = api_access(request)
    try:
        _initiative, vmap = selectors.get_initiative_and_map(access, slug)
    except Http404:
        return Status(404, {"detail": "Not found."})
    except PermissionDenied:
        return Status(403, {"detail": "You may not see this initiative's value map."})
    if vmap is None:
        return Status(200, {"map": None, "version": None, "results": None})
    data = {"map": selectors.to_data(vmap), "version": vmap.version}
    try:
        data["results"] = selectors.compute(vmap, view=view).to_dict()
    except ValueMapError as error:
        data["problems"] = [{"place": p, "message": m} for p, m in error.problems]
    return Status(200, data)
