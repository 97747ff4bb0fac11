"""The Joomla importer: the dump reader, the import through the real CLI, and the old links."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from quart import Quart
from quart.testing import QuartClient

from content.accounts import authenticate
from content.db import Database
from content.importers.joomla.dump import DumpReader, Value, read_dump, read_dump_text
from content.importers.joomla.encoding import decode_dump, repair_text
from content.importers.joomla.errors import JoomlaError
from content.importers.joomla.lexer import iter_statements
from tests.conftest import make_app, shared_folder, soup


def stock_15() -> list[Path]:
    """Joomla 1.5's own installation dump and its sample data, from ../shared."""
    return [
        shared_folder("joomla-fixtures", "joomla-1.5", name)
        for name in ("joomla.sql", "sample_data.sql")
    ]


def stock_3_blog() -> list[Path]:
    """Joomla 3.10's installation dump and its blog sample, from ../shared."""
    return [
        shared_folder("joomla-fixtures", "joomla-3.10", name)
        for name in ("joomla.sql", "sample_blog.sql")
    ]


def test_a_missing_fixture_is_named_and_skipped_or_in_ci_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SERAMBI_REQUIRE_FIXTURES", raising=False)
    missing = r"shared/joomla-fixtures/joomla-9\.9 is missing"
    with pytest.raises(pytest.skip.Exception, match=missing):
        shared_folder("joomla-fixtures", "joomla-9.9")
    monkeypatch.setenv("SERAMBI_REQUIRE_FIXTURES", "1")
    with pytest.raises(pytest.fail.Exception, match=missing):
        shared_folder("joomla-fixtures", "joomla-9.9")


def invoke(app: Quart, *args: str | Path) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=[str(arg) for arg in args])
    return result.exit_code, result.output


def snapshot(path: str | Path) -> list[str]:
    """Every row of every table, to tell whether anything was written."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def query(path: str | Path, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, params))


def value(path: str | Path, sql: str, params: Sequence[object] = ()) -> object:
    return query(path, sql, params)[0][0]


def rows_of(sql: str, table: str = "jos_content") -> list[dict[str, Value]]:
    reader = DumpReader()
    reader.feed(sql, "test.sql")
    return [row.values for row in reader.tables[table].rows]


def literal(item: object) -> str:
    """A value written the way mysqldump writes it."""
    if item is None:
        return "NULL"
    if isinstance(item, int):
        return str(item)
    text = str(item).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + text.replace("\n", "\\n").replace("\r", "\\r") + "'"


def table_sql(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A CREATE TABLE and one extended INSERT, as mysqldump makes them."""
    defs = ",\n".join(f"  `{column}` text" for column in columns)
    sql = f"DROP TABLE IF EXISTS `{name}`;\nCREATE TABLE `{name}` (\n{defs}\n) ENGINE=MyISAM;\n"
    if rows:
        values = ",\n".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
        sql += (
            f"LOCK TABLES `{name}` WRITE;\nINSERT INTO `{name}` VALUES {values};\nUNLOCK TABLES;\n"
        )
    return sql


# The tokenizer


def test_mysql_string_escapes_and_quote_doubling() -> None:
    sql = (
        "INSERT INTO `jos_content` (`a`) VALUES ('It\\'s'), ('a''b'), (\"say \\\"hi\\\"\"), "
        "('back\\\\slash'), ('\\n\\r\\t\\0\\Z'), ('50\\% \\_'), ('http:\\/\\/x'), (''), "
        "('semi;colon -- not # a comment /* either */');"
    )
    assert [row["a"] for row in rows_of(sql)] == [
        "It's",
        "a'b",
        'say "hi"',
        "back\\slash",
        "\n\r\t\0\x1a",
        "50\\% \\_",
        "http://x",
        "",
        "semi;colon -- not # a comment /* either */",
    ]


def test_numbers_null_and_other_literals() -> None:
    sql = (
        "INSERT INTO jos_content (a, b, c, d, e, f, g, h, i, j) VALUES "
        "(-1, 1.5, 1e3, 0x414243, X'4142', b'101', NULL, TRUE, _utf8mb4'x', DEFAULT);"
    )
    assert rows_of(sql) == [
        {
            "a": -1,
            "b": 1.5,
            "c": 1000.0,
            "d": "ABC",
            "e": "AB",
            "f": 5,
            "g": None,
            "h": 1,
            "i": "x",
            "j": None,
        }
    ]


def test_comments_conditional_comments_and_delimiters() -> None:
    sql = (
        "-- MySQL dump 10.13\n"
        "/*!40101 SET NAMES utf8 */;\n"
        "# a hash comment; with a semicolon\n"
        "/* a block comment; also */\n"
        "SET time_zone = '+00:00';\n"
        "DELIMITER ;;\n"
        "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END ;;\n"
        "DELIMITER ;\n"
        "INSERT INTO `jos_content` (`id`) VALUES (1),(2);-- trailing\n"
    )
    statements = list(iter_statements(sql))
    assert [s.tokens[0].value.upper() for s in statements] == ["SET", "CREATE", "INSERT"]
    assert statements[2].line == 9
    assert [row["id"] for row in rows_of(sql)] == [1, 2]


def test_insert_without_column_list_uses_the_create_table_order() -> None:
    sql = (
        "CREATE TABLE #__content (\n"
        "  `id` int(11) NOT NULL auto_increment,\n"
        "  `title` varchar(255) NOT NULL default '',\n"
        "  hits int(11) unsigned NOT NULL default '0',\n"
        "  PRIMARY KEY  (`id`),\n"
        "  KEY `idx_state` (`state`, `title`(10))\n"
        ") ENGINE=MyISAM CHARACTER SET `utf8`;\n"
        "INSERT INTO `#__content` VALUES (7, 'Tujuh', 70), (8, 'Delapan', 80);\n"
        "TRUNCATE `#__content`;\n"
        "INSERT INTO `#__content` VALUES (9, 'Sembilan', 90);\n"
    )
    assert rows_of(sql, "#__content") == [{"id": 9, "title": "Sembilan", "hits": 90}]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "INSERT INTO `jos_content` (`id`, `title`) VALUES (1, 'satu'), (2, 'du",
            ["ends inside a string", "line 1", "jos_content", "row 2", "truncated"],
        ),
        (
            "INSERT INTO `jos_content` (`id`) VALUES (1);\nINSERT INTO `jos_content` VALUES (2)",
            ["ends inside a statement", "line 2", "jos_content", "truncated"],
        ),
        ("INSERT INTO jos_content (id) VALUES (1); /* cut", ["inside a comment", "truncated"]),
        (
            "INSERT INTO jos_content (id, title) VALUES (1);",
            ["Row 1 of the INSERT INTO jos_content on line 1", "1 values for 2 columns"],
        ),
        (
            "INSERT INTO jos_content (id) VALUES (1) (2);",
            ["line 1", "expected ',' or the end after row 1"],
        ),
        (
            "INSERT INTO jos_content VALUES (1);",
            ["no column list", "no CREATE TABLE"],
        ),
        ("INSERT INTO jos_content (id) VALUES (NOW());", ["expected a plain value", "row 1"]),
    ],
)
def test_broken_statements_are_named(sql: str, expected: list[str]) -> None:
    with pytest.raises(JoomlaError) as error:
        rows_of(sql)
    message = str(error.value)
    assert all(part in message for part in expected), message


def test_decoding_gzip_latin1_and_not_dumps() -> None:
    text = "INSERT INTO jos_content (a) VALUES ('Kafé');"
    assert decode_dump(gzip.compress(text.encode())) == text
    assert decode_dump(text.encode("latin-1")) == text  # not utf-8: read as latin1
    assert decode_dump(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_dump(text.encode("utf-16")) == text
    with pytest.raises(JoomlaError, match="truncated"):
        decode_dump(gzip.compress(text.encode())[:-12], "cut.sql.gz")
    with pytest.raises(JoomlaError, match="zip archive"):
        decode_dump(b"PK\x03\x04rest", "site.zip")
    with pytest.raises(JoomlaError, match="binary"):
        decode_dump(b"\x89PNG\r\n\x1a\n\x00\x00", "logo.png")


@pytest.mark.parametrize(
    ("stored", "meant"),
    [
        ("CafÃ© Balittri", "Café Balittri"),
        ("Harga naik â€” cukup", "Harga naik — cukup"),
        ("don’t", "don’t"),  # already right
        ("ÃƒÂ©tÃƒÂ©", "été"),  # encoded twice
        ("SÃ£o Paulo Ã\x81frica", "São Paulo África"),  # C1 control from latin1's 0x81
        ("São Paulo", "São Paulo"),
        ("Ã and Â alone", "Ã and Â alone"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_double_encoded_text_is_repaired(stored: str, meant: str) -> None:
    assert repair_text(stored) == meant


# Finding the site in the dump


def test_stock_dumps_are_read_with_their_counts() -> None:
    dump = read_dump(stock_15())
    assert (dump.prefix, dump.version) == ("#__", "1.5")
    counts = {base: len(dump.rows(base)) for base in dump.tables}
    assert counts["content"] == 43
    assert counts["sections"] == 3
    assert counts["categories"] == 21
    assert (counts["polls"], counts["poll_data"], counts["poll_date"]) == (1, 12, 11)
    assert counts["content_frontpage"] == 7
    assert dump.ignored == {"UPDATE": 1}
    blog = read_dump(stock_3_blog())
    assert (blog.prefix, blog.version) == ("#__", "3.x")
    # sample_blog.sql truncates the categories of joomla.sql and brings its own seven
    assert len(blog.rows("categories")) == 7 and len(blog.rows("content")) == 6


def site_15(prefix: str, *, title: str = "Berita") -> str:
    """A minimal Joomla 1.5 dump with one section, one category and one article."""
    return (
        table_sql(f"{prefix}sections", ["id", "title", "alias", "scope", "published"], [])
        + table_sql(f"{prefix}categories", ["id", "title", "alias", "section", "published"], [])
        + table_sql(
            f"{prefix}content",
            ["id", "title", "alias", "introtext", "state", "sectionid", "catid", "hits"],
            [(1, title, "berita", "<p>Isi</p>", 1, 0, 0, 5)],
        )
        + table_sql(f"{prefix}menu", ["id"], [])
    )


def test_prefix_is_found_and_can_be_chosen() -> None:
    assert read_dump_text(site_15("bpt_")).prefix == "bpt_"
    two = site_15("jos_") + site_15("old_", title="Lama")
    with pytest.raises(JoomlaError, match=r"more than one Joomla site.*--prefix"):
        read_dump_text(two)
    chosen = read_dump_text(two, prefix="old_")
    assert chosen.rows("content")[0].values["title"] == "Lama"
    with pytest.raises(JoomlaError, match=r"no xyz_content.*'jos_', 'old_'"):
        read_dump_text(two, prefix="xyz_")


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (table_sql("wp_posts", ["ID"], [(1,)]), "not a Joomla dump"),
        (
            table_sql("jos_content", ["id", "title"], [])
            + table_sql("jos_categories", ["id", "title"], []),
            "version of dump.sql is unknown",
        ),
        (site_15("j4_") + table_sql("j4_workflows", ["id"], []), "Joomla 4 or later"),
    ],
)
def test_dumps_that_are_not_joomla_15_or_3(sql: str, expected: str) -> None:
    with pytest.raises(JoomlaError, match=expected):
        read_dump_text(sql)


# Importing the stock samples through the command line


@pytest.fixture(scope="module")
def imported_15(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The 1.5 sample imported once into an empty portal by the real command."""
    folder = tmp_path_factory.mktemp("joomla15")
    app = make_app(folder)
    code, output = invoke(app, "import-joomla", *stock_15())
    assert code == 0, output
    return Path(app.config["DATABASE"]), output


def test_stock_15_import_counts_and_values(imported_15: tuple[Path, str]) -> None:
    path, output = imported_15
    assert "Joomla 1.5 dump, table prefix '#__'" in output
    assert "articles 43" in output and "polls 1" in output and "poll answers 7" in output
    assert "categories 3: not in an article section (com_banner)" in output
    assert 'mod_poll "Polls" (id 16): position right, published, poll 14' in output
    assert 'mod_whosonline "Who\'s Online" (id 21)' in output
    assert value(path, "SELECT count(*) FROM articles") == 43
    # 3 sections, their 9 article categories, and one for the uncategorised article
    assert value(path, "SELECT count(*) FROM categories WHERE parent_id IS NULL") == 4
    assert value(path, "SELECT count(*) FROM categories WHERE parent_id IS NOT NULL") == 9
    latest = query(
        path,
        "SELECT c.title, p.title AS parent FROM categories c JOIN categories p "
        "ON p.id = c.parent_id WHERE c.alias = 'latest-news'",
    )[0]
    assert (latest["title"], latest["parent"]) == ("Latest", "News")
    welcome = query(
        path,
        "SELECT a.* FROM articles a JOIN joomla_map m ON m.new_id = a.id "
        "WHERE m.kind = 'article' AND m.old_id = 1",
    )[0]
    assert welcome["title"] == "Welcome to Joomla!"
    assert welcome["alias"] == "welcome-to-joomla"
    assert (welcome["hits"], welcome["state"], welcome["featured"]) == (92, 1, 0)
    assert welcome["created"] == "2008-08-12 10:00:00"
    assert welcome["publish_up"] == "2006-01-03 01:00:00"
    assert welcome["publish_down"] is None
    assert 'src="/images/stories/powered_by.png"' in welcome["intro_html"]
    assert "hspace" not in welcome["intro_html"]  # cleaned by the sanitizer
    assert value(path, "SELECT sum(hits) FROM articles") == 1150
    assert value(path, "SELECT count(*) FROM articles WHERE featured = 1") == 7
    poll = query(path, "SELECT * FROM polls")[0]
    assert (poll["question"], poll["voters"], poll["votes"], poll["state"]) == (
        "Joomla! is used for?",
        11,
        11,
        "open",
    )
    assert (poll["first_vote"], poll["last_vote"]) == ("2006-10-09 13:01:58", "2007-07-03 12:37:53")
    assert poll["lag_hours"] == 24
    options = query(path, "SELECT label, votes FROM poll_options ORDER BY ordering")
    assert [(o["label"], o["votes"]) for o in options] == [
        ("Community Sites", 2),
        ("Public Brand Sites", 3),
        ("eCommerce", 1),
        ("Blogs", 0),
        ("Intranets", 0),
        ("Photo and Media Sites", 2),
        ("All of the Above!", 3),
    ]
    assert value(path, "SELECT count(*) FROM poll_ballots WHERE voter_hash LIKE 'joomla-%'") == 11
    assert value(path, "SELECT count(*) FROM banners") == 14  # 8 banners and 6 web links
    assert value(path, "SELECT value FROM settings WHERE key = 'content_visit_offset'") == "0"
    assert value(path, "SELECT count(*) FROM users") == 0  # the sample has no users rows


def test_second_import_changes_nothing(tmp_path: Path, imported_15: tuple[Path, str]) -> None:
    target = tmp_path / "portal.db"
    shutil.copy(imported_15[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    before = snapshot(target)
    code, output = invoke(app, "import-joomla", *stock_15())
    assert code == 0, output
    assert "Imported: nothing new." in output
    assert "Already imported earlier, left as they are: categories 12, articles 43" in output
    assert snapshot(target) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    assert invoke(app, "init-db")[0] == 0
    before = snapshot(app.config["DATABASE"])
    code, output = invoke(app, "import-joomla", "--dry-run", *stock_3_blog())
    assert code == 0, output
    assert "Imported: categories 2, articles 6, menu items 11." in output
    assert "Dry run: everything was rolled back" in output
    assert snapshot(app.config["DATABASE"]) == before


def test_stock_3_blog_import(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    code, output = invoke(app, "import-joomla", *stock_3_blog())
    assert code == 0, output
    path = app.config["DATABASE"]
    categories = query(path, "SELECT title, alias, parent_id FROM categories ORDER BY ordering")
    assert [(c["title"], c["alias"], c["parent_id"]) for c in categories] == [
        ("Uncategorised", "uncategorised", None),
        ("Blog", "blog", None),
    ]
    assert "categories 1: not an article category (com_banners)" in output
    articles = {
        row["title"]: row
        for row in query(
            path,
            "SELECT a.*, c.title AS category FROM articles a "
            "JOIN categories c ON c.id = a.category_id",
        )
    }
    assert len(articles) == 6
    welcome = articles["Welcome to your blog"]
    assert (welcome["category"], welcome["hits"], welcome["author_name"]) == ("Blog", 5, "Joomla")
    assert welcome["author_id"] is None  # user 713 is not in the dump
    assert (welcome["created"], welcome["modified"]) == (
        "2011-01-05 00:00:01",
        "2013-10-13 16:58:11",
    )
    assert welcome["publish_down"] is None
    # "About" was never modified: the zero date becomes the creation date
    assert articles["About"]["modified"] == articles["About"]["created"] == "2011-01-01 00:00:01"
    # only for the Special access level in Joomla: kept from visitors
    assert articles["Working on Your Site"]["state"] == 0
    assert "only for registered users in Joomla" in output
    assert value(path, "SELECT count(*) FROM articles WHERE state = 1") == 5


# Fixture dumps for the rest: users, double-encoded text, zero dates, links, prefixes, gzip

ZERO = "0000-00-00 00:00:00"


def article_3(article_id: int, title: str | None, **given: object) -> dict[str, object]:
    """A 3.x content row: what is given, Joomla's defaults for the rest."""
    row: dict[str, object] = {
        "id": article_id,
        "asset_id": 50 + article_id,
        "title": title,
        "alias": (title or "x").lower(),
        "introtext": "<p>Isi</p>",
        "fulltext": "",
        "state": 1,
        "catid": 8,
        "created": "2016-05-05 05:05:05",
        "created_by": 43,
        "created_by_alias": "",
        "modified": ZERO,
        "publish_up": ZERO,
        "publish_down": ZERO,
        "images": "",
        "metadesc": "",
        "access": 1,
        "hits": 0,
        "featured": 0,
        "language": "*",
    }
    row.update(given)
    return row


def rows_sql(name: str, rows: Sequence[dict[str, object]]) -> str:
    """CREATE TABLE and INSERT for rows given as dicts (all with the same keys)."""
    return table_sql(name, list(rows[0]), [list(row.values()) for row in rows])


def site_3(prefix: str = "bpt_", articles: Sequence[dict[str, object]] | None = None) -> str:
    """A Joomla 3.x site with users, nested categories, articles, banners and modules."""
    if articles is None:
        articles = [
            article_3(
                101,
                "CafÃ© Balittri",  # double-encoded, like the text
                alias="cafe-balittri",
                introtext="<p>Harga naik â€” cukup</p><script>alert(1)</script>",
                fulltext="<p>Selengkapnya</p>",
                catid=9,  # nested under 8
                created=ZERO,
                modified="2015-03-02 08:00:00",
                publish_down=None,
                images='{"image_intro":"images\\/kopi.jpg"}',
                metadesc="Ringkasan <b>kopi</b>",
                hits=120,
                featured=1,
            ),
            article_3(102, "Arsip", state=2, created_by=999, publish_down="2030-01-01 00:00:00"),
            article_3(103, "Draf", state=0, created_by=45),  # by a blocked author
            # for registered users only, in a category not in the dump, under a pen name
            article_3(
                104,
                "Internal",
                alias="Internal News",
                access=2,
                catid=555,
                created_by_alias="Humas",
            ),
            # by a user without an e-mail address; trashed; a non-ASCII alias
            article_3(105, "Dibuang", alias="dibuang-é", state=-2, created_by=47, hits=11),
        ]
    users = [
        (42, "Admin Situs", "admin", "admin@balittri.example", 0, "2009-01-01 00:00:00"),
        (43, "Siti Rahayu", "siti", "siti@balittri.example", 0, "2009-02-01 00:00:00"),
        (44, "Tamu Terdaftar", "tamu", "tamu@balittri.example", 0, ZERO),
        (45, "Penulis Diblokir", "blok", "blok@balittri.example", 1, ZERO),
        (46, "Redaksi Lama", "redaksi", "redaksi@balittri.example", 0, ZERO),
        (47, "Tanpa Surel", "tanpa", "", 0, ZERO),
    ]
    category_columns = ["id", "asset_id", "parent_id", "lft", "rgt", "level", "extension",
                        "title", "alias", "description", "published"]  # fmt: skip
    categories = [
        (1, 0, 0, 0, 11, 0, "system", "ROOT", "root", "", 1),
        (2, 27, 1, 1, 2, 1, "com_content", "Uncategorised", "uncategorised", "", 1),
        (8, 30, 1, 3, 6, 1, "com_content", "Berita", "berita", "<p>Kabar</p>", 1),
        (9, 31, 8, 4, 5, 2, "com_content", "Pengumuman", "pengumuman", "", 1),
        (10, 32, 1, 7, 8, 1, "com_banners", "Mitra", "mitra", "", 1),
    ]
    banners = [
        (1, "LPSE", "https://lpse.balittri.example", 1, "<b>Pengadaan</b>", 2),
        (2, "Lama", "https://lama.example", -2, "", 1),
        (3, "Jahat", "javascript:alert(1)", 1, "", 3),
        (4, "Lapor", "www.lapor.go.id", 0, "", 4),
        (5, "Profil", "index.php?option=com_content&view=article&id=101", 1, "", 5),
    ]
    stats = '{"serverinfo":"1","counter":"1","increase":"1805559"}'
    modules = [
        (87, "Statistik", "position-7", 1, "mod_stats", stats, 0),
        (88, "Site Information", "cpanel", 1, "mod_stats_admin", '{"increase":"9"}', 1),
        (89, "Siapa Online", "position-8", 1, "mod_whosonline", "{}", 0),
    ]
    return (
        "-- MySQL dump 10.13  Distrib 5.7.42\n/*!40101 SET NAMES utf8mb4 */;\n"
        + table_sql(f"{prefix}assets", ["id", "name"], [(1, "root.1")])
        + table_sql(f"{prefix}categories", category_columns, categories)
        + rows_sql(f"{prefix}content", articles)
        + table_sql(
            f"{prefix}users", ["id", "name", "username", "email", "block", "registerDate"], users
        )
        + table_sql(f"{prefix}usergroups", ["id", "parent_id", "title"], [(8, 1, "Super Users")])
        + table_sql(f"{prefix}user_usergroup_map", ["user_id", "group_id"], [(42, 8), (43, 3)])
        + table_sql(
            f"{prefix}banners",
            ["id", "name", "clickurl", "state", "description", "ordering"],
            banners,
        )
        + table_sql(
            f"{prefix}modules",
            ["id", "title", "position", "published", "module", "params", "client_id"],
            modules,
        )
    )


def write(folder: Path, name: str, text: str, *, compress: bool = False) -> Path:
    path = folder / name
    data = text.encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


async def add_account(path: str, email: str) -> None:
    async with Database(path) as db, db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (email, name, role, password_hash, created) "
            "VALUES (?, 'Redaksi', 'editor', 'x', '2020-01-01 00:00:00')",
            (email,),
        )


def test_gzip_3x_dump_with_users_mojibake_zero_dates_and_links(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    assert invoke(app, "init-db")[0] == 0
    path = app.config["DATABASE"]
    asyncio.run(add_account(path, "REDAKSI@balittri.example"))  # Joomla's user 46, by e-mail
    dump = site_3()
    # 3.x keeps the order of featured articles here
    dump += table_sql("bpt_content_frontpage", ["content_id", "ordering"], [(101, 3)])
    # one more article, positional, by user 46, so that user is an author
    extra = article_3(106, "Oleh Redaksi", created_by=46, hits=1).values()
    dump += f"INSERT INTO `bpt_content` VALUES ({', '.join(literal(v) for v in extra)});\n"
    dump_file = write(tmp_path, "situs.sql.gz", dump, compress=True)
    code, output = invoke(app, "import-joomla", dump_file)
    assert code == 0, output
    assert "Joomla 3.x dump, table prefix 'bpt_'" in output

    users = {row["email"]: row for row in query(path, "SELECT * FROM users")}
    assert users["admin@balittri.example"]["role"] == "admin"  # Super Users, no articles
    assert users["siti@balittri.example"]["role"] == "editor"
    assert users["siti@balittri.example"]["created"] == "2009-02-01 00:00:00"
    assert users["blok@balittri.example"]["active"] == 0
    assert "tamu@balittri.example" not in users  # no articles, not an administrator
    assert len(users) == 4  # the existing account was matched, not copied
    assert all(u["password_hash"].startswith("!") for e, u in users.items() if "REDAKSI" not in e)
    assert "users 1: no articles and not an administrator (Joomla ids 44)" in output
    assert "users 1: no valid e-mail address (Joomla ids 47)" in output

    async def can_log_in() -> bool:
        async with Database(path) as db:
            result = await authenticate(db, "siti@balittri.example", "!", "127.0.0.1")
            return result.user is not None

    assert not asyncio.run(can_log_in())

    articles = {
        row["title"]: row
        for row in query(
            path,
            "SELECT a.*, c.title AS category, u.email FROM articles a "
            "JOIN categories c ON c.id = a.category_id LEFT JOIN users u ON u.id = a.author_id",
        )
    }
    cafe = articles["Café Balittri"]
    assert cafe["intro_html"] == "<p>Harga naik — cukup</p>"  # repaired, script removed
    assert cafe["created"] == cafe["modified"] == "2015-03-02 08:00:00"
    assert cafe["publish_up"] is None and cafe["publish_down"] is None
    assert (cafe["category"], cafe["email"], cafe["author_name"]) == (
        "Pengumuman",
        "siti@balittri.example",
        "",
    )
    assert (cafe["featured"], cafe["featured_ordering"], cafe["hits"]) == (1, 3, 120)
    assert cafe["meta_description"] == "Ringkasan kopi"
    assert cafe["intro_image"] == "/images/kopi.jpg"
    archived = articles["Arsip"]
    assert (archived["state"], archived["author_id"], archived["author_name"]) == (2, None, "")
    assert archived["publish_down"] == "2030-01-01 00:00:00"
    assert articles["Draf"]["email"] == "blok@balittri.example"
    internal = articles["Internal"]
    assert (internal["state"], internal["category"], internal["author_name"]) == (
        0,
        "Uncategorised",
        "Humas",
    )
    assert internal["alias"] == "internal-news"
    assert "1 published articles were only for registered users" in output
    trashed = articles["Dibuang"]
    assert (trashed["state"], trashed["alias"], trashed["author_name"]) == (
        -2,
        "dibuang-e",
        "Tanpa Surel",  # not imported, so the byline keeps the name
    )
    assert articles["Oleh Redaksi"]["email"] == "REDAKSI@balittri.example"

    tree = query(
        path,
        "SELECT c.title, c.alias, p.title AS parent FROM categories c "
        "LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.id",
    )
    assert [tuple(c) for c in tree] == [
        ("Uncategorised", "uncategorised", None),
        ("Berita", "berita", None),
        ("Pengumuman", "pengumuman", "Berita"),
        ("Uncategorised", "uncategorised-2", None),  # made for article 104, under a free alias
    ]
    assert value(path, "SELECT description FROM categories WHERE title = 'Berita'") == "Kabar"

    banners = query(path, "SELECT title, url, description, published FROM banners")
    assert [tuple(b) for b in banners] == [
        ("LPSE", "https://lpse.balittri.example", "Pengadaan", 1),
        ("Lapor", "http://www.lapor.go.id", "", 0),
        ("Profil", "/index.php?option=com_content&view=article&id=101", "", 1),
    ]
    assert "banners 1: no usable link address (Joomla ids 3)" in output
    assert "banners 1: trashed (Joomla ids 2)" in output
    # the increase less the trashed article's 11 hits, which Joomla's Statistik did not count
    assert value(path, "SELECT value FROM settings WHERE key = 'content_visit_offset'") == "1805548"
    assert 'mod_whosonline "Siapa Online" (id 89): position position-8, published' in output
    assert "mod_stats_admin" not in output
    assert value(path, "SELECT count(*) FROM audit_log WHERE action = 'import'") == 1


def test_latin1_15_dump_with_users_polls_and_archived_state(tmp_path: Path) -> None:
    content = [
        {"id": 1, "title": "Kunjungan ke Café", "alias": "kunjungan", "introtext": "<p>Té</p>",
         "state": -1, "sectionid": 1, "catid": 5, "created": "2009-04-01 02:03:04",
         "created_by": 62, "access": 0, "hits": 33, "metadesc": "Kopi"},
        {"id": 2, "title": "Hanya Seksi", "alias": "seksi", "introtext": "<p>s</p>",
         "state": 1, "sectionid": 1, "catid": 77, "created": "2009-04-03 00:00:00",
         "created_by": 63, "access": 0, "hits": 4, "metadesc": ""},
    ]  # fmt: skip
    options = [(1, 3, "Ya", 1), (2, 3, "", 0), (3, 3, "Tidak", 1)]
    banners = [(1, "Portal", "https://portal.example", 1)]
    users = [
        (62, "Administrator", "admin@situs.example", "Super Administrator", 25),
        (63, "Penulis", "penulis@situs.example", "Author", 19),
        (64, "Pembaca", "baca@situs.example", "Registered", 18),
    ]
    section = {"id": 1, "title": "Berita", "alias": "berita", "scope": "content", "published": 1}
    category = {"id": 5, "title": "Kegiatan", "alias": "kegiatan", "section": "1", "published": 1}
    weblink = {"id": 1, "title": "Kementan", "url": "https://kementan.example", "published": 1}
    stats = (20, "Statistik", 1, "mod_stats", "counter=1\nincrease=250\n", 0)
    votes = [(1, "2010-01-02 03:04:05", 1, 3), (2, "2010-02-03 04:05:06", 3, 3)]
    dump = (
        "/*!40101 SET NAMES latin1 */;\n"
        + rows_sql("jos_sections", [section])
        + rows_sql("jos_categories", [category])
        + rows_sql("jos_content", content)
        + table_sql("jos_content_frontpage", ["content_id", "ordering"], [(2, 1)])
        + table_sql("jos_users", ["id", "name", "email", "usertype", "gid"], users)
        + table_sql("jos_polls", ["id", "title", "voters", "published"], [(3, "Pilih?", 2, 0)])
        + table_sql("jos_poll_data", ["id", "pollid", "text", "hits"], options)
        + table_sql("jos_poll_date", ["id", "date", "vote_id", "poll_id"], votes)
        + table_sql("jos_banner", ["bid", "name", "clickurl", "showBanner"], banners)
        + rows_sql("jos_weblinks", [weblink])
        + table_sql(
            "jos_modules", ["id", "title", "published", "module", "params", "client_id"], [stats]
        )
    )
    app = make_app(tmp_path)
    (tmp_path / "situs.sql").write_bytes(dump.encode("latin-1"))
    code, output = invoke(app, "import-joomla", "--prefix", "jos_", tmp_path / "situs.sql")
    assert code == 0, output
    path = app.config["DATABASE"]
    users_here = {row["email"]: row["role"] for row in query(path, "SELECT * FROM users")}
    assert users_here == {"admin@situs.example": "admin", "penulis@situs.example": "editor"}
    articles = {
        row["alias"]: row
        for row in query(
            path,
            "SELECT a.*, c.title AS category, u.name FROM articles a "
            "JOIN categories c ON c.id = a.category_id LEFT JOIN users u ON u.id = a.author_id",
        )
    }
    first = articles["kunjungan"]
    assert (first["title"], first["intro_html"], first["name"]) == (
        "Kunjungan ke Café",
        "<p>Té</p>",
        "Administrator",
    )
    assert (first["state"], first["hits"], first["meta_description"]) == (2, 33, "Kopi")
    assert (first["category"], first["featured"]) == ("Kegiatan", 0)
    # its category 77 is not in the dump: it goes to its section
    assert (articles["seksi"]["category"], articles["seksi"]["featured"]) == ("Berita", 1)
    poll = query(path, "SELECT * FROM polls")[0]
    assert (poll["state"], poll["voters"], poll["votes"], poll["lag_hours"]) == ("closed", 2, 2, 0)
    assert [r["label"] for r in query(path, "SELECT label FROM poll_options")] == ["Ya", "Tidak"]
    choices = query(
        path,
        "SELECT b.cast_at, o.label FROM poll_ballots b JOIN poll_choices c ON c.ballot_id = b.id "
        "JOIN poll_options o ON o.id = c.option_id ORDER BY b.cast_at",
    )
    assert [tuple(c) for c in choices] == [
        ("2010-01-02 03:04:05", "Ya"),
        ("2010-02-03 04:05:06", "Tidak"),
    ]
    links = [r["title"] for r in query(path, "SELECT title FROM banners ORDER BY ordering")]
    assert links == ["Portal", "Kementan"]
    # the increase less the archived article's 33 hits, which Joomla's Statistik did not count
    assert value(path, "SELECT value FROM settings WHERE key = 'content_visit_offset'") == "217"
    # another Joomla site into the same portal would mix the ids of the two
    (tmp_path / "lain.sql").write_text(site_15("lain_"))
    code, output = invoke(app, "import-joomla", tmp_path / "lain.sql")
    assert code == 1 and "already holds an import of another Joomla site" in output


# Bad input: one sentence naming the problem, a non-zero exit, nothing written


BAD_DUMPS = {
    "not-a-dump.sql": ("Dear editors,\nthe site's backup is attached.\n", ["is not an SQL dump"]),
    "wordpress.sql": (table_sql("wp_posts", ["ID"], [(1,)]), ["not a Joomla"]),
    "truncated.sql": (site_3()[:-200], ["truncated", "bpt_modules", "line"]),
    "unknown.sql": (
        table_sql("x_content", ["id", "title"], [(1, "a")]) + table_sql("x_categories", ["id"], []),
        ["version", "unknown", "x_content"],
    ),
    "bad-state.sql": (
        site_3(articles=[article_3(1, "A", state=9)]),
        ["row id 1 of table bpt_content", "state 9"],
    ),
    "null-title.sql": (
        site_3(articles=[article_3(7, None)]),
        ["row id 7 of table bpt_content", "NOT NULL constraint failed: articles.title"],
    ),
    "negative-hits.sql": (
        site_3(articles=[article_3(8, "B", hits=-5)]),
        ["row id 8 of table bpt_content", "CHECK constraint failed"],
    ),
    "same-id.sql": (
        site_3() + "INSERT INTO `bpt_users` VALUES (43, 'Dua', 'dua', 'd@x.example', 0, NULL);",
        ["row id 43 of table bpt_users", "repeats the id"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_DUMPS))
def test_bad_dumps_fail_in_one_sentence_and_write_nothing(tmp_path: Path, name: str) -> None:
    text, expected = BAD_DUMPS[name]
    app = make_app(tmp_path)
    assert invoke(app, "init-db")[0] == 0
    before = snapshot(app.config["DATABASE"])
    code, output = invoke(app, "import-joomla", write(tmp_path, name, text))
    assert code == 1, output
    error = output.strip().splitlines()[-1]
    assert error.startswith("Error: ") and error.endswith(".")
    assert all(part in error for part in expected), error
    assert "Traceback" not in output
    assert snapshot(app.config["DATABASE"]) == before


# The imported site on the web: pages, figures, the poll, old links


@dataclass
class Portal:
    client: QuartClient
    path: Path


@pytest.fixture
async def portal_15(tmp_path: Path, imported_15: tuple[Path, str]) -> AsyncIterator[Portal]:
    """The portal serving a copy of the imported 1.5 sample."""
    target = tmp_path / "portal.db"
    shutil.copy(imported_15[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    async with app.test_app() as test_app:
        yield Portal(test_app.test_client(), target)  # type: ignore[arg-type]


def slug(path: Path, joomla_id: int) -> str:
    row = query(
        path,
        "SELECT a.id, a.alias FROM articles a JOIN joomla_map m ON m.new_id = a.id "
        "WHERE m.kind = 'article' AND m.old_id = ?",
        (joomla_id,),
    )[0]
    return f"{row['id']}-{row['alias']}"


async def test_imported_articles_show_on_home_category_and_article_pages(
    portal_15: Portal,
) -> None:
    client, path = portal_15.client, portal_15.path
    home = soup(await (await client.get("/")).get_data())
    titles = {a.get_text() for a in home.select("main .teaser-title a")}
    assert titles == {
        "Joomla! License Guidelines",
        "We are Volunteers",
        "Millions of Smiles",
        'Only one edit window! How do I create "Read more..."?',
        "What languages are supported by Joomla! 1.5?",
        "Joomla! Security Strike Team",
        "Joomla! Community Portal",
    }
    category = query(path, "SELECT id, alias FROM categories WHERE alias = 'the-cms'")[0]
    response = await client.get(f"/kategori/{category['id']}-the-cms?tampilan=list")
    assert response.status_code == 200
    page = soup(await response.get_data())
    hits = {
        row.select_one("td a").get_text(): row.select_one("td.num").get_text()
        for row in page.select("table.article-list tbody tr")
    }
    assert hits["Joomla! Overview"] == "150" and hits["Extensions"] == "102"
    assert len(hits) == 5
    response = await client.get(f"/artikel/{slug(path, 19)}")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("article h1").get_text() == "Joomla! Overview"
    assert page.select_one(".article-hits [data-live]")["data-value"] == "151"  # this view counted
    assert [a.get_text() for a in page.select(".breadcrumbs a")][1:] == ["About Joomla!", "The CMS"]


async def test_visit_total_is_the_old_sites_total(portal_15: Portal) -> None:
    data = await (await portal_15.client.get("/api/statistik")).get_json()
    assert data["total"] == 1150 + 0  # the sum of the hits plus mod_stats' increase


async def test_imported_poll_page_shows_its_votes(portal_15: Portal) -> None:
    client, path = portal_15.client, portal_15.path
    poll_id = value(path, "SELECT new_id FROM joomla_map WHERE kind = 'poll' AND old_id = 14")
    response = await client.get(f"/polling/{poll_id}")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one(".poll-question").get_text() == "Joomla! is used for?"
    bars = page.select(".poll-page .poll-bars li")
    assert [b.select_one(".poll-label").get_text() for b in bars][:2] == [
        "Community Sites",
        "Public Brand Sites",
    ]
    assert len(bars) == 7
    votes = [int(b.select_one("[data-live='poll.votes']")["data-value"]) for b in bars]
    assert votes == [2, 3, 1, 0, 0, 2, 3]
    assert page.select_one(".poll-page [data-live='poll.voters']")["data-value"] == "11"
    api = await (await client.get(f"/api/polls/{poll_id}")).get_json()
    assert api["results"]["first_vote"].startswith("2006-10-09T13:01:58")


@pytest.mark.parametrize(
    "old",
    [
        "/index.php?option=com_content&task=view&id={id}&Itemid=1",
        "/index.php?option=com_content&view=article&id={id}:joomla-overview&catid=29&Itemid=48",
        "/index.php/component/content/article/{id}-joomla-overview",
        "/index.php/component/content/article/29-the-cms/{id}-joomla-overview?Itemid=5",
        "/component/content/article/{id}",
        "/about-joomla/the-cms/{id}-joomla-overview.html",
        "/the-cms/{id}-joomla-overview.html",
        "/index.php/about-joomla/the-cms/{id}-joomla-overview",
    ],
)
async def test_old_article_links_redirect_permanently(portal_15: Portal, old: str) -> None:
    client, path = portal_15.client, portal_15.path
    response = await client.get(old.format(id=19))
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/artikel/{slug(path, 19)}")


async def test_old_category_and_home_links(portal_15: Portal) -> None:
    client, path = portal_15.client, portal_15.path
    cms = query(path, "SELECT id FROM categories WHERE alias = 'the-cms'")[0]["id"]
    response = await client.get("/index.php?option=com_content&view=category&id=29&Itemid=2")
    assert response.headers["Location"].endswith(f"/kategori/{cms}-the-cms")
    response = await client.get("/index.php?option=com_content&task=section&id=4")
    assert response.status_code == 301 and response.headers["Location"].endswith("-about-joomla")
    response = await client.get("/index.php")
    assert response.status_code == 301 and response.headers["Location"].endswith("/")


@pytest.mark.parametrize(
    "path",
    [
        "/index.php?option=com_content&task=view&id=7",  # not in the sample
        "/index.php?option=com_content&view=article&id=99999999999999999999",
        "/index.php?option=com_content&view=article",
        "/index.php?option=com_weblinks&view=category&id=2",
        "/index.php/component/content/article/999-nothing",
        "/berita/7-hilang.html",
        "/berita/bukan-artikel.html",
        "/index.php/web-links",  # a menu item with no page here
        "/index.php?Itemid=48",
        "/index.php?Itemid=4242",  # no such menu item
    ],
)
async def test_unknown_old_links_are_404(portal_15: Portal, path: str) -> None:
    assert (await portal_15.client.get(path)).status_code == 404


async def test_old_link_routes_do_not_shadow_the_portals(portal_15: Portal) -> None:
    client, path = portal_15.client, portal_15.path
    assert (await client.get(f"/artikel/{slug(path, 19)}")).status_code == 200
    latest = query(path, "SELECT id FROM categories WHERE alias = 'latest-news'")[0]["id"]
    assert (await client.get(f"/kategori/{latest}-latest-news")).status_code == 200
    assert (await client.get("/static/css/site.css")).status_code == 200
    assert (await client.get("/polling")).status_code == 200


@pytest.mark.slow  # a fresh interpreter, to see what importing the view loads
def test_old_links_do_not_load_the_dump_reader_or_the_importer() -> None:
    """Every start imports the old-link view; the 1,000-odd lines that read dumps stay unloaded."""
    probe = (
        "import sys\n"
        "import content.web.views.legacy\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('content.importers.'))))\n"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "content.importers.joomla",
        "content.importers.joomla.addresses",
    ]


def test_terminal_progress_draws_a_bar_per_stage() -> None:
    import io

    from content.importers.joomla.progress import terminal_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    show = terminal_progress(screen)
    for done in range(0, 11):
        show("articles", done, 10)
    drawn = screen.getvalue()
    assert "articles" in drawn and "100%" in drawn and "10/10" in drawn
    quiet = io.StringIO()  # not a terminal: no bar (the summary still prints)
    terminal_progress(quiet)("articles", 10, 10)
    assert quiet.getvalue() == ""
