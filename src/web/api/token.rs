//! The API's authorisation boundary: `ApiToken` is a request's bearer token, checked
//! (known, not revoked, from an allowed network, within its rate limit);
//! `Scoped<R, A>` is that token holding scope `A` of resource `R`, so a handler that
//! takes `Scoped<Contacts, Write>` cannot run without it. A refusal leaves its
//! `ApiError` for the catcher, which answers it as JSON.

use std::marker::PhantomData;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use super::ApiError;
use crate::accounts::Author;
use crate::catalog::api_tokens::{self, TokenRefused};
use crate::db::api_tokens::ApiToken as TokenRow;
use crate::db::Db;
use crate::domain::api_scope::{Access, Resource, Scope, Scopes};
use crate::engine::actor::ApiClient;
use crate::web::guards::client_ip;
use crate::web::rate_limit::RateLimits;

/// A request's checked token.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub token: TokenRow,
    pub scopes: Scopes,
    pub ip: std::net::IpAddr,
}

impl ApiToken {
    /// Who the changes this request makes are recorded under: the token.
    pub fn author(&self) -> Author {
        Author::Token { id: self.token.id, ip: self.ip.to_string() }
    }

    /// The token as the engine's actor on the floor.
    pub fn client(&self) -> ApiClient {
        ApiClient { token_id: self.token.id, ip: self.ip.to_string() }
    }
}

fn refuse<T>(req: &Request<'_>, error: ApiError) -> Outcome<T, ()> {
    Outcome::Error((super::leave(req, error), ()))
}

/// `Authorization: Bearer …`.
fn presented<'r>(req: &'r Request<'_>) -> Option<&'r str> {
    let header = req.headers().get_one("Authorization")?;
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

async fn check(req: &Request<'_>) -> Result<ApiToken, ApiError> {
    let (Some(db), Some(presented)) = (req.rocket().state::<Db>(), presented(req)) else {
        return Err(ApiError::unauthorized());
    };
    let ip = client_ip(req);
    let token = match api_tokens::authenticate(db, presented, ip).await {
        Ok(token) => token,
        Err(TokenRefused::Unknown) => return Err(ApiError::unauthorized()),
        Err(TokenRefused::Network) => return Err(ApiError::forbidden_network()),
        Err(TokenRefused::Db(e)) => return Err(e.into()),
    };
    if let Some(limits) = req.rocket().state::<RateLimits>() {
        limits.api_turn(req, token.id).map_err(ApiError::rate_limited)?;
    }
    let scopes = Scopes::from_codes(token.scopes.iter().map(String::as_str));
    Ok(ApiToken { token, scopes, ip })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ApiToken {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        // Once per request, however many guards ask.
        let checked: &Result<ApiToken, ApiError> = req.local_cache_async(check(req)).await;
        match checked {
            Ok(token) => Outcome::Success(token.clone()),
            Err(error) => refuse(req, error.clone()),
        }
    }
}

/// The resources and accesses as types, for `Scoped<Contacts, Write>`.
pub trait ResourceMarker: Send + Sync + 'static {
    const RESOURCE: Resource;
}
pub trait AccessMarker: Send + Sync + 'static {
    const ACCESS: Access;
}

macro_rules! markers {
    ($trait:ident, $const:ident, $enum:ident: $($name:ident),*) => {
        $(pub struct $name;
          impl $trait for $name { const $const: $enum = $enum::$name; })*
    };
}
markers!(ResourceMarker, RESOURCE, Resource: Contacts, Conversations, Messages, Reports, Teams);
markers!(AccessMarker, ACCESS, Access: Read, Write);

/// A token holding scope `A` of resource `R`; without it, 403 `forbidden_scope`.
pub struct Scoped<R: ResourceMarker, A: AccessMarker> {
    pub token: ApiToken,
    _marker: PhantomData<(R, A)>,
}

#[rocket::async_trait]
impl<'r, R: ResourceMarker, A: AccessMarker> FromRequest<'r> for Scoped<R, A> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let token = match req.guard::<ApiToken>().await {
            Outcome::Success(token) => token,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(_) => return Outcome::Error((Status::Unauthorized, ())),
        };
        let wanted = Scope(R::RESOURCE, A::ACCESS);
        if token.scopes.allows(wanted) {
            Outcome::Success(Scoped { token, _marker: PhantomData })
        } else {
            refuse(req, ApiError::forbidden_scope(wanted.code()))
        }
    }
}
