-- Accounts. E-mail addresses are stored in lower case, so lookups need no case folding.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- Browser sessions. Only a hash of the cookie's secret is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Personal API tokens. Only a hash of the secret is kept; a revoked token stays listed.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Failed logins, for rate limiting per account and per address.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, at);
CREATE INDEX login_failures_by_address ON login_failures (address, at);

-- Who takes part in an assessment, in which role.
CREATE TABLE memberships (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (assessment_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

ALTER TABLE assessments ADD COLUMN shared_with_donors INTEGER NOT NULL DEFAULT 0 CHECK (shared_with_donors IN (0, 1));
ALTER TABLE assessments ADD COLUMN shared_for_validation INTEGER NOT NULL DEFAULT 0 CHECK (shared_for_validation IN (0, 1));

-- The audit trail: appended to, never updated or deleted by bmma. Each entry's hash covers
-- its content and the previous entry's hash. `before` and `after` are JSON kept as text,
-- byte for byte, so the hash can be recomputed.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    assessment_id TEXT,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_assessment ON audit_log (assessment_id, seq);
