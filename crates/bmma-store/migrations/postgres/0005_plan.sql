-- The method and timeline agreed with the government. Dates are kept as YYYY-MM-DD text on
-- both backends: they are calendar days, with no time or zone.
ALTER TABLE assessments ADD COLUMN start_date TEXT;
ALTER TABLE assessments ADD COLUMN end_date TEXT;
ALTER TABLE assessments ADD COLUMN evidence_cutoff TEXT;
-- JSON: the counterparts (a list of text) and the methods per element (element code → list).
ALTER TABLE assessments ADD COLUMN counterparts TEXT;
ALTER TABLE assessments ADD COLUMN methods TEXT;

CREATE TABLE milestones (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    due TEXT NOT NULL,
    PRIMARY KEY (assessment_id, position)
);
