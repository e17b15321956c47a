-- Border crossing points and offices, per country, shared by the assessments of that country.
-- Coordinates are millionths of a degree, so they compare exactly on every backend.
CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    latitude_e6 INTEGER,
    longitude_e6 INTEGER,
    -- JSON list of the agencies present.
    agencies TEXT NOT NULL,
    travellers_per_year INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX sites_by_country ON sites (country, name);

-- A team's visit to a site: who went, what they observed (indicator codes), what they noted.
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    site_id TEXT NOT NULL REFERENCES sites (id),
    visit_date TEXT NOT NULL,
    -- JSON lists: the user ids of the team members, the indicator codes observed.
    members TEXT NOT NULL,
    observed TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX visits_by_assessment ON visits (assessment_id, visit_date);
