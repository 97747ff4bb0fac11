-- The Polling module's poll: the one editors pinned, else the newest open one. At most one poll
-- is pinned (the partial unique index refuses a second). When a poll was opened and closed by
-- hand is kept too, for the editors' list.
ALTER TABLE polls ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));
ALTER TABLE polls ADD COLUMN pinned_at TEXT;
ALTER TABLE polls ADD COLUMN opened_at TEXT;
ALTER TABLE polls ADD COLUMN closed_at TEXT;
CREATE UNIQUE INDEX polls_one_pinned ON polls (pinned) WHERE pinned = 1;

UPDATE polls SET opened_at = coalesce(opens_at, created) WHERE state != 'draft';
UPDATE polls SET closed_at = coalesce(closes_at, modified) WHERE state IN ('closed', 'archived');
