"""Tests for content.sanitize: XSS corpus must come out inert, real content must survive."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import bleach.sanitizer
import pytest
import tinyhtml5
from bs4 import BeautifulSoup, Tag
from quart import Quart

from content.sanitize import DEFAULT_VIDEO_HOSTS, HtmlCleaner, clean_html, init_app, plain_text
from tests.xss_payloads import PAYLOADS, calls_watched

# Independent copy of the allow-list from the spec, so that widening the one in
# content/sanitize.py by accident makes these tests fail.
EXPECTED_TAGS = frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span",
        "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
        "blockquote", "q", "cite", "code", "pre", "abbr", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
        "a", "img", "figure", "figcaption", "iframe",
    }
)  # fmt: skip
EXPECTED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "rel", "target"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
    "ol": {"start", "type"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen"},
}
FORBIDDEN_TAGS = frozenset(
    {
        "script", "style", "svg", "math", "object", "embed", "applet", "base", "meta",
        "link", "form", "input", "button", "textarea", "select", "template", "noscript",
        "title", "xmp", "noembed", "noframes", "plaintext", "frame", "frameset", "isindex",
        "body", "html", "head", "video", "audio", "source", "details", "marquee",
    }
)  # fmt: skip
FORBIDDEN_ATTRIBUTES = frozenset(
    {"style", "srcdoc", "formaction", "xlink:href", "id", "name", "class", "action", "srcset"}
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "cite", "background", "poster",
     "data", "srcset", "codebase", "dynsrc", "lowsrc"}
)  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]")
_RAW_TAG_RE = re.compile(r"<\s*/?\s*([a-zA-Z][^\s/>]*)")


def _payload_id(payload: str) -> str:
    text = payload.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 60 else text[:57] + "..."


def _normalised_url(value: str) -> str:
    """Decode entities until stable, drop whitespace/control chars, lower-case."""
    for _ in range(8):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return _URL_NOISE_RE.sub("", value).lower()


def _soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _elements(markup: str) -> list[Tag]:
    return list(_soup(markup).find_all(True))


def assert_inert(out: str, video_hosts: tuple[str, ...] = DEFAULT_VIDEO_HOSTS) -> None:
    """Fail unless ``out`` (cleaner output) only has allow-listed, inert markup."""
    # Raw scan: every tag-looking thing in the serialised output is allow-listed.
    for name in _RAW_TAG_RE.findall(out):
        assert name.lower() in EXPECTED_TAGS, f"raw tag <{name}> in {out!r}"
    assert "<!--" not in out, out
    assert "<![cdata[" not in out.lower(), out

    for element in _elements(out):
        tag = element.name
        assert tag in EXPECTED_TAGS, f"<{tag}> in {out!r}"
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> in {out!r}"
        for attr, value in element.attrs.items():
            name = attr.lower()
            assert not name.startswith("on"), f"{attr} on <{tag}> in {out!r}"
            assert name not in FORBIDDEN_ATTRIBUTES, f"{attr} on <{tag}> in {out!r}"
            assert name in EXPECTED_ATTRIBUTES.get(tag, set()), f"{attr} on <{tag}> in {out!r}"
            text = value if isinstance(value, str) else " ".join(value)
            if name in URL_ATTRIBUTES:
                assert not _normalised_url(text).startswith(BAD_SCHEMES), f"{attr}={text!r}"
        if tag == "img" and element.has_attr("src"):
            scheme = urlsplit(_normalised_url(str(element["src"]))).scheme
            assert scheme in ("", "http", "https"), out
        if tag == "iframe":
            src = element.get("src")
            assert isinstance(src, str), f"iframe without src in {out!r}"
            parts = urlsplit(src)
            assert parts.scheme == "https", out
            assert parts.hostname in video_hosts, out
            assert "@" not in parts.netloc, out
            assert not element.contents, f"iframe content kept in {out!r}"


# --------------------------------------------------------------------------- corpus


def test_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 150
    assert sum(map(calls_watched, PAYLOADS)) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads in the corpus"


@pytest.mark.parametrize("payload", PAYLOADS, ids=[_payload_id(p) for p in PAYLOADS])
def test_payload_is_neutralised(payload: str) -> None:
    out = clean_html(payload)
    assert_inert(out)
    assert clean_html(out) == out, "cleaning is not idempotent"


@pytest.mark.parametrize("payload", PAYLOADS, ids=[_payload_id(p) for p in PAYLOADS])
def test_payload_is_neutralised_with_restricted_hosts(payload: str) -> None:
    cleaner = HtmlCleaner(video_hosts=["www.youtube-nocookie.com"])
    out = cleaner.clean(payload)
    assert_inert(out, video_hosts=("www.youtube-nocookie.com",))
    assert cleaner.clean(out) == out


def test_checker_rejects_dangerous_markup() -> None:
    """The inertness check itself must catch what it is meant to catch."""
    for bad in (
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="javascript&amp;colon;alert(1)">x</a>',
        '<p style="color:red">x</p>',
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe src="http://www.youtube.com/embed/x"></iframe>',
        "<svg></svg>",
        "<!-- c -->",
    ):
        with pytest.raises(AssertionError):
            assert_inert(bad)


# ------------------------------------------------------------------ dangerous content


@pytest.mark.parametrize(
    ("container", "child"),
    [
        ("script", "b"), ("style", "b"), ("template", "b"), ("noscript", "b"),
        ("title", "b"), ("textarea", "b"), ("xmp", "b"), ("noembed", "b"),
        ("noframes", "b"), ("object", "b"),
        # In foreign content HTML tags like <b> break out (as in browsers), so use
        # SVG/MathML children here.
        ("svg", "g"), ("math", "mi"),
    ],
)  # fmt: skip
def test_dangerous_container_content_is_dropped_not_kept_as_text(
    container: str, child: str
) -> None:
    markup = f"<p>kept</p><{container}>SECRET<{child}>bold</{child}></{container}><p>also</p>"
    out = clean_html(markup)
    assert "SECRET" not in out
    assert "bold" not in out
    assert out == "<p>kept</p><p>also</p>"


def test_template_content_does_not_become_live_markup() -> None:
    out = clean_html('<template><img src="a.jpg"><a href="/x">x</a></template>')
    assert out == ""


def test_unknown_harmless_tags_are_stripped_but_text_kept() -> None:
    out = clean_html("<article><section>Halo <font color=red>dunia</font></section></article>")
    assert out.strip() == "Halo dunia"


def test_comments_are_stripped() -> None:
    assert clean_html("<p>a<!-- secret -->b</p>") == "<p>ab</p>"


def test_disallowed_attributes_are_removed_from_allowed_tags() -> None:
    out = clean_html(
        '<p id="x" class="c" style="color:red" onclick="alert(1)" title="t">a</p>'
        '<img src="a.jpg" name="n" style="x" onload="y" data-x="1">'
    )
    assert out == '<p>a</p><img src="a.jpg">'


def test_attribute_values_are_validated() -> None:
    out = clean_html(
        '<ol start="3" type="disc"><li>x</li></ol>'
        '<table><tr><th scope="everything" colspan="two">h</th></tr></table>'
        '<img src="a.jpg" width="100%" height="1e9" loading="soon">'
    )
    soup = _soup(out)
    ol = soup.select_one("ol")
    assert ol is not None and ol.attrs == {"start": "3"}
    th = soup.select_one("th")
    assert th is not None and th.attrs == {}
    img = soup.select_one("img")
    assert img is not None and img.attrs == {"src": "a.jpg", "width": "100%"}


def test_image_src_only_allows_http_https_and_relative() -> None:
    soup = _soup(
        clean_html(
            '<img src="mailto:a@example.com" alt="m"><img src="tel:123" alt="t">'
            '<img src="ftp://example.com/a.png" alt="f"><img src="/media/a.png" alt="r">'
        )
    )
    srcs = [img.get("src") for img in soup.select("img")]
    assert srcs == [None, None, None, "/media/a.png"]


def test_one_bleach_cleaner_is_built_per_html_cleaner(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    real_cleaner = bleach.sanitizer.Cleaner

    def counting_cleaner(*args: object, **kwargs: object) -> object:
        instance = real_cleaner(*args, **kwargs)
        built.append(instance)
        return instance

    monkeypatch.setattr("content.sanitize.Cleaner", counting_cleaner)
    cleaner = HtmlCleaner()
    for _ in range(3):
        cleaner.clean("<p>x</p>")
    assert len(built) == 1


# ------------------------------------------------------------------- positive content


ARTICLE = """
<h1>Judul</h1><h2>Sub</h2><h3>Tiga</h3><h4>Empat</h4><h5>Lima</h5><h6>Enam</h6>
<p>Paragraf <strong>tebal</strong>, <em>miring</em>, <u>garis</u>, <s>coret</s>,
H<sub>2</sub>O, x<sup>2</sup>, <small>kecil</small>, <mark>tanda</mark>,
<code>kode()</code>, <abbr title="Hypertext Markup Language">HTML</abbr>, <q>kutip</q>.</p>
<pre><code>for x in y:
    pass</code></pre>
<ul><li>satu</li><li>dua</li></ul>
<ol start="4" type="a"><li>empat</li></ol>
<dl><dt>Istilah</dt><dd>Definisi</dd></dl>
<table>
  <caption>Jadwal</caption>
  <colgroup span="2"><col span="1"></colgroup>
  <thead><tr><th scope="col">Hari</th><th scope="col">Acara</th></tr></thead>
  <tbody><tr><td colspan="2" rowspan="1">Libur</td></tr></tbody>
  <tfoot><tr><td>a</td><td>b</td></tr></tfoot>
</table>
<p>
  <a href="http://example.com/a" title="Contoh">http</a>
  <a href="https://example.com/b?x=1&amp;y=2">https</a>
  <a href="mailto:redaksi@example.com">mail</a>
  <a href="tel:+62211234567">tel</a>
  <a href="/berita/123">relative</a>
  <a href="halaman.html">bare relative</a>
  <a href="#bagian">anchor</a>
  <a href="/unduh" target="_blank">new tab</a>
</p>
<figure>
  <img src="/media/foto.jpg" alt="Foto kegiatan" width="640" height="480" loading="lazy">
  <figcaption>Keterangan foto</figcaption>
</figure>
<img src="gambar.jpg" alt="Gambar relatif">
<img src="https://cdn.example.com/x.png" alt="Gambar https" title="judul">
<blockquote><p>Kutipan panjang.</p><cite>Sumber</cite></blockquote>
<hr><div><span>isi div</span><br><b>b</b><i>i</i></div>
"""


@pytest.fixture(scope="module")
def article() -> BeautifulSoup:
    return _soup(clean_html(ARTICLE))


def test_article_is_idempotent_and_inert() -> None:
    out = clean_html(ARTICLE)
    assert_inert(out)
    assert clean_html(out) == out


def test_headings_and_paragraphs_survive(article: BeautifulSoup) -> None:
    for level in range(1, 7):
        assert len(article.select(f"h{level}")) == 1
    assert [h.get_text() for h in article.select("h1, h2")] == ["Judul", "Sub"]
    para = article.select_one("p")
    assert para is not None
    for selector, text in [
        ("strong", "tebal"), ("em", "miring"), ("u", "garis"), ("s", "coret"),
        ("sub", "2"), ("sup", "2"), ("small", "kecil"), ("mark", "tanda"),
        ("code", "kode()"), ("q", "kutip"),
    ]:  # fmt: skip
        found = para.select_one(selector)
        assert found is not None and found.get_text() == text, selector
    assert article.select_one('abbr[title="Hypertext Markup Language"]') is not None
    pre = article.select_one("pre > code")
    assert pre is not None and pre.get_text() == "for x in y:\n    pass"


def test_lists_survive(article: BeautifulSoup) -> None:
    assert [li.get_text() for li in article.select("ul > li")] == ["satu", "dua"]
    ol = article.select_one('ol[start="4"][type="a"]')
    assert ol is not None and ol.get_text() == "empat"
    assert article.select_one("dl > dt") is not None
    dd = article.select_one("dl > dd")
    assert dd is not None and dd.get_text() == "Definisi"


def test_tables_survive(article: BeautifulSoup) -> None:
    caption = article.select_one("table > caption")
    assert caption is not None and caption.get_text() == "Jadwal"
    assert article.select_one('table > colgroup[span="2"] > col[span="1"]') is not None
    assert len(article.select('table > thead > tr > th[scope="col"]')) == 2
    cell = article.select_one('table > tbody > tr > td[colspan="2"][rowspan="1"]')
    assert cell is not None and cell.get_text() == "Libur"
    assert len(article.select("table > tfoot > tr > td")) == 2


def test_links_survive(article: BeautifulSoup) -> None:
    hrefs = [a.get("href") for a in article.select("a")]
    assert hrefs == [
        "http://example.com/a",
        "https://example.com/b?x=1&y=2",
        "mailto:redaksi@example.com",
        "tel:+62211234567",
        "/berita/123",
        "halaman.html",
        "#bagian",
        "/unduh",
    ]
    first = article.select_one('a[href="http://example.com/a"]')
    assert first is not None and first.get("title") == "Contoh"


def test_external_links_get_rel_and_internal_ones_do_not(article: BeautifulSoup) -> None:
    for href in ("http://example.com/a", "https://example.com/b?x=1&y=2"):
        link = article.find("a", href=href)
        assert isinstance(link, Tag)
        assert link.get("rel") == ["noopener", "noreferrer", "nofollow"]
    for href in ("/berita/123", "halaman.html", "#bagian", "mailto:redaksi@example.com"):
        link = article.find("a", href=href)
        assert isinstance(link, Tag)
        assert link.get("rel") is None, href


def test_target_blank_forces_noopener(article: BeautifulSoup) -> None:
    link = article.select_one('a[href="/unduh"]')
    assert link is not None
    assert link.get("target") == "_blank"
    assert link.get("rel") == ["noopener", "noreferrer"]
    out = clean_html('<a href="/x" target="_top" rel="opener">x</a>')
    assert out == '<a href="/x">x</a>'


def test_images_and_figures_survive(article: BeautifulSoup) -> None:
    img = article.select_one('figure > img[src="/media/foto.jpg"]')
    assert img is not None
    assert img.attrs == {
        "src": "/media/foto.jpg",
        "alt": "Foto kegiatan",
        "width": "640",
        "height": "480",
        "loading": "lazy",
    }
    caption = article.select_one("figure > figcaption")
    assert caption is not None and caption.get_text() == "Keterangan foto"
    assert article.select_one('img[src="gambar.jpg"][alt="Gambar relatif"]') is not None
    assert (
        article.select_one('img[src="https://cdn.example.com/x.png"][alt="Gambar https"]')
        is not None
    )


def test_blockquote_and_misc_survive(article: BeautifulSoup) -> None:
    quote = article.select_one("blockquote > p")
    assert quote is not None and quote.get_text() == "Kutipan panjang."
    assert article.select_one("blockquote > cite") is not None
    assert article.select_one("hr") is not None
    assert article.select_one("div > span") is not None
    assert article.select_one("div > br") is not None


def test_text_is_escaped_not_unescaped() -> None:
    assert clean_html("<p>1 &lt; 2 &amp; &lt;b&gt;</p>") == "<p>1 &lt; 2 &amp; &lt;b&gt;</p>"
    assert clean_html("<p>a < b</p>") == "<p>a &lt; b</p>"


def test_empty_input() -> None:
    assert clean_html("") == ""
    assert plain_text("") == ""


# -------------------------------------------------------------------------- iframes

NOCOOKIE = (
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=5&amp;rel=0"'
    ' width="560" height="315" title="Video" allow="autoplay; encrypted-media;'
    ' picture-in-picture" allowfullscreen></iframe>'
)
VIMEO = '<iframe src="https://player.vimeo.com/video/76979871" width="640" height="360"></iframe>'


def test_youtube_nocookie_iframe_survives() -> None:
    soup = _soup(clean_html(f"<p>Tonton:</p>{NOCOOKIE}"))
    frame = soup.select_one("iframe")
    assert frame is not None
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=5&rel=0"
    assert frame["width"] == "560"
    assert frame["height"] == "315"
    assert frame["title"] == "Video"
    assert frame["allow"] == "autoplay; encrypted-media; picture-in-picture"
    assert frame.has_attr("allowfullscreen")
    assert soup.select_one("p") is not None


def test_iframe_allow_attribute_is_restricted() -> None:
    frame = _soup(
        clean_html(
            '<iframe src="https://www.youtube.com/embed/x" allow="camera; microphone"></iframe>'
        )
    ).select_one("iframe")
    assert frame is not None
    assert not frame.has_attr("allow")
    assert frame["src"] == "https://www.youtube.com/embed/x"


def test_vimeo_iframe_depends_on_configured_hosts() -> None:
    default = _soup(clean_html(VIMEO)).select_one("iframe")
    assert default is not None
    assert default["src"] == "https://player.vimeo.com/video/76979871"

    restricted = HtmlCleaner(video_hosts=["www.youtube-nocookie.com"])
    out = restricted.clean(f"<p>a</p>{VIMEO}<p>b</p>")
    assert out == "<p>a</p><p>b</p>"
    assert _soup(restricted.clean(NOCOOKIE)).select_one("iframe") is not None


def test_video_hosts_are_case_insensitive_and_accept_a_single_string() -> None:
    cleaner = HtmlCleaner(video_hosts="Player.Vimeo.com")
    assert cleaner.video_hosts == frozenset({"player.vimeo.com"})
    assert _soup(cleaner.clean(VIMEO)).select_one("iframe") is not None


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/embed/x",
        "http://www.youtube.com/embed/x",
        "http://www.youtube-nocookie.com/embed/x",
        "//www.youtube.com/embed/x",
        "/embed/x",
        "https://www.youtube.com.evil.example/embed/x",
        "https://evil.example/?https://www.youtube.com/",
        "https://www.youtube.com@evil.example/",
        "https://www.youtube.com:8443/embed/x",
        "https://www.youtube.com\\@evil.example/",
        # urlsplit() says www.youtube.com, a browser (\\ -> /) says evil.example:
        "https://evil.example\\@www.youtube.com/embed/x",
        "https://user:pass@www.youtube.com/embed/x",
        "javascript:alert(1)",
        "",
    ],
)
def test_iframe_with_disallowed_src_is_removed_entirely(src: str) -> None:
    out = clean_html(f'<p>a</p><iframe src="{src}" width="1">fallback</iframe><p>b</p>')
    assert out == "<p>a</p><p>b</p>"


def test_iframe_without_src_is_removed() -> None:
    assert clean_html("<iframe>x</iframe>ok") == "ok"


# ------------------------------------------------------------------------ plain_text


def test_plain_text() -> None:
    markup = (
        "<h1>Judul  Berita</h1>\n<p>Satu <b>dua</b>&amp; tiga&nbsp;empat</p>"
        "<script>alert(1)</script><style>p{}</style>"
        "<ul><li>a</li><li>b</li></ul><p>sel<em>esai</em></p>"
    )
    assert plain_text(markup) == "Judul Berita Satu dua& tiga empat a b selesai"


def test_plain_text_returns_unescaped_text() -> None:
    assert plain_text("<p>&lt;script&gt; 1 &lt; 2</p>") == "<script> 1 < 2"


# ------------------------------------------------------------------------- init_app


def test_init_app_builds_cleaner_from_config() -> None:
    app = Quart(__name__)
    app.config["VIDEO_HOSTS"] = ("player.vimeo.com",)
    cleaner = init_app(app)
    assert isinstance(cleaner, HtmlCleaner)
    assert cleaner.video_hosts == frozenset({"player.vimeo.com"})
    assert cleaner.clean(NOCOOKIE) == ""


def test_init_app_defaults_to_default_video_hosts() -> None:
    app = Quart(__name__)
    assert init_app(app).video_hosts == frozenset(DEFAULT_VIDEO_HOSTS)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<a><pre>\n</pre></a>", ""),
        ("<pre><!-- note -->\nkode</pre>", "\nkode"),
        ("<pre><script>x</script>\n\nkode</pre>", "\n\nkode"),
        ("<pre>\n\nkode</pre>", "\nkode"),
    ],
)
def test_a_pre_keeps_its_leading_line_feeds_through_every_clean(markup: str, text: str) -> None:
    once = clean_html(markup)
    assert clean_html(once) == once
    # What a browser makes of it (html.parser keeps the line feed a browser drops).
    document = tinyhtml5.parse(f"<!doctype html><body>{once}")
    assert "".join(document.itertext()) == text


@pytest.mark.parametrize(
    "markup",
    ["&amp;<script>alert(1)</script>\x0c0", "a\x0cb", "<p>a</p>\x0c<p>b</p>"],
)
def test_a_form_feed_is_one_space_on_every_clean(markup: str) -> None:
    once = clean_html(markup)
    assert "\x0c" not in once
    assert "?" not in once
    assert clean_html(once) == once
