//! Canned phrases an agent can see: typing "/" lists the phrases this agent may use in
//! the conversation (their own, the team's, the company's), filtered as they type; an
//! unknown shortcut says so; and agents keep their own phrases, which nobody else sees
//! or changes.

use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::pages::Check;
use crate::workspace::{agent, channel, inbound, team};

/// The offer for `/query` in a conversation, as the composer reads it.
async fn offer(browser: &App, conv: i64, query: &str) -> (Status, serde_json::Value) {
    let page = browser.get(&format!("/agent/conversations/{conv}/phrases?q={}", atende::web::urlencode(query))).await;
    (page.status, serde_json::from_str(&page.body).unwrap_or(serde_json::Value::Null))
}

fn shortcuts(offer: &serde_json::Value) -> Vec<String> {
    offer["phrases"]
        .as_array()
        .map(|list| list.iter().filter_map(|p| p["shortcut"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// A phrase straight in the table: team `NULL` is company-wide, owner set is personal.
fn phrase(app: &App, team: Option<i64>, owner: Option<i64>, shortcut: &str, text: &str) {
    let value = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "NULL".into());
    app.exec(&format!(
        "INSERT INTO canned_phrases (team_id, owner_id, shortcut, text) VALUES ({}, {}, '{shortcut}', '{text}')",
        value(team),
        value(owner)
    ));
}

#[rocket::async_test]
async fn the_composer_offers_only_the_phrases_the_agent_may_use_here() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (caio, caio_id) = agent(&app, "caio").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    let vendas = team(&app, "Vendas", "manual", &[caio_id, ana_id]);
    phrase(&app, None, None, "saudacao", "Olá, {{contato}}! Aqui é {{agente}}.");
    phrase(&app, Some(sac), None, "troca", "Para a troca, guarde o protocolo {{protocolo}}.");
    phrase(&app, Some(vendas), None, "orcamento", "Envio o orçamento hoje.");
    phrase(&app, None, Some(ana_id), "retorno", "Volto a falar com você, {{contato}}.");
    phrase(&app, None, Some(bia_id), "so-da-bia", "Frase da Bia.");
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Quero trocar").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    let protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {conv}"));

    // "/": her own, the conversation team's, the company's — nobody else's, no other team's.
    let (status, all) = offer(&ana, conv, "").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(shortcuts(&all), ["retorno", "troca", "saudacao"], "{all}");
    let list = all["phrases"].as_array().unwrap();
    assert_eq!(list[0]["scope"], "Minha");
    assert_eq!(list[0]["personal"], true);
    assert_eq!(list[1]["scope"], "SAC");
    assert_eq!(list[2]["scope"], "Toda a empresa");
    assert_eq!(list[2]["text"], "Olá, Cliente maria! Aqui é ana Teste.", "filled in for this conversation");
    assert_eq!(list[1]["text"], format!("Para a troca, guarde o protocolo {protocol}."));
    assert_eq!(all["message"], "");

    // Filtered as she types: shortcut first, then text; case and accents aside.
    assert_eq!(shortcuts(&offer(&ana, conv, "tro").await.1), ["troca"]);
    assert_eq!(shortcuts(&offer(&ana, conv, "/SAÚ").await.1), ["saudacao"]);
    assert_eq!(shortcuts(&offer(&ana, conv, "protocolo").await.1), ["troca"], "found by its text");
    assert_eq!(shortcuts(&offer(&ana, conv, "orc").await.1), Vec::<String>::new(), "Vendas' phrase is not for SAC");
    let (_, none) = offer(&ana, conv, "xyz").await;
    assert_eq!(none["message"], "Nenhuma frase padrão com o atalho /xyz.");

    // Bia, of the same team, does not get Ana's own phrase; Caio may not see the conversation.
    let bia_sees = offer(&bia, conv, "").await;
    assert_eq!(shortcuts(&bia_sees.1), ["so-da-bia", "troca", "saudacao"]);
    assert_eq!(offer(&caio, conv, "").await.0, Status::NotFound);
    let stranger = app.other_browser().await;
    assert_ne!(stranger.get(&format!("/agent/conversations/{conv}/phrases")).await.status, Status::Ok);

    // "/shortcut" + Tab: filled in, or a line saying there is no such phrase.
    let expanded = ana.get(&format!("/agent/conversations/{conv}/phrase?shortcut=retorno")).await;
    assert_eq!((expanded.status, expanded.body.as_str()), (Status::Ok, "Volto a falar com você, Cliente maria."));
    let unknown = ana.get(&format!("/agent/conversations/{conv}/phrase?shortcut=orcamento")).await;
    assert_eq!(unknown.status, Status::NotFound);
    assert_eq!(unknown.body, "Nenhuma frase padrão com o atalho /orcamento.");
    assert_eq!(caio.get(&format!("/agent/conversations/{conv}/phrase?shortcut=troca")).await.status, Status::NotFound);
    // Her own phrase with a shortcut the company also uses is the one she gets.
    phrase(&app, None, Some(ana_id), "saudacao", "Oi! Ana aqui.");
    let shortcut = atende::web::urlencode("Saudação");
    let own = ana.get(&format!("/agent/conversations/{conv}/phrase?shortcut={shortcut}")).await;
    assert_eq!(own.body, "Oi! Ana aqui.");

    // The pane carries the list and where to ask for it.
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(pane.body.contains(&format!(r#"data-url="/agent/conversations/{conv}/phrases""#)));
}

#[rocket::async_test]
async fn agents_keep_their_own_phrases_and_nobody_else_touches_them() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    team(&app, "Vendas", "manual", &[bia_id]);
    phrase(&app, None, None, "saudacao", "Olá!");
    phrase(&app, Some(sac), None, "troca", "Sobre a troca…");
    let vendas: i64 = app.sql("SELECT id FROM teams WHERE name = 'Vendas'");
    phrase(&app, Some(vendas), None, "orcamento", "Orçamento.");

    // Reached from the workspace; lists what she may use besides her own.
    assert!(ana.get("/agent").await.body.contains(r#"href="/agent/phrases""#));
    let page = ana.get("/agent/phrases").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Minhas frases") && page.body.contains("Você ainda não tem frases pessoais"));
    assert!(page.body.contains("/saudacao") && page.body.contains("/troca") && !page.body.contains("/orcamento"));
    assert!(!page.body.contains("/admin/phrases"), "an agent without permission gets no editing links");

    // Without the token: refused, nothing saved.
    let forged = ana.post_raw("/agent/phrases", "shortcut=retorno&text=Oi").await;
    assert_eq!(forged.status, Status::Forbidden);
    // Checked like the company's phrases; what was typed stays.
    let bad = ana.post("/agent/phrases", &[("shortcut", "a b"), ("text", "")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Use de 2 a 30 letras") && bad.body.contains("Preencha este campo"));
    assert!(bad.body.contains(r#"value="a b""#));
    let unknown = ana.post("/agent/phrases", &[("shortcut", "oi"), ("text", "Olá {{cliente}}")]).await;
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert!(unknown.body.contains("Variável desconhecida"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM canned_phrases WHERE owner_id IS NOT NULL"), 0);

    let created = ana.post("/agent/phrases", &[("shortcut", "/retorno"), ("text", "Volto já, {{contato}}.")]).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/agent/phrases?saved=1"));
    let stored: String =
        app.sql("SELECT shortcut || '|' || owner_id || '|' || coalesce(team_id, 'none') FROM canned_phrases WHERE owner_id IS NOT NULL");
    assert_eq!(stored, format!("retorno|{ana_id}|none"));
    let id: i64 = app.sql("SELECT id FROM canned_phrases WHERE shortcut = 'retorno'");
    let audit: i64 = app.sql(&format!(
        "SELECT count(*) FROM audit_log WHERE action = 'phrase.personal-create' AND target = 'phrase:{id}' AND actor_id = {ana_id}"
    ));
    assert_eq!(audit, 1);
    assert!(ana.get("/agent/phrases?saved=1").await.body.contains("/retorno"));
    let twice = ana.post("/agent/phrases", &[("shortcut", "RETORNO"), ("text", "Outra")]).await;
    assert_eq!(twice.status, Status::UnprocessableEntity);
    assert!(twice.body.contains("Você já tem uma frase com este atalho"));
    // Bia may use the same shortcut for her own; she does not see Ana's.
    assert_eq!(
        bia.post("/agent/phrases", &[("shortcut", "retorno"), ("text", "Da Bia")]).await.status,
        Status::SeeOther
    );
    assert!(!bia.get("/agent/phrases").await.body.contains("Volto já"));

    // Someone else's phrase answers as missing, and stays as it was.
    let path = format!("/agent/phrases/{id}");
    assert_eq!(ana.get(&path).await.status, Status::Ok);
    assert!(ana.get(&path).await.body.contains(r#"value="retorno""#));
    assert_eq!(bia.get(&path).await.status, Status::NotFound);
    let hijack = bia.post(&path, &[("shortcut", "retorno"), ("text", "Mudei")]).await;
    assert_eq!(hijack.status, Status::NotFound);
    assert_eq!(bia.post(&format!("{path}/delete"), &[]).await.status, Status::NotFound);
    assert_eq!(
        app.sql::<String>(&format!("SELECT text FROM canned_phrases WHERE id = {id}")),
        "Volto já, {{contato}}."
    );

    // Ana edits and deletes her own.
    let edited = ana.post(&path, &[("shortcut", "volto"), ("text", "Já volto, {{contato}}!")]).await;
    assert_eq!(edited.status, Status::SeeOther);
    assert_eq!(
        app.sql::<String>(&format!("SELECT shortcut || '|' || text FROM canned_phrases WHERE id = {id}")),
        "volto|Já volto, {{contato}}!"
    );
    let deleted = ana.post(&format!("{path}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM canned_phrases WHERE id = {id}")), 0);
    assert_eq!(ana.post(&format!("{path}/delete"), &[]).await.status, Status::NotFound);
    let trail: String = app.sql(&format!(
        "SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE target = 'phrase:{id}' ORDER BY id)"
    ));
    assert_eq!(trail, "phrase.personal-create,phrase.personal-update,phrase.personal-delete");

    // Whoever may edit the company's phrases gets links to them from this page.
    app.add_user("admin", "chefe", PASSWORD).await;
    let chefe = app.other_browser().await;
    chefe.sign_in("chefe", PASSWORD).await;
    let theirs = chefe.get("/agent/phrases").await;
    let saudacao: i64 = app.sql("SELECT id FROM canned_phrases WHERE shortcut = 'saudacao'");
    assert!(theirs.body.contains(&format!(r#"href="/admin/phrases/{saudacao}""#)), "{}", theirs.body);
    assert!(theirs.body.contains(r#"href="/admin/phrases/new""#));
}

/// The phrase pages, in the walk's language.
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("agent/phrases/list.html", "/agent/phrases", Status::Ok, "phrases-mine-help").await;
    c.get("agent/phrases/form.html", "/agent/phrases/new", Status::Ok, "phrases-mine-private").await;
}
