//! Rate limits on the surfaces anyone can reach: creating web chat visitors, a visitor's
//! messages and files, signing in and asking for a password reset; and the REST API,
//! per token (`api_turn`, which the API's token guard takes).
//!
//! Each surface has one in-memory keyed limiter (`governor`, GCRA), built from the
//! configuration: a limit of N per minute lets a burst of N through and then one every
//! 60/N seconds. A handler opts in with a guard parameter, `_limit: RateLimit<SignIn>`,
//! so a request over its limit is refused with 429 before its body is read; the catchers
//! answer it as the surface answers other errors (JSON on `/webchat`, the error page
//! elsewhere) and [`RetryAfterHeader`] adds `Retry-After`.
//!
//! Keys: the client address (`guards::client_ip`, so behind a trusted proxy the forwarded
//! one), with IPv6 counted by its /64 network, the block one home or phone gets; or the
//! first bytes of the SHA-256 of the visitor's token, never the token itself.

use std::hash::Hash;
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::Response;
use sha2::Digest;

use super::guards::client_ip;
use crate::config::Config;

/// Most keys one limiter remembers. Past it, keys whose allowance is full again are
/// forgotten; if that is not enough (a flood of made-up tokens or addresses), the limiter
/// starts afresh rather than grow: memory stays bounded, limits restart from full.
const MAX_KEYS: usize = 100_000;

/// One surface's limiter; `None` when its limit is 0 (off).
struct Limiter<K: Hash + Eq + Clone> {
    quota: Quota,
    keys: RwLock<DefaultKeyedRateLimiter<K>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn per_minute(rate: u32) -> Option<Limiter<K>> {
        let quota = Quota::per_minute(NonZeroU32::new(rate)?);
        Some(Limiter { quota, keys: RwLock::new(DefaultKeyedRateLimiter::keyed(quota)) })
    }

    /// Takes one request from the key's allowance, or says how long until there is one.
    fn check(&self, key: &K) -> Result<(), Duration> {
        if self.keys.read().unwrap_or_else(PoisonError::into_inner).len() >= MAX_KEYS {
            self.make_room();
        }
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.check_key(key).map_err(|not_until| not_until.wait_time_from(keys.clock().now()))
    }

    fn make_room(&self) {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.retain_recent();
        if keys.len() >= MAX_KEYS {
            tracing::warn!(keys = keys.len(), "rate limiter full of recent keys; starting it afresh");
            *keys = DefaultKeyedRateLimiter::keyed(self.quota);
        }
    }

    /// Forgets the keys whose allowance is full again.
    fn prune(&self) {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.retain_recent();
        keys.shrink_to_fit();
    }
}

struct Limiters {
    new_visitor: Option<Limiter<IpAddr>>,
    visitor_message: Option<Limiter<[u8; 16]>>,
    sign_in: Option<Limiter<IpAddr>>,
    password_reset: Option<Limiter<IpAddr>>,
    api: Option<Limiter<i64>>,
}

/// Every surface's limiter, kept in Rocket's managed state.
#[derive(Clone)]
pub struct RateLimits(Arc<Limiters>);

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        RateLimits(Arc::new(Limiters {
            new_visitor: Limiter::per_minute(config.rate_visitors_per_minute),
            visitor_message: Limiter::per_minute(config.rate_visitor_messages_per_minute),
            sign_in: Limiter::per_minute(config.rate_sign_in_per_minute),
            password_reset: Limiter::per_minute(config.rate_password_reset_per_minute),
            api: Limiter::per_minute(config.rate_api_per_minute),
        }))
    }

    /// Forgets keys that no longer hold anything back (the jobs call this every minute).
    pub fn prune(&self) {
        let l = &self.0;
        l.new_visitor.iter().for_each(Limiter::prune);
        l.visitor_message.iter().for_each(Limiter::prune);
        l.sign_in.iter().for_each(Limiter::prune);
        l.password_reset.iter().for_each(Limiter::prune);
        l.api.iter().for_each(Limiter::prune);
    }

    /// Takes one of a REST API token's requests from its allowance; over it, the
    /// seconds to wait, kept for `Retry-After`.
    pub fn api_turn(&self, req: &Request<'_>, token_id: i64) -> Result<(), u64> {
        take_turn(&self.0.api, Some(token_id)).map_err(|wait| refused_for(req, wait))
    }
}

fn take_turn<K: Hash + Eq + Clone>(limiter: &Option<Limiter<K>>, key: Option<K>) -> Result<(), Duration> {
    match (limiter, key) {
        (Some(limiter), Some(key)) => limiter.check(&key),
        _ => Ok(()),
    }
}

/// The address a limit counts: IPv4 as is, IPv6 by its /64 network.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
        v4 => v4,
    }
}

/// A surface with a limit of its own.
pub trait Surface: Send + Sync + 'static {
    const NAME: &'static str;
    fn check(limits: &RateLimits, req: &Request<'_>) -> Result<(), Duration>;
}

/// `POST /webchat/<key>/visitors`, per client address.
pub struct NewVisitor;
/// A visitor's messages and files, per visitor token.
pub struct VisitorMessage;
/// `POST /login` and `POST /login/2fa`, per client address.
pub struct SignIn;
/// `POST /password/forgot`, per client address.
pub struct PasswordReset;

/// Surfaces counted per client address.
macro_rules! per_address {
    ($($surface:ident: $limiter:ident, $name:literal;)*) => {$(
        impl Surface for $surface {
            const NAME: &'static str = $name;
            fn check(limits: &RateLimits, req: &Request<'_>) -> Result<(), Duration> {
                take_turn(&limits.0.$limiter, Some(address_key(client_ip(req))))
            }
        }
    )*};
}

per_address! {
    NewVisitor: new_visitor, "new visitor";
    SignIn: sign_in, "sign-in";
    PasswordReset: password_reset, "password reset";
}

impl Surface for VisitorMessage {
    const NAME: &'static str = "visitor message";
    fn check(limits: &RateLimits, req: &Request<'_>) -> Result<(), Duration> {
        // Without a token the request is refused anyway (401).
        let key = super::widget::bearer_token(req).map(|token| {
            let digest = sha2::Sha256::digest(token.as_bytes());
            let mut key = [0u8; 16];
            key.copy_from_slice(&digest[..16]);
            key
        });
        take_turn(&limits.0.visitor_message, key)
    }
}

/// Seconds to wait before the refused request may be tried again, kept for the answer.
struct RetryAfter(Option<u64>);

/// A request within the limit of surface `S`; over it, 429 (answered by the catchers).
pub struct RateLimit<S: Surface>(PhantomData<S>);

#[rocket::async_trait]
impl<'r, S: Surface> FromRequest<'r> for RateLimit<S> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(limits) = req.rocket().state::<RateLimits>() else {
            return Outcome::Success(RateLimit(PhantomData));
        };
        match S::check(limits, req) {
            Ok(()) => Outcome::Success(RateLimit(PhantomData)),
            Err(wait) => {
                let seconds = refused_for(req, wait);
                tracing::debug!(surface = S::NAME, ip = %client_ip(req), seconds, "rate limit reached");
                Outcome::Error((Status::TooManyRequests, ()))
            }
        }
    }
}

/// Keeps, for the answer, how long the refused request must wait (whole seconds, at
/// least one), and gives it.
fn refused_for(req: &Request<'_>, wait: Duration) -> u64 {
    let seconds = u64::try_from(wait.as_millis().div_ceil(1000)).unwrap_or(u64::MAX).max(1);
    req.local_cache(|| RetryAfter(Some(seconds)));
    seconds
}

/// Seconds until a request refused by a rate limit may be tried again, if it was.
pub fn retry_after(req: &Request<'_>) -> Option<u64> {
    req.local_cache(|| RetryAfter(None)).0
}

/// Adds `Retry-After` to the answer of a request a rate limit refused.
pub struct RetryAfterHeader;

#[rocket::async_trait]
impl Fairing for RetryAfterHeader {
    fn info(&self) -> Info {
        Info { name: "Retry-After on rate-limited answers", kind: Kind::Response }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if let (Status::TooManyRequests, Some(seconds)) = (res.status(), retry_after(req)) {
            res.set_header(Header::new("Retry-After", seconds.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_burst_of_the_limit_passes_then_waits_for_the_next_turn() {
        let limiter: Limiter<u8> = Limiter::per_minute(3).unwrap();
        for _ in 0..3 {
            assert!(limiter.check(&1).is_ok());
        }
        let wait = limiter.check(&1).unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limiter.check(&2).is_ok(), "another key has its own allowance");
        assert!(Limiter::<u8>::per_minute(0).is_none(), "0 turns the limit off");
    }

    #[test]
    fn a_full_limiter_forgets_rather_than_grows() {
        let limiter: Limiter<u32> = Limiter::per_minute(1).unwrap();
        for key in 0..MAX_KEYS as u32 + 10 {
            let _ = limiter.check(&key);
        }
        assert!(limiter.keys.read().unwrap().len() <= MAX_KEYS);
    }
}
