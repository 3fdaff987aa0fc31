//! A contact's data on request (LGPD): an administrator exports everything stored
//! about a contact as JSON and anonymises it; afterwards neither the database file nor
//! its log holds the contact's name, phone, e-mail or words, while the conversation,
//! its protocol and its counts stay for the reports. Agents can do neither.

use atende::engine::ingest::{Inbound, IncomingFile, Ingested};
use atende::engine::service::Agent;
use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::workspace::{channel, engine, team};

const NAME: &str = "Joana Privadíssima";
const PHONE: &str = "5511987650123";
const EMAIL: &str = "joana.privada@cliente.test";
const WORDS: &str = "Meu CPF é 52998224725 e moro na Rua Segredo 77";

/// The database file and its write-ahead log, as bytes.
pub fn file_bytes(app: &App) -> Vec<u8> {
    let mut bytes = std::fs::read(app.data_dir().join("atende.db")).unwrap();
    if let Ok(wal) = std::fs::read(app.data_dir().join("atende.db-wal")) {
        bytes.extend(wal);
    }
    bytes
}

pub fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[rocket::async_test]
async fn an_administrator_exports_a_contact_and_anonymises_it_without_a_trace() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    let site = channel(&app, "site", sac);
    // An integration was told of her and of what she wrote (nothing listens: the
    // deliveries stay in the log).
    crate::webhook_receiver::subscribe(
        &app,
        "http://127.0.0.1:9/crm",
        "contact.created conversation.opened message.created conversation.closed",
    );
    let outcome = engine(&app)
        .ingest(Inbound {
            channel_id: site,
            contact_key: "visitante-joana".into(),
            contact_name: NAME.into(),
            contact_email: EMAIL.into(),
            contact_phone: PHONE.into(),
            body: WORDS.into(),
            files: vec![IncomingFile {
                file_name: "comprovante-joana.pdf".into(),
                declared_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 comprovante da Joana Privadissima".to_vec(),
            }],
            ..Default::default()
        })
        .await
        .unwrap();
    let Ingested::Stored { conversation_id, protocol, .. } = outcome else { panic!("{outcome:?}") };
    let contact: i64 = app.sql("SELECT contact_id FROM conversations");
    let ana = Agent { user_id: ana_id, supervisor: false };
    engine(&app).take(&ana, conversation_id).await.unwrap();
    engine(&app).reply(&ana, conversation_id, &format!("Olá, {NAME}! Já vejo o seu pedido."), false).await.unwrap();
    let file: String = app.sql("SELECT sha256 FROM attachments");
    let stored = atende::engine::attachments::stored_path(app.data_dir(), &file);
    assert!(stored.exists());

    // An agent sees neither the export nor the button.
    let agent = app.other_browser().await;
    agent.sign_in("ana", PASSWORD).await;
    assert_eq!(agent.get(&format!("/agent/contacts/{contact}/data.json")).await.status, Status::Forbidden);
    assert!(!agent.get(&format!("/agent/contacts/{contact}")).await.body.contains("Anonimizar contato"));
    let token = agent.csrf().await;
    let tried = agent
        .post(&format!("/agent/contacts/{contact}/anonymise"), &[("csrf_token", &token), ("confirm", "yes")])
        .await;
    assert_eq!(tried.status, Status::Forbidden);

    // The administrator downloads everything stored about her.
    app.sign_in("chefe", PASSWORD).await;
    let page = app.get(&format!("/agent/contacts/{contact}")).await;
    assert!(page.body.contains("Anonimizar contato") && page.body.contains("Exportar dados (JSON)"));
    let export = app.get(&format!("/agent/contacts/{contact}/data.json")).await;
    assert_eq!(export.status, Status::Ok);
    let data: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(
        (data["name"].as_str(), data["phone"].as_str(), data["email"].as_str()),
        (Some(NAME), Some(PHONE), Some(EMAIL))
    );
    let messages = &data["conversations"][0]["messages"];
    assert!(messages.as_array().unwrap().iter().any(|m| m["body"] == WORDS && m["direction"] == "in"));
    assert!(messages.as_array().unwrap().iter().any(|m| m["file"]["name"] == "comprovante-joana.pdf"));
    assert_eq!(data["conversations"][0]["protocol"].as_str(), Some(protocol.as_str()));
    assert_eq!(data["identities"][0]["address"], "visitante-joana");

    // Not while a conversation is open; not without the confirmation.
    let open = app.post(&format!("/agent/contacts/{contact}/anonymise"), &[("confirm", "yes")]).await;
    assert_eq!(open.location.as_deref(), Some(format!("/agent/contacts/{contact}?privacy=open").as_str()));
    engine(&app).close(&ana, conversation_id, "").await.unwrap();
    let unconfirmed = app.post(&format!("/agent/contacts/{contact}/anonymise"), &[]).await;
    assert_eq!(unconfirmed.location.as_deref(), Some(format!("/agent/contacts/{contact}?privacy=confirm").as_str()));
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM contacts WHERE id = {contact}")), NAME);

    let done = app.post(&format!("/agent/contacts/{contact}/anonymise"), &[("confirm", "yes")]).await;
    assert_eq!(done.location.as_deref(), Some(format!("/agent/contacts/{contact}?privacy=anonymised").as_str()));
    let page = app.get(&format!("/agent/contacts/{contact}?privacy=anonymised")).await;
    assert!(page.body.contains("Contato anonimizado. Os protocolos"));

    // The conversation and its protocol stay for the reports; nothing tells who she was.
    assert_eq!(app.sql::<String>("SELECT protocol FROM conversations"), protocol);
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM contacts WHERE id = {contact}")), "Contato anonimizado");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contact_identities"), 0);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM attachments"), 0);
    assert!(!stored.exists(), "the file is deleted from the data directory");
    let found: i64 = app.sql("SELECT count(*) FROM message_search WHERE message_search MATCH 'segredo'");
    assert_eq!(found, 0, "the words are out of the search index");
    let audit: String = app.sql("SELECT group_concat(action, ' ') FROM audit_log WHERE target LIKE 'contact:%'");
    assert!(audit.contains("contact.exported") && audit.contains("contact.anonymised"), "{audit}");
    let deliveries: i64 = app.sql("SELECT count(*) FROM webhook_deliveries");
    assert!(deliveries >= 4, "the webhook log keeps its {deliveries} deliveries");
    let bytes = file_bytes(&app);
    // The search index keeps words folded (lower case, no accents): those are gone too.
    for trace in [NAME, "Privadíssima", "987650123", EMAIL, "Segredo", "segredo", "52998224725", "comprovante-joana"] {
        assert!(!holds(&bytes, trace), "{trace:?} is still in the database file");
    }
}

/// The same data as one readable PDF: the contact's fields, custom fields, identities,
/// changes, and every conversation with its facts and messages, accents intact;
/// audited as the JSON export is, and for administrators only.
#[rocket::async_test]
async fn an_administrator_exports_a_contact_as_pdf() {
    use crate::reports_fixture::{closed, company, local};
    let co = company().await;
    let second = closed(
        &co.app,
        1,
        "Maria Souza",
        &["Já paguei, ¿dónde está o recibo? Ação não concluída"],
        co.ana,
        local("2026-03-04", 10, 0),
    )
    .await;
    let contact: i64 = co.app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {}", co.maria));
    assert_eq!(co.app.sql::<i64>(&format!("SELECT contact_id FROM conversations WHERE id = {second}")), contact);
    co.app.exec(&format!(
        "INSERT INTO contact_fields (id, name, kind, position) VALUES (5, 'Cidade natal', 'text', 1);
         UPDATE contacts SET custom = '{{\"5\":\"São João del-Rei\"}}' WHERE id = {contact};
         INSERT INTO contact_changes (contact_id, at, actor_id, field, old_value, new_value)
           VALUES ({contact}, {}, {}, 'email', 'maria@antigo.test', 'maria@cliente.test');",
        local("2026-03-03", 8, 15),
        co.gerente
    ));

    co.app.sign_in("ana", PASSWORD).await;
    assert_eq!(co.app.download(&format!("/agent/contacts/{contact}/data.pdf")).await.0, Status::Forbidden);
    co.app.logout().await;

    co.app.sign_in("gerente", PASSWORD).await;
    let page = co.app.get(&format!("/agent/contacts/{contact}")).await;
    assert!(page.body.contains(&format!(r#"href="/agent/contacts/{contact}/data.pdf""#)), "{}", page.body);
    assert!(page.body.contains("Exportar dados (PDF)"));
    let (status, kind, disposition, bytes) = co.app.download(&format!("/agent/contacts/{contact}/data.pdf")).await;
    assert_eq!((status, kind.as_str()), (Status::Ok, "application/pdf"));
    assert_eq!(disposition, format!("attachment; filename=\"contato-{contact}.pdf\""));
    let text = crate::reports_pdf::pdf_text(&bytes);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let protocols: Vec<(String, i64)> =
        co.app.rows(&format!("SELECT protocol, id FROM conversations WHERE contact_id = {contact}"));
    assert_eq!(protocols.len(), 2);
    for (protocol, _) in &protocols {
        assert!(flat.contains(&format!("Atendimento {protocol}")), "{protocol} in {flat}");
    }
    for expected in [
        &format!("Dados do contato nº {contact}"),
        "Maria Souza",
        "maria@cliente.test",
        "Cidade natal",
        "São João del-Rei",
        "Identidades nos canais",
        "Alterações",
        "03/03/2026 08:15 · gerente Teste",
        "E-mail: maria@antigo.test » maria@cliente.test",
        "2 atendimentos",
        "Preciso da segunda via do boleto",
        "Já paguei, ¿dónde está o recibo? Ação não concluída",
        "Financeiro › Boleto",
        "5/5 — Ótimo!",
        "ana Teste",
        "Página 1 de",
    ] {
        assert!(flat.contains(expected), "{expected:?} in {flat}");
    }
    let audit: String = co.app.sql(&format!(
        "SELECT details FROM audit_log WHERE action = 'contact.exported' AND target = 'contact:{contact}'"
    ));
    assert_eq!(audit, r#"{"conversations":2,"format":"pdf"}"#);
    crate::reports_pdf::keep("contato.pdf", &bytes);
}
