//! Retention (F-AD-10): with "Retenção" at 12 months, the retention pass at a fixed
//! instant anonymises the conversations closed more than 12 months before it — never an
//! open one, never a recent one — and a contact only once nothing recent or open of it
//! remains; the database file keeps no trace, the audit log keeps the counts, and a
//! second pass changes nothing.

use atende::engine::retention::Retained;
use rocket::http::Status;

use crate::admin_settings::settings_form;
use crate::common::{visitor_message, PASSWORD};
use crate::privacy::{file_bytes, holds};
use crate::reports_fixture::{closed, company, local};
use crate::workspace::engine;

/// Midday of 15 June 2026 in São Paulo, the instant of the passes.
fn now() -> i64 {
    local("2026-06-15", 12, 0)
}

#[rocket::async_test]
async fn old_closed_conversations_and_spent_contacts_are_anonymised() {
    let co = company().await;
    let app = &co.app;
    // Olga: one conversation, closed 13 months ago, with a file.
    let olga =
        closed(app, 1, "Olga Antiquíssima", &["Meu segredo antigo é 4242"], co.ana, local("2025-05-10", 9, 0)).await;
    // Rita: one closed 13 months ago, one 11 months ago.
    let rita_old = closed(app, 1, "Rita Recente", &["palavra-velha-rita"], co.ana, local("2025-05-12", 9, 0)).await;
    let rita_new = closed(app, 1, "Rita Recente", &["palavra-nova-rita"], co.ana, local("2025-07-20", 9, 0)).await;
    // Otávio: one closed 14 months ago, and one still open since then.
    let otavio_old =
        closed(app, 1, "Otávio Aberto", &["palavra-velha-otavio"], co.ana, local("2025-04-01", 9, 0)).await;
    engine(app).ingest(visitor_message(1, "Otávio Aberto", "Otávio Aberto", "palavra-aberta-otavio")).await.unwrap();
    let otavio_open: i64 = app.sql("SELECT id FROM conversations WHERE status != 'closed'");
    app.exec(&format!(
        "UPDATE conversations SET opened_at = {0}, last_message_at = {0} WHERE id = {otavio_open};
         UPDATE contacts SET phone = '5511955550123', email = 'olga@antiga.test' WHERE name = 'Olga Antiquíssima';
         INSERT INTO attachments (id, conversation_id, sha256, size, content_type, file_name, created_at)
           VALUES (90, {olga}, 'olgafile', 10, 'application/pdf', 'extrato-olga.pdf', 0);
         INSERT INTO messages (conversation_id, channel_id, direction, body, attachment_id, created_at)
           VALUES ({olga}, 1, 'in', '', 90, 0);
         INSERT INTO survey_answers (conversation_id, score, comment, answered_at) VALUES ({olga}, 3, 'comentário da Olga', 0);",
        local("2025-04-01", 9, 0)
    ));
    let stored = atende::engine::attachments::stored_path(app.data_dir(), "olgafile");
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    std::fs::write(&stored, b"extrato").unwrap();
    let contact_of = |id: i64| app.sql::<i64>(&format!("SELECT contact_id FROM conversations WHERE id = {id}"));
    let (olga_contact, rita_contact, otavio_contact) = (contact_of(olga), contact_of(rita_old), contact_of(otavio_old));
    assert_eq!(contact_of(rita_new), rita_contact);

    // Off by default: nothing happens.
    assert_eq!(engine(app).retention(now()).await.unwrap(), Retained::default());

    // The settings page takes 1..=120 months, in words when it refuses.
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let page = app.get("/admin/settings").await;
    assert!(page.body.contains("Retenção: anonimizar conversas encerradas há mais de"), "{}", page.body);
    let refused = app.post("/admin/settings", &settings_form(&[("retention_months", "121")])).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Valor fora do intervalo permitido."));
    let saved = app.post("/admin/settings", &settings_form(&[("retention_months", "12")])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert!(app.get("/admin/settings").await.body.contains(r#"name="retention_months" type="number" value="12""#));

    let done = engine(app).retention(now()).await.unwrap();
    assert_eq!((done.conversations, done.contacts, done.files), (3, 1, 1), "{done:?}");
    let anonymised =
        |id: i64| app.sql::<bool>(&format!("SELECT anonymised_at IS NOT NULL FROM conversations WHERE id = {id}"));
    assert!(anonymised(olga) && anonymised(rita_old) && anonymised(otavio_old));
    assert!(!anonymised(rita_new) && !anonymised(otavio_open));
    let name = |id: i64| app.sql::<String>(&format!("SELECT name FROM contacts WHERE id = {id}"));
    assert_eq!(name(olga_contact), "Contato anonimizado");
    assert_eq!((name(rita_contact), name(otavio_contact)), ("Rita Recente".into(), "Otávio Aberto".into()));
    // What the reports count stays: protocols, times, scores.
    assert_eq!(app.sql::<i64>(&format!("SELECT score FROM survey_answers WHERE conversation_id = {olga}")), 3);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT closed_at FROM conversations WHERE id = {olga}")),
        local("2025-05-10", 9, 0)
    );
    let bodies: String = app.sql("SELECT group_concat(body, ' ') FROM messages WHERE direction = 'in'");
    assert!(bodies.contains("palavra-nova-rita") && bodies.contains("palavra-aberta-otavio"), "{bodies}");
    assert!(!stored.exists(), "the file is deleted");
    let bytes = file_bytes(app);
    for trace in [
        "Olga Antiquíssima",
        "955550123",
        "olga@antiga.test",
        "segredo antigo",
        "palavra-velha-rita",
        "palavra-velha-otavio",
        "extrato-olga",
        "comentário da Olga",
    ] {
        assert!(!holds(&bytes, trace), "{trace:?} is still in the database file");
    }
    let audit: Vec<(String, String)> =
        app.rows("SELECT action, details FROM audit_log WHERE action = 'retention.anonymised'");
    assert_eq!(audit.len(), 1);
    let details: serde_json::Value = serde_json::from_str(&audit[0].1).unwrap();
    assert_eq!(
        (details["conversations"].as_i64(), details["contacts"].as_i64(), details["months"].as_i64()),
        (Some(3), Some(1), Some(12))
    );

    // Twice: nothing more.
    assert_eq!(engine(app).retention(now()).await.unwrap(), Retained::default());
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'retention.anonymised'"), 1);

    // Two months on, Rita's last conversation is old too: then she is anonymised; Otávio,
    // still with an open one, is not.
    let later = engine(app).retention(local("2026-08-15", 12, 0)).await.unwrap();
    assert_eq!((later.conversations, later.contacts), (1, 1), "{later:?}");
    assert_eq!((name(rita_contact), name(otavio_contact)), ("Contato anonimizado".into(), "Otávio Aberto".into()));
    assert!(!anonymised(otavio_open));
}
