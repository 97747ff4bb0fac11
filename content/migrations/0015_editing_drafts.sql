-- Autosaved drafts: the fields of an article's or event's form as an editor left them, kept
-- while they type so that a crash or a closed tab loses nothing. One per editor and item (item_id
-- 0: a new item not saved yet); never public, never a revision. A draft goes with its editor,
-- and with its item (article_id / event_id repeat item_id for the foreign keys' cascade).
-- fields: JSON {"name": ["value", ...]} of every field of the form but the CSRF token.
CREATE TABLE editing_drafts (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('article', 'event')),
    item_id    INTEGER NOT NULL CHECK (item_id >= 0),
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
    fields     TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, item_id),
    CHECK (article_id IS (CASE WHEN kind = 'article' AND item_id > 0 THEN item_id END)),
    CHECK (event_id IS (CASE WHEN kind = 'event' AND item_id > 0 THEN item_id END))
) WITHOUT ROWID;
CREATE INDEX editing_drafts_article ON editing_drafts (article_id) WHERE article_id IS NOT NULL;
CREATE INDEX editing_drafts_event ON editing_drafts (event_id) WHERE event_id IS NOT NULL;
