-- The team (members and invitations) and the assignments are each saved from one form of
-- their own. Each has its own version, increased by every change to it, so that a form read
-- before someone else's change is refused instead of undoing that change.
ALTER TABLE assessments ADD COLUMN members_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE assessments ADD COLUMN assignments_version BIGINT NOT NULL DEFAULT 1;
