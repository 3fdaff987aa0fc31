//! Use cases of accounts: signing in and out, sessions, one-time links, two-factor
//! authentication and an administrator's changes to accounts. Web handlers call these;
//! these call `db` and `domain`, and write the audit log.

pub mod credentials;
pub mod links;
pub mod login;
pub mod mail;
pub mod manage;
pub mod photo;
pub mod profile;
pub mod sessions;
pub mod totp;
pub mod user_draft;

use crate::db::DbError;
use crate::domain::password::PasswordProblem;

/// Why an account action was refused. `key()` names the message in the catalogues.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account temporarily locked")]
    Locked,
    #[error("sign-in from a network this account may not use")]
    NetworkRefused,
    #[error("account deactivated")]
    Inactive,
    #[error("sign-in outside the agent's work hours")]
    OutsideHours,
    #[error("wrong two-factor code")]
    InvalidCode,
    #[error("link expired")]
    LinkExpired,
    #[error("link already used")]
    LinkUsed,
    #[error("unknown link")]
    LinkUnknown,
    #[error("password refused: {0:?}")]
    Password(PasswordProblem),
    /// Form fields broke rules: field name → message key.
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for AccountError {
    fn from(e: rusqlite::Error) -> Self {
        AccountError::Db(DbError::Sqlite(e))
    }
}

impl AccountError {
    pub fn key(&self) -> &'static str {
        match self {
            AccountError::InvalidCredentials => "login-invalid",
            AccountError::Locked => "login-locked",
            AccountError::NetworkRefused => "login-network-refused",
            AccountError::Inactive => "login-inactive",
            AccountError::OutsideHours => "login-outside-hours",
            AccountError::InvalidCode => "totp-invalid",
            AccountError::LinkExpired => "link-expired",
            AccountError::LinkUsed => "link-used",
            AccountError::LinkUnknown => "link-unknown",
            AccountError::Password(p) => p.key(),
            AccountError::Invalid(_) => "form-has-errors",
            AccountError::NotFound => "error-not-found",
            AccountError::Db(_) => "error-internal",
        }
    }
}

pub use crate::domain::fields::FieldErrors;

/// Where a change came from, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub ip: String,
}

/// Who a change is recorded under: a person (or the system, `user_id` `None`), or a
/// REST API token — not a person, so the audit log and a contact's history name the
/// token itself.
#[derive(Debug, Clone)]
pub enum Author {
    Person(Actor),
    Token { id: i64, ip: String },
}

impl Author {
    /// The person behind the change, if one is.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Author::Person(actor) => actor.user_id,
            Author::Token { .. } => None,
        }
    }
}

pub type AccountResult<T> = Result<T, AccountError>;

/// Runs CPU-heavy password work (argon2) off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AccountResult<T> {
    rocket::tokio::task::spawn_blocking(f).await.map_err(|e| AccountError::Db(DbError::Task(e.to_string())))
}
