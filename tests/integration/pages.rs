//! Every template renders in every language: each page is reached the way a user
//! reaches it, and must show a string of that language (a missing catalogue key makes
//! the render fail).

use std::collections::BTreeSet;

use atende::accounts::{links, totp};
use atende::db::now_ms;
use atende::i18n::{translate, LANGUAGES};
use rocket::http::Status;

use crate::common::{extract, App, PASSWORD};

pub struct Check<'a> {
    pub app: &'a App,
    pub lang: &'static str,
    seen: BTreeSet<&'static str>,
}

impl Check<'_> {
    /// Asserts the page is in the language and shows the text of `key`.
    pub fn page(&mut self, template: &'static str, page: &crate::common::Page, status: Status, key: &str) {
        assert_eq!(page.status, status, "{template} in {}: {}", self.lang, page.body);
        assert!(page.body.contains(&format!(r#"<html lang="{}">"#, self.lang)), "{template} in {}", self.lang);
        let expected = translate(self.lang, key);
        let escaped = expected
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            page.body.contains(&expected) || page.body.contains(&escaped),
            "{template} in {}: missing {key:?} = {expected:?}",
            self.lang
        );
        self.seen.insert(template);
    }

    pub async fn get(&mut self, template: &'static str, path: &str, status: Status, key: &str) {
        let page = self.app.get(path).await;
        self.page(template, &page, status, key);
    }
}

async fn walk(lang: &'static str) -> BTreeSet<&'static str> {
    let app = App::new().await;
    let setup = links::setup_token_if_needed(app.db()).unwrap().unwrap();
    assert_eq!(app.post("/language", &[("lang", lang), ("next", "/login")]).await.status, Status::SeeOther);
    let mut c = Check { app: &app, lang, seen: BTreeSet::new() };

    c.get("auth/login.html", "/login", Status::Ok, "login-forgot").await;
    c.get("auth/setup.html", &format!("/setup?token={setup}"), Status::Ok, "setup-title").await;
    c.get("auth/link_invalid.html", "/setup?token=nope", Status::Gone, "link-unknown").await;
    c.get("auth/forgot.html", "/password/forgot", Status::Ok, "forgot-help").await;
    let sent = app.post("/password/forgot", &[("email", "x@y.test")]).await;
    c.page("auth/forgot_sent.html", &sent, Status::Ok, "forgot-sent-title");
    c.get("error.html", "/nada", Status::NotFound, "error-not-found").await;

    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let token = links::issue_set_password(app.db(), ana).await.unwrap();
    c.get("auth/set_password.html", &format!("/password/set?token={token}"), Status::Ok, "set-password-title").await;

    // A user with 2FA reaches the second step.
    app.exec(&format!(
        "UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_enabled = 1 WHERE id = {ana}"
    ));
    app.login("ana", PASSWORD).await;
    c.get("auth/totp.html", "/login/2fa", Status::Ok, "totp-login-help").await;
    let code = totp::current_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", (now_ms() / 1000) as u64).unwrap();
    assert_eq!(app.post("/login/2fa", &[("code", &code)]).await.status, Status::SeeOther);
    app.post("/language", &[("lang", lang)]).await;
    c.get("agent/index.html", "/agent", Status::Ok, "agent-waiting").await;
    app.logout().await;

    app.sign_in("chefe", PASSWORD).await;
    app.post("/language", &[("lang", lang)]).await;
    c.get("admin/index.html", "/admin", Status::Ok, "admin-recent-activity").await;
    c.get("admin/users.html", "/admin/users", Status::Ok, "users-new").await;
    c.get("admin/user_new.html", "/admin/users/new", Status::Ok, "users-new-help").await;
    c.get("admin/user.html", &format!("/admin/users/{ana}"), Status::Ok, "users-security").await;
    let created = app
        .post(
            "/admin/users",
            &[("name", "Zé Carlos"), ("username", "zeca"), ("email", "zeca@empresa.test"), ("role", "agent")],
        )
        .await;
    c.page("admin/user_link.html", &created, Status::Created, "users-link-handover");
    // Each admin section walks its own pages (see its test module).
    crate::admin_groups::walk_pages(&mut c).await;
    crate::admin_teams::walk_pages(&mut c).await;
    crate::admin_schedules::walk_pages(&mut c).await;
    crate::admin_catalogues::walk_pages(&mut c).await;
    crate::admin_settings::walk_pages(&mut c).await;
    crate::workspace::walk_pages(&mut c).await;
    crate::phrases::walk_pages(&mut c).await;
    crate::webchat::walk_pages(&mut c).await;
    crate::contacts::walk_pages(&mut c).await;
    crate::flow_editor::walk_pages(&mut c).await;
    crate::monitoring::walk_pages(&mut c).await;
    crate::webhooks_admin::walk_pages(&mut c).await;
    c.get("reports/index.html", "/reports", Status::Ok, "reports-history-about").await;
    c.get("menu.html", "/menu", Status::Ok, "menu-search-placeholder").await;
    c.get("admin/settings/telephony.html", "/admin/settings/telephony", Status::Ok, "telephony-intro").await;
    c.get("admin/api_tokens/list.html", "/admin/api-tokens", Status::Ok, "api-tokens-empty").await;
    c.get("admin/api_tokens/form.html", "/admin/api-tokens/new", Status::Ok, "api-tokens-scopes-hint").await;
    let made = app.post("/admin/api-tokens", &[("name", "ERP"), ("scopes", "teams:read")]).await;
    c.page("admin/api_tokens/created.html", &made, Status::Created, "api-tokens-usage");
    c.get("admin/api_tokens/list.html", "/admin/api-tokens", Status::Ok, "api-tokens-never-used").await;
    c.get("admin/notifications/list.html", "/admin/notifications?show=read", Status::Ok, "notices-show-unread").await;
    c.get("admin/settings/notifications.html", "/admin/settings/notifications", Status::Ok, "notices-settings-intro")
        .await;
    c.get("reports/history.html", "/reports/history?team=x", Status::UnprocessableEntity, "reports-bad-choice").await;
    c.get("reports/history.html", "/reports/history", Status::Ok, "reports-history-title").await;
    c.get("reports/reasons.html", "/reports/reasons", Status::Ok, "reports-reasons-chart").await;
    c.get("reports/reasons.html", "/reports/reasons?until=x", Status::UnprocessableEntity, "reports-fix-filters").await;
    c.get("reports/protocol.html", "/reports/protocol?protocol=x", Status::Ok, "reports-protocol-bad").await;
    c.get("reports/exports.html", "/reports/exports?busy=1", Status::Ok, "reports-exports-busy").await;
    c.get("reports/agents.html", "/reports/agents", Status::Ok, "reports-agents-title").await;
    c.get("reports/agents.html", "/reports/agents?from=x", Status::UnprocessableEntity, "reports-fix-filters").await;
    c.get("reports/service_level.html", "/reports/service-level", Status::Ok, "reports-service-heatmap").await;
    c.get(
        "reports/service_level.html",
        "/reports/service-level?until=x",
        Status::UnprocessableEntity,
        "reports-fix-filters",
    )
    .await;
    c.get("admin/pauses/form.html", "/admin/pauses/new", Status::Ok, "pauses-window-hint").await;
    app.post(
        "/admin/pauses",
        &[("name", "Café"), ("max_minutes", "15"), ("window_start", ""), ("window_end", ""), ("active", "true")],
    )
    .await;
    c.get("admin/pauses/list.html", "/admin/pauses", Status::Ok, "pauses-new").await;
    c.get("account/profile.html", "/account", Status::Ok, "profile-2fa-off").await;
    let enrol = app.get("/account/2fa").await;
    c.page("account/totp.html", &enrol, Status::Ok, "totp-enrol-step-scan");
    let secret = extract(&enrol.body, r#"<code class="secret">([A-Z2-7]+)</code>"#).unwrap();
    let code = totp::current_code(&secret, (now_ms() / 1000) as u64).unwrap();
    let codes = app.post("/account/2fa", &[("code", &code)]).await;
    c.page("account/recovery_codes.html", &codes, Status::Ok, "recovery-help");
    let mut seen = c.seen;
    seen.extend(walk_demo(lang).await);
    seen
}

/// The pages only `atende demo` serves.
async fn walk_demo(lang: &'static str) -> BTreeSet<&'static str> {
    let app = App::demo().await;
    assert_eq!(app.post("/language", &[("lang", lang), ("next", "/demo/phone")]).await.status, Status::SeeOther);
    let mut c = Check { app: &app, lang, seen: BTreeSet::new() };
    for tab in ["whatsapp", "telegram", "email"] {
        c.get("demo/phone.html", &format!("/demo/phone?tab={tab}"), Status::Ok, &format!("demo-phone-tab-{tab}")).await;
    }
    c.get("demo/phone.html", "/demo/phone?tab=telegram", Status::Ok, "demo-phone-empty-telegram").await;
    c.seen
}

#[rocket::async_test]
async fn every_template_renders_in_all_three_languages() {
    let mut covered = BTreeSet::new();
    for (lang, _) in LANGUAGES {
        covered = walk(lang).await;
    }
    // Every page template (not partials or the layout) must be in the walk above.
    let pages: BTreeSet<String> = atende::web::template_names()
        .into_iter()
        .filter(|n| n != "base.html" && !n.rsplit('/').next().unwrap_or("").starts_with('_'))
        .collect();
    let covered: BTreeSet<String> = covered.into_iter().map(String::from).collect();
    let missing: Vec<_> = pages.difference(&covered).collect();
    assert!(missing.is_empty(), "templates no test renders: {missing:?}");
}
