-- The Joomla importer (issue 9): which Joomla row became which row here, so a second import skips
-- what is already here and old links (index.php?option=com_content&id=N) find the new article.
-- kind: 'article', 'category', 'section' (1.5 sections became top-level categories), 'user',
-- 'poll', 'poll_option', 'poll_vote' (a ballot), 'banner', 'weblink' (both in banners),
-- 'visit_offset' (old_id is the mod_stats module, new_id the offset that was set).

CREATE TABLE joomla_map (
    kind        TEXT NOT NULL,
    old_id      INTEGER NOT NULL,
    new_id      INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (kind, old_id)
) WITHOUT ROWID;
CREATE INDEX joomla_map_new ON joomla_map (kind, new_id);
