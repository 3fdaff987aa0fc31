//! "Tokens da API" (under Integrações): the REST API's tokens. A token is something the
//! company keeps, like a channel's secret — named for the system that uses it (the ERP,
//! the CRM), not tied to a person, so it outlives whoever created it — hence here with
//! the other administrator's catalogues, audited the same way, rather than with
//! people's sessions in `accounts`. It is scoped per resource, optionally limited to
//! networks, revocable, and stored as the SHA-256 of a random 256-bit secret: shown
//! once when created, never again. `authenticate` is the check every API request makes.

use std::net::IpAddr;

use rocket::form::FromForm;
use serde::Serialize;

use super::{checked, CatalogError, CatalogResult};
use crate::accounts::credentials::{random_token, token_hash};
use crate::accounts::Actor;
use crate::db::api_tokens::{self, ApiToken, NewToken};
use crate::db::{audit, Db, DbError};
use crate::domain::api_scope::{looks_like_token, Scopes, TOKEN_PREFIX};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::network;

/// How often a token's last use is written at most (a busy token writes once a minute).
const TOUCH_EVERY_MS: i64 = 60_000;

/// A token as typed in its form.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct TokenDraft {
    pub name: String,
    /// Scope codes ticked: `contacts:read`, `contacts:write`, …
    pub scopes: Vec<String>,
    /// CIDR ranges, one per line or separated by commas; empty: any network.
    #[field(default = String::new())]
    pub networks: String,
}

impl TokenDraft {
    fn validate(&self) -> CatalogResult<(String, Scopes, String)> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 80);
        let scopes = Scopes::parse_all(self.scopes.iter().map(String::as_str)).unwrap_or_else(|_| {
            errors.insert("scopes", "api-tokens-scope-unknown");
            Scopes::default()
        });
        if scopes.is_empty() && !errors.contains_key("scopes") {
            errors.insert("scopes", "api-tokens-scopes-required");
        }
        let networks =
            network::parse_networks(&self.networks).map(|n| network::format_networks(&n)).unwrap_or_else(|_| {
                errors.insert("networks", "networks-invalid");
                String::new()
            });
        checked((name, scopes, networks), errors)
    }
}

/// A token just made: its row and the token itself, to be shown this once.
pub struct Created {
    pub id: i64,
    pub token: String,
}

/// Makes a token from the form, audited (`api_token.create`, without the secret).
pub async fn create(db: &Db, actor: &Actor, draft: &TokenDraft) -> CatalogResult<Created> {
    let (name, scopes, networks) = draft.validate()?;
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let hint = format!("{}…", &token[..TOKEN_PREFIX.len() + 4]);
    let new = NewToken { name, token_hash: token_hash(&token), hint, scopes: scopes.codes(), networks };
    let actor = actor.clone();
    let id = db
        .transact(move |tx| {
            let id = api_tokens::insert(tx, &new, actor.user_id, crate::db::now_ms())?;
            audit::record_change(tx, &actor, "api_token.create", &format!("api_token:{id}"), None, Some(&new))?;
            Ok::<_, CatalogError>(id)
        })
        .await?;
    Ok(Created { id, token })
}

/// Revokes a token: every request with it is refused from now on (`api_token.revoke`).
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let before = api_tokens::by_id(tx, id)?.ok_or(CatalogError::NotFound)?;
        if api_tokens::revoke(tx, id, crate::db::now_ms())? {
            let after = api_tokens::by_id(tx, id)?;
            audit::record_change(
                tx,
                &actor,
                "api_token.revoke",
                &format!("api_token:{id}"),
                Some(&before),
                Some(&after),
            )?;
        }
        Ok(())
    })
    .await
}

/// Why a request's token was refused.
#[derive(Debug, thiserror::Error)]
pub enum TokenRefused {
    /// No token, not one of ours, or revoked.
    #[error("unknown or revoked token")]
    Unknown,
    /// The token may not be used from the client's network.
    #[error("network not allowed for this token")]
    Network,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The token a request presents, checked: known, not revoked, from an allowed network.
/// Its last use is recorded (at most once a minute, or when the address changes).
pub async fn authenticate(db: &Db, presented: &str, ip: IpAddr) -> Result<ApiToken, TokenRefused> {
    if !looks_like_token(presented) {
        return Err(TokenRefused::Unknown);
    }
    // Looked up by its hash: equal hashes mean equal tokens, and the lookup reveals
    // nothing about how much of a guess was right.
    let hash = token_hash(presented);
    let token = db.read(move |c| api_tokens::active_by_hash(c, &hash)).await?.ok_or(TokenRefused::Unknown)?;
    let allowed = network::parse_networks(&token.networks).unwrap_or_default();
    if !network::is_allowed(&allowed, ip) {
        return Err(TokenRefused::Network);
    }
    let now = crate::db::now_ms();
    let ip = ip.to_string();
    if token.last_used_at.is_none_or(|at| at <= now - TOUCH_EVERY_MS) || token.last_used_ip != ip {
        let id = token.id;
        db.write(move |tx| api_tokens::touch(tx, id, &ip, now, TOUCH_EVERY_MS)).await?;
    }
    Ok(token)
}

/// Every token, for the list.
pub async fn list(db: &Db) -> Result<Vec<ApiToken>, DbError> {
    db.read(api_tokens::all).await
}
