"""The reports' tasks for django-tasks (``samskap worker`` runs them)."""

from django_tasks import task


@task()
def build_portfolio_report(build_id: int) -> str:
    from .builds import run

    return run(build_id)
