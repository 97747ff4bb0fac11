-- Full-text search over articles (issue 6): an FTS5 index that triggers keep in step with every
-- insert, edit and delete, so no code path that writes articles can forget it.
--
-- Articles are stored as cleaned HTML, and a trigger can call no Python, so the text is taken out
-- of the markup in SQL: json_quote() makes the HTML one valid JSON string, every "<" becomes a
-- string boundary, json_each() walks the pieces and each piece loses what comes before its first
-- ">" (the rest of a tag). The cleaner always escapes "<" and ">" in text, so this is exact except
-- for a ">" inside an attribute value. The common entities are decoded ("&amp;" last); rarer ones
-- stay as they are.

CREATE VIEW article_search_text AS
SELECT id, title,
       replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
       replace(replace(replace(
           (SELECT group_concat(substr(piece.value, instr(piece.value, '>') + 1), ' ')
            FROM json_each('[' || replace(json_quote(intro_html || ' ' || full_html), '<', '","')
                           || ']') AS piece),
           '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''),
           '&apos;', ''''), '&ldquo;', '“'), '&rdquo;', '”'), '&lsquo;', '‘'), '&rsquo;', '’'),
           '&ndash;', '–'), '&mdash;', '—'), '&amp;', '&') AS body
FROM articles;

-- unicode61 with remove_diacritics 2 folds case and accents ("Kafé" finds "kafe");
-- prefix = '2 3' keeps prefix queries (the last word as typed so far) fast.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body)
    SELECT id, title, body FROM article_search_text WHERE id = new.id;
END;

-- Only the indexed columns: the hit counter's frequent updates never touch the index.
CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, intro_html, full_html ON articles
BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    INSERT INTO articles_fts (rowid, title, body)
    SELECT id, title, body FROM article_search_text WHERE id = new.id;
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;

INSERT INTO articles_fts (rowid, title, body) SELECT id, title, body FROM article_search_text;
