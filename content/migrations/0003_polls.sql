-- Polls: questions with ordered options, votes guarded by unique keys, counts kept beside them.

CREATE TABLE polls (
    id           INTEGER PRIMARY KEY,
    question     TEXT NOT NULL,
    multiple     INTEGER NOT NULL DEFAULT 0 CHECK (multiple IN (0, 1)),
    max_choices  INTEGER NOT NULL DEFAULT 1 CHECK (max_choices >= 1),
    opens_at     TEXT,            -- UTC; NULL: as soon as it is open
    closes_at    TEXT,            -- UTC; NULL: until closed by hand
    state        TEXT NOT NULL DEFAULT 'draft'
                 CHECK (state IN ('draft', 'open', 'closed', 'archived')),
    audience     TEXT NOT NULL DEFAULT 'everyone' CHECK (audience IN ('everyone', 'members')),
    results      TEXT NOT NULL DEFAULT 'always'
                 CHECK (results IN ('always', 'after_vote', 'after_close')),
    guard_cookie INTEGER NOT NULL DEFAULT 1 CHECK (guard_cookie IN (0, 1)),
    guard_ip     INTEGER NOT NULL DEFAULT 0 CHECK (guard_ip IN (0, 1)),
    guard_member INTEGER NOT NULL DEFAULT 1 CHECK (guard_member IN (0, 1)),
    lag_hours    INTEGER NOT NULL DEFAULT 0 CHECK (lag_hours >= 0),  -- 0: one vote ever
    voters       INTEGER NOT NULL DEFAULT 0,
    votes        INTEGER NOT NULL DEFAULT 0,
    first_vote   TEXT,
    last_vote    TEXT,
    created      TEXT NOT NULL,
    modified     TEXT NOT NULL
);
CREATE INDEX polls_state ON polls (state, closes_at);

CREATE TABLE poll_options (
    id       INTEGER PRIMARY KEY,
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    label    TEXT NOT NULL,
    ordering INTEGER NOT NULL,
    votes    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (poll_id, ordering)
);

-- One ballot per accepted submission; identities are salted hashes, never addresses or ids.
CREATE TABLE poll_ballots (
    id           INTEGER PRIMARY KEY,
    poll_id      INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    cast_at      TEXT NOT NULL,
    voter_hash   TEXT NOT NULL,   -- the visitor, salted per poll
    address_hash TEXT NOT NULL,   -- the address, salted per day
    member_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('form', 'socket'))
);
CREATE INDEX poll_ballots_poll ON poll_ballots (poll_id, cast_at);

CREATE TABLE poll_choices (
    ballot_id INTEGER NOT NULL REFERENCES poll_ballots (id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL REFERENCES poll_options (id) ON DELETE CASCADE,
    PRIMARY KEY (ballot_id, option_id)
) WITHOUT ROWID;

-- The duplicate-vote guard: a second ballot with the same key in the same period breaks the
-- primary key, so two votes arriving together cannot both be stored.
CREATE TABLE poll_guards (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('cookie', 'address', 'member')),
    key     TEXT NOT NULL,
    period  TEXT NOT NULL,        -- '' for one vote ever; else the lag period or the day
    PRIMARY KEY (poll_id, kind, key, period)
) WITHOUT ROWID;
