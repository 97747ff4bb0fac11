"""The OpenAPI 3.1 description of the portal's JSON API, published at GET /api/openapi.json.

The document is data built here, beside the code whose answers it describes; the tests check it
against every /api/ route of the app and send generated requests to a real server to hold the
two together. Errors are the portal's HTML error pages (in the visitor's language), so error
responses are described as `text/html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from content.accounts import ROLES
from content.polls import AUDIENCES, MAX_OPTIONS, RESULT_RULES, Phase
from content.sessions import STAFF_COOKIE

API_VERSION = "1.0.0"
DOCUMENT_PATH = "/api/openapi.json"
STATS_FIGURES = ("members", "articles", "links")
# What Poll.phase() can say of a poll the API shows (drafts are never shown: 404).
PUBLIC_PHASES = tuple(phase for phase in Phase if phase != Phase.DRAFT)
POLL_ID_MAX = 999_999_999  # ids longer than nine digits are refused before the database

JSON = "application/json"
Schema = dict[str, Any]


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


COUNT: Schema = {"type": "integer", "minimum": 0}
TIMESTAMP: Schema = {
    "type": "string",
    "format": "date-time",
    "description": "UTC, ISO 8601 with offset, e.g. 2025-06-14T02:00:00+00:00.",
}


def _object(properties: dict[str, Schema], required: Iterable[str] | None = None) -> Schema:
    """A closed object: the named properties, all required unless said otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def _schemas(stats_figures: Iterable[str]) -> dict[str, Schema]:
    chosen = [name for name in STATS_FIGURES if name in set(stats_figures)]
    online = _object(
        {
            "connected": {**COUNT, "description": "People with a live socket now."},
            "guests": {**COUNT, "description": "Of them, visitors not logged in."},
            "members": {**COUNT, "description": "Of them, logged-in staff."},
            "active": {
                **COUNT,
                "description": "People who viewed a page or held a socket in the window.",
            },
            "active_window": {"type": "integer", "minimum": 1, "description": "Seconds."},
            "record": {**COUNT, "description": "Most people ever connected at once."},
            "record_at": _nullable(TIMESTAMP),
        }
    )
    statistics = _object(
        {
            "total": {**COUNT, "description": "Every article's hits plus the legacy offset."},
            "members": {**COUNT, "description": "Active staff accounts (when configured)."},
            "articles": {**COUNT, "description": "Published articles (when configured)."},
            "links": {**COUNT, "description": "Published link banners (when configured)."},
        },
        required=["total", *chosen],
    )
    phase: Schema = {"type": "string", "enum": list(PUBLIC_PHASES)}
    poll = _object(
        {
            "id": {"type": "integer", "minimum": 1},
            "question": {"type": "string"},
            "multiple": {"type": "boolean"},
            "max_choices": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_OPTIONS,
                "description": "Answers one ballot may choose (1 for single choice).",
            },
            "opens_at": _nullable(TIMESTAMP),
            "closes_at": _nullable(TIMESTAMP),
            "phase": phase,
            "audience": {"type": "string", "enum": list(AUDIENCES)},
            "results_shown": {"type": "string", "enum": list(RESULT_RULES)},
            "options": {
                "type": "array",
                "items": _object(
                    {"id": {"type": "integer", "minimum": 1}, "label": {"type": "string"}}
                ),
            },
        }
    )
    results = _object(
        {
            "poll_id": {"type": "integer", "minimum": 1},
            "phase": phase,
            "voters": {**COUNT, "description": "Ballots cast."},
            "votes": {**COUNT, "description": "Answers chosen (more than voters when multiple)."},
            "first_vote": _nullable(TIMESTAMP),
            "last_vote": _nullable(TIMESTAMP),
            "options": {
                "type": "array",
                "items": _object(
                    {
                        "id": {"type": "integer", "minimum": 1},
                        "label": {"type": "string"},
                        "votes": COUNT,
                        "percent": {
                            "type": "number",
                            "minimum": 0,
                            "maximum": 100,
                            "description": "Of the voters, one decimal.",
                        },
                    }
                ),
            },
        }
    )
    poll_answer = _object(
        {
            "poll": _ref("Poll"),
            "voted": {"type": "boolean", "description": "Whether this visitor has voted."},
            "results": {
                "anyOf": [_ref("PollResults"), {"type": "null"}],
                "description": "null while this visitor may not see the counts yet.",
            },
        }
    )
    visitor = _object(
        {
            "label": {"type": "string", "description": "A short, non-reversible id."},
            "member": _nullable({"type": "string", "description": "The staff member's name."}),
            "role": _nullable({"type": "string", "enum": list(ROLES)}),
            "paths": {"type": "array", "items": {"type": "string"}},
            "since": TIMESTAMP,
            "tabs": COUNT,
            "device": {"type": "string", "enum": ["bot", "tablet", "mobile", "desktop"]},
            "bot": {"type": "boolean"},
        }
    )
    feed_item = _object(
        {
            "type": {
                "type": "string",
                "enum": ["join", "move", "leave"],
                "description": "A move is a visitor's next page opening within the grace after "
                "the previous one closed (or a tab showing another page): one line, not a "
                "departure and an arrival.",
            },
            "visitor": {"type": "string"},
            "member": _nullable({"type": "string"}),
            "staff": {"type": "boolean", "description": "A logged-in staff member's line."},
            "bot": {"type": "boolean"},
            "path": _nullable({"type": "string"}),
            "title": _nullable({"type": "string", "description": "The page's title."}),
            "at": TIMESTAMP,
            "from_path": _nullable({"type": "string", "description": "Moves only."}),
            "from_title": _nullable({"type": "string", "description": "Moves only."}),
        },
        required=["type", "visitor", "member", "staff", "bot", "path", "title", "at"],
    )
    moderation = _object(
        {
            "figures": _ref("OnlineFigures"),
            "bots": COUNT,
            "visitors": {"type": "array", "items": _ref("Visitor")},
            "titles": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "The title of each page in `visitors`, by path, where known.",
            },
            "pages": {
                "type": "array",
                "items": _object(
                    {
                        "path": {"type": "string"},
                        "title": _nullable({"type": "string"}),
                        "readers": COUNT,
                    }
                ),
            },
            "feed": {
                "type": "array",
                "items": _ref("FeedItem"),
                "description": "Newest first: the last 50 lines of people, with the staff and "
                "bot lines among them.",
            },
        }
    )
    document: Schema = {
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "properties": {
            "openapi": {"type": "string"},
            "info": {"type": "object"},
            "paths": {"type": "object"},
        },
    }
    return {
        "OnlineFigures": online,
        "Statistics": statistics,
        "Poll": poll,
        "PollResults": results,
        "PollAnswer": poll_answer,
        "Visitor": visitor,
        "FeedItem": feed_item,
        "ModerationSnapshot": moderation,
        "OpenApiDocument": document,
    }


HTML_PAGE: dict[str, Schema] = {"text/html": {"schema": {"type": "string"}}}
CACHE_CONTROL: dict[str, Any] = {
    "Cache-Control": {
        "description": "How long shared caches may keep the answer.",
        "schema": {"type": "string"},
    }
}


def _responses() -> dict[str, Schema]:
    return {
        "BadRequest": {
            "description": "The request was not understood (malformed address or headers).",
            "content": {**HTML_PAGE, "text/plain": {"schema": {"type": "string"}}},
        },
        "NotFound": {
            "description": "No such resource: the error page in the visitor's language.",
            "content": HTML_PAGE,
        },
        "TooManyRequests": {
            "description": "Too many requests from this client; wait and try again.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait.",
                    "schema": {"type": "string"},
                }
            },
            "content": HTML_PAGE,
        },
        "Unavailable": {
            "description": (
                "Temporarily unavailable: the database is busy or cannot write, or the live "
                "layer is not running in this process; try again."
            ),
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait (when known).",
                    "schema": {"type": "string"},
                }
            },
            "content": HTML_PAGE,
        },
    }


def _json(description: str, schema: str, *, cached: bool = False) -> Schema:
    answer: Schema = {"description": description, "content": {JSON: {"schema": _ref(schema)}}}
    if cached:
        answer["headers"] = CACHE_CONTROL
    return answer


ERROR_CODES = {
    "BadRequest": "400",
    "NotFound": "404",
    "TooManyRequests": "429",
    "Unavailable": "503",
}


def _errors(*names: str) -> dict[str, Schema]:
    return {ERROR_CODES[name]: {"$ref": f"#/components/responses/{name}"} for name in names}


def _paths() -> dict[str, Schema]:
    return {
        "/api/online": {
            "get": {
                "operationId": "getOnline",
                "tags": ["live"],
                "summary": "Who is online now (counts only)",
                "description": "The same figures as the Socket.IO event `online_count`.",
                "responses": {
                    "200": _json("The public presence figures.", "OnlineFigures", cached=True),
                    **_errors("BadRequest", "TooManyRequests", "Unavailable"),
                },
            }
        },
        "/api/statistik": {
            "get": {
                "operationId": "getStatistics",
                "tags": ["statistics"],
                "summary": "The visit total of the Statistik module",
                "description": (
                    "The same figures as the Socket.IO event `visit_total`; `members`, "
                    "`articles` and `links` are present when the site's settings choose them."
                ),
                "responses": {
                    "200": _json("The public visit figures.", "Statistics", cached=True),
                    **_errors("BadRequest", "TooManyRequests", "Unavailable"),
                },
            }
        },
        "/api/polls/{poll_id}": {
            "get": {
                "operationId": "getPoll",
                "tags": ["polls"],
                "summary": "A poll, and its results where this visitor may see them",
                "description": (
                    "Draft polls do not exist for the API. Whether `results` is filled depends "
                    "on the poll's rule (always, after voting, after closing) and on the "
                    "visitor cookie, which recognises a visitor who has voted."
                ),
                "parameters": [
                    {
                        "name": "poll_id",
                        "in": "path",
                        "required": True,
                        "description": "The poll's id; anything but 1 to 9 digits is a 404.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": POLL_ID_MAX},
                    }
                ],
                "responses": {
                    "200": _json("The poll and, if visible, its results.", "PollAnswer"),
                    "308": {
                        "description": (
                            "An id with an encoded slash (%2F) made a doubled slash: to the "
                            "address with the slashes merged."
                        ),
                        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
                        "content": HTML_PAGE,
                    },
                    **_errors("BadRequest", "NotFound", "TooManyRequests", "Unavailable"),
                },
            }
        },
        "/api/moderasi/online": {
            "get": {
                "operationId": "getModerationOnline",
                "tags": ["live", "staff"],
                "summary": "The moderators' live table (moderators and admins only)",
                "description": "The same data as the `/moderasi` namespace's `presence_table`.",
                "security": [{"staffSession": []}],
                "responses": {
                    "200": _json("The moderators' snapshot.", "ModerationSnapshot"),
                    "302": {
                        "description": "Not logged in: to the login page, coming back after.",
                        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
                        "content": HTML_PAGE,
                    },
                    "403": {
                        "description": "Logged in, but not as a moderator or admin.",
                        "content": HTML_PAGE,
                    },
                    **_errors("BadRequest", "TooManyRequests", "Unavailable"),
                },
            }
        },
        DOCUMENT_PATH: {
            "get": {
                "operationId": "getOpenApi",
                "tags": ["meta"],
                "summary": "This description",
                "responses": {
                    "200": _json("The OpenAPI document.", "OpenApiDocument", cached=True),
                    **_errors("BadRequest", "TooManyRequests", "Unavailable"),
                },
            }
        },
    }


def build_document(
    *,
    site_name: str = "Serambi",
    staff_cookie: str = STAFF_COOKIE,
    stats_figures: Iterable[str] = (),
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the JSON API, for this site's settings.

    `staff_cookie` is the staff session cookie's name as the request sees it (`__Host-`
    prefixed over HTTPS).
    """
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site_name}: JSON API",
            "version": API_VERSION,
            "description": (
                "Read-only figures of the portal as JSON. The same figures are pushed live "
                "over Socket.IO (path `/socket.io/`). Errors are the portal's HTML error pages."
            ),
        },
        "tags": [
            {"name": "live", "description": "Presence: who is on the site now."},
            {"name": "statistics", "description": "Visit counts."},
            {"name": "polls", "description": "Polls and their results."},
            {"name": "staff", "description": "Only for logged-in moderators and admins."},
            {"name": "meta", "description": "This description."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(stats_figures),
            "responses": _responses(),
            "securitySchemes": {
                "staffSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": staff_cookie,
                    "description": "The staff session cookie set by logging in at /masuk.",
                }
            },
        },
    }
