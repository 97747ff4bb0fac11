"""The JSON API's OpenAPI description: a valid document, every /api/ route in it, and true of
the real server (schemathesis sends generated requests to `python app.py` on loopback)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from quart import Quart
from quart.testing import QuartClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

from content.events import PageView
from content.sessions import STAFF_COOKIE
from content.web import openapi
from content.web.state import Portal
from tests.conftest import DemoDatabase, LiveServer, copy_demo, soup

FIGURES = "members,articles,links"
SLOW_FIXTURES = {"api_server"}  # generated requests against the real server
CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.ignored_auth,
]
BOUNDED = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
SKIPPED_METHODS = {"HEAD", "OPTIONS"}  # answered by Quart for every GET route


def document(**overrides: Any) -> dict[str, Any]:
    return openapi.build_document(**overrides)


# The document


def test_the_document_is_valid_openapi() -> None:
    raw = document(stats_figures=("members",))
    schema = schemathesis.openapi.from_dict(raw)
    schema.validate()
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert "GET /api/polls/{poll_id}" in labels
    for name, part in raw["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(part), name
    # The validation is not a no-op: a response without its description is refused.
    broken = copy.deepcopy(raw)
    del broken["paths"]["/api/online"]["get"]["responses"]["200"]["description"]
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(broken).validate()


def test_the_chosen_statistics_figures_are_required() -> None:
    none = document()["components"]["schemas"]["Statistics"]
    chosen = document(stats_figures=("links", "members"))["components"]["schemas"]["Statistics"]
    assert none["required"] == ["total"]
    assert chosen["required"] == ["total", "members", "links"]


def _template(rule: str) -> str:
    """A werkzeug rule or an OpenAPI path with its variables made anonymous."""
    return re.sub(r"<[^>]*>|\{[^}]*\}", "{}", rule)


def test_every_api_route_is_described(app: Quart) -> None:
    routes = {
        (_template(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods or ()
        if method not in SKIPPED_METHODS
    }
    described = {
        (_template(path), method.upper())
        for path, item in document()["paths"].items()
        for method in item
    }
    assert routes, "no /api/ routes found"
    assert routes - described == set(), "routes without a description in content/openapi.py"
    assert described - routes == set(), "described routes the app does not have"


def test_staff_routes_ask_for_the_staff_cookie() -> None:
    raw = document()
    scheme = raw["components"]["securitySchemes"]["staffSession"]
    assert scheme == {**scheme, "type": "apiKey", "in": "cookie", "name": STAFF_COOKIE}
    for path, item in raw["paths"].items():
        secured = "security" in item["get"]
        assert secured == path.startswith("/api/moderasi/"), path


async def test_the_portal_publishes_the_document(app: Quart, client: QuartClient) -> None:
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert await response.get_json() == document(site_name=app.config["SITE_NAME"])
    assert response.cache_control.public


async def test_api_requests_are_not_visits(app: Quart, client: QuartClient) -> None:
    views: list[str] = []
    Portal.of(app).events.subscribe(PageView, lambda view: views.append(view.path))
    for path in ("/api/online", "/api/statistik", "/api/polls/1", "/api/openapi.json"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "serambi_pengunjung" not in response.headers.get("Set-Cookie", ""), path
    assert views == []
    await client.get("/")  # the hook is live: a page is a visit
    assert views == ["/"]


# The real server


@pytest.fixture(scope="module")
def api_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """One portal for all generated requests (each case is a read; nothing is written)."""
    folder: Path = tmp_path_factory.mktemp("api")
    target = folder / "live.db"
    copy_demo(demo_database, target)
    server = LiveServer(folder, target)
    server.start(STATS_FIGURES=FIGURES)
    yield server
    assert server.stop() == 0
    log = server.log()
    assert "Traceback" not in log and "Unhandled error" not in log, log


@pytest.fixture(scope="module")
def api_schema(api_server: LiveServer) -> Any:
    schema = schemathesis.openapi.from_url(api_server.url + openapi.DOCUMENT_PATH)
    schema.config.update(base_url=api_server.url, request_timeout=10)
    return schema


@pytest.fixture(scope="module")
def visitor_session(api_server: LiveServer) -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module")
def moderator_session(
    api_server: LiveServer, demo_database: DemoDatabase
) -> Iterator[requests.Session]:
    """A session logged in as the demo moderator through the real form."""
    with requests.Session() as session:
        page = session.get(api_server.url + "/masuk", timeout=10)
        token = soup(page.text).select_one("input[name=csrf_token]")
        assert token is not None
        answer = session.post(
            api_server.url + "/masuk",
            data={
                "email": "moderator@balittri.example",
                "password": demo_database.passwords["moderator"],
                "csrf_token": str(token["value"]),
            },
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code in (302, 303), answer.text[:500]
        yield session


def _operations(*, staff: bool) -> list[str]:
    return [
        path for path, item in document()["paths"].items() if ("security" in item["get"]) == staff
    ]


def _modes(operation: Any) -> list[GenerationMode]:
    """Valid requests always; invalid ones where the operation has something to get wrong."""
    if operation.path_parameters or operation.query or operation.headers or operation.cookies:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def exercise(
    schema: Any,
    path: str,
    session: requests.Session,
    *,
    modes: list[GenerationMode] | None = None,
    cookies: dict[str, str] | None = None,
    checks: list[Any] = CHECKS,
) -> list[int]:
    """Send generated cases for one operation and check each answer; the statuses seen."""
    operation = schema[path]["GET"]
    seen: list[int] = []
    for mode in modes or _modes(operation):

        @given(case=operation.as_strategy(generation_mode=mode, cookies=cookies))
        @BOUNDED
        def run(case: Any) -> None:
            response = case.call_and_validate(session=session, checks=checks)
            seen.append(response.status_code)

        run()
    return seen


@pytest.mark.parametrize("path", _operations(staff=False))
def test_the_api_keeps_its_description(
    api_schema: Any, visitor_session: requests.Session, path: str
) -> None:
    """Generated requests (valid and, where possible, invalid) from a visitor without a login."""
    seen = exercise(api_schema, path, visitor_session)
    assert seen and all(status < 500 for status in seen)


@pytest.mark.parametrize("path", _operations(staff=True))
def test_the_staff_api_keeps_its_description(
    api_schema: Any,
    visitor_session: requests.Session,
    moderator_session: requests.Session,
    path: str,
) -> None:
    """Without a valid session cookie (none, forged, garbage) the answer is the way to the
    login page, which is how this site refuses; a logged-in moderator gets the table."""
    # A refusal here is a redirect, which schemathesis's negative check does not count as one.
    refusals = [check for check in CHECKS if check is not openapi_checks.negative_data_rejection]
    assert set(exercise(api_schema, path, visitor_session, checks=refusals)) == {302}
    cookie = moderator_session.cookies[STAFF_COOKIE]
    seen = exercise(
        api_schema,
        path,
        moderator_session,
        modes=[GenerationMode.POSITIVE],
        cookies={STAFF_COOKIE: cookie},
    )
    assert set(seen) == {200}
