-- Which members rate which elements of an assessment.
CREATE TABLE assignments (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    element_code TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (assessment_id, element_code, user_id)
);
CREATE INDEX assignments_by_user ON assignments (user_id, assessment_id);

-- Each expert's own rating of an indicator. `state` is level, insufficient-evidence,
-- not-applicable or not-assessed; `level` is set only for the first.
CREATE TABLE ratings (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    indicator_code TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL,
    level INTEGER,
    justification TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, indicator_code, user_id)
);

-- The score the team agrees for an indicator, recorded by the team lead.
CREATE TABLE agreed_scores (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    indicator_code TEXT NOT NULL,
    state TEXT NOT NULL,
    level INTEGER,
    narrative TEXT NOT NULL,
    agreed_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, indicator_code)
);

-- Bumped by every change to an assessment's scores, assignments or members, so a server
-- can tell whether what it holds in memory is current with one cheap read.
ALTER TABLE assessments ADD COLUMN scores_version INTEGER NOT NULL DEFAULT 0;
