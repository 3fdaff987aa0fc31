//! The flow editor under "Administração › Fluxos" the way an administrator meets it:
//! the list, a new flow, its diagram and block forms, "Publicar" refused with the
//! problems on their blocks and then published, the versions and "Restaurar", the
//! channel's flow, and the simulator — all through the real routes.

use rocket::http::Status;

use crate::common::{extract, sac_with, App, PASSWORD};
use crate::pages::Check;

/// An administrator signed in with team 1 "SAC"; the new flow's id.
async fn with_new_flow(app: &App, name: &str) -> i64 {
    app.add_user("admin", "chefe", PASSWORD).await;
    sac_with(app, &[]);
    app.sign_in("chefe", PASSWORD).await;
    let created = app.post("/admin/flows", &[("name", name)]).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    app.sql(&format!("SELECT id FROM flows WHERE name = '{name}'"))
}

/// The fields of a message block's form.
fn message(name: &str, text: &str, next: &str) -> Vec<(&'static str, String)> {
    vec![("name", name.into()), ("text", text.into()), ("next", next.into())]
}

/// The fields of the menu's form: "Como posso ajudar?", option 1 Vendas going to
/// `next`, two tries, invalid answers going to `invalid`.
fn menu(next: &str, invalid: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Menu principal".to_string()),
        ("text", "Como posso ajudar?".into()),
        ("option_label", "Vendas".into()),
        ("option_next", next.into()),
        ("max_tries", "2".into()),
        ("retry_text", String::new()),
        ("invalid", invalid.into()),
    ]
}

async fn save_block(app: &App, flow: i64, block: &str, fields: &[(&'static str, String)]) -> crate::common::Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(&format!("/admin/flows/{flow}/blocks/{block}"), &fields).await
}

/// Greeting → menu (1 Vendas → transfer to SAC), as the editor builds it; the menu's
/// invalid exit left empty, so "Publicar" refuses.
async fn three_blocks(app: &App, flow: i64) {
    let saved = save_block(app, flow, "b1", &message("Boas-vindas", "Olá, {{nome}}!", "new:menu")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(save_block(app, flow, "b2", &menu("new:transfer", "")).await.status, Status::SeeOther);
    let team = vec![("name", "Equipe SAC".to_string()), ("team_id", "1".into())];
    assert_eq!(save_block(app, flow, "b3", &team).await.status, Status::SeeOther);
}

pub async fn walk_pages(c: &mut Check<'_>) {
    let app = c.app;
    c.get("admin/flows/list.html", "/admin/flows", Status::Ok, "flows-intro").await;
    c.get("admin/flows/new.html", "/admin/flows/new", Status::Ok, "flows-new-hint").await;
    let created = app.post("/admin/flows", &[("name", "Páginas")]).await;
    assert_eq!(created.status, Status::SeeOther);
    let flow: i64 = app.sql("SELECT id FROM flows WHERE name = 'Páginas'");
    c.get("admin/flows/page.html", &format!("/admin/flows/{flow}"), Status::Ok, "flows-problems").await;
    c.get("admin/flows/page.html", &format!("/admin/flows/{flow}?block=b1"), Status::Ok, "flows-save-block").await;
    c.get("admin/flows/page.html", &format!("/admin/flows/{flow}?panel=sim"), Status::Ok, "flows-sim-empty").await;
    let refused = app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    c.page("admin/flows/page.html", &refused, Status::UnprocessableEntity, "flows-problems");
    c.get("admin/flows/versions.html", &format!("/admin/flows/{flow}/versions"), Status::Ok, "flows-no-versions").await;
    let fixed = vec![("name", "Fim".to_string()), ("text", "Até logo".into())];
    let added = app.post(&format!("/admin/flows/{flow}/blocks"), &[("kind", "close")]).await;
    assert_eq!(added.status, Status::SeeOther);
    save_block(app, flow, "b2", &fixed).await;
    save_block(app, flow, "b1", &message("Boas-vindas", "Olá!", "b2")).await;
    let published = app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    c.page("admin/flows/page.html", &published, Status::Ok, "flows-settings");
    c.get("admin/flows/versions.html", &format!("/admin/flows/{flow}/versions"), Status::Ok, "flows-first-version")
        .await;
    let version: i64 = app.sql(&format!("SELECT id FROM flow_versions WHERE flow_id = {flow}"));
    let path = format!("/admin/flows/{flow}/versions/{version}");
    c.get("admin/flows/version.html", &path, Status::Ok, "flows-read-only").await;
}

#[rocket::async_test]
async fn an_agent_without_the_flows_permission_is_refused_and_forms_need_the_token() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    let without_token = app.client.post(format!("/admin/flows/{flow}/publish")).dispatch().await;
    assert_eq!(without_token.status(), Status::Forbidden);
    let without_token = app.client.post(format!("/admin/flows/{flow}/blocks/b1")).dispatch().await;
    assert_eq!(without_token.status(), Status::Forbidden);
    app.logout().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    for path in ["/admin/flows".to_string(), format!("/admin/flows/{flow}"), format!("/admin/flows/{flow}/versions")] {
        assert_eq!(app.get(&path).await.status, Status::Forbidden, "{path}");
    }
    let refused = save_block(&app, flow, "b1", &message("X", "Y", "")).await;
    assert_eq!(refused.status, Status::Forbidden);
    let simulated = app.post(&format!("/admin/flows/{flow}/simulate"), &[("nudge", "start")]).await;
    assert_eq!(simulated.status, Status::Forbidden);
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM flows WHERE id = {flow}")), "Atendimento");
}

#[rocket::async_test]
async fn a_flow_built_in_the_editor_is_refused_with_problems_on_blocks_then_published() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    three_blocks(&app, flow).await;
    let page = app.get(&format!("/admin/flows/{flow}")).await;
    // Three boxes, the arrows labelled with their exits, the start marked.
    assert_eq!(page.body.matches("class=\"flow-box ").count(), 3, "{}", page.body);
    assert!(page.body.contains(">▶ Início · Mensagem<"));
    assert!(page.body.contains("class=\"flow-arrow-label\""));

    let refused = app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("O fluxo não foi publicado"), "{}", refused.body);
    assert!(refused.body.contains("Falta a saída para respostas inválidas."));
    assert!(refused.body.contains("flow-box kind-menu has-problem"), "the problem is on the menu's box");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_versions"), 0);

    // A bad field is named and nothing is saved.
    let bad =
        save_block(&app, flow, "b2", &[("name", " ".into()), ("text", "x".into()), ("max_tries", "99".into())]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity, "{}", bad.body);
    assert!(bad.body.contains("O bloco não foi salvo"));
    let fixed = menu("b3", "b3");
    assert_eq!(save_block(&app, flow, "b2", &fixed).await.status, Status::SeeOther);
    let published = app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    assert_eq!(published.status, Status::Ok, "{}", published.body);
    assert!(published.body.contains("Versão 1 publicada."));
    assert_eq!(
        app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'flow.update'"),
        4,
        "three blocks and the fix; the refused save wrote nothing"
    );
}

#[rocket::async_test]
async fn a_deleted_block_leaves_the_exits_to_it_empty_and_says_so() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    three_blocks(&app, flow).await;
    let deleted = app.post(&format!("/admin/flows/{flow}/blocks/b3/delete"), &[]).await;
    assert_eq!(deleted.status, Status::Ok);
    assert!(
        deleted.body.contains("As saídas que levavam a ele ficaram vazias em: Menu principal."),
        "{}",
        deleted.body
    );
    assert!(deleted.body.contains("A opção 1 não leva a nenhum bloco."));
    let gone = app.get(&format!("/admin/flows/{flow}?block=b3")).await;
    assert_eq!(gone.status, Status::NotFound);
}

#[rocket::async_test]
async fn versions_show_what_changed_and_one_restores_as_the_draft() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    three_blocks(&app, flow).await;
    let mut fields = menu("b3", "b3");
    save_block(&app, flow, "b2", &fields).await;
    app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    fields.extend([("option_label", "Suporte".to_string()), ("option_next", "b3".into())]);
    save_block(&app, flow, "b2", &fields).await;
    assert_eq!(app.post(&format!("/admin/flows/{flow}/publish"), &[]).await.status, Status::Ok);
    let versions = app.get(&format!("/admin/flows/{flow}/versions")).await;
    assert!(versions.body.contains("bloco Menu principal: opção 2 adicionada"), "{}", versions.body);
    assert!(versions.body.contains("chefe Teste") || versions.body.contains("chefe"));

    let first: i64 = app.sql(&format!("SELECT id FROM flow_versions WHERE flow_id = {flow} AND number = 1"));
    let view = app.get(&format!("/admin/flows/{flow}/versions/{first}")).await;
    assert_eq!(view.status, Status::Ok);
    assert!(!view.body.contains("hx-get=\"/admin/flows/"), "read-only: the boxes are not links");
    let restored = app.post(&format!("/admin/flows/{flow}/versions/{first}/restore"), &[]).await;
    assert_eq!(restored.status, Status::SeeOther);
    let draft: String = app.sql(&format!("SELECT draft FROM flows WHERE id = {flow}"));
    assert!(!draft.contains("Suporte"), "the draft is version 1 again");
    // A version of another flow is not restored through this one.
    let other = app.post("/admin/flows", &[("name", "Outro")]).await;
    assert_eq!(other.status, Status::SeeOther);
    let other: i64 = app.sql("SELECT id FROM flows WHERE name = 'Outro'");
    let wrong = app.post(&format!("/admin/flows/{other}/versions/{first}/restore"), &[]).await;
    assert_eq!(wrong.status, Status::NotFound);
}

#[rocket::async_test]
async fn an_options_extra_words_are_edited_checked_on_publish_and_route_the_customer() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    app.exec("INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Financeiro', 'manual', 0);");
    three_blocks(&app, flow).await;
    let mut fields = menu("b3", "b3");
    fields.extend([("option_label", "Financeiro".to_string()), ("option_next", "new:transfer".into())]);
    assert_eq!(save_block(&app, flow, "b2", &fields).await.status, Status::SeeOther);
    let team = vec![("name", "Equipe Financeiro".to_string()), ("team_id", "2".into())];
    assert_eq!(save_block(&app, flow, "b4", &team).await.status, Status::SeeOther);
    assert_eq!(app.post(&format!("/admin/flows/{flow}/publish"), &[]).await.status, Status::Ok);

    // A word another option answers to is refused on "Publicar", named on its menu.
    let with_words = |words: &str| {
        let mut f = fields.clone();
        f.extend([("option_synonyms", "".to_string()), ("option_synonyms", words.to_string())]);
        f[8].1 = "b4".into();
        f
    };
    let twice = with_words("boleto, Vendas");
    assert_eq!(save_block(&app, flow, "b2", &twice).await.status, Status::SeeOther);
    let refused = app.post(&format!("/admin/flows/{flow}/publish"), &[]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Vendas&quot; da opção 2 já leva a outra opção deste menu."), "{}", refused.body);
    let words = with_words(" boleto,pagamento , segunda via,, ");
    assert_eq!(save_block(&app, flow, "b2", &words).await.status, Status::SeeOther);
    let form = app.get(&format!("/admin/flows/{flow}?block=b2")).await;
    assert!(form.body.contains("name=\"option_synonyms\" value=\"boleto, pagamento, segunda via\""), "{}", form.body);
    assert_eq!(app.post(&format!("/admin/flows/{flow}/publish"), &[]).await.status, Status::Ok);
    let versions = app.get(&format!("/admin/flows/{flow}/versions")).await;
    assert!(
        versions.body.contains("palavras da opção 2 agora são &quot;boleto, pagamento, segunda via&quot;"),
        "{}",
        versions.body
    );

    // The customer's sentence holds two of Financeiro's words and none of Vendas'.
    let chosen = app.post("/admin/channels/1/flow", &[("flow_id", &flow.to_string())]).await;
    assert_eq!(chosen.status, Status::SeeOther);
    let maria = crate::flows::visitor(&app, "Maria").await;
    let conv = crate::flows::says(&app, &maria, "Oi").await;
    crate::flows::says(&app, &maria, "preciso da segunda via do boleto").await;
    let rows: Vec<(String, Option<i64>)> =
        app.rows(&format!("SELECT status, team_id FROM conversations WHERE id = {conv}"));
    assert_eq!(rows[0], ("waiting".to_string(), Some(2)));
}

#[rocket::async_test]
async fn a_channel_starts_the_flow_chosen_on_its_page_audited() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    // Not published yet: refused with the reason beside the select.
    let refused = app.post("/admin/channels/1/flow", &[("flow_id", &flow.to_string())]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Este fluxo ainda não foi publicado."));
    three_blocks(&app, flow).await;
    save_block(&app, flow, "b2", &menu("b3", "b3")).await;
    assert_eq!(app.post(&format!("/admin/flows/{flow}/publish"), &[]).await.status, Status::Ok);
    let page = app.get("/admin/channels/1").await;
    assert!(page.body.contains("Fluxo de atendimento") && page.body.contains("Nenhum: direto para a equipe"));
    let chosen = app.post("/admin/channels/1/flow", &[("flow_id", &flow.to_string())]).await;
    assert_eq!(chosen.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT flow_id FROM channels WHERE id = 1"), flow);
    let list = app.get("/admin/flows").await;
    assert!(list.body.contains("versão 1"), "{}", list.body);
    let none = app.post("/admin/channels/1/flow", &[("flow_id", "")]).await;
    assert_eq!(none.status, Status::SeeOther);
    assert_eq!(app.sql::<Option<i64>>("SELECT flow_id FROM channels WHERE id = 1"), None);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'channel.flow'"), 2);
}

/// The hidden conversation of the simulator's form in `body`.
fn sim_state(body: &str) -> String {
    let raw = extract(body, r#"name="sim" value="([^"]*)""#).unwrap_or_default();
    raw.replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[rocket::async_test]
async fn the_simulator_chats_with_the_draft_and_stores_nothing() {
    let app = App::without_jobs().await;
    let flow = with_new_flow(&app, "Atendimento").await;
    three_blocks(&app, flow).await;
    let path = format!("/admin/flows/{flow}/simulate");
    let base = |sim: &str, nudge: &'static str, text: &'static str| {
        vec![
            ("sim", sim.to_string()),
            ("channel", "whatsapp".to_string()),
            ("now", "2026-12-21T10:00".into()),
            ("fields[nome]", "Maria".into()),
            ("http", "sample".into()),
            ("sample", "{}".into()),
            ("text", text.into()),
            ("nudge", nudge.into()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&path, &fields).await
        }
    };
    let started = post(base("", "start", "")).await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    assert!(started.body.contains("Olá, Maria!"), "{}", started.body);
    // WhatsApp shows the menu as a button, without the numbered text.
    assert!(started.body.contains(r#"<button type="submit" name="tap" value="Vendas">Vendas</button>"#));
    assert!(extract(&started.body, r#"(kind-menu[^"]*on-path)"#).is_some(), "the path is lit");
    let state = sim_state(&started.body);
    let mut tapped = base(&state, "", "");
    tapped.push(("tap", "Vendas".into()));
    let chose = post(tapped).await;
    assert!(chose.body.contains("☑ Escolheu: Vendas"), "{}", chose.body);
    assert!(chose.body.contains("Transferiria para a equipe SAC"), "{}", chose.body);
    // "O cliente não respondeu" closes politely by the flow's idle rule.
    let again = post(base("", "start", "")).await;
    let idle = post(base(&sim_state(&again.body), "idle", "")).await;
    assert!(idle.body.contains("Como não recebemos sua resposta"), "{}", idle.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 0);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages"), 0);
    // A tampered conversation is only a fresh one.
    let bad = post(base("{not json", "send", "1")).await;
    assert_eq!(bad.status, Status::Ok);
}
