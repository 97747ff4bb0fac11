-- Sidebar modules (issue 7): where each module shows, the activity calendar, videos, the
-- institute's social accounts, the download library, and link banners with images and clicks.

-- One row per module the templates know (content/modules_layout.py names them); editors move
-- them between the top row and the two columns, order them and switch them off.
CREATE TABLE modules (
    key      TEXT PRIMARY KEY,
    position TEXT NOT NULL CHECK (position IN ('top', 'left', 'right')),
    ordering INTEGER NOT NULL DEFAULT 0,
    enabled  INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
) WITHOUT ROWID;

-- The old site's layout: the banner row on top, categories and latest on the left, and on the
-- right Kalender Kegiatan, Video, Social Media, Download, Online, Polling, Statistik, then the
-- most read articles.
INSERT INTO modules (key, position, ordering, enabled) VALUES
    ('banners', 'top', 0, 1),
    ('categories', 'left', 0, 1),
    ('latest', 'left', 1, 1),
    ('calendar', 'right', 0, 1),
    ('video', 'right', 1, 1),
    ('social', 'right', 2, 1),
    ('downloads', 'right', 3, 1),
    ('online', 'right', 4, 1),
    ('poll', 'right', 5, 1),
    ('stats', 'right', 6, 1),
    ('popular', 'right', 7, 1);

-- Activities. A timed event's starts/ends are UTC 'YYYY-MM-DD HH:MM:SS'; an all-day event's are
-- the local dates 'YYYY-MM-DD', the end day included. A recurring event repeats its first
-- occurrence weekly, monthly or yearly up to repeat_until (a local date, included); a monthly
-- event on the 31st skips the months without a 31st, as iCalendar's RRULE does.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description_html TEXT NOT NULL DEFAULT '',
    location         TEXT NOT NULL DEFAULT '',
    url              TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    all_day          INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),
    starts           TEXT NOT NULL,
    ends             TEXT NOT NULL,
    recurrence       TEXT NOT NULL DEFAULT ''
                     CHECK (recurrence IN ('', 'weekly', 'monthly', 'yearly')),
    repeat_until     TEXT,
    published        INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    created          TEXT NOT NULL,
    modified         TEXT NOT NULL,
    CHECK (ends >= starts),
    CHECK ((recurrence = '') = (repeat_until IS NULL))
);
CREATE INDEX events_starts ON events (published, starts);

-- Videos on YouTube or Vimeo, shown with a player that loads only after a click.
CREATE TABLE videos (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    url         TEXT NOT NULL,
    provider    TEXT NOT NULL CHECK (provider IN ('youtube', 'vimeo')),
    video_id    TEXT NOT NULL,
    thumbnail   TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    ordering    INTEGER NOT NULL DEFAULT 0,
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    created     TEXT NOT NULL,
    modified    TEXT NOT NULL
);

-- The institute's own accounts, shown as plain links (no third-party script).
CREATE TABLE social_accounts (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    network   TEXT NOT NULL,
    url       TEXT NOT NULL,
    ordering  INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1))
);

-- The file library. The file lives under <instance>/unduhan/<stored_name>, a random name; the
-- visitor only ever names the id. kind is the type found from the file's content.
CREATE TABLE downloads (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    filename    TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    sha256      TEXT NOT NULL,
    hits        INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0),
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    created     TEXT NOT NULL,
    modified    TEXT NOT NULL
);
CREATE INDEX downloads_listing ON downloads (published, category, created);

-- Link banners: an optional image (shown instead of the text) and the clicks through /tautan/<id>.
ALTER TABLE banners ADD COLUMN image TEXT NOT NULL DEFAULT '';
ALTER TABLE banners ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0 CHECK (clicks >= 0);
