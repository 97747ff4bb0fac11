"""The one XSS corpus: the cleaner's tests (test_sanitize.py) and the browser test
(browser/test_xss.py) both take their payloads from here.

The markup payloads aimed at the HTML cleaner are kept in fixtures/xss_payloads.txt (one a line,
so they stay readable with their odd bytes written as escapes); the payloads below are aimed at
the fields the portal shows as text: titles, poll answers, places, file names, the search query
and the e-mail form, where a payload must break out of an attribute, an RCDATA element or a
template before it can run. Every payload, if it ever ran, calls a function the browser test
watches: alert, confirm, prompt or xss.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from pathlib import Path
from urllib.parse import unquote

PAYLOAD_FILE = Path(__file__).parent / "fixtures" / "xss_payloads.txt"
WATCHED_FUNCTIONS = ("alert", "confirm", "prompt", "xss")
_ESCAPES_RE = re.compile(r"\\(0|t|n|r|x[0-9a-fA-F]{2})")
_ESCAPES = {"0": "\0", "t": "\t", "n": "\n", "r": "\r"}
_WATCHED_RE = re.compile(r"\b(?:alert|confirm|prompt|xss)\W{0,3}[(`]", re.IGNORECASE)
_BASE64_RE = re.compile(r"base64,([A-Za-z0-9+/=]+)")
_ATOB_RE = re.compile(r"atob\(['\"]([A-Za-z0-9+/=]+)['\"]\)")
_JOINED_RE = re.compile(r"[`'\"]\+[`'\"]")  # 'al'+'ert'
_JS_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")


def _decode_escapes(line: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code.startswith("x") else _ESCAPES[code]

    return _ESCAPES_RE.sub(replace, line)


def load_payload_file(path: Path = PAYLOAD_FILE) -> list[str]:
    """The payloads of a corpus file: blank lines and # comments skipped, escapes decoded."""
    payloads = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        payloads.append(_decode_escapes(raw))
    return payloads


# Payloads for text fields and for the places around them, written with the characters they need.
TEXT_PAYLOADS: tuple[str, ...] = (
    # attribute breakouts: value="...", content="...", title="..."
    '"><script>xss()</script>',
    "'><script>xss()</script>",
    '"><img src=x onerror=xss()>',
    '" onmouseover="xss()" x="',
    "' onmouseover='xss()' x='",
    '" autofocus onfocus="xss()" x="',
    '"/><svg/onload=xss()>',
    '"><a href="javascript:xss()">klik</a>',
    "``onmouseover=xss()``",
    "&quot;&gt;&lt;img src=x onerror=xss()&gt;",
    # closing the element a text is shown in
    "</title><script>xss()</script>",
    "</textarea><img src=x onerror=xss()>",
    "</script><svg onload=xss()>",
    "</style><img src=x onerror=xss()>",
    "</noscript><img src=x onerror=xss()>",
    "</option></select><img src=x onerror=xss()>",
    "</a><img src=x onerror=xss()>",
    "</h1><img src=x onerror=xss()>",
    "</mark><img src=x onerror=xss()><mark>",
    "</label><img src=x onerror=xss()>",
    "</dd></dl><img src=x onerror=xss()>",
    "</p><img src=x onerror=xss()><p>",
    "--><img src=x onerror=xss()>",
    "</iframe><img src=x onerror=xss()>",
    # search: the private-use characters that mark matches in snippets
    "\ue000<img src=x onerror=xss()>\ue001",
    "\ue001</mark><img src=x onerror=xss()>\ue000",
    # inside a script or a template
    "';xss();//",
    '";xss();//',
    "${xss()}",
    "{{constructor.constructor('xss()')()}}",
    "<%= xss() %>",
    "{{ '<img src=x onerror=xss()>'|safe }}",
    "<div ng-app ng-csp><p ng-click=$event.view.xss()>x</p></div>",
    # entity and encoding tricks
    "&lt;script&gt;xss()&lt;/script&gt;",
    "&amp;lt;script&amp;gt;xss()&amp;lt;/script&amp;gt;",
    "&#60;img src=x onerror=xss()&#62;",
    "%3Cscript%3Exss()%3C%2Fscript%3E",
    "\\u003cimg src=x onerror=xss()\\u003e",
    "+ADw-script+AD4-xss()+ADw-/script+AD4-",
    '<a href="javas&#99;ript:xss()">x</a>',
    '<a href="&#x6a;avascript&#x3a;xss()">x</a>',
    # unicode tricks
    "＜script＞xss()＜/script＞",
    "<scr\u200bipt>xss()</scr\u200bipt>",
    "\u202e<img src=x onerror=xss()>",
    "<ſcript>xss()</ſcript>",
    "<İMG SRC=x ONERROR=xss()>",
    "\ufeff<script>xss()</script>",
    '<a href="java\u00adscript:xss()">x</a>',
    # event handlers that fire without a click
    "<xss id=x tabindex=1 onfocus=xss() autofocus>",
    '<style>@keyframes x{}</style><xss style="animation-name:x" onanimationstart="xss()">',
    '<xss oncontentvisibilityautostatechange=xss() style="display:block;content-visibility:auto">',
    "<button popovertarget=p>x</button><xss popover id=p onbeforetoggle=xss()>x</xss>",
    "<video controls autoplay onplay=xss()><source src=x></video>",
    "<img src=x onerror=window['xs'+'s']()>",
    "<img src=x onerror=top[atob('eHNz')]()>",
    "<img src=x onerror=\"Function('xss()')()\">",
    "<svg><animate onbegin=xss() attributeName=x dur=1s>",
    "<svg><a><animate attributeName=href values=javascript:xss() /><text y=20>x</text></a>",
    "<svg><image href=x onerror=xss()>",
    "<math><a href=javascript:xss()>klik</a></math>",
    # mXSS shapes the cleaner re-serialises
    '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style>'
    '<img onerror=xss() src>">',
    '<math><mi><table><mglyph><svg><mtext><textarea><path id="</textarea>'
    '<img onerror=xss() src=x>">',
    '<noscript><a title="</noscript><img src=x onerror=xss()>">',
    "<select><template><style><img src=x onerror=xss()></style></template></select>",
    "<table><td><svg><foreignObject><img src=x onerror=xss()>",
    # addresses, frames, refresh, forms
    "javascript:xss()",
    "data:text/html;base64,PHNjcmlwdD54c3MoKTwvc2NyaXB0Pg==",
    '<iframe srcdoc="&lt;img src=x onerror=xss()&gt;"></iframe>',
    "<iframe srcdoc=<script>xss()</script>>",
    '<object data="javascript:xss()"></object>',
    '<base href="javascript:xss()//"><a href="/x">x</a>',
    '<meta http-equiv="refresh" content="0;javascript:xss()">',
    '<form action="javascript:xss()"><button>kirim</button></form>',
    '<form id="f"></form><button form="f" formaction="javascript:xss()">X</button>',
    # CSS
    '<div style="width:expression(xss())">x</div>',
    '<div style="background-image:url(javascript:xss())">x</div>',
    # unclosed and malformed tags
    "<img src=x onerror=xss() ",
    "<script>xss()",
    "<a href=javascript:xss() ",
    "<img\nsrc=x\nonerror=xss()>",
    "<img/src/onerror=xss()>",
    "<!--x--!><img src=x onerror=xss()>",
    # a polyglot
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=xss() )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=xss()//>\\x3e",
)


# The corpus (test_sanitize.py checks that no payload appears twice).
PAYLOADS: list[str] = load_payload_file() + list(TEXT_PAYLOADS)


def calls_watched(payload: str) -> bool:
    """Whether a payload, if it ran, would call a watched function: read through entities,
    URL and JavaScript escapes, joined strings, atob() and base64 data: URLs."""
    text = html.unescape(html.unescape(unquote(unquote(payload))))
    text = _JS_ESCAPE_RE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    text = _JOINED_RE.sub("", text)
    text = _ATOB_RE.sub(lambda m: _b64(m.group(1)), text)
    text += " ".join(_b64(blob) for blob in _BASE64_RE.findall(text))
    return bool(_WATCHED_RE.search(text))


def _b64(blob: str) -> str:
    try:
        return base64.b64decode(blob).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""
