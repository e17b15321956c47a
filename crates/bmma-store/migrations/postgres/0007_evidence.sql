-- The content of uploaded files, once per distinct content. Files live in the database so a
-- backup of the database is a backup of the evidence.
CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL
);

-- The evidence register: documents, interview notes, observations and visit records.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
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
    created_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    -- The long texts come last, so reading the columns above never walks through them.
    notes TEXT NOT NULL,
    -- The words read from a PDF or text upload; NULL when there are none to read.
    document_text TEXT,
    -- The distinct search words of title, notes and document text (bmma_core::evidence).
    search_text TEXT NOT NULL,
    search_vector TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED
);
CREATE INDEX evidence_by_assessment ON evidence (assessment_id, created_at);
CREATE INDEX evidence_search ON evidence USING GIN (search_vector);

-- The evidence an expert cites for a rating, and the lead for an agreed score: JSON lists of
-- evidence ids.
ALTER TABLE ratings ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agreed_scores ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
