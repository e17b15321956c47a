//! Accounts, browser sessions, API tokens and failed logins.
//!
//! Secrets never reach the database: sessions and tokens are stored as hashes of the
//! secret the user holds, passwords as argon2id hashes made by the caller.

use serde::Serialize;
use time::OffsetDateTime;

use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, Value, now};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub password_changed_at: OffsetDateTime,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.id, &self.email)
    }

    /// This account as the author of a record, shown by name.
    pub fn author(&self) -> bmma_core::records::Author {
        bmma_core::records::Author { user_id: Some(self.id.clone()), name: self.name.clone() }
    }
}

/// A new account; `password_hash` is already an argon2id hash.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub is_admin: bool,
}

/// E-mail addresses compare without case and surrounding space.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT id, email, name, is_admin, created_at, password_changed_at, password_hash FROM users ",
            $tail
        )
    };
}

fn user(row: &dyn Row) -> Result<User, StoreError> {
    Ok(User {
        id: row.text(0)?,
        email: row.text(1)?,
        name: row.text(2)?,
        is_admin: row.boolean(3)?,
        created_at: row.time(4)?,
        password_changed_at: row.time(5)?,
    })
}

fn user_and_hash(row: &dyn Row) -> Result<(User, String), StoreError> {
    Ok((user(row)?, row.text(6)?))
}

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl Store {
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let count = self.query_one("SELECT COUNT(*) FROM users", vec![], |row| row.int(0)).await?;
        Ok(count.unwrap_or(0))
    }

    /// Creates an account. An e-mail address already in use is refused.
    pub async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<User, StoreError> {
        let email = normalise_email(&new.email);
        if self.user_by_email(&email).await?.is_some() {
            return Err(StoreError::Duplicate(format!("an account for {email} exists already")));
        }
        let at = now();
        let created = User {
            id: new.id.clone(),
            email: email.clone(),
            name: new.name.trim().to_string(),
            is_admin: new.is_admin,
            created_at: at,
            password_changed_at: at,
        };
        let change = Change::new(actor, Audited::UserCreate, &created.id).after(&created);
        self.write_audited(
            vec![Statement::new(
                "INSERT INTO users (id, email, name, password_hash, is_admin, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email) DO NOTHING",
                vec![
                    created.id.clone().into(),
                    email.into(),
                    created.name.clone().into(),
                    new.password_hash.clone().into(),
                    new.is_admin.into(),
                    at.into(),
                ],
            )
            .expect_rows(1)],
            change,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict => StoreError::Duplicate(format!("an account for {} exists already", created.email)),
            other => other,
        })?;
        Ok(created)
    }

    /// The account and its password hash, for signing in.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        self.query_one(select_users!("WHERE email = $1"), vec![normalise_email(email).into()], user_and_hash)
            .await
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        self.query_one(select_users!("WHERE id = $1"), vec![id.into()], user).await
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        self.query(select_users!("ORDER BY email"), vec![], user).await
    }

    /// Replaces a password and ends every session of the account but `keep` (the hash of
    /// the session that made the change, if any).
    pub async fn set_password(
        &self,
        user: &User,
        password_hash: &str,
        keep: Option<&str>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let at = now();
        let change = Change::new(actor, Audited::UserChangePassword, &user.id)
            .before(&serde_json::json!({ "password_changed_at": user.password_changed_at.to_string() }))
            .after(&serde_json::json!({ "password_changed_at": at.to_string() }));
        self.write_audited(
            vec![
                Statement::new(
                    "UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
                    vec![user.id.clone().into(), password_hash.into(), at.into()],
                )
                .expect_rows(1),
                Statement::new(
                    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                    vec![user.id.clone().into(), keep.unwrap_or("").into()],
                ),
            ],
            change,
        )
        .await
    }

    /// Starts a session; also clears sessions that have expired.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = now();
        self.write(vec![
            Statement::new("DELETE FROM sessions WHERE expires_at <= $1", vec![at.into()]),
            Statement::new(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                vec![token_hash.into(), user_id.into(), csrf_token.into(), at.into(), expires_at.into()],
            ),
        ])
        .await
    }

    /// The live session with this hash, if it has not expired or been revoked.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        self.query_one(
            "SELECT u.id, u.email, u.name, u.is_admin, u.created_at, u.password_changed_at, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            vec![token_hash.into(), now().into()],
            |row| Ok(Session { user: user(row)?, csrf_token: row.text(6)?, expires_at: row.time(7)? }),
        )
        .await
    }

    /// Ends a session (signing out).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write(vec![Statement::new(
            "DELETE FROM sessions WHERE token_hash = $1",
            vec![token_hash.into()],
        )])
        .await
    }

    pub async fn create_token(
        &self,
        user: &User,
        id: &str,
        name: &str,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<ApiToken, StoreError> {
        let token = ApiToken {
            id: id.to_string(),
            name: name.trim().to_string(),
            created_at: now(),
            revoked_at: None,
        };
        let change = Change::new(actor, Audited::ApiTokenCreate, id).after(&token);
        self.write_audited(
            vec![Statement::new(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    id.into(),
                    user.id.clone().into(),
                    token.name.clone().into(),
                    token_hash.into(),
                    token.created_at.into(),
                ],
            )],
            change,
        )
        .await?;
        Ok(token)
    }

    pub async fn tokens_of(&self, user_id: &str) -> Result<Vec<ApiToken>, StoreError> {
        self.query(
            "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id",
            vec![user_id.into()],
            |row| {
                Ok(ApiToken {
                    id: row.text(0)?,
                    name: row.text(1)?,
                    created_at: row.time(2)?,
                    revoked_at: row.opt_time(3)?,
                })
            },
        )
        .await
    }

    /// Revokes one of the user's own tokens. Returns false when the user has no such live token.
    pub async fn revoke_token(
        &self,
        user_id: &str,
        token_id: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let at = now();
        let change = Change::new(actor, Audited::ApiTokenRevoke, token_id)
            .after(&serde_json::json!({ "revoked_at": at.to_string() }));
        crate::applied(self.write_audited(
                vec![Statement::new(
                    "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
                    vec![token_id.into(), user_id.into(), at.into()],
                )
                .expect_rows(1)],
                change,
            ).await)
    }

    /// The account a live API token belongs to.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        self.query_one(
            "SELECT u.id, u.email, u.name, u.is_admin, u.created_at, u.password_changed_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            vec![token_hash.into()],
            user,
        )
        .await
    }

    /// Reserves one sign-in attempt for `email` from `address`, counted as a failure until
    /// `clear_login_failures` forgets it: false, and nothing reserved, when `since` already
    /// holds `max_per_account` attempts for the account or `max_per_address` from the
    /// address. Counting and reserving are one write, after the two throttle rows are
    /// locked, so simultaneous attempts cannot all pass the count. Attempts older than
    /// `since` are removed on the way.
    pub async fn reserve_login_attempt(
        &self,
        email: &str,
        address: &str,
        since: OffsetDateTime,
        max_per_account: i64,
        max_per_address: i64,
    ) -> Result<bool, StoreError> {
        let email = normalise_email(email);
        // The account's row first, then the address's: every attempt locks in that order.
        let lock = |key: String| {
            Statement::new(
                "INSERT INTO sign_in_throttle (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = excluded.key",
                vec![key.into()],
            )
        };
        let statements = vec![
            lock(format!("email:{email}")),
            lock(format!("address:{address}")),
            Statement::new("DELETE FROM login_failures WHERE at <= $1", vec![since.into()]),
            Statement::new(
                "INSERT INTO login_failures (email, address, at) SELECT $1, $2, $3 \
                 WHERE (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $4) < $5 \
                 AND (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at > $4) < $6",
                vec![
                    email.into(),
                    address.into(),
                    now().into(),
                    since.into(),
                    max_per_account.into(),
                    max_per_address.into(),
                ],
            )
            .expect_rows(1),
        ];
        crate::applied(self.write(statements).await)
    }

    /// How many sign-in attempts are on record, for tests of their pruning.
    pub async fn count_login_failures(&self) -> Result<i64, StoreError> {
        Ok(self
            .query_one("SELECT COUNT(*) FROM login_failures", vec![], |row| row.int(0))
            .await?
            .unwrap_or(0))
    }

    /// Forgets an account's failed logins after it signs in.
    pub async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError> {
        self.write(vec![Statement::new(
            "DELETE FROM login_failures WHERE email = $1",
            vec![Value::Text(normalise_email(email))],
        )])
        .await
    }
}
