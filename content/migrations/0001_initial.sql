-- Portal foundation: accounts, categories, articles, link banners, settings, audit log.
-- Timestamps are UTC text 'YYYY-MM-DD HH:MM:SS'; pages show them in the site's time zone.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'moderator')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created       TEXT NOT NULL,
    last_login    TEXT
);

-- Failed logins per key ('account:<email>' or 'address:<ip>'), for slowing down guessing.
CREATE TABLE login_failures (
    key        TEXT PRIMARY KEY,
    failures   INTEGER NOT NULL,
    last_at    TEXT NOT NULL
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    title       TEXT NOT NULL,
    alias       TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    layout      TEXT NOT NULL DEFAULT 'blog' CHECK (layout IN ('blog', 'list')),
    ordering    INTEGER NOT NULL DEFAULT 0,
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1))
);

-- state: 1 published, 0 unpublished, 2 archived, -2 trashed (Joomla's numbers, for the importer).
CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    category_id       INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    title             TEXT NOT NULL,
    alias             TEXT NOT NULL,
    intro_html        TEXT NOT NULL DEFAULT '',
    full_html         TEXT NOT NULL DEFAULT '',
    author_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name       TEXT NOT NULL DEFAULT '',
    created           TEXT NOT NULL,
    modified          TEXT NOT NULL,
    publish_up        TEXT,
    publish_down      TEXT,
    state             INTEGER NOT NULL DEFAULT 0 CHECK (state IN (1, 0, 2, -2)),
    featured          INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    featured_ordering INTEGER NOT NULL DEFAULT 0,
    ordering          INTEGER NOT NULL DEFAULT 0,
    hits              INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0),
    meta_description  TEXT NOT NULL DEFAULT '',
    intro_image       TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_listing ON articles (state, featured, publish_up, created);
CREATE INDEX articles_category ON articles (category_id, state, created);

-- Aliases an article had before, so old links redirect to the current address.
CREATE TABLE article_aliases (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    PRIMARY KEY (article_id, alias)
);

CREATE TABLE banners (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    url         TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    ordering    INTEGER NOT NULL DEFAULT 0,
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1))
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_email  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   INTEGER,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
