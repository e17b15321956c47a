-- The content of uploaded files, once per distinct content. Files live in the database so a
-- backup of the database is a backup of the evidence.
CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL
);

-- The evidence register: documents, interview notes, observations and visit records.
-- `seq` gives the full-text index a row number that VACUUM never changes.
CREATE TABLE evidence (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- JSON list of the indicator codes the item supports.
    indicators TEXT NOT NULL,
    -- The upload, if any: its name as the user gave it (for display only), type and content.
    file_name TEXT,
    media_type TEXT,
    sha256 TEXT REFERENCES evidence_files (sha256),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- The long texts come last, so reading the columns above never walks through them.
    notes TEXT NOT NULL,
    -- The words read from a PDF or text upload; NULL when there are none to read.
    document_text TEXT,
    -- The distinct search words of title, notes and document text (bmma_core::evidence).
    search_text TEXT NOT NULL
);
CREATE INDEX evidence_by_assessment ON evidence (assessment_id, created_at);

CREATE VIRTUAL TABLE evidence_search USING fts5 (search_text, content = 'evidence', content_rowid = 'seq');
CREATE TRIGGER evidence_search_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_search (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER evidence_search_update AFTER UPDATE OF search_text ON evidence BEGIN
    INSERT INTO evidence_search (evidence_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO evidence_search (rowid, search_text) VALUES (new.seq, new.search_text);
END;

-- The evidence an expert cites for a rating, and the lead for an agreed score: JSON lists of
-- evidence ids.
ALTER TABLE ratings ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agreed_scores ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
