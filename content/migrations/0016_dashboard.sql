-- The editors' dashboard lists each editor's own drafts, the latest changed first: an index on
-- the author, so that is not a scan of every article on each view.
CREATE INDEX articles_author ON articles (author_id, state, modified);
