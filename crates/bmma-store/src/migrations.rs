//! Schema migrations. Append-only: a released migration is never edited. Every migration
//! exists for both backends under the same name, which this list makes impossible to miss
//! and a test checks against the directories.

use crate::StoreError;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_initial"),
    migration!(2, "0002_people_and_access"),
    migration!(3, "0003_status_changes"),
    migration!(4, "0004_scoring"),
    migration!(5, "0005_plan"),
    migration!(6, "0006_sites_and_visits"),
    migration!(7, "0007_evidence"),
    migration!(8, "0008_text_reading"),
    migration!(9, "0009_sign_in_throttle"),
    migration!(10, "0010_invitations"),
    migration!(11, "0011_team_versions"),
    migration!(12, "0012_links"),
    migration!(13, "0013_actors_by_id"),
];

/// The names of all migrations, in order, for tests and `bmma migrate`.
pub fn names() -> Vec<&'static str> {
    MIGRATIONS.iter().map(|m| m.name).collect()
}

/// The migrations still to apply, given the versions already applied. Refuses a database
/// that a newer bmma has migrated: this bmma does not know its schema.
pub(crate) fn pending<'a>(all: &'a [Migration], applied: &[i64]) -> Result<Vec<&'a Migration>, StoreError> {
    let known = all.last().map_or(0, |m| m.version);
    if let Some(&newest) = applied.iter().max()
        && newest > known
    {
        return Err(StoreError::TooNew { found: newest, known });
    }
    Ok(all.iter().filter(|m| !applied.contains(&m.version)).collect())
}
