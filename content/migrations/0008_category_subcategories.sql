-- Categories can list their subcategories' articles too (issue 17), like Joomla's "Include
-- subcategories" option, set per category:
--   'auto' (the default) lists them when the category has no published article of its own, so a
--          category that only groups others (the demo's "Publikasi") is not an empty page;
--   'yes'  always lists the articles of every published subcategory, at any depth, with its own;
--   'no'   lists only its own articles.
ALTER TABLE categories ADD COLUMN include_children TEXT NOT NULL DEFAULT 'auto'
    CHECK (include_children IN ('auto', 'yes', 'no'));
