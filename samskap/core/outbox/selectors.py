"""Reads of the outbox that depend on who asks."""

from django.db.models import QuerySet

from samskap.accounts.access import Access

from .models import Message, MessageState


def messages_visible_to(access: Access, state: str = "") -> QuerySet[Message]:
    """Every message of the municipalities the person coordinates, newest first (messages
    without a municipality, such as password resets, are nobody's to see)."""
    messages = Message.objects.filter(municipality_id__in=access.manager_municipality_ids)
    if state in MessageState.values:
        messages = messages.filter(state=state)
    return messages.order_by("-created_at", "-id")
