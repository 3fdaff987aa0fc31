//! The composer's files (F-AG-4) and "Editar perfil" (F-AG-21): files sent the way the
//! composer sends them (multipart, token in the X-CSRF-Token header) show in the pane by
//! kind; the profile's extension, phone, language and photo are checked, saved, audited,
//! and the photo is served to signed-in users only.

use atende::db::channels::{insert_channel, ChannelFields};
use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::Engine;
use rocket::http::{ContentType, Header, Status};

use crate::common::{App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// A conversation of a web chat channel, held by agent `agent_id`.
async fn held_conversation(app: &App, agent: &App, agent_id: i64) -> i64 {
    app.exec(&format!(
        "INSERT INTO teams (name, distribution, queue_limit, require_tabulation, active, created_at) VALUES ('SAC', 'manual', 0, 0, 1, 0);
         INSERT INTO team_members (team_id, user_id) SELECT id, {agent_id} FROM teams WHERE name = 'SAC';"
    ));
    let team: i64 = app.sql("SELECT id FROM teams WHERE name = 'SAC'");
    let fields = ChannelFields {
        kind: atende::domain::channel_kind::ChannelKind::WebChat,
        name: "Site".into(),
        key: "site".into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: serde_json::json!({}),
    };
    let channel = app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel");
    let outcome = engine(app)
        .ingest(Inbound {
            channel_id: channel,
            contact_key: "maria".into(),
            contact_name: "Cliente maria".into(),
            contact_email: String::new(),
            contact_phone: String::new(),
            external_id: None,
            body: "Oi".into(),
            ..Default::default()
        })
        .await
        .expect("ingested");
    let Ingested::Stored { conversation_id, .. } = outcome else { panic!("not stored: {outcome:?}") };
    agent.post(&format!("/agent/conversations/{conversation_id}/take"), &[]).await;
    let holder: Option<i64> = app.sql(&format!("SELECT agent_id FROM conversations WHERE id = {conversation_id}"));
    assert_eq!(holder, Some(agent_id));
    conversation_id
}

/// The app, agent Ana signed in in her own browser, her id and the conversation she holds.
async fn ana_holding() -> (App, App, i64, i64) {
    let app = App::new().await;
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    let conv = held_conversation(&app, &ana, ana_id).await;
    (app, ana, ana_id, conv)
}

/// A multipart body with one file under `field` (and the token field when given).
fn multipart(
    token: Option<&str>,
    field: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (ContentType, Vec<u8>) {
    let boundary = "XcomposerBoundary7";
    let mut body = Vec::new();
    if let Some(token) = token {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (ContentType::new("multipart", "form-data").with_params(("boundary", boundary)), body)
}

/// Sends a file as static/composer.js does: FormData (with the token field), the token
/// in the X-CSRF-Token header too, and the htmx marker.
async fn send_file(
    agent: &App,
    conversation: i64,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> crate::common::Page {
    let token = agent.csrf().await;
    let (kind, body) = multipart(Some(&token), "file", filename, content_type, bytes);
    agent
        .post_with_headers(
            &format!("/agent/conversations/{conversation}/attachments"),
            body,
            vec![kind.into(), Header::new("X-CSRF-Token", token), Header::new("HX-Request", "true")],
        )
        .await
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

/// The start of a WebM (EBML) file as a browser's recorder writes it.
fn webm() -> Vec<u8> {
    let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01];
    bytes.extend_from_slice(b"\x42\x82\x84webm");
    bytes.extend_from_slice(&[0u8; 32]);
    bytes
}

/// An Ogg page header.
fn ogg() -> Vec<u8> {
    let mut bytes = b"OggS\0\x02".to_vec();
    bytes.extend_from_slice(&[0u8; 40]);
    bytes
}

#[rocket::async_test]
async fn a_reply_longer_than_the_channel_carries_is_refused_and_kept_in_the_composer() {
    let (app, ana, ana_id, conv) = ana_holding().await;
    let page = ana.get(&format!("/agent/conversations/{conv}")).await;
    assert!(page.body.contains(r#"maxlength="4096""#), "the web chat's limit in the composer");

    let too_long = "á".repeat(4097);
    let refused = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", &too_long)]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("máximo de 4096 caracteres"), "{}", refused.body);
    assert!(refused.body.contains(&too_long), "the draft is kept");
    let stored: i64 =
        app.sql(&format!("SELECT count(*) FROM messages WHERE conversation_id = {conv} AND author_id = {ana_id}"));
    assert_eq!(stored, 0, "nothing stored");

    let longest = "é".repeat(4096);
    let sent = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", &longest)]).await;
    assert!(sent.status.code < 400, "{}", sent.status);
    let stored: i64 =
        app.sql(&format!("SELECT count(*) FROM messages WHERE conversation_id = {conv} AND author_id = {ana_id}"));
    assert_eq!(stored, 1);
}

#[rocket::async_test]
async fn files_sent_from_the_composer_show_in_the_pane_by_kind() {
    let (app, ana, _, conv) = ana_holding().await;

    let page = ana.get(&format!("/agent/conversations/{conv}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("data-attach") && page.body.contains("data-record"), "composer has its buttons");
    assert!(page.body.contains("/static/composer.js"));

    let recorded = send_file(&ana, conv, "audio-2026-11-21-1405.webm", "audio/webm;codecs=opus", &webm()).await;
    assert_eq!(recorded.status, Status::NoContent, "{}", recorded.body);
    let voice = send_file(&ana, conv, "audio-2026-11-21-1406.ogg", "audio/ogg", &ogg()).await;
    assert_eq!(voice.status, Status::NoContent);
    let photo = send_file(&ana, conv, "foto da loja.png", "image/png", &png()).await;
    assert_eq!(photo.status, Status::NoContent);
    let sheet = send_file(&ana, conv, "planilha.bin", "application/octet-stream", b"\x00\x01\x02 dados").await;
    assert_eq!(sheet.status, Status::NoContent);
    let types: String = app.sql(&format!(
        "SELECT group_concat(content_type, ',') FROM (SELECT content_type FROM attachments WHERE conversation_id = {conv} ORDER BY id)"
    ));
    assert_eq!(types, "audio/webm,audio/ogg,image/png,application/octet-stream");

    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert_eq!(pane.status, Status::Ok);
    let ids: Vec<i64> = (0..4)
        .map(|n| {
            app.sql(&format!(
                "SELECT id FROM attachments WHERE conversation_id = {conv} ORDER BY id LIMIT 1 OFFSET {n}"
            ))
        })
        .collect();
    assert_eq!(
        pane.body.matches(r#"<audio controls preload="metadata" src="/attachments/"#).count(),
        2,
        "two players: {}",
        pane.body
    );
    assert!(pane.body.contains(&format!(r#"<audio controls preload="metadata" src="/attachments/{}">"#, ids[0])));
    assert!(pane.body.contains(&format!(r#"src="/attachments/{}""#, ids[1])));
    assert!(pane.body.contains("data-speed") && pane.body.contains(r#"<option value="1.5">"#));
    assert!(pane.body.contains(&format!(r#"<img src="/attachments/{}" alt="foto da loja.png""#, ids[2])));
    assert!(pane.body.contains(&format!(r#"href="/attachments/{}" download="planilha.bin""#, ids[3])));
    assert!(pane.body.contains("planilha.bin <span class=\"att-size\">("), "name and size of a download");
    assert!(!pane.body.contains("onclick") && !pane.body.contains("onchange"), "no inline handlers");

    // The recording is served as sound, in place.
    let file = ana.client.get(format!("/attachments/{}", ids[0])).dispatch().await;
    assert_eq!(file.status(), Status::Ok);
    assert_eq!(file.content_type(), Some(ContentType::new("audio", "webm")));

    // Refusals come back with the reason the composer shows.
    let empty = send_file(&ana, conv, "vazio.txt", "text/plain", b"").await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.body.contains("Escolha um arquivo para enviar"), "{}", empty.body);
    let (kind, body) = multipart(Some("forged"), "file", "x.png", "image/png", &png());
    let forged = ana
        .post_with_headers(
            &format!("/agent/conversations/{conv}/attachments"),
            body,
            vec![kind.into(), Header::new("X-CSRF-Token", "forged")],
        )
        .await;
    assert_eq!(forged.status, Status::Forbidden);

    // A colleague outside the conversation may not send files to it.
    app.add_user("agent", "caio", PASSWORD).await;
    let caio = app.other_browser().await;
    caio.sign_in("caio", PASSWORD).await;
    let intruder = send_file(&caio, conv, "x.png", "image/png", &png()).await;
    assert!(intruder.status == Status::NotFound || intruder.status == Status::Forbidden, "{}", intruder.status);
}

#[rocket::async_test]
async fn profile_fields_are_checked_saved_and_audited() {
    let app = App::new().await;
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;

    let page = ana.get("/account").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Editar perfil") && page.body.contains(r#"value="ana" readonly"#));

    let bad = ana
        .post("/account/profile", &[("extension", &"7".repeat(21)), ("phone", "(11) 98765-43x1"), ("language", "fr")])
        .await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("O ramal pode ter no máximo 20 caracteres"));
    assert!(bad.body.contains("Use somente números"));
    assert!(bad.body.contains("Escolha um dos idiomas da lista"));
    assert!(bad.body.contains("(11) 98765-43x1"), "keeps what was typed");
    let short = ana.post("/account/profile", &[("extension", "12"), ("phone", "119876"), ("language", "")]).await;
    assert_eq!(short.status, Status::UnprocessableEntity);
    assert!(short.body.contains("Número inválido"));
    let unchanged: String = app.sql(&format!("SELECT extension || '|' || phone FROM users WHERE id = {ana_id}"));
    assert_eq!(unchanged, "|");

    let saved =
        ana.post("/account/profile", &[("extension", " 2041 "), ("phone", "5511987654321"), ("language", "es")]).await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/account?saved=profile"));
    let stored: String =
        app.sql(&format!("SELECT extension || '|' || phone || '|' || language FROM users WHERE id = {ana_id}"));
    assert_eq!(stored, "2041|5511987654321|es");
    let audit: String = app.sql(&format!(
        "SELECT details FROM audit_log WHERE action = 'profile.update' AND target = 'user:{ana_id}' ORDER BY id DESC LIMIT 1"
    ));
    assert!(audit.contains(r#""extension":"2041""#) && audit.contains(r#""language":null"#), "{audit}");
    let shown = ana.get("/account?saved=profile").await;
    assert!(shown.body.contains("Perfil guardado."), "now in Spanish");
    assert!(shown.body.contains(r#"value="2041""#) && shown.body.contains(r#"<option value="es" selected>"#));

    // Back to the company's language.
    let reset = ana.post("/account/profile", &[("extension", "2041"), ("phone", ""), ("language", "")]).await;
    assert_eq!(reset.status, Status::SeeOther);
    let language: Option<String> = app.sql(&format!("SELECT language FROM users WHERE id = {ana_id}"));
    assert_eq!(language, None);
}

#[rocket::async_test]
async fn profile_photo_is_checked_and_shown_to_signed_in_users_only() {
    let app = App::new().await;
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    let token = ana.csrf().await;
    let upload = |body: (ContentType, Vec<u8>)| ana.post_with_headers("/account/photo", body.1, vec![body.0.into()]);

    let svg = upload(multipart(
        Some(&token),
        "photo",
        "eu.svg",
        "image/svg+xml",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ))
    .await;
    assert_eq!(svg.status, Status::UnprocessableEntity);
    assert!(svg.body.contains("não é uma imagem PNG, JPEG ou WebP"));
    let mut big = png();
    big.resize(600 * 1024, 0);
    let too_big = upload(multipart(Some(&token), "photo", "eu.png", "image/png", &big)).await;
    assert_eq!(too_big.status, Status::UnprocessableEntity);
    assert!(too_big.body.contains("grande demais"));
    let forged = upload(multipart(Some("forged"), "photo", "eu.png", "image/png", &png())).await;
    assert_eq!(forged.status, Status::Forbidden);
    let none: Option<String> = app.sql(&format!("SELECT photo FROM users WHERE id = {ana_id}"));
    assert_eq!(none, None);
    assert_eq!(ana.get(&format!("/account/photo/{ana_id}")).await.status, Status::NotFound);

    let ok = upload(multipart(Some(&token), "photo", "../../eu.png", "image/png", &png())).await;
    assert_eq!(ok.status, Status::SeeOther);
    let name: String = app.sql(&format!("SELECT photo FROM users WHERE id = {ana_id}"));
    assert!(name.ends_with(".png") && name.len() == 68 && !name.contains('/'), "{name}");
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'profile.update' AND target = 'user:{ana_id}'"
        )),
        1
    );

    let profile = ana.get("/account").await;
    assert!(profile.body.contains(&format!(r#"src="/account/photo/{ana_id}?v="#)), "top bar and profile show it");
    let served = ana.client.get(format!("/account/photo/{ana_id}")).dispatch().await;
    assert_eq!(served.status(), Status::Ok);
    assert_eq!(served.content_type(), Some(ContentType::PNG));
    assert_eq!(served.into_bytes().await.unwrap_or_default(), png());

    // Another signed-in user sees it; a visitor does not.
    app.add_user("agent", "caio", PASSWORD).await;
    let caio = app.other_browser().await;
    caio.sign_in("caio", PASSWORD).await;
    assert_eq!(caio.get(&format!("/account/photo/{ana_id}")).await.status, Status::Ok);
    let visitor = app.other_browser().await;
    let refused = visitor.get(&format!("/account/photo/{ana_id}")).await;
    assert_ne!(refused.status, Status::Ok);

    let removed = ana.post("/account/photo/remove", &[]).await;
    assert_eq!(removed.status, Status::SeeOther);
    assert_eq!(ana.get(&format!("/account/photo/{ana_id}")).await.status, Status::NotFound);
}
