//! What every page needs: language, CSRF token, who is signed in, company name.
//! Handlers take `Page` and call `page.render("template.html", context!{…})`.

use rocket::request::{FromRequest, Outcome, Request};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::{Map, Value};

use super::csrf::csrf_token;
use super::guards::{company_settings, grants, request_lang, signed_in, SignedIn};
use crate::domain::permissions::{Action, Area, Permission};
use crate::i18n;

pub struct Page {
    pub lang: &'static str,
    pub csrf: String,
    pub user: Option<SignedIn>,
    pub company: String,
    pub has_logo: bool,
    /// The company's time zone, in which times are shown.
    pub time_zone: chrono_tz::Tz,
    pub path: String,
    /// Permission codes of an administrator (`teams:view` …), for menus.
    pub perms: Vec<String>,
    /// The signed-in user's teams and pause clock.
    pub topbar: Option<super::topbar::TopBar>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Page {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Page::for_request(req).await)
    }
}

impl Page {
    pub async fn for_request(req: &Request<'_>) -> Page {
        let settings = company_settings(req).await;
        let (company, has_logo) = (settings.company_name.clone(), settings.logo.is_some());
        let time_zone = settings.zone();
        let user = signed_in(req).await;
        let grants = grants(req).await;
        let bell = grants.allows(Permission(Area::Notifications, Action::View));
        let topbar = match (&user, req.rocket().state::<crate::db::Db>()) {
            (Some(s), Some(db)) => Some(super::topbar::load(db, &s.user, time_zone, bell).await),
            _ => None,
        };
        Page {
            lang: request_lang(req).await,
            csrf: csrf_token(req),
            user,
            topbar,
            company,
            has_logo,
            time_zone,
            path: req.uri().path().to_string(),
            perms: grants.codes(),
        }
    }

    /// The shared context merged with the page's own (the page's keys win).
    pub fn context(&self, extra: impl Serialize) -> Value {
        let mut base = Map::new();
        base.insert("lang".into(), Value::from(self.lang));
        base.insert("csrf_token".into(), Value::from(self.csrf.clone()));
        base.insert("company".into(), Value::from(self.company.clone()));
        base.insert("has_logo".into(), Value::from(self.has_logo));
        base.insert("tz".into(), Value::from(self.time_zone.name()));
        base.insert("path".into(), Value::from(self.path.clone()));
        base.insert(
            "languages".into(),
            i18n::LANGUAGES.iter().map(|(code, name)| serde_json::json!({"code": code, "name": name})).collect(),
        );
        base.insert("perms".into(), serde_json::to_value(&self.perms).unwrap_or_default());
        let sections: Vec<Value> = super::admin::SECTIONS
            .iter()
            .filter(|(area, ..)| self.perms.iter().any(|p| p == &format!("{}:view", area.code())))
            .map(|(area, href, label)| serde_json::json!({"code": area.code(), "href": href, "label": label}))
            .collect();
        base.insert("admin_sections".into(), Value::from(sections));
        if let Some(s) = &self.user {
            base.insert("me".into(), serde_json::to_value(&s.user).unwrap_or(Value::Null));
        }
        if let Some(topbar) = &self.topbar {
            base.insert("topbar".into(), serde_json::to_value(topbar).unwrap_or(Value::Null));
        }
        if let Ok(Value::Object(map)) = serde_json::to_value(extra) {
            base.extend(map);
        }
        Value::Object(base)
    }

    pub fn render(&self, template: &'static str, extra: impl Serialize) -> Template {
        Template::render(template, self.context(extra))
    }

    pub fn t(&self, key: &str) -> String {
        i18n::translate(self.lang, key)
    }
}
