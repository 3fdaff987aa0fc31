//! Request guards: the authorisation boundary. A handler that takes `Admin` cannot run
//! for an agent; one that takes `SignedIn` cannot run for a stranger.

use std::net::IpAddr;

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::State;

use crate::accounts::{sessions, Actor};
use crate::config::Config;
use crate::db::settings::{self, Settings};
use crate::db::users::User;
use crate::db::{groups, Db};
use crate::domain::permissions::{Action, Area, Grants, Permission};
use crate::engine::service::Agent;
use crate::i18n;

pub const SESSION_COOKIE: &str = "atende_session";
pub const LANG_COOKIE: &str = "atende_lang";

/// The client's address: the socket peer, or the configured proxy header when the peer
/// is a trusted proxy (never a header anyone can send).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

pub fn client_ip(req: &Request<'_>) -> IpAddr {
    let peer = req.remote().map(|r| r.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let Some(config) = req.rocket().state::<Config>() else {
        return peer;
    };
    if !config.trusted_proxies.iter().any(|net| net.contains(&peer)) {
        return peer;
    }
    // The right-most address that is not itself a trusted proxy is the client.
    req.headers()
        .get_one(&config.proxy_header)
        .and_then(|value| {
            value
                .split(',')
                .rev()
                .filter_map(|part| part.trim().parse::<IpAddr>().ok())
                .find(|ip| !config.trusted_proxies.iter().any(|net| net.contains(ip)))
        })
        .unwrap_or(peer)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(client_ip(req)))
    }
}

/// A signed-in user and their session (from the private session cookie).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_id: String,
    pub ip: IpAddr,
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.user.id), ip: self.ip.to_string() }
    }
}

/// Looks up the session once per request and caches the answer.
pub async fn signed_in(req: &Request<'_>) -> Option<SignedIn> {
    let cached: &Option<SignedIn> = req
        .local_cache_async(async {
            let token = req.cookies().get_private(SESSION_COOKIE)?.value().to_string();
            let db = req.rocket().state::<Db>()?;
            match sessions::resume(db, &token).await {
                Ok(Some((session_id, user))) => Some(SignedIn { user, session_id, ip: client_ip(req) }),
                Ok(None) => {
                    req.cookies().remove_private(SESSION_COOKIE);
                    None
                }
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    None
                }
            }
        })
        .await;
    cached.clone()
}

/// An administrator requires this user to use two-factor authentication and they have
/// not enrolled yet: until they do, only their profile (to enrol) and "Sair" are open.
pub fn needs_enrolment(s: &SignedIn) -> bool {
    s.user.require_2fa && !s.user.totp_enabled
}

/// Routes a user who still has to enrol in 2FA may use.
fn open_before_enrolment(path: &str) -> bool {
    path == "/account" || path.starts_with("/account/") || path == "/logout" || path == "/language"
}

/// The signed-in user, unless they must enrol in 2FA first (428; the catcher sends
/// them to the enrolment page).
async fn signed_in_enrolled(req: &Request<'_>) -> Result<SignedIn, Status> {
    match signed_in(req).await {
        Some(s) if needs_enrolment(&s) && !open_before_enrolment(req.uri().path().as_str()) => {
            Err(Status::PreconditionRequired)
        }
        Some(s) => Ok(s),
        None => Err(Status::Unauthorized),
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SignedIn {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match signed_in_enrolled(req).await {
            Ok(s) => Outcome::Success(s),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// A signed-in administrator; anyone else gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub SignedIn);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match signed_in_enrolled(req).await {
            Ok(s) if s.user.is_admin() => Outcome::Success(Admin(s)),
            Ok(_) => Outcome::Error((Status::Forbidden, ())),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// The signed-in user and whether their groups grant seeing any of `areas`.
async fn granted(req: &Request<'_>, areas: &[Area]) -> Result<(SignedIn, bool), Status> {
    let who = signed_in_enrolled(req).await?;
    let grants = grants(req).await;
    Ok((who, areas.iter().any(|a| grants.allows(Permission(*a, Action::View)))))
}

/// A signed-in member of the floor: an agent, or an administrator; `supervisor` when
/// their groups grant monitoring, so they see the whole floor.
pub struct Floor {
    pub who: SignedIn,
    pub supervisor: bool,
}

impl Floor {
    /// The engine's view of who is acting, for `can_view` and every floor use case.
    pub fn agent(&self) -> Agent {
        Agent { user_id: self.who.user.id, supervisor: self.supervisor }
    }

    pub fn id(&self) -> i64 {
        self.who.user.id
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Floor {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match granted(req, &[Area::Monitoring]).await {
            Ok((who, supervisor)) => Outcome::Success(Floor { who, supervisor }),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// A member of the floor whose account may use the internal chat (F-AG-20, "Pode usar
/// o chat interno" on the agent's form); 403 for anyone else.
pub struct Chatter(pub Floor);

impl Chatter {
    pub fn id(&self) -> i64 {
        self.0.id()
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Chatter {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.guard::<Floor>().await {
            Outcome::Success(floor) if floor.who.user.internal_chat => Outcome::Success(Chatter(floor)),
            Outcome::Success(_) => Outcome::Error((Status::Forbidden, ())),
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(f) => Outcome::Forward(f),
        }
    }
}

/// A signed-in user looking at the reports. Every user sees "Histórico de Atendimentos"
/// of what their history permission shows (F-RE-5); `sees_all` when their groups grant
/// the reports (or monitoring, which already sees the whole floor).
pub struct ReportViewer {
    pub who: SignedIn,
    pub sees_all: bool,
    /// The reports besides the history the user's groups grant (`permissions::REPORTS`).
    pub granted: Vec<&'static str>,
}

impl ReportViewer {
    /// The reports the user may open, the history first.
    pub fn reports(&self) -> Vec<&'static str> {
        std::iter::once("history").chain(self.granted.iter().copied()).collect()
    }

    pub fn scope(&self) -> crate::db::reports::Scope {
        crate::db::reports::Scope { user_id: self.who.user.id, sees_all: self.sees_all }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReportViewer {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        // The reports' own permission and monitoring see every team. A summary report's
        // grant does not widen what one sees: it counts within the viewer's history, so
        // its drill-down lists exactly what it counted.
        let every_team = [Area::Reports, Area::Monitoring];
        match granted(req, &every_team).await {
            Ok((who, sees_all)) => {
                let grants = grants(req).await;
                let granted = crate::domain::permissions::REPORTS
                    .iter()
                    .filter(|(_, area)| grants.allows(Permission(*area, Action::View)))
                    .map(|(code, _)| *code)
                    .collect();
                Outcome::Success(ReportViewer { who, sees_all, granted })
            }
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// The company settings, read once per request.
pub async fn company_settings<'r>(req: &'r Request<'_>) -> &'r Settings {
    req.local_cache_async(async {
        match req.rocket().state::<Db>() {
            Some(db) => db.read(settings::load).await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "settings could not be read; using defaults");
                Settings::default()
            }),
            None => Settings::default(),
        }
    })
    .await
}

/// The interface language of this request: the user's choice (account, or the language
/// switch for visitors), else the company default, else `Accept-Language`, else pt-BR.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub &'static str);

pub async fn request_lang(req: &Request<'_>) -> &'static str {
    let chosen = match signed_in(req).await {
        Some(s) => s.user.language.as_deref().and_then(i18n::normalise),
        None => req.cookies().get(LANG_COOKIE).and_then(|c| i18n::normalise(c.value())),
    };
    if let Some(lang) = chosen {
        return lang;
    }
    if let Some(lang) = company_settings(req).await.default_language.as_deref().and_then(i18n::normalise) {
        return lang;
    }
    req.headers().get_one("Accept-Language").and_then(i18n::from_accept_language).unwrap_or(i18n::DEFAULT)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Lang(request_lang(req).await))
    }
}

/// Whether the request came from htmx (answer with a partial or an `HX-Redirect`).
pub struct Htmx(pub bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Htmx {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Htmx(req.headers().get_one("HX-Request") == Some("true")))
    }
}

/// Cookie settings shared by every cookie we set.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).build()
}

/// Cookies are marked Secure when the public address is https.
pub fn secure_cookies(config: &State<Config>) -> bool {
    config.base_url.as_deref().is_some_and(|u| u.starts_with("https://"))
}

pub fn set_session_cookie(jar: &CookieJar<'_>, token: String, secure: bool) {
    jar.add_private(cookie(SESSION_COOKIE, token, secure));
}

/// The permissions of the signed-in administrator, loaded once per request.
pub async fn grants<'r>(req: &'r Request<'_>) -> &'r Grants {
    req.local_cache_async(async {
        let Some(s) = signed_in(req).await else {
            return Grants::default();
        };
        if !s.user.is_admin() {
            return Grants::default();
        }
        let Some(db) = req.rocket().state::<Db>() else {
            return Grants::default();
        };
        let id = s.user.id;
        db.read(move |c| groups::grants_of(c, id)).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "permissions could not be read");
            Grants::default()
        })
    })
    .await
}

/// Type-level permissions: `Can<perm::Teams, perm::Edit>` runs only for an administrator
/// whose groups grant editing teams; anyone else gets 403 (strangers go to sign in).
pub mod perm {
    use crate::domain::permissions::{Action, Area};

    pub trait AreaMarker: Send + Sync + 'static {
        const AREA: Area;
    }
    pub trait ActionMarker: Send + Sync + 'static {
        const ACTION: Action;
    }

    macro_rules! markers {
        ($trait:ident, $const:ident, $enum:ident: $($name:ident),*) => {
            $(pub struct $name;
              impl $trait for $name { const $const: $enum = $enum::$name; })*
        };
    }
    markers!(AreaMarker, AREA, Area: Teams, Agents, Groups, Channels, Flows, Schedules, Tabulations, WordFilter,
             Pauses, Templates, Phrases, Tags, ContactFields, Settings, Reports, ReasonsReport, AgentsReport,
             ServiceReport, ProtocolReport, Monitoring, Notifications, Integrations, Audit);
    markers!(ActionMarker, ACTION, Action: View, Create, Edit, Delete);
}

pub struct Can<A: perm::AreaMarker, X: perm::ActionMarker> {
    pub who: SignedIn,
    _marker: std::marker::PhantomData<(A, X)>,
}

impl<A: perm::AreaMarker, X: perm::ActionMarker> Can<A, X> {
    pub fn actor(&self) -> Actor {
        self.who.actor()
    }
}

#[rocket::async_trait]
impl<'r, A: perm::AreaMarker, X: perm::ActionMarker> FromRequest<'r> for Can<A, X> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let who = match signed_in_enrolled(req).await {
            Ok(who) => who,
            Err(status) => return Outcome::Error((status, ())),
        };
        if grants(req).await.allows(Permission(A::AREA, X::ACTION)) {
            Outcome::Success(Can { who, _marker: std::marker::PhantomData })
        } else {
            Outcome::Error((Status::Forbidden, ()))
        }
    }
}
