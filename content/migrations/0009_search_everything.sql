-- One search over everything visitors can find (issue 17): articles, calendar events, downloads,
-- videos and polls share one FTS5 index, so a query ranks them all the same way and folds case
-- and accents the same way ("Kafé" finds "kafe").
--
-- The rowid says what a row is: the item's id times 8 plus its kind (1 article, 2 event,
-- 3 download, 4 video, 5 poll), so an item is found and replaced by rowid alone. As with the
-- articles' index before it (0005), triggers keep it in step inside the transaction of every
-- insert, edit and delete, whichever domain function or importer wrote the row; each trigger
-- removes the item's row and puts back what the item's view gives, which is nothing when the
-- item is gone. Only the indexed columns fire them: hit and vote counters never touch the index.
--
-- The articles' own index (articles_fts, 0005) is replaced by this one; it held nothing but what
-- is rebuilt from the articles below.

CREATE VIRTUAL TABLE search_index USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TABLE articles_fts;

-- Event descriptions are cleaned HTML like articles: the same way out of the markup as in 0005.
CREATE VIEW event_search_text AS
SELECT id, title,
       location || ' ' || category || ' ' ||
       replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
       replace(replace(replace(
           (SELECT group_concat(substr(piece.value, instr(piece.value, '>') + 1), ' ')
            FROM json_each('[' || replace(json_quote(description_html), '<', '","')
                           || ']') AS piece),
           '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''),
           '&apos;', ''''), '&ldquo;', '“'), '&rdquo;', '”'), '&lsquo;', '‘'), '&rsquo;', '’'),
           '&ndash;', '–'), '&mdash;', '—'), '&amp;', '&') AS body
FROM events;

CREATE VIEW download_search_text AS
SELECT id, title, description || ' ' || category || ' ' || filename AS body FROM downloads;

CREATE VIEW video_search_text AS
SELECT id, title, description AS body FROM videos;

CREATE VIEW poll_search_text AS
SELECT id, question AS title,
       coalesce((SELECT group_concat(label, ' ')
                 FROM (SELECT label FROM poll_options o WHERE o.poll_id = polls.id
                       ORDER BY ordering)), '') AS body
FROM polls;

-- Articles
CREATE TRIGGER search_article_insert AFTER INSERT ON articles BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 1, title, body FROM article_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_article_update AFTER UPDATE OF id, title, intro_html, full_html ON articles
BEGIN
    DELETE FROM search_index WHERE rowid IN (old.id * 8 + 1, new.id * 8 + 1);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 1, title, body FROM article_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_article_delete AFTER DELETE ON articles BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
END;

-- Events
CREATE TRIGGER search_event_insert AFTER INSERT ON events BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 2, title, body FROM event_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_event_update
AFTER UPDATE OF id, title, description_html, location, category ON events BEGIN
    DELETE FROM search_index WHERE rowid IN (old.id * 8 + 2, new.id * 8 + 2);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 2, title, body FROM event_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_event_delete AFTER DELETE ON events BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
END;

-- Downloads
CREATE TRIGGER search_download_insert AFTER INSERT ON downloads BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 3, title, body FROM download_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_download_update
AFTER UPDATE OF id, title, description, category, filename ON downloads BEGIN
    DELETE FROM search_index WHERE rowid IN (old.id * 8 + 3, new.id * 8 + 3);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 3, title, body FROM download_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_download_delete AFTER DELETE ON downloads BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 3;
END;

-- Videos
CREATE TRIGGER search_video_insert AFTER INSERT ON videos BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 4, title, body FROM video_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_video_update AFTER UPDATE OF id, title, description ON videos BEGIN
    DELETE FROM search_index WHERE rowid IN (old.id * 8 + 4, new.id * 8 + 4);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 4, title, body FROM video_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_video_delete AFTER DELETE ON videos BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;

-- Polls: the question, and the answers from their own table
CREATE TRIGGER search_poll_insert AFTER INSERT ON polls BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 5, title, body FROM poll_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_poll_update AFTER UPDATE OF id, question ON polls BEGIN
    DELETE FROM search_index WHERE rowid IN (old.id * 8 + 5, new.id * 8 + 5);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 5, title, body FROM poll_search_text WHERE id = new.id;
END;
CREATE TRIGGER search_poll_delete AFTER DELETE ON polls BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 5;
END;
CREATE TRIGGER search_poll_option_insert AFTER INSERT ON poll_options BEGIN
    DELETE FROM search_index WHERE rowid = new.poll_id * 8 + 5;
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 5, title, body FROM poll_search_text WHERE id = new.poll_id;
END;
CREATE TRIGGER search_poll_option_update AFTER UPDATE OF poll_id, label ON poll_options BEGIN
    DELETE FROM search_index WHERE rowid IN (old.poll_id * 8 + 5, new.poll_id * 8 + 5);
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 5, title, body FROM poll_search_text WHERE id IN (old.poll_id, new.poll_id);
END;
CREATE TRIGGER search_poll_option_delete AFTER DELETE ON poll_options BEGIN
    DELETE FROM search_index WHERE rowid = old.poll_id * 8 + 5;
    INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 5, title, body FROM poll_search_text WHERE id = old.poll_id;
END;

-- What the database already holds
INSERT INTO search_index (rowid, title, body)
SELECT id * 8 + 1, title, body FROM article_search_text;
INSERT INTO search_index (rowid, title, body)
SELECT id * 8 + 2, title, body FROM event_search_text;
INSERT INTO search_index (rowid, title, body)
SELECT id * 8 + 3, title, body FROM download_search_text;
INSERT INTO search_index (rowid, title, body)
SELECT id * 8 + 4, title, body FROM video_search_text;
INSERT INTO search_index (rowid, title, body)
SELECT id * 8 + 5, title, body FROM poll_search_text;
