//! Contacts (F-AG-14..17), history and "mensagens contendo" (F-AG-15), and attachments
//! (F-EN-7): validation, search, permission-filtered history, escaped snippets, and
//! files served only to whoever may see the conversation, never rendered as our pages.

use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::{ContentType, Header, Status};

use crate::common::{App, PASSWORD};
use crate::pages::Check;

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// Teams SAC (1) and Vendas (2), manual; a web chat channel of each; agents ana (SAC),
/// bia and caio (Vendas).
async fn floor(app: &App) -> (i64, i64, i64) {
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let bia = app.add_user("agent", "bia", PASSWORD).await;
    let caio = app.add_user("agent", "caio", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0), (2, 'Vendas', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (1, {ana}), (2, {bia}), (2, {caio});
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at)
           VALUES (1, 'webchat', 'Site', 'site-key', 1, 0), (2, 'webchat', 'Loja', 'loja-key', 2, 0);"
    ));
    (ana, bia, caio)
}

/// A visitor writes on a channel; gives the conversation id.
async fn visitor_writes(app: &App, channel_id: i64, token: &str, body: &str) -> i64 {
    let inbound = Inbound {
        channel_id,
        contact_key: format!("visitor:{}", atende::accounts::credentials::token_hash(token)),
        contact_name: "Maria Visitante".into(),
        contact_email: String::new(),
        contact_phone: String::new(),
        external_id: None,
        body: body.into(),
        ..Default::default()
    };
    match engine(app).ingest(inbound).await.expect("ingested") {
        Ingested::Stored { conversation_id, .. } => conversation_id,
        other => panic!("not stored: {other:?}"),
    }
}

fn agent(user_id: i64) -> Agent {
    Agent { user_id, supervisor: false }
}

#[rocket::async_test]
async fn add_contact_validates_refuses_duplicates_and_searches() {
    let app = App::new().await;
    floor(&app).await;
    app.exec("INSERT INTO contact_fields (id, name, kind, choices, required, position) VALUES (7, 'Plano', 'choice', '[\"Ouro\",\"Prata\"]', 1, 1)");
    app.sign_in("ana", PASSWORD).await;
    let form = app.get("/agent/contacts/new").await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains("name=\"custom[7]\""), "{}", form.body);

    // Required fields, a bad number (with the example), a bad custom value.
    let bad = app
        .post("/agent/contacts", &[("name", " "), ("email", "maria@"), ("phone", "123"), ("custom[7]", "Bronze")])
        .await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Este campo é obrigatório") || bad.body.contains("obrigatório"), "{}", bad.body);
    assert!(bad.body.contains("Número inválido") && bad.body.contains("5511987654321"));
    assert!(bad.body.contains("Valor inválido para este campo"));
    assert!(bad.body.contains("value=\"maria@\""), "what was typed stays");
    let letters = app
        .post(
            "/agent/contacts",
            &[("name", "Maria"), ("email", "maria@x.com.br"), ("phone", "55 11 9abc"), ("custom[7]", "Ouro")],
        )
        .await;
    assert_eq!(letters.status, Status::UnprocessableEntity);
    assert!(letters.body.contains("Use somente números"));
    let missing_custom = app
        .post(
            "/agent/contacts",
            &[("name", "Maria"), ("email", "maria@x.com.br"), ("phone", "5511987654321"), ("custom[7]", "")],
        )
        .await;
    assert_eq!(missing_custom.status, Status::UnprocessableEntity);
    assert!(missing_custom.body.contains("custom-7-error"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 0, "nothing half saved");

    let ok = app
        .post(
            "/agent/contacts",
            &[
                ("name", "Maria Ação"),
                ("email", "maria@x.com.br"),
                ("phone", "+55 (11) 98765-4321"),
                ("custom[7]", "Ouro"),
            ],
        )
        .await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let id: i64 = app.sql("SELECT id FROM contacts WHERE name = 'Maria Ação'");
    assert_eq!(ok.location.as_deref(), Some(format!("/agent/contacts/{id}").as_str()));
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts"), "5511987654321");
    assert_eq!(app.sql::<String>("SELECT custom FROM contacts"), r#"{"7":"Ouro"}"#);

    // The same number without the 9th digit is the same contact.
    let dup = app
        .post(
            "/agent/contacts",
            &[("name", "Outra"), ("email", "o@x.com"), ("phone", "551187654321"), ("custom[7]", "Prata")],
        )
        .await;
    assert_eq!(dup.status, Status::UnprocessableEntity);
    assert!(dup.body.contains("nono dígito"), "{}", dup.body);
    let other = app
        .post(
            "/agent/contacts",
            &[("name", "João Souza"), ("email", "j@x.com"), ("phone", "552133334444"), ("custom[7]", "Prata")],
        )
        .await;
    assert_eq!(other.status, Status::SeeOther);
    let joao: i64 = app.sql("SELECT id FROM contacts WHERE name = 'João Souza'");
    // Editing into another contact's number (9th-digit form) is refused too.
    let clash = app
        .post(
            &format!("/agent/contacts/{joao}"),
            &[("name", "João"), ("email", "j@x.com"), ("phone", "5511987654321"), ("custom[7]", "Prata")],
        )
        .await;
    assert_eq!(clash.status, Status::UnprocessableEntity);
    // Keeping one's own number is fine.
    let edit = app
        .post(
            &format!("/agent/contacts/{id}"),
            &[("name", "Maria Ação"), ("email", "maria@nova.com"), ("phone", "5511987654321"), ("custom[7]", "Ouro")],
        )
        .await;
    assert_eq!(edit.status, Status::SeeOther, "{}", edit.body);
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM contacts WHERE id = {id}")), "maria@nova.com");
    assert_eq!(app.get("/agent/contacts/999999").await.status, Status::NotFound);
    assert_eq!(
        app.post(
            "/agent/contacts/999999",
            &[("name", "X"), ("email", "x@x.com"), ("phone", "5511911112222"), ("custom[7]", "Ouro")]
        )
        .await
        .status,
        Status::NotFound
    );

    // Search by number (any part, with punctuation) or by name.
    let by_number = app.get("/agent/contacts?q=98765-4321").await;
    assert!(by_number.body.contains("Maria Ação") && !by_number.body.contains("João Souza"));
    let by_name = app.get(&format!("/agent/contacts?q={}", atende::web::urlencode("joão"))).await;
    assert!(by_name.body.contains("João Souza") && !by_name.body.contains("Maria Ação"));
    assert!(!app.get("/agent/contacts?q=zzz").await.body.contains("Maria"));
    // The panel for the conversation pane.
    let panel = app.get(&format!("/agent/contacts/{id}/panel")).await;
    assert_eq!(panel.status, Status::Ok);
    assert!(panel.body.contains("5511987654321") && panel.body.contains("Ouro") && !panel.body.contains("<html"));

    // Strangers go to sign in; forms without the CSRF token are refused.
    let stranger = app.other_browser().await;
    assert_eq!(stranger.get("/agent/contacts").await.status, Status::SeeOther);
    for path in
        ["/agent/contacts".to_string(), format!("/agent/contacts/{id}"), "/agent/conversations/1/attachments".into()]
    {
        assert_eq!(app.post_raw(&path, "name=x").await.status, Status::Forbidden, "{path}");
    }
}

#[rocket::async_test]
async fn history_follows_the_history_permission_and_search_is_escaped() {
    let app = App::new().await;
    let (ana, _bia, _caio) = floor(&app).await;
    app.exec("UPDATE users SET history_scope = 'none' WHERE username = 'bia'; UPDATE users SET history_scope = 'all' WHERE username = 'caio';");
    let conv = visitor_writes(&app, 1, "tok-1", "Quero saber da Ação <script>alert(1)</script> de hoje").await;
    engine(&app).take(&agent(ana), conv).await.unwrap();
    engine(&app).reply(&agent(ana), conv, "Comentário só para agentes", true).await.unwrap();
    engine(&app).close(&agent(ana), conv, "").await.unwrap();
    let protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {conv}"));
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    // An open conversation of the same contact on the other channel (same contact).
    app.exec(&format!(
        "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES (2, 'visitor:x', {contact}, 0)"
    ));
    let open = visitor_writes(&app, 2, "x-not-hashed", "oi").await;
    app.exec(&format!("UPDATE conversations SET contact_id = {contact} WHERE id = {open}"));
    let open_protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {open}"));

    // bia (history: none, team Vendas): no history of SAC, but her team's open one.
    let bia = app.other_browser().await;
    bia.sign_in("bia", PASSWORD).await;
    let page = bia.get(&format!("/agent/contacts/{contact}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(!page.body.contains(&protocol), "bia must not see the closed conversation");
    assert!(page.body.contains(&open_protocol), "her team's open conversation shows");
    let (hidden, missing) = (bia.get(&format!("/agent/history/{conv}")).await, bia.get("/agent/history/9999").await);
    assert_eq!(hidden.status, Status::NotFound, "a conversation she may not see answers as missing");
    assert_eq!(hidden.body.replace(&format!("/{conv}\""), ""), missing.body.replace("/9999\"", ""));
    let found = bia.get("/agent/history?q=acao").await;
    assert_eq!(found.status, Status::Ok);
    assert!(!found.body.contains(&protocol));

    // caio (history: all) sees it, with the transcript and the search.
    let caio = app.other_browser().await;
    caio.sign_in("caio", PASSWORD).await;
    let page = caio.get(&format!("/agent/contacts/{contact}")).await;
    assert!(page.body.contains(&protocol), "{}", page.body);
    let transcript = caio.get(&format!("/agent/history/{conv}")).await;
    assert_eq!(transcript.status, Status::Ok);
    assert!(transcript.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!transcript.body.contains("<script>alert(1)"));
    assert!(transcript.body.contains("Comentário só para agentes"), "internal comments show to agents");
    let found = caio.get("/agent/history?q=acao").await;
    assert!(found.body.contains(&protocol), "{}", found.body);
    assert!(found.body.contains("<mark>Ação</mark>"), "{}", found.body);
    assert!(found.body.contains("&lt;script&gt;") && !found.body.contains("<script>alert"));
    // What the user types is never FTS syntax.
    for q in ["\"", "acao OR", "NEAR(", "body:x", "*", "-acao", "a\"b"] {
        let page = caio.get(&format!("/agent/history?q={}", atende::web::urlencode(q))).await;
        assert_eq!(page.status, Status::Ok, "{q}");
    }
    // History period: older than 30 days needs ?days=.
    app.exec(&format!("UPDATE conversations SET closed_at = closed_at - 40 * 86400000 WHERE id = {conv}"));
    assert!(!caio.get(&format!("/agent/contacts/{contact}")).await.body.contains(&protocol));
    assert!(caio.get(&format!("/agent/contacts/{contact}?days=90")).await.body.contains(&protocol));

    // ana (own, SAC) sees her team's history.
    app.sign_in("ana", PASSWORD).await;
    assert!(app.get(&format!("/agent/contacts/{contact}?days=365")).await.body.contains(&protocol));
    assert_eq!(app.get("/agent/history/999999").await.status, Status::NotFound);
}

/// A multipart body with the CSRF token and one file.
fn multipart(token: &str, filename: &str, content_type: &str, bytes: &[u8]) -> (ContentType, Vec<u8>) {
    let boundary = "XatendeContactsBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (ContentType::new("multipart", "form-data").with_params(("boundary", boundary)), body)
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

#[rocket::async_test]
async fn attachments_are_stored_sent_and_served_safely() {
    let app = App::new().await;
    let (ana, _bia, _caio) = floor(&app).await;
    app.exec("UPDATE users SET history_scope = 'none' WHERE username = 'bia'");
    let conv = visitor_writes(&app, 1, "visitor-token", "Segue o comprovante?").await;
    engine(&app).take(&agent(ana), conv).await.unwrap();
    app.sign_in("ana", PASSWORD).await;
    let token = app.csrf().await;
    let path = format!("/agent/conversations/{conv}/attachments");
    let upload = |body: (ContentType, Vec<u8>)| app.post_with_headers(&path, body.1, vec![body.0.into()]);

    let sent = upload(multipart(&token, "../../comprovante.png", "image/png", PNG)).await;
    assert_eq!(sent.status, Status::SeeOther, "{}", sent.body);
    let png_id: i64 = app.sql("SELECT max(id) FROM attachments");
    assert_eq!(app.sql::<String>(&format!("SELECT file_name FROM attachments WHERE id = {png_id}")), "comprovante.png");
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.attachment_id = {png_id} AND m.direction = 'out' AND m.status = 'queued'"
        )),
        1,
        "sent as an outbound message, queued"
    );
    let sha: String = app.sql(&format!("SELECT sha256 FROM attachments WHERE id = {png_id}"));
    let data_dir =
        std::path::PathBuf::from(app.sql::<String>("SELECT file FROM pragma_database_list WHERE name = 'main'"));
    let stored = data_dir.parent().unwrap().join("attachments").join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(&stored).unwrap(), PNG);

    let got = app.client.get(format!("/attachments/{png_id}")).dispatch().await;
    assert_eq!(got.status(), Status::Ok);
    assert_eq!(got.content_type(), Some(ContentType::PNG));
    assert_eq!(got.headers().get_one("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(got.headers().get_one("Content-Security-Policy"), Some("sandbox; default-src 'none'"));
    assert_eq!(got.headers().get_one("Content-Disposition"), Some("inline; filename*=UTF-8''comprovante.png"));
    assert_eq!(got.into_bytes().await.unwrap(), PNG);

    // An SVG (or HTML posing as an image) is never shown from our origin.
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    assert_eq!(upload(multipart(&token, ".\u{202E}gvs.png", "image/svg+xml", svg)).await.status, Status::SeeOther);
    let svg_id: i64 = app.sql("SELECT max(id) FROM attachments");
    let got = app.client.get(format!("/attachments/{svg_id}")).dispatch().await;
    assert_eq!(got.status(), Status::Ok);
    assert_eq!(got.content_type(), Some(ContentType::Binary));
    assert_eq!(got.headers().get_one("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(got.headers().get_one("Content-Security-Policy"), Some("sandbox; default-src 'none'"));
    assert_eq!(got.headers().get_one("Content-Disposition"), Some("attachment; filename*=UTF-8''gvs.png"));

    // The transcript links the file by its neutralised name.
    let transcript = app.get(&format!("/agent/history/{conv}")).await;
    assert!(transcript.body.contains(&format!("/attachments/{png_id}")) && transcript.body.contains("comprovante.png"));

    // Another team's agent guessing ids: 404, as for ids that do not exist.
    let bia = app.other_browser().await;
    bia.sign_in("bia", PASSWORD).await;
    assert_eq!(bia.client.get(format!("/attachments/{png_id}")).dispatch().await.status(), Status::NotFound);
    assert_eq!(bia.client.get("/attachments/999999").dispatch().await.status(), Status::NotFound);
    let bia_token = bia.csrf().await;
    let (ct, body) = multipart(&bia_token, "x.png", "image/png", PNG);
    assert_eq!(bia.post_with_headers(&path, body, vec![ct.into()]).await.status, Status::NotFound);
    // Without a token: refused before anything is stored.
    let (ct, body) = multipart("forged", "x.png", "image/png", PNG);
    assert_eq!(app.post_with_headers(&path, body, vec![ct.into()]).await.status, Status::Forbidden);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM attachments"), 2);
    // Strangers go to sign in.
    let stranger = app.other_browser().await;
    assert_eq!(stranger.client.get(format!("/attachments/{png_id}")).dispatch().await.status(), Status::SeeOther);

    // The visitor who owns the conversation gets it with their token; nobody else.
    let visitor =
        app.client.get(format!("/webchat/site-key/attachments/{png_id}?token=visitor-token")).dispatch().await;
    assert_eq!(visitor.status(), Status::Ok);
    assert_eq!(visitor.headers().get_one("Content-Security-Policy"), Some("sandbox; default-src 'none'"));
    for url in [
        format!("/webchat/site-key/attachments/{png_id}?token=other"),
        format!("/webchat/loja-key/attachments/{png_id}?token=visitor-token"),
        format!("/webchat/site-key/attachments/{png_id}"),
    ] {
        assert_eq!(app.client.get(url.as_str()).dispatch().await.status(), Status::NotFound, "{url}");
    }

    // Too large: refused, nothing stored.
    let big = vec![b'a'; 16 * 1024 * 1024 + 1];
    let too_big = upload(multipart(&token, "grande.txt", "text/plain", &big)).await;
    assert_eq!(too_big.status, Status::PayloadTooLarge);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM attachments"), 2);

    // A closed conversation takes no more files.
    engine(&app).close(&agent(ana), conv, "").await.unwrap();
    let closed = app
        .post_with_headers(
            &path,
            multipart(&token, "a.png", "image/png", PNG).1,
            vec![multipart(&token, "a.png", "image/png", PNG).0.into(), Header::new("HX-Request", "true")],
        )
        .await;
    assert_eq!(closed.status, Status::Conflict);
}

/// Every contacts page in the language of the walk (the admin is signed in).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.app.exec(
        "INSERT INTO channels (kind, name, key, created_at) VALUES ('webchat', 'Site', 'walk-key', 0);
         INSERT INTO contact_fields (name, kind, choices, required, position) VALUES ('Plano', 'choice', '[\"Ouro\"]', 0, 1);",
    );
    let channel: i64 = c.app.sql("SELECT id FROM channels WHERE key = 'walk-key'");
    let conv = visitor_writes(c.app, channel, "walk", "Olá, preciso de ajuda com a Ação").await;
    let contact: i64 = c.app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    c.get("contacts/list.html", "/agent/contacts", Status::Ok, "contacts-new").await;
    c.get("contacts/form.html", "/agent/contacts/new", Status::Ok, "contacts-new-help").await;
    c.get("contacts/show.html", &format!("/agent/contacts/{contact}"), Status::Ok, "contacts-history").await;
    let on_channel = format!("/agent/channels/{channel}/contacts");
    c.get("contacts/on_channel.html", &on_channel, Status::Ok, "rail-channel-hint").await;
    c.get("history/list.html", "/agent/history", Status::Ok, "contacts-messages-help").await;
    c.get("contacts/transcript.html", &format!("/agent/history/{conv}"), Status::Ok, "contacts-transcript").await;
}

/// The names a contact list page shows, in order.
fn listed_names(body: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(r#"<a href="/agent/contacts/\d+" dir="auto">([^<]*)"#).unwrap();
    re.captures_iter(body).map(|c| c[1].to_string()).collect()
}

async fn search(app: &App, q: &str) -> Vec<String> {
    listed_names(&app.get(&format!("/agent/contacts?q={}", atende::web::urlencode(q))).await.body)
}

#[rocket::async_test]
async fn search_matches_phones_only_for_numbers_and_in_either_ninth_digit_form() {
    let app = App::new().await;
    floor(&app).await;
    app.exec(
        "INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES
           ('Ana Sem Telefone', '', '', 0, 0),
           ('Bruno Sem Telefone', 'bruno@x.com', '', 0, 0),
           ('Carla Com Nono', '', '5511987654321', 0, 0),
           ('Davi Sem Nono', '', '552133334444', 0, 0);",
    );
    app.sign_in("ana", PASSWORD).await;
    assert_eq!(search(&app, "").await.len(), 4);
    // Text without digits matches names and e-mails, never an empty phone.
    assert!(search(&app, "zzzz").await.is_empty());
    assert_eq!(search(&app, "bruno").await, vec!["Bruno Sem Telefone"]);
    assert_eq!(search(&app, "sem telefone").await, vec!["Ana Sem Telefone", "Bruno Sem Telefone"]);
    // Digits, typed with punctuation, match any part of a number.
    assert_eq!(search(&app, "(11) 98765-4321").await, vec!["Carla Com Nono"]);
    assert_eq!(search(&app, "3333").await, vec!["Davi Sem Nono"]);
    // A whole Brazilian number finds the contact stored in the other 9th-digit form.
    assert_eq!(search(&app, "55 11 8765-4321").await, vec!["Carla Com Nono"]);
    assert_eq!(search(&app, "+55 21 93333-4444").await, vec!["Davi Sem Nono"]);
    // Letters and digits together are a name, not a number.
    assert!(search(&app, "zz 4321").await.is_empty());
    assert!(search(&app, "99999").await.is_empty());
    let page = app.get("/agent/contacts?q=zzzz").await;
    assert!(page.body.contains(r#"<span class="muted count">0</span>"#), "{}", page.body);
}

#[rocket::async_test]
async fn names_and_fields_are_stored_as_one_clean_line_from_every_way_in() {
    let app = App::new().await;
    floor(&app).await;
    app.exec("INSERT INTO contact_fields (id, name, kind, choices, required, position) VALUES (8, 'Apelido', 'text', '[]', 0, 1)");
    app.sign_in("ana", PASSWORD).await;
    let saved = app
        .post(
            "/agent/contacts",
            &[
                ("name", "  Ana\u{202E}\tMaria\u{200B}  da Silva\n"),
                ("email", "ana.maria@x.com"),
                // As copied from a chat app: wrapped in direction marks.
                ("phone", "\u{202A}+55 11 91234-5678\u{202C}"),
                ("custom[8]", "\u{2066}Aninha\u{0} 👩‍💻\u{2069}"),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.sql::<String>("SELECT name FROM contacts"), "Ana Maria da Silva");
    assert_eq!(app.sql::<String>("SELECT custom FROM contacts"), r#"{"8":"Aninha 👩‍💻"}"#);
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts"), "5511912345678");
    // Only invisible characters is no name at all.
    let blank = app
        .post("/agent/contacts", &[("name", "\u{200B}\u{202E}"), ("email", "b@x.com"), ("phone", "5511955554444")])
        .await;
    assert_eq!(blank.status, Status::UnprocessableEntity);
    assert!(blank.body.contains(r#"id="name-error""#), "{}", blank.body);

    // A channel's contact name goes through the same cleaning.
    let inbound = Inbound {
        channel_id: 1,
        contact_key: "telegram:42".into(),
        contact_name: "Zoe\u{2067}\u{0}\u{1B}[2J Lima".into(),
        contact_email: String::new(),
        contact_phone: String::new(),
        external_id: None,
        body: "oi".into(),
        ..Default::default()
    };
    engine(&app).ingest(inbound).await.unwrap();
    assert_eq!(app.sql::<String>("SELECT name FROM contacts ORDER BY id DESC LIMIT 1"), "Zoe[2J Lima");
}

/// The "Alterações" section of a contact page.
fn changes_section(body: &str) -> String {
    let start = body.find(r#"<section class="card contacts-changes""#).expect("the page shows its changes");
    let end = start + body[start..].find("</section>").unwrap();
    body[start..end].to_string()
}

/// A time as the pages show it in pt-BR, in the company's time zone (São Paulo by default).
fn shown_time(ms: i64) -> String {
    use chrono::TimeZone;
    chrono_tz::America::Sao_Paulo.timestamp_millis_opt(ms).unwrap().format("%d/%m/%Y %H:%M").to_string()
}

#[rocket::async_test]
async fn every_edit_of_a_contact_is_on_its_page_for_every_agent() {
    let app = App::new().await;
    floor(&app).await;
    let duda = app.add_user("agent", "duda", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (3, 'Cobrança', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (3, {duda});
         INSERT INTO contact_fields (id, name, kind, choices, required, position) VALUES (7, 'Plano', 'choice', '[\"Ouro\",\"Prata\"]', 0, 1);"
    ));
    // ana (SAC) adds the contact.
    app.sign_in("ana", PASSWORD).await;
    let form = |name: &'static str, email: &'static str, plan: &'static str| {
        vec![("name", name), ("email", email), ("phone", "5511987654321"), ("custom[7]", plan)]
    };
    let created = app.post("/agent/contacts", &form("Maria", "maria@x.com", "Ouro")).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    let id: i64 = app.sql("SELECT id FROM contacts");
    // bia (Vendas) renames her, with markup in the name, and changes the plan.
    let bia = app.other_browser().await;
    bia.sign_in("bia", PASSWORD).await;
    let renamed = bia.post(&format!("/agent/contacts/{id}"), &form("Maria <b>Souza</b>", "maria@x.com", "Prata")).await;
    assert_eq!(renamed.status, Status::SeeOther, "{}", renamed.body);
    // ana changes the e-mail; saving it again unchanged records nothing.
    let email =
        app.post(&format!("/agent/contacts/{id}"), &form("Maria <b>Souza</b>", "maria@novo.com", "Prata")).await;
    assert_eq!(email.status, Status::SeeOther, "{}", email.body);
    let rows: i64 = app.sql("SELECT count(*) FROM contact_changes");
    app.post(&format!("/agent/contacts/{id}"), &form("Maria <b>Souza</b>", "maria@novo.com", "Prata")).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contact_changes"), rows, "no change, no entry");

    let page = app.get(&format!("/agent/contacts/{id}")).await;
    assert_eq!(page.status, Status::Ok);
    let changes = changes_section(&page.body);
    assert!(changes.contains("Alterações"), "{changes}");
    let at = |field: &str| app.sql::<i64>(&format!("SELECT max(at) FROM contact_changes WHERE field = '{field}'"));
    let entries: Vec<&str> = changes.split("<li").skip(1).collect();
    assert_eq!(entries.len(), 4, "{changes}");
    // Newest first: ana's e-mail, bia's two changes, ana's creation.
    assert!(entries[0].contains(&shown_time(at("email"))), "{}", entries[0]);
    assert!(entries[0].contains("<bdi>ana Teste</bdi>") && entries[0].contains("E-mail"), "{}", entries[0]);
    assert!(entries[0].contains("<bdi>maria@x.com</bdi> → <bdi>maria@novo.com</bdi>"), "{}", entries[0]);
    let bias: String = entries[1..3].concat();
    assert!(bias.matches("<bdi>bia Teste</bdi>").count() == 2, "{bias}");
    assert!(bias.contains("<bdi>Maria</bdi> → <bdi>Maria &lt;b&gt;Souza&lt;/b&gt;</bdi>"), "escaped: {bias}");
    assert!(!changes.contains("<b>Souza"), "{changes}");
    assert!(bias.contains("Plano") && bias.contains("<bdi>Ouro</bdi> → <bdi>Prata</bdi>"), "{bias}");
    assert!(entries[3].contains("Criado por") && entries[3].contains("<bdi>ana Teste</bdi>"), "{}", entries[3]);
    assert!(entries[3].contains(&shown_time(at(""))), "{}", entries[3]);

    // duda, of another team, sees the same history: contacts are company-wide.
    let duda = app.other_browser().await;
    duda.sign_in("duda", PASSWORD).await;
    assert_eq!(changes_section(&duda.get(&format!("/agent/contacts/{id}")).await.body), changes);

    // A contact a channel created says so.
    let conv = visitor_writes(&app, 1, "tok-changes", "oi").await;
    let visitor: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    let changes = changes_section(&app.get(&format!("/agent/contacts/{visitor}")).await.body);
    assert!(changes.contains("Criado pelo canal") && changes.contains("<bdi>Site</bdi>"), "{changes}");
}
