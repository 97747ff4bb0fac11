-- Revisions: every save of an article, an event (and of any other kind that records them) keeps
-- who saved, when, an optional note and the whole saved content as one JSON object. `number`
-- counts the saves of one item (1, 2, 3 ...); pruning leaves gaps, a number is never reused.
CREATE TABLE revisions (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    item_id       INTEGER NOT NULL,
    number        INTEGER NOT NULL CHECK (number >= 1),
    at            TEXT NOT NULL,
    user_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_name     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    -- how the revision came to be: '' a save, 'restore', 'import', 'demo', 'existing' (the item
    -- as it was when revisions began to be kept)
    origin        TEXT NOT NULL DEFAULT '',
    restored_from INTEGER,
    fields        TEXT NOT NULL CHECK (json_valid(fields)),
    UNIQUE (kind, item_id, number)
);

-- Every article and event already there starts with one revision: what it is now.
INSERT INTO revisions (kind, item_id, number, at, origin, fields)
SELECT 'article', id, 1, modified, 'existing', json_object(
    'title', title, 'alias', alias, 'category_id', category_id, 'intro_html', intro_html,
    'full_html', full_html, 'author_name', author_name, 'state', state, 'featured', featured,
    'publish_up', publish_up, 'publish_down', publish_down,
    'meta_description', meta_description, 'intro_image', intro_image)
FROM articles;

INSERT INTO revisions (kind, item_id, number, at, origin, fields)
SELECT 'event', id, 1, modified, 'existing', json_object(
    'title', title, 'description_html', description_html, 'location', location, 'url', url,
    'category', category, 'all_day', all_day, 'starts', starts, 'ends', ends,
    'recurrence', recurrence, 'repeat_until', repeat_until, 'published', published)
FROM events;
