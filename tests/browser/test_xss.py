"""XSS through every field the portal shows, in Chromium against the running portal.

The corpus (tests/xss_payloads.py) goes in through the real forms over HTTP, as the demo editor:
article titles, bodies, authors and descriptions, category titles, poll questions and answers,
calendar events, files of the download library (title, category, description, file name); the
search query and the e-mail-to-a-friend form are sent by the browser itself. Chromium then opens
every page that shows them, with the Content-Security-Policy switched off, so that the escaping
and the cleaner are what is proved (a short last pass keeps the policy on).

Nothing may run: alert, confirm, prompt and xss() are replaced in every frame by functions that
report to the test, native dialogs are counted too, and so are uncaught errors that name xss (a
payload running where the watch is missing). Each page is also read for markup that would run on
a click or a key (inline handlers, javascript: addresses, srcdoc, scripts not from the site,
base, meta refresh), for navigations nobody asked for, and for its markers: every value starts
with one, so a field no page showed cannot pass unseen. A control first proves every watch.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from content.sanitize import clean_html
from tests.browser.conftest import CHROMIUM_ARGS
from tests.conftest import DemoDatabase, LiveServer, copy_demo, free_port, soup
from tests.xss_payloads import PAYLOADS, TEXT_PAYLOADS, calls_watched

TIMEOUT_MS = 15_000
TABS = 3  # pages open at once in a browser context
WRITERS = 4  # form posts in flight at once
PER_PAGE = 50  # articles per list page and search results per page on the test server
EVENT_PAGES = 16  # events with a description; the corpus is shared between them
EDITOR_EMAIL = "redaksi@balittri.example"
MARKER = re.compile(r"xk[a-z]+\d+q")  # xk, the field's letters, a number, q
VIDEO_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")
# Every name but the portal's resolves to nothing, so a payload's foreign address fails at once.
HOST_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

# The plain-text fields take the payloads written for text (TEXT_PAYLOADS) and those of the
# cleaner's corpus that call a watched function within 50 characters: the longer ones are the
# same tricks in more markup, and a 255-character title holds few of them. The HTML fields take
# the whole corpus.
SHORT = 50
TEXT_FIELD_PAYLOADS = [
    index
    for index, payload in enumerate(PAYLOADS)
    if payload in TEXT_PAYLOADS or (len(payload) <= SHORT and calls_watched(payload))
]

# In every frame, before the page's own scripts: the watched functions report and return.
WATCH_SCRIPT = """
(() => {
  const hits = [];
  const report = (name, args) => {
    const text = name + "(" + Array.from(args, String).join(", ").slice(0, 80) + ") in "
      + String(location.href).slice(0, 160);
    hits.push(text);
    try { window.__xssReport(text); } catch (error) { /* the list above still has it */ }
  };
  Object.defineProperty(window, "__xssHits", { value: hits });
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = function () { report(name, arguments); return name === "prompt" ? "" : false; };
  }
  window.xss = function () { report("xss", arguments); };
})();
"""

# A page read for what would run later (on a click, a key, a timer), and for its markers.
AUDIT_SCRIPT = """
(videoHosts) => {
  const found = [];
  const origin = location.origin;
  const short = (element) => element.outerHTML.slice(0, 200);
  const invisible = /[\\u0000-\\u0020\\u007f-\\u00a0\\u00ad\\u200b-\\u200f\\u2028\\u2029\\ufeff]/g;
  const bare = (value) => value.replace(invisible, "").toLowerCase();
  const badScheme = (value) => /^(javascript|vbscript|data|livescript):/.test(bare(value));
  const foreign = (value) => {
    try { return new URL(value, location.href).origin !== origin; } catch (error) { return true; }
  };
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "poster", "background", "cite", "codebase", "srcset", "ping", "lowsrc", "dynsrc", "to",
    "values", "from", "by"]);
  const loadsOrRuns = /expression|javascript:|behavior|binding|url\\s*\\(/i;
  const sendsAway = (element) => (element.localName === "form" && foreign(element.action))
    || (element.hasAttribute("formaction") && foreign(element.formAction));
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push("inline handler " + name + ": " + short(element));
      else if (urlAttributes.has(name) && badScheme(attribute.value))
        found.push("script address in " + name + ": " + short(element));
      else if (name === "srcdoc") found.push("srcdoc: " + short(element));
      else if (name === "style" && loadsOrRuns.test(attribute.value))
        found.push("style that loads or runs: " + short(element));
    }
    // A data block (type="application/json", never run) is allowed when it is JSON and nothing else
    const dataBlock = (script) => {
      if (script.type !== "application/json" || script.src) return false;
      try { JSON.parse(script.text); return true; } catch (error) { return false; }
    };
    if (tag === "script" && !dataBlock(element)
        && (!element.src || foreign(element.src) || element.text.trim()))
      found.push("script not from the site: " + short(element));
    if (["object", "embed", "applet", "base", "frame", "frameset", "portal", "style"].includes(tag))
      found.push("<" + tag + ">: " + short(element));
    if (tag === "meta" && (element.httpEquiv || "").toLowerCase() === "refresh")
      found.push("meta refresh: " + short(element));
    if (tag === "link" && element.href && foreign(element.href))
      found.push("link to another site: " + short(element));
    if (sendsAway(element)) found.push("form sent to another site: " + short(element));
    if (tag === "iframe") {
      let url = null;
      try { url = new URL(element.getAttribute("src") || "", location.href); } catch (error) { }
      if (!url || url.protocol !== "https:" || !videoHosts.includes(url.hostname))
        found.push("frame not from a video host: " + short(element));
    }
  }
  const next = document.querySelector(".pagination a[rel=next]");
  return {
    hits: Array.from(window.__xssHits || []),
    found,
    markers: Array.from(new Set(document.documentElement.outerHTML.match(/xk[a-z]+\\d+q/g) || [])),
    paragraphs: Array.from(document.querySelectorAll("p"), (p) => p.textContent)
      .filter((text) => /^xk[a-z]+\\d+q$/.test(text)),
    next: next ? next.href : null,
  };
}
"""

# The e-mail form sent by the browser with exactly these values (a textarea keeps characters an
# input would drop), so that the page that answers the refused send shows them again. The form
# is made afresh each time: a page that a payload broke must not stop the next send.
SEND_MAIL_FORM = """
([action, values]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  for (const [name, value] of Object.entries(values)) {
    const area = document.createElement("textarea");
    area.name = name;
    area.value = value;
    form.append(area);
  }
  form.hidden = true;
  document.body.append(form);
  form.submit();
}
"""
HIDDEN_FIELDS = """
(selector) => Object.fromEntries(Array.from(
  document.querySelectorAll(selector + " input[type=hidden]"), (input) => [input.name, input.value]
))
"""


# ----------------------------------------------------------------------- the values to post


@dataclass
class Field:
    """One rendered field: the values posted into it and the payloads each value carries."""

    name: str
    required: bool = True  # must carry at least 150 payloads
    html: bool = False  # each payload follows its own <p>marker</p>, which must stay a paragraph
    values: list[str] = field(default_factory=list)
    carried: list[list[int]] = field(default_factory=list)

    def marker(self, number: int) -> str:
        return f"xk{self.name}{number}q"

    @property
    def payloads(self) -> set[int]:
        return {index for indexes in self.carried for index in indexes}

    @property
    def markers(self) -> set[str]:
        return {found for value in self.values for found in MARKER.findall(value)}

    def keep(self, count: int) -> Field:
        """Only the first `count` values (the field has only so many places to go)."""
        del self.values[count:], self.carried[count:]
        return self


def no_line_break(payload: str) -> bool:
    return len(payload.splitlines()) == 1 and payload.strip() != ""


def file_name_safe(payload: str) -> bool:
    return not (
        "/" in payload
        or "\\" in payload
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in payload)
    )


def pack(spec: Field, limit: int, allowed: Callable[[str], bool] = bool, suffix: str = "") -> Field:
    """The text-field payloads in as few values as the field's limit allows, each value its
    marker, then payloads separated by spaces (a payload longer than the field is left out)."""
    for index in TEXT_FIELD_PAYLOADS:
        payload = PAYLOADS[index]
        if not allowed(payload):
            continue
        if spec.values and len(spec.values[-1]) + 1 + len(payload) + len(suffix) <= limit:
            spec.values[-1] += " " + payload
            spec.carried[-1].append(index)
            continue
        start = spec.marker(len(spec.values))
        if len(start) + 1 + len(payload) + len(suffix) <= limit:
            spec.values.append(f"{start} {payload}")
            spec.carried.append([index])
    spec.values = [value + suffix for value in spec.values]
    return spec


def swallows(payload: str) -> bool:
    """Whether markup after the payload stops being markup of its own (an unclosed tag, a raw
    text element), as the portal's cleaner reads it."""
    probe = "<p>xkprobe0q</p>"
    return probe not in clean_html(payload + probe)


def html_batches(spec: Field, count: int) -> Field:
    """`count` HTML values sharing the whole corpus. Each payload follows its own <p>marker</p>;
    one that swallows what follows comes last in its value, so that no payload starts inside a
    tag or a raw text an earlier one left open (the browser must show every marker as a
    paragraph of its own, which proves it)."""
    last = [i for i, payload in enumerate(PAYLOADS) if swallows(payload)]
    plain = [i for i in range(len(PAYLOADS)) if i not in last]
    assert len(last) <= count, f"{len(last)} payloads must each end a value"
    spec.html = True
    spec.carried = [plain[n::count] for n in range(count)]
    for n, index in enumerate(last):
        spec.carried[n].append(index)
    spec.values = [
        "".join(f"<p>{spec.marker(i)}</p>{PAYLOADS[i]}" for i in indexes)
        for indexes in spec.carried
    ]
    return spec


def nth(values: list[str], number: int) -> str:
    return values[number % len(values)] if values else ""


# ------------------------------------------------------------------------- writing over HTTP


class Editor:
    """The demo editor, writing through the real forms with a cookie jar."""

    def __init__(self, url: str) -> None:
        self.url = url
        # A connection per request: a POST sent on a kept-alive connection just as the server
        # closes it for idleness fails, and a POST is not retried (under load the idle time
        # between two writes can reach any server's keep-alive timeout).
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(force_close=True),
        )
        self.forms: dict[tuple[str, str | None], dict[str, str]] = {}
        self.limit = asyncio.Semaphore(WRITERS)

    async def page(self, path: str) -> str:
        async with self.http.get(self.url + path) as response:
            assert response.status == 200, f"GET {path}: {response.status}"
            return await response.text()

    async def hidden(self, path: str, action: str | None = None) -> dict[str, str]:
        """The hidden fields (the CSRF token among them) of the form on `path` that posts to
        `action` (None: to the page itself), read once per form."""
        key = (path, action)
        if key not in self.forms:
            for form in soup(await self.page(path)).select("form[method=post]"):
                if (form.get("action") or None) == action:
                    break
            else:
                raise AssertionError(f"no form posting to {action or path} on {path}")
            self.forms[key] = {
                str(i["name"]): str(i.get("value", ""))
                for i in form.select("input[type=hidden][name]")
            }
            assert "csrf_token" in self.forms[key], f"no CSRF token in the form on {path}"
        return self.forms[key]

    async def post(self, path: str, data: dict[str, str] | aiohttp.FormData) -> str:
        """Post a form; the address the portal sends the editor on to (a refusal fails)."""
        async with (
            self.limit,
            self.http.post(self.url + path, data=data, allow_redirects=False) as response,
        ):
            if response.status not in (302, 303):
                page = soup(await response.text())
                errors = [e.get_text(" ", strip=True) for e in page.select(".field-error")]
                raise AssertionError(f"POST {path}: {response.status} {errors}")
            return response.headers["Location"]

    async def login(self, password: str) -> None:
        form = await self.hidden("/masuk", "/masuk")
        await self.post("/masuk", {**form, "email": EDITOR_EMAIL, "password": password})
        self.forms.clear()  # a login starts a new session


@dataclass
class Written:
    """What went in, and the pages that show it."""

    fields: dict[str, Field]
    articles: list[str]  # /artikel/<id>-<alias>
    categories: list[str]  # the categories that hold the articles
    polls: list[int]
    events: list[int]
    searches: list[str]
    mail_forms: list[dict[str, str]]


def _id_from(location: str, pattern: str) -> int:
    match = re.search(pattern, location)
    assert match is not None, f"no id in {location}"
    return int(match.group(1))


async def write_everything(editor: Editor, today: str) -> Written:
    fields = {
        "at": pack(Field("at"), 255),  # article title
        "ab": Field("ab"),  # article intro and full text (HTML), filled in below
        "aa": pack(Field("aa", required=False), 120),  # author shown: one per article
        "ad": pack(Field("ad"), 290),  # meta description (an attribute)
        "ct": pack(Field("ct"), 255),  # category title: the menu of every page
        "cd": pack(Field("cd"), 990),  # category description
        "pq": pack(Field("pq"), 300),  # poll question
        "po": pack(Field("po"), 200, no_line_break),  # poll answers, one a line
        "et": pack(Field("et"), 255),  # event title
        "el": pack(Field("el"), 255),  # event place
        "ec": pack(Field("ec"), 80),  # event category
        "ed": html_batches(Field("ed"), EVENT_PAGES),  # event description (HTML)
        "dt": pack(Field("dt"), 255),  # download title
        "dc": pack(Field("dc"), 80),  # download category
        "dd": pack(Field("dd"), 1990),  # download description
        "df": pack(Field("df", required=False), 150, file_name_safe, ".txt"),  # file name
        "sq": pack(Field("sq"), 400),  # search query
        "mr": pack(Field("mr"), 254),  # e-mail form: recipient
        "mn": pack(Field("mn"), 254),  # e-mail form: sender's name
        "me": pack(Field("me"), 254),  # e-mail form: sender's address
        "ms": pack(Field("ms"), 254),  # e-mail form: subject
    }
    articles_made = len(fields["at"].values)
    fields["ab"] = html_batches(Field("ab"), 2 * articles_made)
    fields["aa"].keep(articles_made)

    # Categories, all published (so every title is in the menu); the articles in the first ones.
    form = await editor.hidden("/redaksi/kategori/baru")

    async def category(number: int) -> None:
        await editor.post(
            "/redaksi/kategori/baru",
            {
                **form,
                "title": fields["ct"].values[number],
                "alias": f"xss-{number}",
                "description": nth(fields["cd"].values, number),
                "parent_id": "",
                "layout": "blog",
                "ordering": str(100 + number),
                "published": "1",
            },
        )

    await asyncio.gather(*(category(n) for n in range(len(fields["ct"].values))))
    category_ids: dict[int, str] = {}  # number made -> id
    for option in soup(await editor.page("/redaksi/artikel/baru")).select("#category_id option"):
        number = re.search(r"xkct(\d+)q", option.get_text())
        if number:
            category_ids[int(number.group(1))] = str(option["value"])
    assert len(category_ids) == len(fields["ct"].values)
    holding = range(min(len(category_ids), max(1, len(fields["cd"].values))))

    # Articles: one per title; published and featured, so the home page lists them too.
    form = await editor.hidden("/redaksi/artikel/baru")
    body = fields["ab"].values

    async def article(number: int) -> str:
        location = await editor.post(
            "/redaksi/artikel/baru",
            {
                **form,
                "title": fields["at"].values[number],
                "alias": f"xss-{number}",
                "category_id": category_ids[holding[number % len(holding)]],
                "author_name": nth(fields["aa"].values, number),
                "meta_description": nth(fields["ad"].values, number),
                "intro_html": "<p>xsskorpus</p>" + body[2 * number],
                "full_html": body[2 * number + 1],
                "state": "1",
                "featured": "1",
                "publish_up": "",
                "publish_down": "",
                "intro_image": "",
                "action": "save",
            },
        )
        article_id = _id_from(location, r"/artikel/(\d+)")
        return f"/artikel/{article_id}-xss-{number}"

    articles = list(await asyncio.gather(*(article(n) for n in range(articles_made))))

    # Polls: opened, results always shown, up to 20 answers each.
    form = await editor.hidden("/redaksi/polling/baru")
    answers = fields["po"].values
    made_polls = max(len(fields["pq"].values), -(-len(answers) // 19))  # 19 and "Tidak tahu"

    async def poll(number: int) -> None:
        mine = answers[number::made_polls] or [nth(answers, number)]
        await editor.post(
            "/redaksi/polling/baru",
            {
                **form,
                "question": nth(fields["pq"].values, number),
                "options": "\n".join([*mine, f"Tidak tahu {number}"]),
                "max_choices": "1",
                "opens_at": "",
                "closes_at": "",
                "audience": "everyone",
                "results": "always",
                "guard_cookie": "1",
                "lag_hours": "0",
            },
        )

    await asyncio.gather(*(poll(n) for n in range(made_polls)))
    rows = soup(await editor.page("/redaksi/polling")).select("tr[data-poll-id]")
    polls = [int(str(row["data-poll-id"])) for row in rows if MARKER.search(row.get_text())]
    assert len(polls) == made_polls

    async def open_poll(poll_id: int) -> None:
        action = f"/redaksi/polling/{poll_id}/status"
        hidden = await editor.hidden("/redaksi/polling", action)
        await editor.post(action, {**hidden, "state": "open"})

    await asyncio.gather(*(open_poll(p) for p in polls))

    # Events: all today, so the month and the upcoming list show every one.
    form = await editor.hidden("/redaksi/kegiatan/baru")

    async def event(number: int) -> int:
        location = await editor.post(
            "/redaksi/kegiatan/baru",
            {
                **form,
                "title": nth(fields["et"].values, number),
                "all_day": "1",
                "start_date": today,
                "end_date": "",
                "start_time": "",
                "end_time": "",
                "recurrence": "",
                "repeat_until": "",
                "location": nth(fields["el"].values, number),
                "category": nth(fields["ec"].values, number),
                "url": "",
                "description_html": fields["ed"].values[number] if number < EVENT_PAGES else "",
                "published": "1",
            },
        )
        return _id_from(location, r"disimpan=(\d+)")

    made = max(len(fields[name].values) for name in ("et", "el", "ec", "ed"))
    events = list(await asyncio.gather(*(event(n) for n in range(made))))

    # Downloads: small text files, checked by their content like any upload.
    form = await editor.hidden("/redaksi/unduhan/baru")
    names = fields["df"].values

    async def download(number: int) -> None:
        data = aiohttp.FormData(quote_fields=False)  # file names as a browser sends them
        for name, value in form.items():
            data.add_field(name, value)
        data.add_field("title", nth(fields["dt"].values, number))
        data.add_field("category", nth(fields["dc"].values, number))
        data.add_field("description", nth(fields["dd"].values, number))
        data.add_field("published", "1")
        data.add_field(
            "file",
            f"Berkas uji nomor {number}.\n".encode(),
            filename=names[number] if number < len(names) else f"berkas-{number}.txt",
            content_type="text/plain",
        )
        await editor.post("/redaksi/unduhan/baru", data)

    made = max(len(fields[name].values) for name in ("dt", "dc", "dd", "df"))
    await asyncio.gather(*(download(n) for n in range(made)))

    searches = [f"/cari?q={quote(query, safe='')}" for query in fields["sq"].values]
    searches.append("/cari?q=xsskorpus")  # every article: titles and snippets with marks
    mail = {
        name: fields[key].values
        for name, key in (("recipient", "mr"), ("sender_name", "mn"), ("sender_email", "me"),
                          ("subject", "ms"))
    }  # fmt: skip
    mail_forms = [
        {name: nth(values, n) for name, values in mail.items()}
        for n in range(max(len(values) for values in mail.values()))
    ]
    categories = [f"/kategori/{category_ids[n]}-xss-{n}" for n in holding]
    return Written(fields, articles, categories, polls, events, searches, mail_forms)


# ----------------------------------------------------------------------------- the watch


@dataclass
class Watch:
    """What ran or could run in the browser, and the markers the pages showed."""

    hits: list[str] = field(default_factory=list)  # a watched function ran, a dialog opened
    found: list[str] = field(default_factory=list)  # markup that would run on a click or key
    moved: list[str] = field(default_factory=list)  # navigations and windows nobody asked for
    fetched: list[str] = field(default_factory=list)  # scripts, styles, frames from elsewhere
    markers: set[str] = field(default_factory=set)  # anywhere in a page
    paragraphs: set[str] = field(default_factory=set)  # as a paragraph of their own
    pages: int = 0

    async def attach(self, context: Any) -> None:
        """Watch every page of the context, from before the first script of each frame."""
        await context.expose_binding("__xssReport", lambda _source, text: self.hits.append(text))
        await context.add_init_script(WATCH_SCRIPT)
        self.listen(context)

    def listen(self, context: Any) -> None:
        """Dialogs, errors, windows and requests of every page of the context."""
        context.on("page", self._page)
        context.on("request", self._request)

    def _page(self, page: Any) -> None:
        async def dialog(dialog: Any) -> None:
            self.hits.append(f"{dialog.type} dialog {dialog.message!r} on {page.url}")
            await dialog.dismiss()

        def error(error: Any) -> None:
            if "xss" in str(error).lower():
                self.hits.append(f"error naming xss on {page.url}: {error}")

        page.on("dialog", dialog)
        page.on("pageerror", error)
        page.on("popup", lambda popup: self.moved.append(f"a window opened from {page.url}"))

    def _request(self, request: Any) -> None:
        host = urlsplit(request.url).hostname or ""
        if host in ("127.0.0.1", *VIDEO_HOSTS) or request.url.startswith(("data:", "blob:")):
            return
        if request.resource_type in ("document", "script", "stylesheet", "xhr", "fetch"):
            self.fetched.append(f"{request.resource_type} {request.url[:160]}")

    async def check(self, page: Any, where: str) -> dict[str, Any]:
        """Read the page as it is now."""
        result: dict[str, Any] = await page.evaluate(AUDIT_SCRIPT, list(VIDEO_HOSTS))
        self.pages += 1
        self.hits.extend(f"{hit} ({where})" for hit in result["hits"])
        self.found.extend(f"{item} ({where})" for item in result["found"])
        self.markers.update(result["markers"])
        self.paragraphs.update(result["paragraphs"])
        for frame in page.frames[1:]:
            try:
                hits = await frame.evaluate("Array.from(window.__xssHits || [])")
            except Exception as problem:  # a frame gone away ran nothing more
                hits = [] if "detached" in str(problem).lower() else [str(problem)]
            self.hits.extend(f"{hit} (a frame of {where})" for hit in hits)
        return result

    async def visit(self, page: Any, url: str) -> dict[str, Any]:
        response = await page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url}: {response}"
        result = await self.check(page, url)
        self.stayed(page, response.url)
        return result

    def stayed(self, page: Any, address: str) -> None:
        if page.url != address or urlsplit(page.url).hostname != "127.0.0.1":
            self.moved.append(f"{address} went on to {page.url}")

    def failures(self) -> list[str]:
        return [
            *(f"RAN: {hit}" for hit in self.hits),
            *(f"WOULD RUN: {item}" for item in self.found),
            *(f"MOVED: {item}" for item in self.moved),
            *(f"FETCHED: {item}" for item in self.fetched),
        ]


async def visit_all(context: Any, watch: Watch, base: str, paths: Iterable[str]) -> None:
    """Open every page, and the next pages of paginated ones, in a few tabs at once."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(base + path)

    async def tab(page: Any) -> None:
        while True:
            url = await queue.get()
            try:
                result = await watch.visit(page, url)
                if result["next"]:
                    queue.put_nowait(result["next"])
            finally:
                queue.task_done()

    pages = [await context.new_page() for _ in range(TABS)]
    for page in pages:
        page.set_default_timeout(TIMEOUT_MS)
    tabs = [asyncio.create_task(tab(page)) for page in pages]
    done = asyncio.create_task(queue.join())
    await asyncio.wait([done, *tabs], return_when=asyncio.FIRST_COMPLETED)
    for task in [done, *tabs]:
        task.cancel()
    for task in [done, *tabs]:
        with contextlib.suppress(asyncio.CancelledError):
            await task  # a tab's failure is raised here
    for page in pages:
        await page.close()


async def send_mail_forms(context: Any, watch: Watch, base: str, written: Written) -> None:
    """Each refused send of the e-mail form shows what was typed again; a few tabs at once."""
    address = base + written.articles[0] + "/email"

    async def tab(forms: list[dict[str, str]]) -> None:
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        await watch.visit(page, address)
        hidden = await page.evaluate(HIDDEN_FIELDS, "form.mail-form")
        assert "csrf_token" in hidden and "form_stamp" in hidden, hidden
        for values in forms:
            async with page.expect_navigation(wait_until="load") as sent:
                await page.evaluate(SEND_MAIL_FORM, [address, {**hidden, **values}])
            response = await sent.value
            assert response is not None and response.status == 400, response
            await watch.check(page, f"the e-mail form sent with {values['sender_name'][:8]}")
            watch.stayed(page, response.url)
        await page.close()

    await asyncio.gather(*(tab(written.mail_forms[n::TABS]) for n in range(TABS)))


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture
def xss_server(tmp_path: Path, demo_database: DemoDatabase) -> Any:
    """The portal on a copy of the demo database, with the e-mail form on (its SMTP port has
    nobody listening, and no send is ever valid) and long list pages."""
    target = tmp_path / "xss.db"
    copy_demo(demo_database, target)
    server = LiveServer(tmp_path, target)
    server.start(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(free_port()),
        SMTP_TIMEOUT="2",
        MAIL_FROM="portal@balittri.example",
        ARTICLES_PER_PAGE=str(PER_PAGE),
        SEARCH_PER_PAGE=str(PER_PAGE),
        ACCESS_LOG="false",
        # Throttles this test is not about: it sends the e-mail form some 30 times and
        # searches some 20 times within the minute.
        MAIL_FORM_PER_MINUTE="0",
        SEARCH_PER_MINUTE="0",
    )
    yield server
    server.stop()


@pytest.fixture
async def chromium(chromium_path: Path) -> AsyncIterator[Any]:
    """Chromium as in conftest.py, with every host but the portal's unreachable."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=[*CHROMIUM_ARGS, HOST_RULES]
        )
        try:
            yield browser
        finally:
            await browser.close()


# ----------------------------------------------------------------------------------- tests


def test_the_text_fields_get_enough_of_the_corpus() -> None:
    assert len(PAYLOADS) >= 150
    assert sum(calls_watched(PAYLOADS[i]) for i in TEXT_FIELD_PAYLOADS) >= 150
    assert swallows("<img src=x onerror=xss() ")
    assert not swallows("<b>x</b><img src=x onerror=xss()>")


async def control(browser: Any, context: Any, watch: Watch, base: str) -> None:
    """Every watch must catch what it is for: a broken watch fails here, not silently."""
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await watch.visit(page, base + "/")
    assert watch.failures() == [], watch.failures()
    await page.evaluate("alert('kontrol 1')")
    await page.evaluate("window.xss('kontrol 2')")
    await page.evaluate(  # a frame made by script gets the watch too
        "(() => { const f = document.createElement('iframe'); document.body.append(f);"
        " f.contentWindow.alert('kontrol 3'); })()"
    )
    await page.set_content(
        '<p>kontrol</p><img src="x" onerror="xss(4)"><a href="javascript:xss(5)">a</a>'
        "<iframe srcdoc=\"<script>confirm('kontrol 6')</script>\"></iframe>"
        "<script>prompt('kontrol 7')</script><meta http-equiv=refresh content=999>"
        '<link rel=stylesheet href="https://evil.example/x.css">'
    )
    await page.wait_for_timeout(300)
    await watch.check(page, "control")
    ran = "\n".join(watch.hits)
    for expected in ("kontrol 1", "kontrol 2", "kontrol 3", "xss(4", "kontrol 6", "kontrol 7"):
        assert expected in ran, f"the watch missed {expected}: {watch.hits}"
    found = "\n".join(watch.found)
    for expected in ("handler onerror", "address in href", "srcdoc", "script not", "refresh"):
        assert expected in found, f"the page check missed {expected}: {watch.found}"
    assert any("evil.example" in item for item in watch.fetched), watch.fetched
    watch.stayed(page, base + "/elsewhere")
    assert watch.moved, "a page that is not where it was asked to be went unnoticed"
    await page.close()

    # Where the replaced functions are missing, a native dialog, an error that names xss and
    # a new window are caught on their own.
    bare = await browser.new_context()
    watch.listen(bare)
    page = await bare.new_page()
    hits = len(watch.hits)
    await page.set_content("<script>alert('kontrol 8'); setTimeout(() => xssMissing(9))</script>")
    await page.evaluate("window.open('about:blank')")
    await page.wait_for_timeout(300)
    caught = "\n".join(watch.hits[hits:])
    assert "alert dialog 'kontrol 8'" in caught, watch.hits
    assert "xssMissing" in caught, watch.hits
    assert "a window opened" in watch.moved[-1], watch.moved
    await bare.close()
    for found_list in (watch.hits, watch.found, watch.fetched, watch.moved):
        found_list.clear()


# Some hundred forms and pages through Chromium: about a minute on a quiet machine, several on
# one whose cores are busy, where the default 120 s cut it short.
@pytest.mark.timeout(600)
async def test_no_payload_runs_in_any_field(
    chromium: Any, xss_server: LiveServer, demo_database: DemoDatabase
) -> None:
    base = xss_server.url
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    editor = Editor(base)
    try:
        await editor.login(demo_database.passwords["editor"])
        written = await write_everything(editor, today)
        staff_cookies = [
            {"name": c.key, "value": c.value, "url": base} for c in editor.http.cookie_jar
        ]
    finally:
        await editor.http.close()
    for spec in written.fields.values():
        watched = sum(calls_watched(PAYLOADS[i]) for i in spec.payloads)
        assert watched >= 150 or not spec.required, f"{spec.name} carries {watched} payloads"

    watch = Watch()
    visitor = await chromium.new_context(bypass_csp=True)
    await watch.attach(visitor)
    await control(chromium, visitor, watch, base)
    await visit_all(
        visitor,
        watch,
        base,
        [
            "/",
            *written.categories,
            f"{written.categories[0]}?tampilan=list",
            *written.articles,
            *(f"{article}/cetak" for article in written.articles),
            "/polling",
            *(f"/polling/{poll}" for poll in written.polls),
            f"/kalender/{today[:4]}/{int(today[5:7])}",  # every event's title, place, category
            "/kalender/mendatang",
            *(f"/kalender/acara/{event}" for event in written.events[:EVENT_PAGES]),
            "/unduhan",
            *written.searches,
        ],
    )
    await send_mail_forms(visitor, watch, base, written)
    await visitor.close()

    # The editors' lists and forms show the same values, and the file names, to staff.
    staff = await chromium.new_context(bypass_csp=True)
    await staff.add_cookies(staff_cookies)
    await watch.attach(staff)
    await visit_all(
        staff,
        watch,
        base,
        [
            "/redaksi/",
            "/redaksi/artikel",
            "/redaksi/kategori",
            "/redaksi/polling",
            f"/redaksi/polling/{written.polls[0]}",
            "/redaksi/kegiatan",
            f"/redaksi/kegiatan/{written.events[0]}",
            "/redaksi/unduhan",
        ],
    )
    await staff.close()

    # With the Content-Security-Policy on, as visitors get it, nothing runs either.
    guarded = await chromium.new_context()
    await watch.attach(guarded)
    await visit_all(guarded, watch, base, ["/", written.articles[0], written.searches[0]])
    await guarded.close()

    failures = watch.failures()
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:80])
    for spec in written.fields.values():
        unseen = sorted(spec.markers - (watch.paragraphs if spec.html else watch.markers))
        assert not unseen, f"{spec.name}: no page showed {unseen}"
    print(
        f"{len(PAYLOADS)} payloads, {watch.pages} page views; payloads per field: "
        + ", ".join(f"{spec.name} {len(spec.payloads)}" for spec in written.fields.values())
    )
