//! Database URLs: a mistake gives a clear error, never an empty database made by accident.

use bmma_store::{DatabaseUrl, Store, StoreError};

#[test]
fn accepts_sqlite_and_both_postgres_spellings() {
    assert_eq!(
        DatabaseUrl::parse("sqlite://data/bmma.db").unwrap(),
        DatabaseUrl::Sqlite("data/bmma.db".into())
    );
    assert_eq!(
        DatabaseUrl::parse("sqlite:///var/lib/bmma/bmma.db").unwrap(),
        DatabaseUrl::Sqlite("/var/lib/bmma/bmma.db".into())
    );
    for url in ["postgres://u@h/d", "postgresql://u@h/d"] {
        assert!(matches!(DatabaseUrl::parse(url), Ok(DatabaseUrl::Postgres(_))));
    }
}

#[test]
fn refuses_an_unknown_scheme_without_showing_the_password() {
    let error = DatabaseUrl::parse("mysql://root:hunter2@localhost/bmma").unwrap_err();
    assert!(error.is_bad_input());
    let message = error.to_string();
    assert!(message.starts_with("unsupported database URL 'mysql://root:***@localhost/bmma'"), "{message}");
    assert!(!message.contains("hunter2"));
}

#[tokio::test]
async fn a_missing_sqlite_directory_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("bmma.db");
    let error = Store::open(&DatabaseUrl::Sqlite(missing.clone())).await.unwrap_err();
    assert!(matches!(error, StoreError::MissingDirectory(_)), "{error}");
    assert!(error.to_string().contains("no-such-dir"), "{error}");
    assert!(!missing.parent().unwrap().exists());
}

#[tokio::test]
async fn an_unreachable_postgres_is_an_error() {
    // Port 1 on loopback: nothing listens there.
    let url = DatabaseUrl::parse("postgres://bmma@127.0.0.1:1/bmma?connect_timeout=2").unwrap();
    let error = Store::open(&url).await.unwrap_err();
    assert!(matches!(error, StoreError::Unreachable(_)), "{error}");
}
