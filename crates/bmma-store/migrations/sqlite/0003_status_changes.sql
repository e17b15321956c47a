-- Each move of an assessment along its life cycle, with who made it and when.
CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX status_changes_by_assessment ON status_changes (assessment_id, id);

-- Who made the last change, so a save that lost a race can say who won it.
ALTER TABLE assessments ADD COLUMN updated_by TEXT;
