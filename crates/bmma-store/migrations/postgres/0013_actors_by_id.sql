-- Who made a change is an account, named by its id with a foreign key, no longer by the
-- e-mail address it had at the time: pages show the person's name, and an address changed
-- later cannot leave a record pointing at no one. NULL is bmma itself (the command line,
-- the demo's set-up). The audit trail keeps its entries exactly as written and sealed.
ALTER TABLE assessments ADD COLUMN updated_by_id TEXT REFERENCES users (id);
UPDATE assessments SET updated_by_id = (SELECT u.id FROM users u WHERE u.email = assessments.updated_by);
ALTER TABLE assessments DROP COLUMN updated_by;

ALTER TABLE status_changes ADD COLUMN changed_by_id TEXT REFERENCES users (id);
UPDATE status_changes SET changed_by_id = (SELECT u.id FROM users u WHERE u.email = status_changes.changed_by);
ALTER TABLE status_changes DROP COLUMN changed_by;

ALTER TABLE invitations ADD COLUMN invited_by_id TEXT REFERENCES users (id);
UPDATE invitations SET invited_by_id = (SELECT u.id FROM users u WHERE u.email = invitations.invited_by);
ALTER TABLE invitations DROP COLUMN invited_by;

ALTER TABLE evidence ADD COLUMN created_by_id TEXT REFERENCES users (id);
ALTER TABLE evidence ADD COLUMN updated_by_id TEXT REFERENCES users (id);
UPDATE evidence SET
    created_by_id = (SELECT u.id FROM users u WHERE u.email = evidence.created_by),
    updated_by_id = (SELECT u.id FROM users u WHERE u.email = evidence.updated_by);
ALTER TABLE evidence DROP COLUMN created_by;
ALTER TABLE evidence DROP COLUMN updated_by;

ALTER TABLE visits ADD COLUMN created_by_id TEXT REFERENCES users (id);
UPDATE visits SET created_by_id = (SELECT u.id FROM users u WHERE u.email = visits.created_by);
ALTER TABLE visits DROP COLUMN created_by;

ALTER TABLE agreed_scores ADD COLUMN agreed_by_id TEXT REFERENCES users (id);
UPDATE agreed_scores SET agreed_by_id = (SELECT u.id FROM users u WHERE u.email = agreed_scores.agreed_by);
ALTER TABLE agreed_scores DROP COLUMN agreed_by;
