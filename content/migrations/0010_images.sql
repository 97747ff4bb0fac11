-- The media library's images. Each is named by the hash of the uploaded file (`digest`, the
-- first 24 hex digits of its sha256), which names its variants on disk and in their addresses
-- (/media/img/<digest>-<width>x<height>-<variant>.<ext>), so the same file is kept once.
CREATE TABLE images (
    id            INTEGER PRIMARY KEY,
    digest        TEXT NOT NULL UNIQUE CHECK (length(digest) = 24),
    format        TEXT NOT NULL CHECK (format IN ('JPEG', 'PNG', 'WEBP', 'GIF')),
    width         INTEGER NOT NULL CHECK (width > 0),    -- upright (EXIF orientation applied)
    height        INTEGER NOT NULL CHECK (height > 0),
    bytes         INTEGER NOT NULL,                      -- the uploaded file
    stored_bytes  INTEGER NOT NULL,                      -- all its variants together
    filename      TEXT NOT NULL DEFAULT '',              -- the uploaded file's name, for editors
    alt           TEXT NOT NULL DEFAULT '',
    decorative    INTEGER NOT NULL DEFAULT 0 CHECK (decorative IN (0, 1)),
    uploaded_at   TEXT NOT NULL,
    uploaded_by   INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX images_uploaded ON images (uploaded_at DESC, id DESC);

-- Which articles show which image (in their intro, full text or as intro image), kept by the
-- triggers below whenever an article's HTML or intro image is written: the library lists where
-- an image is used and refuses to delete it while it is.
CREATE TABLE image_uses (
    image_id    INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (image_id, article_id)
) WITHOUT ROWID;
CREATE INDEX image_uses_article ON image_uses (article_id);

CREATE TRIGGER articles_image_uses_insert AFTER INSERT ON articles
WHEN instr(NEW.intro_html || NEW.full_html || NEW.intro_image, '/media/img/') > 0
BEGIN
    INSERT OR IGNORE INTO image_uses (image_id, article_id)
    SELECT i.id, NEW.id FROM images i
    WHERE instr(NEW.intro_html, '/media/img/' || i.digest) > 0
       OR instr(NEW.full_html, '/media/img/' || i.digest) > 0
       OR instr(NEW.intro_image, '/media/img/' || i.digest) > 0;
END;

CREATE TRIGGER articles_image_uses_update AFTER UPDATE OF intro_html, full_html, intro_image
ON articles
BEGIN
    DELETE FROM image_uses WHERE article_id = NEW.id;
    INSERT OR IGNORE INTO image_uses (image_id, article_id)
    SELECT i.id, NEW.id FROM images i
    WHERE instr(NEW.intro_html || NEW.full_html || NEW.intro_image, '/media/img/') > 0
      AND (instr(NEW.intro_html, '/media/img/' || i.digest) > 0
       OR instr(NEW.full_html, '/media/img/' || i.digest) > 0
       OR instr(NEW.intro_image, '/media/img/' || i.digest) > 0);
END;
