"""JSON API: the agreements the caller may see, and every version of one with its hash."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from samskap.api import AUTH_REQUIRED, Pages, api_access, responses

from . import selectors

router = Router(auth=AUTH_REQUIRED)


class AgreementOut(Schema):
    id: int
    title: str
    type: str
    state: str
    initiative: str
    effective_version: int | None


class SignatureOut(Schema):
    organisation_id: int
    organisation: str
    name: str
    signed_at: datetime
    content_hash: str


class VersionOut(Schema):
    number: int
    status: str
    content: dict
    content_hash: str
    computed_hash: str
    intact: bool
    sent_at: datetime | None
    signed_at: datetime | None
    signatures: list[SignatureOut]


def _agreement_out(agreement) -> dict:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "type": agreement.type,
        "state": agreement.state,
        "initiative": agreement.initiative.slug,
        "effective_version": agreement.effective_version.number
        if agreement.effective_version
        else None,
    }


@router.get("/", response=responses({200: list[AgreementOut]}, 422))
@paginate(Pages, page_size=50)
def list_agreements(request, initiative: str = "", state: str = "", type: str = ""):
    access = api_access(request)
    rows = selectors.agreements_visible_to(access).select_related("initiative", "effective_version")
    if initiative:
        rows = rows.filter(initiative__slug=initiative)
    if state:
        rows = rows.filter(state=state)
    if type:
        rows = rows.filter(type=type)
    return [_agreement_out(a) for a in rows.order_by("id")]


@router.get("/{agreement_id}/versions", response=responses({200: list[VersionOut]}, 404, 422))
def agreement_versions(request, agreement_id: int):
    """Every version with its content, stored hash, a fresh re-hash and the signatures.
    ``intact`` is false when a frozen version was changed after it was sent or signed."""
    access = api_access(request)
    agreement = selectors.get_agreement_for(access, agreement_id)  # 404 if not visible
    out = []
    for version in agreement.versions.order_by("number").prefetch_related(
        "signatures__organisation"
    ):
        out.append(
            {
                "number": version.number,
                "status": version.status,
                "content": version.content,
                "content_hash": version.content_hash,
                "computed_hash": version.compute_hash(),
                "intact": version.is_intact,
                "sent_at": version.sent_at,
                "signed_at": version.signed_at,
                "signatures": [
                    {
                        "organisation_id": s.organisation_id,
                        "organisation": s.organisation.name,
                        "name": s.name,
                        "signed_at": s.signed_at,
                        "content_hash": s.content_hash,
                    }
                    for s in version.signatures.all()
                ],
            }
        )
    return out
