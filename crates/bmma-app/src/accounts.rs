//! Accounts and how people prove who they are: the password policy and its hashing, the
//! secrets behind sessions and API tokens, and the e-mail check. The one home of these rules,
//! for the sign-in page, the account pages, the command line and the demo.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use bmma_core::{EMAIL_MAX_CHARS, FieldError, FieldErrorKind, TITLE_MAX_CHARS, text_problem};
use bmma_store::{ApiToken, NewUser, Session, StoreError, User};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::{App, AppError};

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 1024;
/// The longest name an API token may be given.
pub const TOKEN_NAME_MAX_CHARS: usize = 100;

/// A password's argon2id hash, with the crate's recommended parameters and a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checked against when no account has the e-mail address, so that a wrong address takes
/// as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// What is wrong with `password` under the policy, if anything, as a problem of `field`.
pub fn password_problem(field: &'static str, password: &str) -> Option<FieldError> {
    let length = password.chars().count();
    let kind = if length < PASSWORD_MIN_CHARS {
        FieldErrorKind::PasswordTooShort { min: PASSWORD_MIN_CHARS }
    } else if length > PASSWORD_MAX_CHARS {
        FieldErrorKind::TooLong { max: PASSWORD_MAX_CHARS }
    } else {
        return None;
    };
    Some(FieldError { field, kind })
}

/// A new random secret, as 64 hexadecimal characters.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

/// What the database keeps of a session or token secret.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// API tokens carry a prefix, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "bmma_";

/// A plausible e-mail address: something before and after one '@', a dot in the domain, and
/// no longer than mail allows.
pub fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    if email.chars().count() > EMAIL_MAX_CHARS {
        return false;
    }
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Hashing is slow on purpose; it runs off the threads that answer requests.
async fn hashed(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

async fn verified(password: &str, hash: &str) -> Result<bool, AppError> {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A new account, as an administrator (or the command line) asks for it.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub admin: bool,
}

/// How long a browser session lasts without signing in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
/// Failed sign-ins counted over this window...
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// ...of which an account may have this many before it is refused for the rest of it,
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// and one network address this many, whichever accounts it tries.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// Why a sign-in was refused. Both answers are the same for an unknown address and a wrong
/// password, so that they tell nothing about which addresses have accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefused {
    /// Too many failures lately, from this account or this address.
    Throttled,
    /// The address and password do not match an account.
    Failed,
}

/// A session just opened: the secret for the browser's cookie.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub secret: String,
    pub user: User,
}

impl App {
    /// Opens an account. `by` is the administrator asking, or None for bmma itself (the
    /// command line, run by whoever runs the server). Every problem is reported at once; an
    /// address in use already is one of them.
    pub async fn create_user(&self, by: Option<&User>, new: NewAccount<'_>) -> Result<User, AppError> {
        if by.is_some_and(|u| !u.is_admin) {
            return Err(AppError::Forbidden("error-admin-only"));
        }
        let mut problems = Vec::new();
        if !looks_like_email(new.email) {
            problems.push(FieldError { field: "email", kind: FieldErrorKind::NotAnEmail });
        }
        problems.extend(text_problem("name", new.name, true, TITLE_MAX_CHARS));
        problems.extend(password_problem("password", new.password));
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let record = NewUser {
            id: crate::new_id(),
            email: new.email.to_string(),
            name: new.name.to_string(),
            password_hash: hashed(new.password).await?,
            is_admin: new.admin,
        };
        let actor = by.map_or_else(|| bmma_store::Actor::system("bmma"), User::actor);
        // The store refuses a second account for an address inside its write.
        match self.store.create_user(&record, &actor).await {
            Ok(user) => Ok(user),
            Err(StoreError::Duplicate(_)) => Err(AppError::field("email", FieldErrorKind::AccountExists)),
            Err(e) => Err(e.into()),
        }
    }

    /// Every account, for an administrator (`by`) or for bmma itself (None).
    pub async fn users(&self, by: Option<&User>) -> Result<Vec<User>, AppError> {
        if by.is_some_and(|u| !u.is_admin) {
            return Err(AppError::Forbidden("error-admin-only"));
        }
        Ok(self.store.list_users().await?)
    }

    /// The account with this e-mail address, for bmma itself (the command line acts for
    /// whoever runs the server, and names accounts by address).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, AppError> {
        Ok(self.store.user_by_email(email).await?.map(|(user, _)| user))
    }

    /// Whether any account exists yet (a new server asks for its first administrator).
    pub async fn has_users(&self) -> Result<bool, AppError> {
        Ok(self.store.count_users().await? > 0)
    }

    /// Checks `email` and `password` and opens a session. Attempts are counted per account
    /// and per network `address` (`MAX_FAILURES_*` over `FAILURE_WINDOW`).
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<Result<SignedIn, SignInRefused>, AppError> {
        let since = OffsetDateTime::now_utc() - FAILURE_WINDOW;
        // The attempt is reserved before the password is checked, so that simultaneous
        // guesses cannot all pass the count; a right password forgets it again.
        let reserved = self
            .store
            .reserve_login_attempt(email, address, since, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS)
            .await?;
        if !reserved {
            return Ok(Err(SignInRefused::Throttled));
        }
        let found = self.store.user_by_email(email).await?;
        // The same work whether or not the account exists: the answer and its timing tell
        // nothing about which e-mail addresses have accounts.
        let hash = found.as_ref().map_or(dummy_hash(), |(_, hash)| hash.as_str()).to_string();
        let matches = verified(password, &hash).await?;
        let user = match found {
            Some((user, _)) if matches => user,
            _ => return Ok(Err(SignInRefused::Failed)),
        };
        self.store.clear_login_failures(&user.email).await?;
        let secret = new_secret();
        let expires = OffsetDateTime::now_utc() + SESSION_LIFETIME;
        self.store.create_session(&secret_hash(&secret), &user.id, &new_secret(), expires).await?;
        Ok(Ok(SignedIn { secret, user }))
    }

    /// The session whose cookie holds `secret`, while it lasts.
    pub async fn session(&self, secret: &str) -> Result<Option<Session>, AppError> {
        Ok(self.store.session(&secret_hash(secret)).await?)
    }

    /// Ends the session whose cookie holds `secret`.
    pub async fn sign_out(&self, secret: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&secret_hash(secret)).await?)
    }

    /// The account an API token belongs to, unless the token is revoked or unknown.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>, AppError> {
        Ok(self.store.user_by_token(&secret_hash(token.trim())).await?)
    }

    /// Changes `user`'s password, after checking the current one. Every other session of
    /// theirs ends; `keep_session` (the secret of the one asking, if any) stays open.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        confirm: &str,
        keep_session: Option<&str>,
    ) -> Result<(), AppError> {
        let (_, hash) = self.store.user_by_email(&user.email).await?.ok_or(AppError::NotFound)?;
        if !verified(current, &hash).await? {
            return Err(AppError::field("current", FieldErrorKind::WrongPassword));
        }
        if let Some(problem) = password_problem("new", new) {
            return Err(AppError::Invalid(vec![problem]));
        }
        if new != confirm {
            return Err(AppError::field("confirm", FieldErrorKind::PasswordsDiffer));
        }
        let new_hash = hashed(new).await?;
        let keep = keep_session.map(secret_hash);
        self.store.set_password(user, &new_hash, keep.as_deref(), &user.actor()).await?;
        Ok(())
    }

    /// Makes a new API token for `user`, under a name that says where it is used; returns
    /// the secret, which is shown once and never stored.
    pub async fn issue_token(&self, user: &User, name: &str) -> Result<String, AppError> {
        if let Some(problem) = text_problem("name", name, true, TOKEN_NAME_MAX_CHARS) {
            return Err(AppError::Invalid(vec![problem]));
        }
        let secret = format!("{TOKEN_PREFIX}{}", new_secret());
        self.store
            .create_token(user, &crate::new_id(), name.trim(), &secret_hash(&secret), &user.actor())
            .await?;
        Ok(secret)
    }

    /// `user`'s API tokens, revoked ones included.
    pub async fn tokens(&self, user: &User) -> Result<Vec<ApiToken>, AppError> {
        Ok(self.store.tokens_of(&user.id).await?)
    }

    /// Revokes one of `user`'s own tokens; another's, or an unknown one, is not found.
    pub async fn revoke_token(&self, user: &User, token_id: &str) -> Result<(), AppError> {
        if self.store.revoke_token(&user.id, token_id, &user.actor()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
