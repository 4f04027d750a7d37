"""Every change to the registry goes through these functions: they check permission, validate,
write in one transaction and keep the history. Views, commands, admin actions and the demo
loader all call them.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, User
from samskap.core import notifications

from . import lifecycle
from .models import (
    IdeaProposal,
    IdeaStatus,
    Initiative,
    Participation,
    Sector,
    Stage,
    StageChange,
    Story,
    StoryKind,
    Visibility,
)
from .selectors import can_edit, can_steer


def unique_slug(title: str, *, model: type = Initiative, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "initiativ"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _today() -> datetime.date:
    return timezone.localdate()


def _user(access: Access) -> User | None:
    return User.objects.get(pk=access.user_id) if access.user_id else None


@transaction.atomic
def initiative_create(
    *,
    access: Access,
    municipality: Municipality,
    title: str,
    need: str,
    target_group: str,
    sectors: Iterable[Sector],
    description: str = "",
    governance_logic: str = "network",
    visibility: str = Visibility.INTERNAL,
    co_owners: Iterable[Municipality] = (),
    start_date: datetime.date | None = None,
    project_leader: User | None = None,
    contact_name: str = "",
    contact_email: str = "",
    slug: str = "",
) -> Initiative:
    """Report a new initiative. Any staff member of the municipality may; it starts as an idea."""
    if municipality.pk not in access.staff_municipality_ids:
        raise PermissionDenied(_("You can only report initiatives for your own municipality."))
    initiative = Initiative(
        municipality=municipality,
        title=title,
        slug=slug or unique_slug(title),
        need=need,
        description=description,
        target_group=target_group,
        governance_logic=governance_logic,
        visibility=visibility,
        start_date=start_date,
        project_leader=project_leader,
        contact_name=contact_name,
        contact_email=contact_email,
        stage=Stage.IDEA,
    )
    initiative.full_clean()
    sectors = list(sectors)
    if not sectors:
        raise ValidationError({"sectors": _("Choose at least one sector.")})
    initiative.save()
    initiative.owners.set({municipality, *co_owners})
    initiative.sectors.set(sectors)
    StageChange.objects.create(
        municipality=municipality,
        initiative=initiative,
        from_stage="",
        to_stage=Stage.IDEA,
        changed_at=timezone.now(),
        changed_by=_user(access),
        # Stored as the English message and translated where shown: the reader's language,
        # not the language of whoever reported it.
        note=gettext_noop("Reported to the registry."),
    )
    return initiative


EDITABLE_FIELDS = (
    "title",
    "need",
    "description",
    "target_group",
    "governance_logic",
    "visibility",
    "start_date",
    "project_leader",
    "contact_name",
    "contact_email",
)


@transaction.atomic
def initiative_update(
    *,
    access: Access,
    initiative: Initiative,
    expected_version: int,
    sectors: Iterable[Sector] | None = None,
    co_owners: Iterable[Municipality] | None = None,
    **changes: object,
) -> Initiative:
    """Edit an initiative. ``expected_version`` is the version the editor started from; if
    someone saved in between, nothing is written and the editor is told (no silent overwrite).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    # Check against the stored row: the caller's instance may already carry the new values
    # (a ModelForm writes them onto its instance while validating).
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can_edit(access, current, _today()):
        raise PermissionDenied
    if not can_steer(access, current):
        restricted = [
            field
            for field in ("visibility", "project_leader")
            if field in changes and getattr(current, field) != changes[field]
        ]
        if restricted or co_owners is not None:
            raise PermissionDenied(_("Only the project leader or a coordinator can change this."))
    if current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else saved this initiative while you were editing. "
                "Reload the page to see their changes, then make yours again."
            ),
            code="conflict",
        )
    for field, value in changes.items():
        setattr(current, field, value)
    current.version = expected_version + 1
    current.full_clean()
    current.save()
    if sectors is not None:
        sectors = list(sectors)
        if not sectors:
            raise ValidationError({"sectors": _("Choose at least one sector.")})
        current.sectors.set(sectors)
    if co_owners is not None:
        current.owners.set({current.municipality, *co_owners})
    return current


@transaction.atomic
def initiative_move(
    *, access: Access, initiative: Initiative, move: lifecycle.MoveRequest
) -> StageChange:
    """Move an initiative to another lifecycle stage, recording who, when and why.

    An illegal or incomplete move raises ``ValidationError`` naming every problem and changes
    nothing.
    """
    if not can_steer(access, initiative):
        raise PermissionDenied
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    today = _today()
    problems = lifecycle.move_problems(current.stage, move, today=today)
    operating_owner = None
    if move.operating_owner_id is not None:
        operating_owner = Organisation.objects.filter(pk=move.operating_owner_id).first()
        if operating_owner is None:
            problems.setdefault("operating_owner", []).append(_("Unknown organisation."))
    if problems:
        raise ValidationError(problems)

    user = _user(access)
    now = timezone.now()
    change = StageChange(
        municipality_id=current.municipality_id,
        initiative=current,
        from_stage=current.stage,
        to_stage=move.target,
        changed_at=now,
        changed_by=user,
        note=move.note,
        decision_body=move.decision_body,
        decision_case_number=move.decision_case_number,
        decision_date=move.decision_date,
        decision_url=move.decision_url,
    )
    change.full_clean()
    change.save()
    if move.target == Stage.PILOT:
        current.planned_transition_date = move.planned_transition_date
        current.operating_owner = operating_owner
        current.post_pilot_funding = move.post_pilot_funding
    if move.target in lifecycle.TERMINAL:
        Story.objects.create(
            municipality_id=current.municipality_id,
            initiative=current,
            title=move.lesson_title,
            text=move.lesson_text,
            kind=StoryKind.LESSON,
            date=today,
            author=user,
            visibility=current.visibility,
        )
    current.stage = move.target
    current.version += 1
    current.save()
    return change


@transaction.atomic
def story_create(
    *,
    access: Access,
    initiative: Initiative,
    title: str,
    text: str,
    kind: str,
    date: datetime.date,
    visibility: str = Visibility.INTERNAL,
) -> Story:
    if not can_edit(access, initiative, _today()):
        raise PermissionDenied
    story = Story(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        title=title,
        text=text,
        kind=kind,
        date=date,
        author=_user(access),
        visibility=visibility,
    )
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def participation_add(
    *,
    access: Access,
    initiative: Initiative,
    organisation: Organisation,
    role: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Participation:
    if not can_steer(access, initiative):
        raise PermissionDenied
    participation = Participation(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        organisation=organisation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def participation_end(
    *, access: Access, participation: Participation, end_date: datetime.date
) -> Participation:
    if not can_steer(access, participation.initiative):
        raise PermissionDenied
    participation.end_date = end_date
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def idea_submit(
    *,
    municipality: Municipality,
    title: str,
    need: str,
    description: str = "",
    proposer_name: str = "",
    proposer_email: str = "",
) -> IdeaProposal:
    """A citizen proposes an idea; it waits in the municipality's moderation queue."""
    idea = IdeaProposal(
        municipality=municipality,
        title=title,
        need=need,
        description=description,
        proposer_name=proposer_name,
        proposer_email=proposer_email,
    )
    idea.full_clean()
    idea.save()
    notifications.idea_event(idea, "received", language=translation.get_language())
    return idea


def _check_moderator(access: Access, idea: IdeaProposal) -> None:
    if idea.municipality_id not in access.manager_municipality_ids:
        raise PermissionDenied
    if idea.status != IdeaStatus.PENDING:
        raise ValidationError(_("This idea has already been moderated."), code="moderated")


@transaction.atomic
def idea_accept(
    *,
    access: Access,
    idea: IdeaProposal,
    target_group: str,
    sectors: Iterable[Sector],
    note: str = "",
) -> Initiative:
    """Accept an idea into the registry as an internal initiative at the idea stage."""
    idea = IdeaProposal.objects.select_for_update().get(pk=idea.pk)
    _check_moderator(access, idea)
    initiative = initiative_create(
        access=access,
        municipality=idea.municipality,
        title=idea.title,
        need=idea.need,
        description=idea.description,
        target_group=target_group,
        sectors=sectors,
    )
    idea.status = IdeaStatus.ACCEPTED
    idea.initiative = initiative
    idea.reviewed_by = _user(access)
    idea.reviewed_at = timezone.now()
    idea.moderation_note = note
    idea.save()
    notifications.idea_event(idea, "accepted")
    return initiative


@transaction.atomic
def idea_reject(*, access: Access, idea: IdeaProposal, note: str) -> IdeaProposal:
    idea = IdeaProposal.objects.select_for_update().get(pk=idea.pk)
    _check_moderator(access, idea)
    if not note.strip():
        raise ValidationError({"moderation_note": _("Say why the idea is rejected.")})
    idea.status = IdeaStatus.REJECTED
    idea.reviewed_by = _user(access)
    idea.reviewed_at = timezone.now()
    idea.moderation_note = note
    idea.save()
    notifications.idea_event(idea, "declined")
    return idea
