-- A team lead who is not an administrator adds people by invitation, whether or not an
-- account with that address exists, so that adding someone reveals nothing about accounts.
-- The person becomes a member when they accept, signed in with that address.
CREATE TABLE invitations (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    invited_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, email)
);
CREATE INDEX invitations_by_email ON invitations (email);
