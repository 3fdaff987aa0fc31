//! The agent's desk around the conversation: the composer's send key chosen on the
//! profile, the lists as tabs, the pause menu with each maximum and the pause clock in
//! the top bar, the agent's teams under their name.

use rocket::http::Status;

use crate::common::{extract, App, Page};
use crate::workspace::{agent, channel, engine, inbound, team};

/// Ana, of SAC, holding one conversation from the site: her browser, her id, the
/// channel and the conversation.
async fn ana_in_service(app: &App) -> (App, i64, i64, i64) {
    let (ana, ana_id) = agent(app, "ana").await;
    let site = channel(app, "site", team(app, "SAC", "manual", &[ana_id]));
    let conv = inbound(app, site, "maria", "Oi").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    (ana, ana_id, site, conv)
}

/// The top bar of a page (from the header to its end).
fn top_bar(page: &Page) -> String {
    extract(&page.body, r#"(?s)(<header class="topbar">.*?</header>)"#).expect("the page has a top bar")
}

#[rocket::async_test]
async fn the_send_key_is_chosen_on_the_profile_and_reaches_the_composer() {
    let app = App::new().await;
    let (ana, ana_id, _, conv) = ana_in_service(&app).await;

    let page = ana.get(&format!("/agent/conversations/{conv}")).await;
    assert!(page.body.contains(r#"data-send-key="enter""#), "Enter sends by default");
    assert!(page.body.contains("Enter envia · Shift+Enter nova linha"));
    let profile = ana.get("/account").await;
    assert!(profile.body.contains(r#"name="send_key" value="enter" checked"#), "{}", profile.body);

    let saved = ana.post("/account/send-key", &[("send_key", "ctrl-enter")]).await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/account?saved=send-key"));
    assert_eq!(app.sql::<String>(&format!("SELECT send_key FROM users WHERE id = {ana_id}")), "ctrl-enter");
    let profile = ana.get("/account?saved=send-key").await;
    assert!(profile.body.contains("Preferência de envio salva."));
    assert!(profile.body.contains(r#"name="send_key" value="ctrl-enter" checked"#));
    assert!(!profile.body.contains(r#"value="enter" checked"#));
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(pane.body.contains(r#"data-send-key="ctrl-enter""#), "the pane's composer follows the choice");
    assert!(pane.body.contains("Ctrl+Enter envia · Enter nova linha"));
    let audited: String =
        app.sql("SELECT details FROM audit_log WHERE action = 'profile.update' ORDER BY id DESC LIMIT 1");
    assert!(audited.contains("ctrl-enter"), "{audited}");

    let refused = ana.post("/account/send-key", &[("send_key", "alt-enter")]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Escolha uma das formas de envio"), "{}", refused.body);
    assert_eq!(app.sql::<String>(&format!("SELECT send_key FROM users WHERE id = {ana_id}")), "ctrl-enter");
}

#[rocket::async_test]
async fn the_lists_are_three_tabs_with_their_counts() {
    let app = App::new().await;
    let (ana, _, site, mine) = ana_in_service(&app).await;
    ana.get(&format!("/agent/conversations/{mine}")).await;
    inbound(&app, site, "joao", "Olá").await;
    inbound(&app, site, "rita", "Bom dia").await;

    let lists = ana.get("/agent/lists").await;
    let tab = |name: &str| {
        extract(&lists.body, &format!(r#"(?s)<button type="button" role="tab"[^>]*data-tab="{name}">(.*?)</button>"#))
            .unwrap_or_else(|| panic!("no {name} tab: {}", lists.body))
    };
    assert!(tab("mine").contains("Em atendimento") && tab("mine").contains(r#"<span class="count">1</span>"#));
    assert!(
        tab("waiting").contains("Em espera") && tab("waiting").contains(r#"<span class="count has-waiting">2</span>"#)
    );
    assert!(tab("pending").contains("Pendentes") && tab("pending").contains(r#"<span class="count">0</span>"#));
    for (name, hidden) in [("mine", ""), ("waiting", " hidden"), ("pending", " hidden")] {
        let panel =
            format!(r#"role="tabpanel" id="panel-{name}" aria-labelledby="tab-{name}" data-panel="{name}"{hidden}>"#);
        assert!(lists.body.contains(&panel), "panel {name}: {}", lists.body);
    }
    // A new message to the agent's conversation marks the tab in service.
    inbound(&app, site, "maria", "Alô?").await;
    let lists = ana.get("/agent/lists").await;
    assert!(lists.body.contains(r#"<span class="count has-unread">1</span>"#), "{}", lists.body);
}

#[rocket::async_test]
async fn the_pause_menu_shows_each_maximum_and_the_top_bar_counts_against_it() {
    let app = App::new().await;
    let (ana, ana_id, _, conv) = ana_in_service(&app).await;
    app.exec(
        "INSERT INTO pauses (name, max_minutes, productive, cumulative, active) VALUES ('Almoço', 60, 0, 0, 1);
         INSERT INTO pauses (name, max_minutes, productive, cumulative, active) VALUES ('Café', 15, 0, 1, 1);",
    );
    let lunch: i64 = app.sql("SELECT id FROM pauses WHERE name = 'Almoço'");
    let coffee: i64 = app.sql("SELECT id FROM pauses WHERE name = 'Café'");

    let page = ana.get(&format!("/agent/conversations/{conv}")).await;
    let choice = |id: i64| {
        extract(&page.body, &format!(r#"(?s)name="pause_id" value="{id}">(.*?)</button>"#))
            .expect("a pause in the menu")
    };
    assert!(choice(lunch).contains("Almoço") && choice(lunch).contains("· até 60 min"), "{}", choice(lunch));
    assert!(choice(coffee).contains("Café") && choice(coffee).contains("· até 15 min por dia"), "{}", choice(coffee));
    assert!(!top_bar(&page).contains("data-pause-clock"), "no clock before a pause");

    // Chosen from the open conversation (htmx), the pause keeps the page and refreshes the bars.
    let (paused, hx) = ana.hx_post("/agent/pause", &[("pause_id", &lunch.to_string())]).await;
    assert_eq!(paused.status, Status::NoContent);
    assert_eq!(hx.redirect, None, "the page must not navigate away");
    assert!(hx.trigger.is_some_and(|t| t.contains("ws-bar-refresh")));
    let started: i64 = app.sql(&format!("SELECT started_at FROM agent_pauses WHERE user_id = {ana_id}"));
    let bar = top_bar(&ana.get(&format!("/agent/conversations/{conv}")).await);
    for expected in [
        format!(r#"data-started="{started}""#),
        r#"data-used="0""#.to_string(),
        r#"data-limit="3600000""#.to_string(),
        "<bdi>Almoço</bdi>".to_string(),
    ] {
        assert!(bar.contains(&expected), "{expected} not in the top bar:\n{bar}");
    }
    let shown = extract(&bar, r#"data-pause-time>([^<]*)<"#).expect("the clock's time");
    assert!(regex_lite::Regex::new(r"^\d\d:\d\d / 60:00$").unwrap().is_match(&shown), "{shown}");
    assert!(!bar.contains("pause-clock is-over"));
    // On the other pages too; past the limit it turns red.
    app.exec(&format!("UPDATE agent_pauses SET started_at = started_at - 61 * 60000 WHERE user_id = {ana_id}"));
    let bar = top_bar(&ana.get("/agent/contacts").await);
    assert!(bar.contains("pause-clock is-over") && bar.contains("61:0"), "{bar}");

    // "Ficar disponível" keeps the page too; the clock goes.
    let (online, hx) = ana.hx_post("/agent/online", &[]).await;
    assert_eq!((online.status, hx.redirect), (Status::NoContent, None));
    assert!(hx.trigger.is_some_and(|t| t.contains("ws-bar-refresh")));
    assert!(!top_bar(&ana.get("/agent").await).contains("data-pause-clock"));

    // A cumulative pause counts what was taken of it earlier today.
    app.exec(&format!(
        "INSERT INTO agent_pauses (user_id, pause_id, started_at, ended_at)
         VALUES ({ana_id}, {coffee}, {now} - 50000, {now} - 20000)",
        now = atende::db::now_ms()
    ));
    engine(&app).start_pause(ana_id, coffee).await.unwrap();
    let bar = top_bar(&ana.get("/agent").await);
    assert!(bar.contains(r#"data-used="30000""#) && bar.contains(r#"data-limit="900000""#), "{bar}");
    assert!(bar.contains(" / 15:00<"), "{bar}");
}

#[rocket::async_test]
async fn the_top_bar_lists_the_agents_teams_under_the_name() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    team(&app, "Vendas", "manual", &[ana_id]);
    team(&app, "SAC", "manual", &[ana_id]);
    let old = team(&app, "Antiga", "manual", &[ana_id]);
    app.exec(&format!("UPDATE teams SET active = 0 WHERE id = {old}"));

    for path in ["/agent", "/account", "/agent/contacts"] {
        let bar = top_bar(&ana.get(path).await);
        let teams = extract(&bar, r#"(?s)<span class="me-teams">(.*?)</span>\s*</span>"#)
            .unwrap_or_else(|| panic!("no teams under the name on {path}:\n{bar}"));
        assert!(teams.contains("Equipes: </span><bdi>SAC</bdi> · <bdi>Vendas</bdi>"), "{path}: {teams}");
        assert!(!teams.contains("Antiga"), "an inactive team is listed on {path}");
    }
    // Someone in no team gets no empty line.
    app.add_user("admin", "chefe", crate::common::PASSWORD).await;
    let chefe = app.other_browser().await;
    chefe.sign_in("chefe", crate::common::PASSWORD).await;
    assert!(!top_bar(&chefe.get("/account").await).contains("me-teams"));
}
