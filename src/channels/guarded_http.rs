//! HTTP to addresses an administrator typed (a flow's HTTP block, an outgoing
//! webhook): the name is resolved once, every address it resolves to is checked
//! (`domain::network::is_public`) unless private targets are allowed, and the
//! connection goes to exactly the addresses checked — the check is in ureq's resolver,
//! so no second lookup can answer differently. Redirects are never followed.

use std::net::ToSocketAddrs;
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::domain::network::is_public;

#[derive(Debug)]
struct Guarded {
    allow_private: bool,
}

impl Resolver for Guarded {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let found = DefaultResolver::default().resolve(uri, config, timeout)?;
        if !self.allow_private && found.iter().any(|a| !is_public(a.ip())) {
            return Err(ureq::Error::BadUri("address not allowed".into()));
        }
        Ok(found)
    }
}

/// An agent that resolves through the check, follows no redirect, reads error
/// statuses as answers and gives up after `timeout`.
pub fn agent(timeout: Duration, allow_private: bool) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build();
    ureq::Agent::with_parts(config, DefaultConnector::default(), Guarded { allow_private })
}

/// Why a host may not be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The name resolves to no address.
    Unresolvable,
    /// It resolves to a private, loopback, link-local … address (`is_public`).
    Private,
}

/// The check made when an address is saved, by the same rule as the resolver's
/// (blocking: it resolves the name).
pub fn check_host(host: &str, port: u16, allow_private: bool) -> Result<(), Refused> {
    let found: Vec<_> = (host, port).to_socket_addrs().map_err(|_| Refused::Unresolvable)?.collect();
    if found.is_empty() {
        return Err(Refused::Unresolvable);
    }
    if !allow_private && found.iter().any(|a| !is_public(a.ip())) {
        return Err(Refused::Private);
    }
    Ok(())
}
