"""The demo's dates agree with each other, relative to the day it is loaded."""

import datetime

import pytest
from django.utils import timezone

from samskap.agreements.models import Agreement, AgreementVersion, Signature
from samskap.core.demo import load_demo
from samskap.registry.models import Initiative, Stage, Story


@pytest.mark.django_db
def test_the_demo_history_is_in_order_and_in_the_past():
    load_demo()
    today = timezone.localdate()
    problems = []
    initiatives = Initiative.objects.prefetch_related("stage_changes", "participations")
    assert initiatives.count() > 5
    for initiative in initiatives:
        name = initiative.slug
        changes = sorted(initiative.stage_changes.all(), key=lambda c: c.id)
        days = [timezone.localdate(c.changed_at) for c in changes]
        registered = timezone.localdate(initiative.created_at)
        if days != sorted(days) or len(set(days)) != len(days):
            problems.append(f"{name}: stage changes out of order {days}")
        if days and days[-1] >= today:
            problems.append(f"{name}: a stage change today or later")
        if days and days[0] != registered:
            problems.append(f"{name}: registered {registered}, first change {days[0]}")
        if initiative.start_date and initiative.start_date < registered:
            problems.append(f"{name}: started {initiative.start_date} before registration")
        for participation in initiative.participations.all():
            if participation.start_date and participation.start_date < registered:
                problems.append(f"{name}: a partner joined before registration")
        entered = {c.to_stage: d for c, d in zip(changes, days, strict=True)}
        for change, day in zip(changes, days, strict=True):
            if change.decision_date and change.decision_date > day:
                problems.append(f"{name}: decided {change.decision_date} after the move {day}")
            if change.to_stage == Stage.OPERATION and change.decision_date is None:
                problems.append(f"{name}: in operation without a decision date")
        planned = initiative.planned_transition_date
        if Stage.PILOT in entered:
            if planned is None or planned <= entered[Stage.PILOT]:
                problems.append(f"{name}: transition {planned} not after the pilot began")
            if Stage.OPERATION in entered and planned >= entered[Stage.OPERATION]:
                problems.append(f"{name}: transition {planned} after entering operation")
        for story in Story.objects.filter(initiative=initiative):
            if story.date and (story.date < registered or story.date > today):
                problems.append(f"{name}: story dated {story.date}")
    assert problems == []


@pytest.mark.django_db
def test_the_demo_agreements_were_signed_on_past_days_in_step_with_their_initiative():
    load_demo()
    today = timezone.localdate()
    signatures = Signature.objects.select_related("version__agreement__initiative")
    assert signatures.count() >= 5
    problems = []
    for signature in signatures:
        day = timezone.localdate(signature.signed_at)
        agreement = signature.version.agreement
        registered = timezone.localdate(agreement.initiative.created_at)
        if not registered <= day < today:
            problems.append(f"{agreement.title}: signed {day} (registered {registered})")
        if signature.version.sent_at and signature.version.sent_at > signature.signed_at:
            problems.append(f"{agreement.title}: signed before it was sent")
    for version in AgreementVersion.objects.exclude(sent_at=None):
        if version.created_at > version.sent_at:
            problems.append(f"{version}: sent before it was written")
    for agreement in Agreement.objects.exclude(start_date=None).select_related("initiative"):
        signed = Signature.objects.filter(version__agreement=agreement).order_by("signed_at")
        first = signed.first()
        began = agreement.start_date < today
        if first and began and timezone.localdate(first.signed_at) > agreement.start_date:
            problems.append(f"{agreement.title}: began before anyone signed")
        if agreement.start_date < timezone.localdate(agreement.initiative.created_at):
            problems.append(f"{agreement.title}: begins before the initiative was registered")
    matvenner = Agreement.objects.filter(initiative__slug="matvenner")
    assert {a.state for a in matvenner} == {"in_force", "ended"}
    assert all(a.start_date <= today - datetime.timedelta(days=30) for a in matvenner)
    assert problems == []
