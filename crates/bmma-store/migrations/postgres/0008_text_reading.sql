-- The words of an upload are read after it is stored, by a separate process: where that
-- stands for each item. Items filed before this migration were read when they were filed.
ALTER TABLE evidence ADD COLUMN text_state TEXT NOT NULL DEFAULT 'no-text';
UPDATE evidence SET text_state = CASE
    WHEN document_text IS NOT NULL THEN 'read'
    WHEN media_type IN ('application/pdf', 'text/plain', 'text/csv') THEN 'unreadable'
    ELSE 'no-text'
END;
-- The server picks up the items still waiting when it starts.
CREATE INDEX evidence_waiting ON evidence (text_state) WHERE text_state = 'waiting';
