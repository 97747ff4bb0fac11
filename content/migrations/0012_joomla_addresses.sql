-- Every old Joomla address (issue 20). Joomla finds a page by its menu items' paths and by the
-- aliases of categories and articles, so both are kept: the aliases beside the ids in joomla_map,
-- the menu items in a table of their own. Old addresses are looked up per request through the
-- indexes below, never by a scan.
-- old_alias: the Joomla alias, lower case (articles, categories, sections);
-- old_parent: an article's Joomla category (1.5: its section when it had none), a category's
-- parent category (3.x) or section (1.5); NULL at the top.
-- kind 'hidden_hits': an article that was not published in Joomla, new_id the hits it brought,
-- which Joomla's Statistik module did not count (so the visit offset leaves them out too).
ALTER TABLE joomla_map ADD COLUMN old_alias TEXT;
ALTER TABLE joomla_map ADD COLUMN old_parent INTEGER;
CREATE INDEX joomla_map_alias ON joomla_map (kind, old_parent, old_alias);

-- One row per menu item of the old site: its path (the SEF address without index.php and
-- suffix, lower case) and what it showed. target: 'article', 'category', 'section' (target_id
-- the Joomla id), 'home', 'archive', 'search', 'poll', or 'none' (no page here; why says why).
CREATE TABLE joomla_menu (
    old_id      INTEGER PRIMARY KEY,
    route       TEXT NOT NULL,
    title       TEXT NOT NULL,
    target      TEXT NOT NULL,
    target_id   INTEGER,
    layout      TEXT NOT NULL DEFAULT '',
    home        INTEGER NOT NULL DEFAULT 0,
    why         TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
CREATE INDEX joomla_menu_route ON joomla_menu (route);
