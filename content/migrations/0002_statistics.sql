-- Visit statistics: per-day views and unique visitors for the site and each article.
-- Hits themselves stay in articles.hits. Visitors are counted by a salted hash that changes every
-- day; no address or visitor id is stored.

CREATE TABLE site_daily (
    day       TEXT PRIMARY KEY,            -- 'YYYY-MM-DD' in the site's time zone
    views     INTEGER NOT NULL DEFAULT 0,  -- page views by people
    visitors  INTEGER NOT NULL DEFAULT 0,  -- unique people that day
    bot_views INTEGER NOT NULL DEFAULT 0   -- page views by bots, kept apart
);

CREATE TABLE article_daily (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    views      INTEGER NOT NULL DEFAULT 0,  -- counted views (once per visitor per window)
    visitors   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX article_daily_day ON article_daily (day);

-- One row per person per day per scope ('site' or 'article:<id>'): how visitors are made unique.
CREATE TABLE daily_uniques (
    day   TEXT NOT NULL,
    scope TEXT NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (day, scope, hash)
) WITHOUT ROWID;
