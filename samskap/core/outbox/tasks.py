"""The outbox's tasks for django-tasks (the database backend; ``samskap worker`` runs them)."""

from django_tasks import task


@task()
def deliver_message(message_id: int) -> str:
    from .delivery import deliver

    return deliver(message_id)
