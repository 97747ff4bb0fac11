"""The JSON API's OpenAPI description, served at GET /api/openapi.json."""

from __future__ import annotations

from quart import Blueprint, current_app, jsonify
from quart.typing import ResponseReturnValue

from content.web import openapi, staff_cookie_name

blueprint = Blueprint("api_docs", __name__)


@blueprint.get(openapi.DOCUMENT_PATH)
async def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of the /api/ routes, for this site's settings."""
    config = current_app.config
    response = jsonify(
        openapi.build_document(
            site_name=config["SITE_NAME"],
            staff_cookie=staff_cookie_name(),
            stats_figures=config["STATS_FIGURES"],
        )
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
