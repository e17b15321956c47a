//! Store tests. Every test runs on SQLite by default and on PostgreSQL when
//! BMMA_TEST_DATABASE_URL names one; see `harness`.

mod assessments;
mod frameworks;
mod harness;
mod migrations;
mod urls;
