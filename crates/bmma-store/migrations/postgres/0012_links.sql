-- Links between records become tables with foreign keys, in place of JSON lists kept in text
-- columns: the database itself then refuses a link to evidence, a rating, a visit or a person
-- that does not exist, or to another assessment's evidence. `position` keeps each list in the
-- order it was given. Indicator codes have no table of their own (ARCHITECTURE.md says why).

-- Lets a link name an item together with its assessment, so a citation cannot cross assessments.
CREATE UNIQUE INDEX evidence_in_assessment ON evidence (assessment_id, id);

-- The indicators an evidence item supports.
CREATE TABLE evidence_indicators (
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    indicator_code TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (evidence_id, indicator_code)
);

-- The evidence an expert cites for a rating.
CREATE TABLE rating_evidence (
    assessment_id TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    user_id TEXT NOT NULL,
    evidence_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, indicator_code, user_id, evidence_id),
    FOREIGN KEY (assessment_id, indicator_code, user_id) REFERENCES ratings (assessment_id, indicator_code, user_id),
    FOREIGN KEY (assessment_id, evidence_id) REFERENCES evidence (assessment_id, id)
);

-- The evidence the team lead cites for an agreed score.
CREATE TABLE agreed_score_evidence (
    assessment_id TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    evidence_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, indicator_code, evidence_id),
    FOREIGN KEY (assessment_id, indicator_code) REFERENCES agreed_scores (assessment_id, indicator_code),
    FOREIGN KEY (assessment_id, evidence_id) REFERENCES evidence (assessment_id, id)
);

-- Who went on a visit, and what they observed.
CREATE TABLE visit_members (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (visit_id, user_id)
);
CREATE TABLE visit_indicators (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    indicator_code TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (visit_id, indicator_code)
);

-- The lists move over. A repeated entry is kept once, at its first place; an entry naming a
-- record that does not exist (which no form could save) is not carried over.
INSERT INTO evidence_indicators (evidence_id, indicator_code, position)
SELECT e.id, j.value, MIN(j.key) FROM evidence e, jsonb_array_elements_text(e.indicators::jsonb) WITH ORDINALITY AS j (value, key) GROUP BY e.id, j.value;

INSERT INTO rating_evidence (assessment_id, indicator_code, user_id, evidence_id, position)
SELECT r.assessment_id, r.indicator_code, r.user_id, j.value, MIN(j.key) FROM ratings r, jsonb_array_elements_text(r.evidence::jsonb) WITH ORDINALITY AS j (value, key)
WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.assessment_id = r.assessment_id AND e.id = j.value)
GROUP BY r.assessment_id, r.indicator_code, r.user_id, j.value;

INSERT INTO agreed_score_evidence (assessment_id, indicator_code, evidence_id, position)
SELECT a.assessment_id, a.indicator_code, j.value, MIN(j.key) FROM agreed_scores a, jsonb_array_elements_text(a.evidence::jsonb) WITH ORDINALITY AS j (value, key)
WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.assessment_id = a.assessment_id AND e.id = j.value)
GROUP BY a.assessment_id, a.indicator_code, j.value;

INSERT INTO visit_members (visit_id, user_id, position)
SELECT v.id, j.value, MIN(j.key) FROM visits v, jsonb_array_elements_text(v.members::jsonb) WITH ORDINALITY AS j (value, key)
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = j.value)
GROUP BY v.id, j.value;

INSERT INTO visit_indicators (visit_id, indicator_code, position)
SELECT v.id, j.value, MIN(j.key) FROM visits v, jsonb_array_elements_text(v.observed::jsonb) WITH ORDINALITY AS j (value, key) GROUP BY v.id, j.value;

ALTER TABLE evidence DROP COLUMN indicators;
ALTER TABLE ratings DROP COLUMN evidence;
ALTER TABLE agreed_scores DROP COLUMN evidence;
ALTER TABLE visits DROP COLUMN members;
ALTER TABLE visits DROP COLUMN observed;
