"""The registry in the JSON API: initiatives, their partners and stories, organisations.

Anonymous callers see what the public showcase shows; a token or session sees what the same
user sees on the pages, because every endpoint reads through ``selectors`` with the caller's
``Access``. Internal fields (contact, pilot plan, internal stories) appear only where
``can_see_internal`` holds.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from samskap.accounts.access import ANONYMOUS
from samskap.accounts.models import Organisation
from samskap.api import AUTH_REQUIRED, Pages, api_access, responses

from . import selectors, services
from .models import Initiative, Stage, StoryKind, Visibility

router = Router()


class InitiativeFilters(Schema):
    q: str = Field("", description="Full-text search in title, need, description, target group.")
    sector: str = Field("", description="Sector code, e.g. elderly_care.")
    stage: str = Field("", description="Lifecycle stage, e.g. pilot.")
    partner_kind: str = Field("", description="Kind of a partner organisation.")
    municipality: str = Field("", description="Slug of an owning municipality.")
    measured: bool = Field(
        False, description="Only initiatives whose municipality published measured results."
    )


class InitiativeOut(Schema):
    slug: str
    title: str
    municipality: str = Field(alias="municipality.slug")
    owners: list[str]
    stage: str
    visibility: str
    governance_logic: str
    sectors: list[str]
    need: str
    target_group: str
    start_date: datetime.date | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owners(obj: Initiative) -> list[str]:
        return [m.slug for m in obj.owners.all()]

    @staticmethod
    def resolve_sectors(obj: Initiative) -> list[str]:
        return [s.code for s in obj.sectors.all()]


class ParticipationOut(Schema):
    organisation: str = Field(alias="organisation.slug")
    organisation_name: str = Field(alias="organisation.name")
    organisation_kind: str = Field(alias="organisation.kind")
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class StoryOut(Schema):
    id: int
    initiative: str = Field(alias="initiative.slug")
    title: str
    text: str
    kind: str
    date: datetime.date
    visibility: str


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    changed_at: datetime.datetime
    note: str
    decision_body: str
    decision_case_number: str
    decision_date: datetime.date | None
    decision_url: str


class InternalOut(Schema):
    contact_name: str
    contact_email: str
    planned_transition_date: datetime.date | None
    operating_owner: str | None
    post_pilot_funding: str


class MeasuredEffectOut(Schema):
    survey: str
    measure: str
    pairs: int = Field(description="Participants who answered before and after (10 or more).")
    mean_change: float = Field(description="Mean paired change on the measure's scale.")
    ci95_low: float
    ci95_high: float


class PublishedResultsOut(Schema):
    """The fields of ``registry.public.PUBLISHED_RESULTS_FIELDS``, as in the open data."""

    sroi_ratio: float | None = Field(description="SROI ratio (central); null without a value.")
    sroi_ratio_p5: float | None = Field(description="5th percentile of the simulated ratio.")
    sroi_ratio_p95: float | None = Field(description="95th percentile of the simulated ratio.")
    value_method: str = Field(description="The method note: the discounting convention used.")
    measured_effects: list[MeasuredEffectOut] = Field(
        description="Each survey measure's paired change with its 95 % interval, where it "
        "passes the privacy rule."
    )


class InitiativeDetailOut(InitiativeOut):
    description: str
    partners: list[ParticipationOut]
    stories: list[StoryOut]
    history: list[StageChangeOut]
    published_results: PublishedResultsOut | None = Field(
        None,
        description="The measured effects and value the municipality decided to publish; null "
        "when it has not (or withdrew). The same for every caller.",
    )
    internal: InternalOut | None = Field(
        None, description="Only for users who may see the initiative's internal data."
    )

    @staticmethod
    def resolve_published_results(obj: Initiative) -> dict | None:
        from samskap.valuation.publication import published_fields

        return published_fields(obj)

    @staticmethod
    def resolve_partners(obj: Initiative) -> list:
        return list(selectors.participations_of(obj))

    @staticmethod
    def resolve_stories(obj: Initiative, context) -> list:
        access = _access(context["request"])
        return list(selectors.visible_stories(access, obj).select_related("initiative"))

    @staticmethod
    def resolve_history(obj: Initiative) -> list:
        return list(obj.stage_changes.all())

    @staticmethod
    def resolve_internal(obj: Initiative, context) -> dict | None:
        if not selectors.can_see_internal(_access(context["request"]), obj):
            return None
        owner = obj.operating_owner
        return {
            "contact_name": obj.contact_name,
            "contact_email": obj.contact_email,
            "planned_transition_date": obj.planned_transition_date,
            "operating_owner": owner.slug if owner else None,
            "post_pilot_funding": obj.post_pilot_funding,
        }


class StoryIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1)
    kind: StoryKind
    date: datetime.date
    visibility: Visibility = Visibility.INTERNAL


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    org_number: str
    website: str


def _access(request):
    return api_access(request) or ANONYMOUS


def _initiative(request, slug: str, action: str = "view") -> Initiative:
    try:
        return selectors.get_initiative_for(_access(request), slug, action)
    except Http404 as error:
        raise HttpError(404, "No such initiative, or not visible to you.") from error
    except PermissionDenied as error:
        raise HttpError(403, "You may see this initiative but not do that.") from error


@router.get(
    "/initiatives",
    response=responses({200: list[InitiativeOut]}, 422),
    summary="List initiatives",
)
@paginate(Pages, page_size=20)
def list_initiatives(request, filters: Query[InitiativeFilters]):
    queryset = selectors.initiatives_visible_to(_access(request))
    if filters.stage and filters.stage not in Stage.values:
        return Initiative.objects.none()
    queryset = selectors.filter_initiatives(queryset, **filters.dict())
    return selectors.with_card_data(queryset).order_by("title", "pk")


@router.get(
    "/initiatives/{slug}",
    response=responses({200: InitiativeDetailOut}, 404),
    summary="One initiative with partners, stories and lifecycle history",
)
def get_initiative(request, slug: str):
    return _initiative(request, slug)


@router.post(
    "/initiatives/{slug}/stories",
    response=responses({201: StoryOut}, 403, 404, 422),
    auth=AUTH_REQUIRED,
    summary="Add a story or lesson (partner systems)",
)
def add_story(request, slug: str, payload: StoryIn):
    initiative = _initiative(request, slug, "edit")
    try:
        story = services.story_create(
            access=_access(request), initiative=initiative, **payload.dict()
        )
    except ValidationError as error:
        raise HttpError(400, "; ".join(error.messages)) from error
    except PermissionDenied as error:
        raise HttpError(403, "You may not add stories to this initiative.") from error
    return Status(201, story)


@router.get(
    "/stories",
    response=responses({200: list[StoryOut]}, 422),
    summary="Search stories and lessons",
)
@paginate(Pages, page_size=20)
def search_stories(request, q: str = "", kind: str = ""):
    stories = selectors.stories_visible_to(_access(request))
    if kind:
        stories = stories.filter(kind=kind)
    return selectors.search_stories(stories, q).select_related("initiative")


@router.get(
    "/organisations",
    response=responses({200: list[OrganisationOut]}, 422),
    summary="List organisations",
)
@paginate(Pages, page_size=50)
def list_organisations(request, q: str = ""):
    organisations = Organisation.objects.order_by("name", "pk")
    if q:
        organisations = organisations.filter(name__icontains=q)
    return organisations
