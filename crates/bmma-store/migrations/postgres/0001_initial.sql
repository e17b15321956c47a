-- Frameworks, by id and version. `source` is the framework file as imported; the server
-- parses it at start, so an assessment keeps the exact text it was scored against.
CREATE TABLE frameworks (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    builtin BOOLEAN NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    title TEXT NOT NULL,
    requesting_body TEXT NOT NULL,
    status TEXT NOT NULL,
    -- JSON array of component, element and indicator codes; NULL covers the whole framework.
    scope JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

CREATE INDEX assessments_by_created_at ON assessments (created_at);
