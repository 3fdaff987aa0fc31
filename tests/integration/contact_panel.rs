//! The contact at hand: the conversation pane's contact panel shows every field (custom
//! ones included), the pencil edits the contact in place through the same use case as
//! the contact page (recorded in its history), the clock lists the contact's past
//! conversations; names with emoji or symbols are saved with a warning.

use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{sac_with, visitor_message, App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// Team SAC with agent ana, a web chat channel, two custom fields; a visitor's
/// conversation held by ana. Gives ana's browser, her id and the conversation.
async fn conversation(app: &App) -> (App, i64, i64) {
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(app, &[ana_id]);
    app.exec(
        r#"INSERT INTO contact_fields (id, name, kind, choices, required, position) VALUES
             (7, 'Plano', 'choice', '["Ouro","Prata"]', 0, 1), (8, 'Cidade', 'text', '[]', 0, 2);
           INSERT INTO settings (key, value) VALUES ('company', '{"required_contact_fields": {"name": true, "email": false, "whatsapp": false}}');"#,
    );
    let inbound =
        Inbound { contact_email: "maria@x.com".into(), ..visitor_message(1, "maria", "Maria Visitante", "Olá") };
    let Ingested::Stored { conversation_id, .. } = engine(app).ingest(inbound).await.unwrap() else { panic!() };
    engine(app).take(&Agent { user_id: ana_id, supervisor: false }, conversation_id).await.unwrap();
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    (ana, ana_id, conversation_id)
}

async fn htmx_post(app: &App, path: &str, fields: &[(&str, &str)]) -> (crate::common::Page, Option<String>) {
    let (page, hx) = app.hx_post(path, fields).await;
    (page, hx.trigger)
}

#[rocket::async_test]
async fn the_panel_shows_every_field_and_the_pencil_edits_in_place() {
    let app = App::new().await;
    let (ana, _, conv) = conversation(&app).await;
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    app.exec(&format!("UPDATE contacts SET custom = '{{\"7\":\"Ouro\"}}' WHERE id = {contact}"));

    // The pane opens the panel; the panel lists every field, the empty ones too.
    let pane = ana.get(&format!("/agent/conversations/{conv}")).await;
    assert!(pane.body.contains(&format!(r#"hx-get="/agent/contacts/{contact}/panel""#)), "{}", pane.body);
    assert!(pane.body.contains(r#"id="pane-contact-name""#));
    let panel = ana.get(&format!("/agent/contacts/{contact}/panel")).await;
    assert_eq!(panel.status, Status::Ok);
    assert!(!panel.body.contains("<html"), "a partial");
    for shown in ["WhatsApp", "E-mail", "maria@x.com", "Plano", "Ouro", "Cidade", "Cadastrado em"] {
        assert!(panel.body.contains(shown), "{shown}: {}", panel.body);
    }
    let cidade = panel.body.find("<dt>Cidade</dt>").expect("the empty custom field is listed");
    assert!(panel.body[cidade..].starts_with("<dt>Cidade</dt><dd dir=\"auto\">—</dd>"), "{}", &panel.body[cidade..]);
    assert!(panel.body.contains(&format!(r#"hx-get="/agent/contacts/{contact}/panel/edit""#)));
    assert!(panel.body.contains(&format!(r#"hx-get="/agent/contacts/{contact}/panel/history""#)));

    // The pencil: the form inside the panel, posting to the panel.
    let form = ana.get(&format!("/agent/contacts/{contact}/panel/edit")).await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains(&format!(r#"action="/agent/contacts/{contact}/panel""#)), "{}", form.body);
    assert!(form.body.contains(r#"hx-target="closest .contacts-panel""#));
    assert!(form.body.contains(r#"value="Maria Visitante""#) && form.body.contains(r#"name="custom[8]""#));

    // Refused: the form again, with its errors, in the panel (422); nothing saved.
    let path = format!("/agent/contacts/{contact}/panel");
    let fields = |name: &'static str, phone: &'static str, city: &'static str| {
        vec![("name", name), ("email", "maria@x.com"), ("phone", phone), ("custom[7]", "Ouro"), ("custom[8]", city)]
    };
    let (refused, _) = htmx_post(&ana, &path, &fields("Maria Souza", "123", "Santos")).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Número inválido") && refused.body.contains(r#"value="Santos""#));
    assert!(refused.body.contains(r#"class="contacts-panel""#) && !refused.body.contains("<html"));
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM contacts WHERE id = {contact}")), "Maria Visitante");

    // Saved: the panel again with the new values, the pane's name and the lists refresh.
    let changes_before: i64 = app.sql(&format!("SELECT count(*) FROM contact_changes WHERE contact_id = {contact}"));
    let (saved, trigger) = htmx_post(&ana, &path, &fields("Maria Souza", "(13) 99876-5432", "Santos")).await;
    assert_eq!(saved.status, Status::Ok, "{}", saved.body);
    assert_eq!(trigger.as_deref(), Some("workspace-lists"));
    assert!(saved.body.contains("Contato salvo.") && saved.body.contains("Santos"), "{}", saved.body);
    assert!(saved.body.contains(r#"<span id="pane-contact-name" hx-swap-oob="innerHTML">Maria Souza</span>"#));
    assert_eq!(app.sql::<String>(&format!("SELECT phone FROM contacts WHERE id = {contact}")), "5513998765432");
    // Recorded in the contact's history like an edit on the contact page.
    let recorded: Vec<String> = app
        .db()
        .read_now(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT field || ':' || old_value || '→' || new_value FROM contact_changes
                 WHERE contact_id = {contact} AND field != '' ORDER BY id"
            ))?;
            let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(recorded, ["name:Maria Visitante→Maria Souza", "phone:→5513998765432", "custom:8:→Santos"]);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM contact_changes WHERE contact_id = {contact}")),
        changes_before + 3
    );
    let page = ana.get(&format!("/agent/contacts/{contact}")).await;
    assert!(page.body.contains("<bdi>Maria Visitante</bdi> → <bdi>Maria Souza</bdi>"), "{}", page.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'contact.update'"), 1);

    // Strangers and forged forms are refused; a contact that does not exist is missing.
    assert_eq!(ana.post_raw(&path, "name=x").await.status, Status::Forbidden);
    assert_eq!(ana.get("/agent/contacts/999999/panel/edit").await.status, Status::NotFound);
    let (missing, _) = htmx_post(&ana, "/agent/contacts/999999/panel", &fields("X", "", "")).await;
    assert_eq!(missing.status, Status::NotFound);
    let stranger = app.other_browser().await;
    assert_eq!(stranger.get(&format!("/agent/contacts/{contact}/panel")).await.status, Status::SeeOther);
}

#[rocket::async_test]
async fn the_clock_lists_the_contacts_past_conversations_each_opening_its_transcript() {
    let app = App::new().await;
    let (ana, ana_id, conv) = conversation(&app).await;
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    engine(&app).close(&Agent { user_id: ana_id, supervisor: false }, conv, "").await.unwrap();
    let protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {conv}"));
    let history = ana.get(&format!("/agent/contacts/{contact}/panel/history")).await;
    assert_eq!(history.status, Status::Ok);
    assert!(history.body.contains(&format!(r#"<a href="/agent/history/{conv}" target="_blank""#)), "{}", history.body);
    assert!(history.body.contains(&protocol) && history.body.contains("Chat do site · SAC"), "{}", history.body);
    // Older conversations need a longer period.
    app.exec(&format!("UPDATE conversations SET closed_at = closed_at - 40 * 86400000 WHERE id = {conv}"));
    let recent = ana.get(&format!("/agent/contacts/{contact}/panel/history")).await;
    assert!(
        !recent.body.contains(&protocol) && recent.body.contains("Nenhum atendimento finalizado nos últimos 30 dias")
    );
    let longer = ana.get(&format!("/agent/contacts/{contact}/panel/history?days=90")).await;
    assert!(longer.body.contains(&protocol) && longer.body.contains(r#"<option value="90" selected>"#));
    // Another team's agent without the history permission sees none of it.
    let bia_id = app.add_user("agent", "bia", PASSWORD).await;
    app.exec(&format!("UPDATE users SET history_scope = 'none' WHERE id = {bia_id}"));
    let bia = app.other_browser().await;
    bia.sign_in("bia", PASSWORD).await;
    let hidden = bia.get(&format!("/agent/contacts/{contact}/panel/history?days=90")).await;
    assert!(!hidden.body.contains(&protocol) && hidden.body.contains("não exibido"), "{}", hidden.body);
}

#[rocket::async_test]
async fn names_with_emoji_or_symbols_are_saved_with_a_warning() {
    let app = App::new().await;
    let (ana, _, conv) = conversation(&app).await;
    const WARNING: &str = "O nome deste contato tem emojis ou símbolos";
    let created = ana.post("/agent/contacts", &[("name", "Joana 😊 ★"), ("email", ""), ("phone", "")]).await;
    assert_eq!(created.status, Status::SeeOther, "never refused: {}", created.body);
    let id: i64 = app.sql("SELECT id FROM contacts WHERE name = 'Joana 😊 ★'");
    let page = ana.get(&format!("/agent/contacts/{id}")).await;
    assert!(page.body.contains(WARNING), "{}", page.body);
    // The form says so before, too.
    assert!(ana.get("/agent/contacts/new").await.body.contains("Sem emojis ou símbolos"));
    // A plain name, a company in parentheses: no warning.
    let plain = ana
        .post(&format!("/agent/contacts/{id}"), &[("name", "Joana Lima (Padaria Sol)"), ("email", ""), ("phone", "")])
        .await;
    assert_eq!(plain.status, Status::SeeOther);
    assert!(!ana.get(&format!("/agent/contacts/{id}")).await.body.contains(WARNING));
    // The pencil in the pane warns the same way.
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    let (saved, _) = htmx_post(
        &ana,
        &format!("/agent/contacts/{contact}/panel"),
        &[("name", "Maria 🌻"), ("email", ""), ("phone", ""), ("custom[7]", ""), ("custom[8]", "")],
    )
    .await;
    assert_eq!(saved.status, Status::Ok);
    assert!(saved.body.contains("Contato salvo.") && saved.body.contains(WARNING), "{}", saved.body);
}
