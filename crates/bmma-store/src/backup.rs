//! Backups of the embedded database. PostgreSQL has its own tools (pg_dump, pg_restore).

use std::path::{Path, PathBuf};

use crate::{Backend, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the SQLite database to `target`, while the database stays
    /// in use: SQLite copies one snapshot, so writes made meanwhile are either wholly in the
    /// copy or wholly absent. `target` must not exist yet.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite(sqlite) = &self.backend else {
            return Err(StoreError::Unsupported(
                "bmma backup copies the embedded SQLite database; for PostgreSQL use pg_dump".into(),
            ));
        };
        if target.exists() {
            return Err(StoreError::Refused(format!(
                "{} exists already; choose a new file name",
                target.display()
            )));
        }
        match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
                return Err(StoreError::MissingDirectory(dir.to_path_buf()));
            }
            _ => {}
        }
        let target = target.display().to_string();
        sqlite
            .with(move |conn| {
                conn.execute("VACUUM INTO ?1", [target]).map_err(|e| StoreError::Database(e.to_string()))?;
                Ok(())
            })
            .await
    }
}

/// Puts the backup `source` in place of the SQLite database at `target`. Refuses a file
/// that is not a bmma database, and refuses to replace an existing database unless `force`.
/// The server must be stopped meanwhile.
pub fn restore_sqlite(source: &Path, target: &Path, force: bool) -> Result<(), StoreError> {
    let check = rusqlite::Connection::open_with_flags(source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|conn| {
            conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |row| row.get::<_, i64>(0))
        })
        .map_err(|_| StoreError::Refused(format!("{} is not a bmma database backup", source.display())))?;
    let known = crate::migrations::MIGRATIONS.last().map_or(0, |m| m.version);
    if check > known {
        return Err(StoreError::TooNew { found: check, known });
    }
    if target.exists() && !force {
        return Err(StoreError::Refused(format!(
            "{} exists; add --force to replace it (stop the server first)",
            target.display()
        )));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(StoreError::MissingDirectory(dir));
    }
    // Copy beside the target, then rename: the database is replaced whole or not at all.
    let partial = dir.join(".bmma-restore.partial");
    std::fs::copy(source, &partial).map_err(|e| StoreError::Database(format!("copying the backup: {e}")))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Database(format!("writing the copy: {e}")))?;
    // A write-ahead log left by the old database would be replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            std::fs::remove_file(&side)
                .map_err(|e| StoreError::Database(format!("removing {}: {e}", side.display())))?;
        }
    }
    std::fs::rename(&partial, target)
        .map_err(|e| StoreError::Database(format!("putting the copy in place: {e}")))
}
