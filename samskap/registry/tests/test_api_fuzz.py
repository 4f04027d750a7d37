"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Every operation is called with generated input, anonymously, with a coordinator's and a
partner's token and with a wrong token, on a throw-away test database holding the demo. The
strict checks hold for every call: no server error, every status code declared, every body
valid against the declared schema, the declared content type, and a request the schema
allows is not refused as invalid (no 400 or 422 for it). Path parameters are half of the
time replaced by real ones from the demo (initiatives, municipalities, indicator codes,
agreements, surveys, health rounds), so that the successful answers are checked too, not only
the 404s of random slugs. Bounded and derandomized: the same examples on every run.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from samskap.accounts.access import access_for
from samskap.accounts.models import ApiToken, Municipality, User
from samskap.agreements.models import Agreement
from samskap.core.demo import load_demo
from samskap.health.models import Round
from samskap.measurement.models import Indicator, IndicatorValue, LibraryIndicator, Survey
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit, can_see_internal

EXAMPLES_PER_OPERATION = 8
STRICT_CHECKS = [
    not_a_server_error,
    positive_data_acceptance,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


def _real_path_values() -> dict[str, list]:
    return {
        "slug": list(Initiative.objects.values_list("slug", flat=True)),
        "municipality": list(Municipality.objects.values_list("slug", flat=True)),
        "code": sorted(
            set(Indicator.objects.values_list("code", flat=True))
            | set(LibraryIndicator.objects.values_list("code", flat=True))
        ),
        "agreement_id": list(Agreement.objects.values_list("pk", flat=True)),
        "survey_id": list(Survey.objects.values_list("pk", flat=True)),
        "number": sorted(set(Round.objects.values_list("number", flat=True))),
    }


def _a_rule_of_a_write(operation, failure) -> bool:
    """A write may break a rule no schema can state (a period the indicator lacks, a value out
    of its indicator's range, a story on an initiative in a stage that takes none): 400 with the
    field named, declared. Only that is allowed past the request-acceptance check."""
    return (
        operation.method.upper() == "POST"
        and isinstance(failure, RejectedPositiveData)
        and failure.status_code == 400
    )


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app closes the database connection around each request (request_started and
    request_finished), which on PostgreSQL would end the test's transaction; Django's test
    client leaves them out the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_keeps_to_its_schema(keep_the_test_connection) -> None:
    load_demo()
    real = _real_path_values()
    assert all(real.values()), real
    callers = {"anonymous": {}, "wrong token": {"Authorization": "Bearer smk_wrong"}}
    coordinator = User.objects.get(username="koordinator")
    for username in ("koordinator", "partner"):
        _token, secret = ApiToken.issue(User.objects.get(username=username), "fuzz")
        callers[username] = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # Text with a NUL character is refused on every operation (400, declared): PostgreSQL
    # cannot store it. Generated text leaves it out, so a 400 is never a schema-valid refusal.
    schema.config.generation.update(allow_x00=False)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    # One real, successful call of every operation, checked by the strict checks.
    koordinator = callers["koordinator"]
    today = timezone.localdate()
    insider = access_for(coordinator)
    closed = next(
        r
        for r in Round.objects.select_related("initiative").order_by("pk")
        if r.is_closed(today) and can_see_internal(insider, r.initiative)
    )
    survey = next(
        s
        for s in Survey.objects.select_related("initiative").filter(items__isnull=False)
        if can_see_internal(insider, s.initiative)
    )
    value = next(
        v
        for v in IndicatorValue.objects.select_related("period__indicator__initiative")
        if can_edit(insider, v.period.indicator.initiative)
    )
    indicator = value.period.indicator
    editable = next(i for i in Initiative.objects.order_by("pk") if can_edit(insider, i))
    story = {"title": "Lesson", "text": "Start small", "kind": "lesson", "date": "2026-01-05"}
    real_calls = {
        "GET /api/v1/registry/initiatives": ({}, {"q": "mat"}, None),
        "GET /api/v1/registry/initiatives/{slug}": ({"slug": closed.initiative.slug}, {}, None),
        "POST /api/v1/registry/initiatives/{slug}/stories": (
            {"slug": editable.slug},
            {},
            story,
        ),
        "GET /api/v1/registry/stories": ({}, {"q": "frivillig"}, None),
        "GET /api/v1/registry/organisations": ({}, {"page": 1}, None),
        "GET /api/v1/agreements/": ({}, {}, None),
        "GET /api/v1/agreements/{agreement_id}/versions": (
            {"agreement_id": Agreement.objects.first().pk},
            {},
            None,
        ),
        "GET /api/v1/health/initiatives/{slug}/rounds": (
            {"slug": closed.initiative.slug},
            {},
            None,
        ),
        "GET /api/v1/health/initiatives/{slug}/rounds/{number}": (
            {"slug": closed.initiative.slug, "number": closed.number},
            {},
            None,
        ),
        "GET /api/v1/measurement/initiatives/{slug}/indicators": (
            {"slug": indicator.initiative.slug},
            {},
            None,
        ),
        "POST /api/v1/measurement/initiatives/{slug}/indicators/{code}/values": (
            {"slug": indicator.initiative.slug, "code": indicator.code},
            {},
            {
                "period": value.period.label,
                "kind": value.kind,
                "value": str(value.value) if value.numerator is None else None,
                "numerator": None if value.numerator is None else str(value.numerator),
                "denominator": None if value.denominator is None else str(value.denominator),
                "dimension": value.dimension,
                "category": value.category,
                "expected_version": value.version,
            },
        ),
        "GET /api/v1/measurement/initiatives/{slug}/surveys/{survey_id}/results": (
            {"slug": survey.initiative.slug, "survey_id": survey.pk},
            {},
            None,
        ),
        "GET /api/v1/measurement/municipalities/{municipality}/library/{code}/synthesis": (
            {"municipality": "fjordvik", "code": survey.items.first().code},
            {},
            None,
        ),
        "GET /api/v1/valuation/initiatives/{slug}": ({"slug": "matvenner"}, {"view": "cba"}, None),
    }
    assert sorted(real_calls) == sorted(o.label for o in operations)
    for operation in operations:
        path_parameters, query, body = real_calls[operation.label]
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = operation.Case(path_parameters=path_parameters, query=query, **extra)
        response = case.call(headers=koordinator)
        assert response.status_code in (200, 201), (operation.label, response.text[:300])
        case.validate_response(response, checks=STRICT_CHECKS, headers=koordinator)

    failures: dict[str, str] = {}
    statuses: set[tuple[str, int]] = set()

    def run(operation, caller: str, headers: dict) -> None:
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), data=st.data())
        def call(case, data) -> None:
            for name in case.path_parameters or {}:
                if name in real and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(real[name]))
            response = case.call(headers=headers)
            statuses.add((operation.label, response.status_code))
            try:
                case.validate_response(response, checks=STRICT_CHECKS, headers=headers)
            except FailureGroup as error:  # every failure is collected, then reported together
                found = [f for f in error.exceptions if not _a_rule_of_a_write(operation, f)]
                if found:
                    key = f"{operation.label} as {caller}: {response.status_code}"
                    failures.setdefault(key, f"{case.path} {'; '.join(map(str, found))[:400]}")

        call()

    for operation in operations:
        for caller, headers in callers.items():
            run(operation, caller, headers)
    assert failures == {}
