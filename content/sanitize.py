"""Article HTML sanitising: the single place untrusted article markup is cleaned.

Article bodies are cleaned once, on write, and the stored result is later marked
safe in templates, so everything here errs on the side of removing markup.

The pipeline is bleach 6's ``Cleaner`` with an explicit allow-list, plus two
small html5lib token filters:

* before bleach's sanitizer, the subtrees of "container" elements whose content
  must never survive as markup or text (``script``, ``style``, ``template``,
  ``svg``, ``math``, ``noscript``, ``textarea``, ...) are dropped whole, and the
  (meaningless) inner content of every ``iframe`` is dropped;
* after it, ``iframe`` elements left without a ``src`` (because the attribute
  callable rejected it) are removed entirely, ``rel`` on links is normalised
  (``noopener noreferrer nofollow`` on external links or links with ``target``),
  and a line feed that starts a ``pre`` is written twice, as the HTML
  serialisation algorithm does (the parser drops the first one).

``HtmlCleaner.clean_with_report`` also says what went (``Removal``: elements,
with or without their content, attributes, URL schemes, iframe hosts), told by
the tokenizer, the filters and the attribute check as they drop it; comments
are not reported (Word's conditional comments are noise no one wrote).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bleach import html5lib_shim
from bleach.css_sanitizer import CSSSanitizer
from bleach.sanitizer import Cleaner

from content.imaging import LibraryImages

if TYPE_CHECKING:
    from quart import Quart

__all__ = [
    "ALIGNABLE_TAGS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "DEFAULT_VIDEO_HOSTS",
    "DROPPED_WITH_CONTENT",
    "Cleaned",
    "HtmlCleaner",
    "Removal",
    "clean_html",
    "init_app",
    "plain_text",
]

Token = dict[str, Any]

#: Hosts whose https iframes (video embeds) are kept by default.
DEFAULT_VIDEO_HOSTS: tuple[str, ...] = (
    "www.youtube-nocookie.com",
    "www.youtube.com",
    "player.vimeo.com",
)

#: Elements that survive cleaning. Anything else is stripped (its text kept),
#: except the elements in ``DROPPED_WITH_CONTENT``, which vanish with their content.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        "p", "br", "hr", "div", "span",
        "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
        "blockquote", "q", "cite", "code", "pre", "abbr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
        "a", "img", "figure", "figcaption", "iframe",
    }
)  # fmt: skip

#: Attributes that survive, per element (values are further checked, see below).
#: No ``style``, ``class``, ``id``, ``name`` or event handlers anywhere.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "rel", "target"}),
    "img": frozenset(
        {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes", "decoding"}
    ),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "abbr": frozenset({"title"}),
    "ol": frozenset({"start", "type"}),
    "iframe": frozenset({"src", "width", "height", "title", "allow", "allowfullscreen"}),
}

#: Blocks whose alignment (the editor's toolbar) is kept: a ``style`` holding ``text-align`` and
#: nothing else is the one style attribute that survives.
ALIGNABLE_TAGS: frozenset[str] = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        "p", "div", "blockquote", "li", "td", "th", "caption", "figure", "figcaption",
    }
)  # fmt: skip
_ALIGNMENT_RE = re.compile(r"\s*text-align\s*:\s*(?:left|center|right|justify)\s*;?\s*", re.I)

#: URL schemes allowed in link targets. Images only get http/https; iframes only https.
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
_IMAGE_PROTOCOLS: frozenset[str] = frozenset({"http", "https"})

#: Elements removed together with everything inside them (never kept as text).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "template", "noscript", "title", "textarea", "xmp",
        "noembed", "noframes", "svg", "math", "object", "embed", "applet",
    }
)  # fmt: skip

_REL_TOKENS = frozenset(
    {"nofollow", "noopener", "noreferrer", "ugc", "sponsored", "external", "license", "tag"}
)
_IFRAME_ALLOW_FEATURES = frozenset(
    {
        "accelerometer", "autoplay", "clipboard-write", "encrypted-media", "fullscreen",
        "gyroscope", "picture-in-picture", "web-share",
    }
)  # fmt: skip

_DIGITS_RE = re.compile(r"\d{1,4}")
_DIMENSION_RE = re.compile(r"\d{1,5}%?")
_INTEGER_RE = re.compile(r"-?\d{1,9}")
_SIZES_RE = re.compile(r"[a-z0-9 ().,:%-]{1,300}")
_SRCSET_DESCRIPTOR_RE = re.compile(r"\d{1,5}w|\d{1,2}(\.\d{1,2})?x")
_VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "width": lambda v: _DIMENSION_RE.fullmatch(v) is not None,
    "height": lambda v: _DIMENSION_RE.fullmatch(v) is not None,
    "colspan": lambda v: _DIGITS_RE.fullmatch(v) is not None,
    "rowspan": lambda v: _DIGITS_RE.fullmatch(v) is not None,
    "span": lambda v: _DIGITS_RE.fullmatch(v) is not None,
    "start": lambda v: _INTEGER_RE.fullmatch(v) is not None,
    "type": lambda v: v in {"1", "a", "A", "i", "I"},
    "scope": lambda v: v.lower() in {"row", "col", "rowgroup", "colgroup"},
    "loading": lambda v: v.lower() in {"lazy", "eager"},
    "decoding": lambda v: v.lower() in {"async", "sync", "auto"},
    "sizes": lambda v: _SIZES_RE.fullmatch(v) is not None,
    "target": lambda v: v == "_blank",
    "allowfullscreen": lambda v: v.lower() in {"", "allowfullscreen", "true"},
}

# Characters browsers ignore (or that hide a scheme) inside URLs: C0 controls,
# space, DEL..NBSP, any whitespace, backtick, and everything non-ASCII.
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]|[^\x00-\x7f]")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_CONTROL_OR_SPACE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s\\]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def _unescape_fully(value: str) -> str:
    """Decode HTML character references repeatedly until the value is stable."""
    for _ in range(8):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


def _url_scheme(value: str) -> str | None:
    """Return the lower-cased scheme a browser could see in ``value``, or None."""
    normalized = _URL_NOISE_RE.sub("", _unescape_fully(value)).lower()
    match = _SCHEME_RE.match(normalized)
    return match.group(1) if match else None


def _is_safe_srcset(value: str) -> bool:
    """An img srcset whose every candidate is an http(s) or relative URL with a descriptor."""
    candidates = [part.split() for part in value.split(",")]
    return 0 < len(candidates) <= 12 and all(
        1 <= len(words) <= 2
        and _url_scheme(words[0]) in (None, *_IMAGE_PROTOCOLS)
        and (len(words) == 1 or _SRCSET_DESCRIPTOR_RE.fullmatch(words[1]) is not None)
        for words in candidates
    )


def _is_external(href: str) -> bool:
    """Tell whether a (sanitised) link points off-site: absolute http(s) or ``//host``."""
    normalized = _URL_NOISE_RE.sub("", _unescape_fully(href)).lower()
    return _url_scheme(href) in _IMAGE_PROTOCOLS or normalized.startswith(("//", "/\\", "\\"))


_TEXT_TOKENS = frozenset({"Characters", "SpaceCharacters"})


@dataclass(frozen=True, order=True)
class Removal:
    """One kind of thing the cleaner took out, for the person who wrote the HTML.

    ``kind`` is ``element`` (an element removed, its text kept), ``element-content`` (an
    element removed with everything in it), ``attribute`` (an attribute of ``element``),
    ``scheme`` (a URL in ``attribute`` whose scheme, ``detail``, is not allowed) or
    ``frame-host`` (an iframe from a host, ``detail``, that is not an allowed video host).
    """

    kind: str
    element: str
    attribute: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Cleaned:
    """The cleaner's output and its report: each kind of removal once, in a stable order."""

    html: str
    removed: tuple[Removal, ...] = ()


# What the clean running in this context has removed so far (None: nobody is listening).
_REMOVED: ContextVar[list[Removal] | None] = ContextVar("serambi_removed", default=None)


def _report(removal: Removal) -> None:
    found = _REMOVED.get()
    if found is not None:
        found.append(removal)


class _ReportingTokenizer(html5lib_shim.BleachHTMLTokenizer):  # type: ignore[misc]
    """bleach's tokenizer, which turns a tag that is not allowed into nothing before the
    tree is built; this one tells the report first (but not of tags inside an element that
    goes with its content: the report names the container)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inside_dropped: list[str] = []

    def emitCurrentToken(self) -> None:
        token = self.currentToken
        kind = token["type"]
        name = str(token.get("name", "")).lower()
        if kind == html5lib_shim.TAG_TOKEN_TYPE_START and name in DROPPED_WITH_CONTENT:
            if not token.get("selfClosing"):
                self.inside_dropped.append(name)
        elif kind == html5lib_shim.TAG_TOKEN_TYPE_END and self.inside_dropped:
            if self.inside_dropped[-1] == name:
                self.inside_dropped.pop()
        elif (
            kind == html5lib_shim.TAG_TOKEN_TYPE_START
            and not self.inside_dropped
            and self.parser.tags is not None
            and name not in self.parser.tags
        ):
            _report(Removal("element", name))
        super().emitCurrentToken()


class _ReportingParser(html5lib_shim.BleachHTMLParser):  # type: ignore[misc]
    """bleach's parser with the reporting tokenizer (the same _parse, another tokenizer)."""

    def _parse(
        self,
        stream: Any,
        innerHTML: bool = False,
        container: str = "div",
        scripting: bool = True,
        **kwargs: Any,
    ) -> None:
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _ReportingTokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs
        )
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()


class _DropDangerousContent:
    """Pre-sanitizer filter: drop dangerous container subtrees and iframe content."""

    def __init__(self, source: Iterable[Token]) -> None:
        self.source = source

    def __iter__(self) -> Iterator[Token]:
        depth = 0  # > 0 while inside a dropped subtree
        in_iframe = False
        for token in self.source:
            kind = token["type"]
            name = str(token.get("name", "")).lower()
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if name in DROPPED_WITH_CONTENT:
                if kind in ("StartTag", "EmptyTag"):
                    _report(Removal("element-content", name))
                if kind == "StartTag":
                    depth = 1
                continue  # EmptyTag / stray EndTag of a dropped element
            if in_iframe:
                # Everything inside an iframe is raw text that is never rendered.
                if kind == "EndTag" and name == "iframe":
                    in_iframe = False
                    yield token
                continue
            if kind == "StartTag" and name == "iframe":
                in_iframe = True
            if kind in _TEXT_TOKENS and "\x0c" in token["data"]:
                # A form feed is white space to HTML but "invisible" to bleach, which
                # writes "?" for it only where the parser gave it as text with other
                # characters: a space renders the same and stays one on every clean.
                token = {**token, "data": token["data"].replace("\x0c", " ")}
            yield token


class _FinishLinksAndFrames:
    """Post-sanitizer filter: remove src-less iframes, normalise link ``rel`` and keep a
    ``pre``'s leading line feed."""

    def __init__(self, source: Iterable[Token]) -> None:
        self.source = source

    def __iter__(self) -> Iterator[Token]:
        skipping_iframe = False
        pre_opened = False  # a <pre> start tag came, and nothing of its content yet
        for token in self.source:
            kind = token["type"]
            name = token.get("name")
            if skipping_iframe:
                if kind == "EndTag" and name == "iframe":
                    skipping_iframe = False
                continue
            if pre_opened and not (kind in _TEXT_TOKENS and not token["data"]):
                pre_opened = False
                if kind in _TEXT_TOKENS and token["data"].startswith("\n"):
                    # The parser drops a line feed right after <pre>: one that was the
                    # second there (or came first once a comment or a dropped element
                    # went) needs its twin written, or the next clean loses it.
                    token = {**token, "data": "\n" + token["data"]}
            if kind == "StartTag" and name == "pre":
                pre_opened = True
            if kind in ("StartTag", "EmptyTag") and token.get("data"):
                # Namespaced attributes (xlink:href, ...) only come from foreign
                # content, which is dropped anyway; never let one through.
                token["data"] = {key: val for key, val in token["data"].items() if key[0] is None}
            if name == "iframe" and kind in ("StartTag", "EmptyTag"):
                if (None, "src") not in (token.get("data") or {}):
                    _report(Removal("element-content", "iframe"))
                    skipping_iframe = kind == "StartTag"
                    continue
            elif name == "a" and kind == "StartTag":
                _normalise_rel(token)
            yield token


def _normalise_rel(token: Token) -> None:
    """Keep known rel tokens; add noopener/noreferrer(/nofollow) where needed."""
    attrs: dict[tuple[str | None, str], str] = token.get("data") or {}
    given = dict.fromkeys(attrs.get((None, "rel"), "").lower().split())
    tokens = [t for t in given if t in _REL_TOKENS]
    href = attrs.get((None, "href"))
    external = href is not None and _is_external(href)
    required: tuple[str, ...] = ()
    if external:
        required = ("noopener", "noreferrer", "nofollow")
    elif (None, "target") in attrs:
        required = ("noopener", "noreferrer")
    tokens.extend(t for t in required if t not in tokens)
    if tokens:
        attrs[(None, "rel")] = " ".join(tokens)
    else:
        attrs.pop((None, "rel"), None)
    token["data"] = attrs


def _is_alignment(tag: str, style: str) -> bool:
    """Whether a style attribute is only an alignment on a block that may be aligned."""
    return tag in ALIGNABLE_TAGS and _ALIGNMENT_RE.fullmatch(style) is not None


# Passes of the cleaner at most, until its output cleans to itself (see clean_with_report).
CLEAN_PASSES = 3


class HtmlCleaner:
    """Sanitiser for article HTML with a configurable allow-list of video iframe hosts."""

    def __init__(self, video_hosts: Iterable[str] = DEFAULT_VIDEO_HOSTS) -> None:
        """Build the bleach Cleaner once; ``video_hosts`` are exact https iframe hosts."""
        if isinstance(video_hosts, str):
            video_hosts = (video_hosts,)
        self.video_hosts: frozenset[str] = frozenset(
            host.strip().lower().rstrip(".") for host in video_hosts if host.strip()
        )
        self._lock = threading.Lock()  # bleach Cleaners are not thread-safe
        self._cleaner = Cleaner(
            tags=ALLOWED_TAGS,
            attributes=self._allow_attribute_reporting,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            # Library images get srcset, sizes, width and height from their address.
            filters=[_FinishLinksAndFrames, LibraryImages],
            css_sanitizer=CSSSanitizer(allowed_css_properties=frozenset({"text-align"})),
        )
        # bleach's tokenizer turns every non-allowed tag into text *before* tree
        # building, so the content of e.g. <script> or <template> would otherwise
        # come out as text or even as (allowed) live markup. Let the parser see the
        # dangerous containers as real elements so the pre-filter can drop them
        # whole; bleach's sanitizer still never lets them through.
        self._cleaner.parser = _ReportingParser(
            tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
            strip=True,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        tree_walker = self._cleaner.walker

        def walker(dom: Any) -> _DropDangerousContent:
            return _DropDangerousContent(tree_walker(dom))

        self._cleaner.walker = walker
        # Same settings as bleach's own serializer, except that attribute values
        # are always double-quoted. By default html5lib picks single quotes for a
        # value containing '"', and bleach's "&"-handling only understands
        # double-quoted values, so every re-clean would escape "&" once more.
        self._cleaner.serializer = html5lib_shim.BleachHTMLSerializer(
            quote_attr_values="always",
            quote_char='"',
            omit_optional_tags=False,
            escape_lt_in_attrs=True,
            resolve_entities=False,
            sanitize=False,
            alphabetical_attributes=False,
        )

    def is_allowed_video_src(self, value: str) -> bool:
        """Tell whether ``value`` is an https URL on one of the allowed video hosts."""
        url = html.unescape(value).strip(_C0_AND_SPACE)
        if not url or _CONTROL_OR_SPACE_RE.search(url):
            return False
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        return (
            parts.scheme == "https"
            and "@" not in parts.netloc
            and port in (None, 443)
            and (parts.hostname or "") in self.video_hosts
        )

    def _allow_attribute(self, tag: str, name: str, value: str) -> bool:
        """bleach attribute callable: allow-list plus per-attribute value checks."""
        if name == "style":
            return _is_alignment(tag, value)
        if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
            return False
        value = value.strip()
        if name == "src":
            if tag == "iframe":
                return self.is_allowed_video_src(value)
            scheme = _url_scheme(value)
            return scheme is None or scheme in _IMAGE_PROTOCOLS
        if name == "srcset":
            return _is_safe_srcset(value)
        if name == "href":
            scheme = _url_scheme(value)
            return scheme is None or scheme in ALLOWED_PROTOCOLS
        if name == "allow":
            features = (part.split()[0] for part in value.split(";") if part.strip())
            return all(feature.lower() in _IFRAME_ALLOW_FEATURES for feature in features)
        check = _VALUE_CHECKS.get(name)
        return check is None or check(value)

    def _allow_attribute_reporting(self, tag: str, name: str, value: str) -> bool:
        """_allow_attribute, telling the report what it refuses and why."""
        if self._allow_attribute(tag, name, value):
            return True
        if tag == "iframe" and name == "src":
            host = urlsplit(html.unescape(value).strip(_C0_AND_SPACE)).hostname or ""
            scheme = _url_scheme(value)
            if scheme in (None, "http", "https"):
                _report(Removal("frame-host", tag, name, host))
                return False
        if name in ("href", "src"):
            scheme = _url_scheme(value.strip())
            if scheme is not None:
                _report(Removal("scheme", tag, name, scheme))
                return False
        _report(Removal("attribute", tag, name))
        return False

    def clean(self, html: str) -> str:
        """Return ``html`` reduced to the allow-listed, inert subset of HTML."""
        return self.clean_with_report(html).html

    def clean_with_report(self, html: str) -> Cleaned:
        """Clean ``html`` and say what was removed (elements, attributes, URL schemes), so the
        editor is never left to guess why something vanished (issue #16)."""
        if not html:
            return Cleaned("")
        removed: list[Removal] = []
        listening = _REMOVED.set(removed)
        try:
            with self._lock:
                result: str = self._cleaner.clean(html)
                # The parser can build a tree that its own serialisation does not give back (a
                # link inside a link, fostered out of a table): clean again until the text is its
                # own clean, so that saving a text a second time never changes it. Saves only.
                for _ in range(CLEAN_PASSES - 1):
                    again: str = self._cleaner.clean(result)
                    if again == result:
                        break
                    result = again
        finally:
            _REMOVED.reset(listening)
        found = dict.fromkeys(removed)
        if any(removal.kind == "frame-host" for removal in found):
            found.pop(Removal("element-content", "iframe"), None)  # said once, with its host
        return Cleaned(result, tuple(found))


_BLOCK_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure",
        "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "img", "iframe",
    }
)  # fmt: skip


class _TextExtractor(HTMLParser):
    """Collect text content of (already sanitised) HTML, spacing block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_DEFAULT_CLEANER = HtmlCleaner()


def clean_html(html: str) -> str:
    """Sanitise article HTML with the default allow-list and video hosts."""
    return _DEFAULT_CLEANER.clean(html)


def plain_text(html: str) -> str:
    """Return the whitespace-collapsed, unescaped text of ``html`` (escape it on output!)."""
    extractor = _TextExtractor()
    extractor.feed(clean_html(html))
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def init_app(app: Quart) -> HtmlCleaner:
    """The app's HtmlCleaner, allowing the iframes of ``VIDEO_HOSTS``."""
    hosts = app.config.get("VIDEO_HOSTS") or DEFAULT_VIDEO_HOSTS
    return HtmlCleaner(video_hosts=hosts)
