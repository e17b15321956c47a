//! Accounts and how people prove who they are: the password policy and its hashing, the
//! secrets behind sessions and API tokens, and the e-mail check. The one home of these rules,
//! for the sign-in page, the account pages, the command line and the demo.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use bmma_core::{EMAIL_MAX_CHARS, text_problem};
use bmma_store::{Store, User};
use sha2::{Digest, Sha256};

use crate::AppError;

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

/// A password the policy accepts, or the message key of what is wrong.
pub fn check_password_policy(password: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        Err("error-password-short")
    } else if length > PASSWORD_MAX_CHARS {
        Err("error-password-long")
    } else {
        Ok(())
    }
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

/// Makes a new API token for `user`, under a name that says where it is used; returns the
/// secret, which is shown once and never stored.
pub async fn issue_token(store: &Store, user: &User, name: &str) -> Result<String, AppError> {
    if let Some(problem) = text_problem("name", name, true, TOKEN_NAME_MAX_CHARS) {
        return Err(AppError::Invalid(vec![problem]));
    }
    let name = name.trim();
    let secret = format!("{TOKEN_PREFIX}{}", new_secret());
    store.create_token(user, &crate::new_id(), name, &secret_hash(&secret), &user.actor()).await?;
    Ok(secret)
}

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
