"""The Quart blueprints, one per area of the site, and the assembly of the web layer."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import fields

from itsdangerous import URLSafeSerializer
from quart import Quart

from content.polls import Guard, VoteThrottle
from content.runtime import Runtime
from content.visitors import VisitorSigner
from content.web import (
    STATIC_FOLDER,
    caching,
    compression,
    mail,
    page_cache,
    pdf,
    response_headers,
    sidebar,
    static_hashes,
    vendor_hashes,
)
from content.web import init_app as init_request_hooks
from content.web.state import Portal
from content.web.views import (
    accounts_admin,
    api_docs,
    archive,
    auth,
    calendar,
    dashboard,
    drafts,
    editor,
    errors,
    images,
    legacy,
    live,
    media,
    modules_admin,
    polls,
    public,
    revisions,
    statistics,
    tools,
)


def init_app(app: Quart, runtime: Runtime) -> Portal:
    """Assemble the portal around content's parts and install it; then the hooks every request
    goes through, the blueprints and the error pages."""
    secret = app.config["SECRET_KEY"]
    compressor = compression.init_app(app)
    state = Portal(
        **{part.name: getattr(runtime, part.name) for part in fields(Runtime)},
        visitor_signer=VisitorSigner(secret),
        device_signer=URLSafeSerializer(secret, salt="serambi-device"),
        # Form tokens: an HMAC keyed once here, copied per token (see csrf_token)
        csrf_mac=hmac.new(secret.encode(), b"serambi-csrf", hashlib.sha256),
        static_hashes=static_hashes(),
        vendor_hashes=vendor_hashes(),
        security_headers=response_headers(app.config),
        compressor=compressor,
        page_cache=page_cache.init_app(app, runtime.events, runtime.clock, compressor),
        poll_guard=Guard(secret),
        vote_throttle=VoteThrottle(app.config["POLL_VOTES_PER_MINUTE"]),
        shared_modules=sidebar.init_app(app, runtime.events, runtime.clock),
        mail_stamp=mail.FormStamp(secret),
        mail_limiter=mail.RateLimiter(),
        reset_limiter=mail.RateLimiter(clock=runtime.clock.monotonic),
        pdf_cache=pdf.init_app(app, STATIC_FOLDER),
    )
    state.images = images.init_app(app)
    state.install(app)
    init_request_hooks(app, state)
    caching.init_app(app)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(accounts_admin.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(editor.blueprint)
    app.register_blueprint(revisions.blueprint)
    app.register_blueprint(drafts.blueprint)
    app.register_blueprint(live.blueprint)
    app.register_blueprint(statistics.blueprint)
    app.register_blueprint(polls.blueprint)
    app.register_blueprint(legacy.blueprint)
    app.register_blueprint(archive.blueprint)
    app.register_blueprint(tools.blueprint)
    app.register_blueprint(calendar.blueprint)
    app.register_blueprint(media.blueprint)
    app.register_blueprint(images.blueprint)
    app.register_blueprint(modules_admin.blueprint)
    app.register_blueprint(api_docs.blueprint)
    errors.init_app(app)
    return state
