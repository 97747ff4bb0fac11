-- Custom modules' forms keep autosaved drafts too. SQLite cannot change a table's CHECK, so
-- editing_drafts is made again as SQLite's ALTER TABLE page describes, with the kind
-- 'custom_module' and module_id, which repeats item_id for the cascade as article_id and
-- event_id do. Nothing refers to editing_drafts, so the copy and the swap are safe.
CREATE TABLE editing_drafts_0020 (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('article', 'event', 'custom_module')),
    item_id    INTEGER NOT NULL CHECK (item_id >= 0),
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
    module_id  INTEGER REFERENCES custom_modules (id) ON DELETE CASCADE,
    fields     TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, item_id),
    CHECK (article_id IS (CASE WHEN kind = 'article' AND item_id > 0 THEN item_id END)),
    CHECK (event_id IS (CASE WHEN kind = 'event' AND item_id > 0 THEN item_id END)),
    CHECK (module_id IS (CASE WHEN kind = 'custom_module' AND item_id > 0 THEN item_id END))
) WITHOUT ROWID;
INSERT INTO editing_drafts_0020
    (user_id, kind, item_id, article_id, event_id, fields, saved_at)
SELECT user_id, kind, item_id, article_id, event_id, fields, saved_at FROM editing_drafts;
DROP TABLE editing_drafts;
ALTER TABLE editing_drafts_0020 RENAME TO editing_drafts;
CREATE INDEX editing_drafts_article ON editing_drafts (article_id) WHERE article_id IS NOT NULL;
CREATE INDEX editing_drafts_event ON editing_drafts (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX editing_drafts_module ON editing_drafts (module_id) WHERE module_id IS NOT NULL;
