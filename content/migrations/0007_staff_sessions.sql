-- Staff sessions kept on the server (issue 10): the cookie carries only a random token, whose
-- hash is the key here, so logging out, a password change or a role change ends a session
-- everywhere at once. `confirmed` is when the password was last entered in this session: account
-- and role changes ask for it again when that was too long ago.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    TEXT NOT NULL,
    expires    TEXT NOT NULL,
    confirmed  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Password reset links: single use (used is set in the same transaction as the new password)
-- and short-lived; only the token's hash is kept.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    TEXT NOT NULL,
    expires    TEXT NOT NULL,
    used       TEXT
) WITHOUT ROWID;
