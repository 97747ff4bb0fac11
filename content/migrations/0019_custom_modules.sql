-- Custom HTML modules (a notice, a contact box), and the pages every module shows on.

-- The body is HTML cleaned by the site's cleaner when it is saved, never when it is shown.
-- A title may be left empty only where it is not shown (show_title 0).
CREATE TABLE custom_modules (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    show_title INTEGER NOT NULL DEFAULT 1 CHECK (show_title IN (0, 1)),
    body_html  TEXT NOT NULL,
    created    TEXT NOT NULL,
    modified   TEXT NOT NULL,
    CHECK (show_title = 0 OR title != '')
);

-- A custom module's place is a row of `modules` like a built-in one's, under the key
-- 'custom-<id>'; deleting the module deletes its place (and, below, its pages).
ALTER TABLE modules ADD COLUMN custom_id INTEGER
    REFERENCES custom_modules (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX modules_custom ON modules (custom_id) WHERE custom_id IS NOT NULL;

-- Where a module shows: 'all' pages (as before), the 'home' page only, or the pages of the
-- `module_categories` listed for it and of their subcategories, with their articles.
ALTER TABLE modules ADD COLUMN pages TEXT NOT NULL DEFAULT 'all'
    CHECK (pages IN ('all', 'home', 'categories'));

CREATE TABLE module_categories (
    module_key  TEXT NOT NULL REFERENCES modules (key) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (module_key, category_id)
) WITHOUT ROWID;
CREATE INDEX module_categories_category ON module_categories (category_id);
