"""The API against its own OpenAPI schema: Schemathesis generates requests for every operation
(with a write key, on a small vault) and every answer must be no server error and match the
schema. Bounded and replayed: 25 examples an operation, drawn the same way on every run."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts import services as account_services
from apps.prompts import services
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def keep_the_test_transaction():
    """Requests reach the WSGI app as in production, whose request_finished closes the
    database connection; as Django's test client does, keep the test's open instead."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def write_key(alice, settings, keep_the_test_transaction):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    refund = PromptFactory(
        user=alice, name="Refund reply", content="Hi {{customer}}", tags=["support"]
    )
    services.prompt_update(prompt=refund, author=alice, content="Hello {{customer}}")
    services.label_set(prompt=refund, label="production", version=1, user=alice)
    PromptFactory(user=alice, name="Greeting", content="Hello", folder="ops")
    _key, secret = account_services.api_key_create(
        user=alice, name="fuzz", scopes=("read", "write")
    )
    return secret


def test_every_operation_is_covered():
    labels = {operation.label for operation in OPERATIONS}
    assert "GET /api/v1/prompts/{key_or_id}" in labels and len(labels) >= 8, labels


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_the_api_answers_generated_requests_as_its_schema_says(operation, write_key):
    headers = {"Authorization": f"Bearer {write_key}"}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    # Generated keys name no prompt: two times in three, aim at one that exists instead.
    @given(case=operation.as_strategy(), key=st.sampled_from([None, "refund-reply", "greeting"]))
    def answers_as_documented(case, key):
        if key and case.path_parameters and "key_or_id" in case.path_parameters:
            case.path_parameters["key_or_id"] = key
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    answers_as_documented()
