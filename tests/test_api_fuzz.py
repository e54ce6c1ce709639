"""Schemathesis fuzzes every endpoint in the OpenAPI schema: no input may cause a 500, and
every answer's status and body are the ones the schema declares for that operation.

New endpoints fall under it automatically: it reads the schema the running server serves.
"""

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_the_schema_is_valid_openapi_with_no_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        ],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "expprogram.settings.test"},
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_error_body_is_the_declared_error_component():
    import jsonschema
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db import OperationalError
    from django.http import Http404
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework import exceptions
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    from apps.core.api_errors import exception_handler

    schema = SchemaGenerator().get_schema(request=None, public=True)
    error = schema["components"]["schemas"]["Error"]
    context = {"view": APIView(), "request": APIRequestFactory().post("/")}
    raised = [
        exceptions.ValidationError({"plan": {"title": ["Too long."]}, "tags": ["Too many."]}),
        DjangoValidationError("Nothing to share."),
        exceptions.ParseError(),
        exceptions.NotAuthenticated(),
        exceptions.AuthenticationFailed("This token is revoked."),
        DjangoPermissionDenied("Only the program manager may share the notes."),
        Http404(),
        exceptions.NotFound(),
        exceptions.Throttled(wait=30),
        OperationalError("database is locked"),
    ]

    for exc in raised:
        body = exception_handler(exc, context).data
        jsonschema.validate(body, error)


def test_fuzzing_the_api_finds_no_server_error(live_server, demo, tmp_path):
    from apps.accounts.tokens import api_token_create
    from apps.backlog.demo import seed_backlog
    from apps.conflicts.demo import seed_conflicts
    from apps.experiments.demo import seed_experiments
    from apps.meetings.demo import seed_meetings
    from apps.roadmap.demo import seed_roadmap

    # Hypotheses, plans, experiments with pulled results, conflicts and meetings to read and
    # change: with only people, most operations would answer 404 and their bodies go
    # unchecked.
    for seed in (seed_backlog, seed_roadmap, seed_experiments, seed_conflicts, seed_meetings):
        seed(demo)

    # An admin of the demo group reaches every write path the policy allows.
    _, key = api_token_create(actor=demo.users["dana"], name="fuzz")
    # The schema as the server serves it, fetched here with a generous timeout: building it
    # takes seconds on a busy machine, longer than schemathesis waits for a schema URL.
    schema = tmp_path / "schema.yml"
    request = urllib.request.Request(
        f"{live_server.url}/api/schema/", headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(request, timeout=180) as response:
        schema.write_bytes(response.read())
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            str(schema),
            "--url",
            live_server.url,
            # Undeclared statuses and bodies fail too: clients are generated from the schema.
            "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance",
            "--max-examples",
            os.environ.get("EXPR_FUZZ_EXAMPLES", "10"),
            "--seed",
            "1",
            # Generating cases, not the server, is the slow side: run them in parallel.
            "--workers",
            os.environ.get("EXPR_FUZZ_WORKERS", "4"),
            # Not the coverage phase: run by parallel workers, schemathesis 4.32 fails inside
            # Hypothesis there ("AST constructor recursion depth mismatch"), a runtime error
            # of the tool's, not of the API, in about half the runs on this machine.
            "--phases",
            "examples,fuzzing,stateful",
            # A request that needs longer than this on a loaded machine is a failure worth
            # reading, not a network error: schemathesis' own default is 10 s.
            "--request-timeout",
            os.environ.get("EXPR_FUZZ_REQUEST_TIMEOUT", "30"),
            # A dropped connection on a loaded machine is retried; a 5xx never is.
            "--request-retries",
            "2",
            "--header",
            f"Authorization: Token {key}",
            # An admin may revoke any token, this run's own included, which would turn the
            # rest of the run into 401s; revoking is covered in tests/accounts/test_tokens.py.
            "--exclude-operation-id",
            "v1_auth_tokens_destroy",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert result.returncode == 0, _failures(result.stdout) + result.stderr[-2000:]
    # It did test something: a summary such as "1487 passed" with no failure line.
    summary = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert summary and int(summary.group(2)) > 100, result.stdout[-3000:]


def _failures(output: str) -> str:
    """The sections that say what failed and why, ahead of the long list of warnings."""
    sections = re.split(r"\n=+ (?=[A-Z]+ =+\n)", output)
    wanted = [s for s in sections if s.startswith(("FAILURES", "ERRORS", "SUMMARY"))]
    return "\n".join(wanted)[-12000:] or output[-8000:]
