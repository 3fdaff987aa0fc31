//! "Finalizar" in one step (the agent manual): the dialog shows protocol and agent, takes a
//! comment and the reason and sub-reason, and saves; a team that requires classification
//! shows it pending until there is one; the company's closing message goes out; and the
//! closed transcript shows classification, tags, comment and everyone who took part.

use rocket::http::Status;

use crate::common::App;
use crate::workspace::{agent, channel, inbound, team};

/// A reason of `team` with its sub-reasons; the ids, reason first.
fn reason(app: &App, team: i64, name: &str, subs: &[&str]) -> Vec<i64> {
    let db = app.db();
    let parent = db.write_now(|tx| atende::db::tabulations::insert_tabulation(tx, team, None, name)).unwrap();
    let mut ids = vec![parent];
    for sub in subs {
        ids.push(db.write_now(|tx| atende::db::tabulations::insert_tabulation(tx, team, Some(parent), sub)).unwrap());
    }
    ids
}

fn closing_message(app: &App, text: &str) {
    app.change_settings(|company| company.closing_message = text.into());
}

fn count(app: &App, query: &str) -> i64 {
    app.sql(query)
}

const GOODBYE: &str = "Seu atendimento foi finalizado. Obrigado!";

#[rocket::async_test]
async fn a_team_that_requires_classification_closes_in_one_step_or_not_at_all() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    app.exec(&format!("UPDATE teams SET require_tabulation = 1 WHERE id = {sac}"));
    let entrega = reason(&app, sac, "Entrega", &["Atraso", "Extravio"]);
    let troca = reason(&app, sac, "Troca", &[]);
    let vendas = team(&app, "Vendas", "manual", &[]);
    let orcamento = reason(&app, vendas, "Orçamento", &["Empresa"]);
    closing_message(&app, GOODBYE);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Meu pedido não chegou").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;

    // Pending: the "Tabular" control and the list row say so.
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(pane.body.contains("needs-classification"), "the Tabular control carries the marker");
    assert!(pane.body.contains(r#"aria-label="Classificação pendente""#));
    let lists = ana.get("/agent/lists").await;
    assert!(lists.body.contains(r#"<span class="chip chip-pending""#), "the list row carries the marker");
    // The dialog: protocol, agent, the reasons (required), the sub-reasons, a comment.
    let protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {conv}"));
    let dialog = &pane.body[pane.body.find("<dialog id=\"close-").unwrap()..];
    let dialog = &dialog[..dialog.find("</dialog>").unwrap()];
    assert!(dialog.contains(&protocol) && dialog.contains("ana Teste"), "{dialog}");
    assert!(dialog.contains(r#"name="reason_id" data-close-reason required"#), "{dialog}");
    assert!(dialog.contains(&format!(r#"<option value="{}">Entrega</option>"#, entrega[0])));
    assert!(dialog.contains(&format!(r#"<optgroup label="Entrega" data-reason="{}">"#, entrega[0])));
    assert!(dialog.contains(&format!(r#"<option value="{}">Atraso</option>"#, entrega[1])));
    assert!(!dialog.contains("Orçamento"), "only the team's reasons");
    assert!(dialog.contains(r#"name="comment""#) && dialog.contains("Salvar e finalizar"));

    // Refused: no classification, another team's reason, a sub-reason of another reason,
    // a sub-reason alone, junk. Each time nothing is written: no classification, no
    // comment, no closing message, still in service.
    let close = format!("/agent/conversations/{conv}/close");
    let s = |id: i64| id.to_string();
    for (fields, message) in [
        (vec![("comment", "resolvido"), ("reason_id", ""), ("sub_reason_id", "")], "exige a classificação"),
        (
            vec![("comment", "resolvido"), ("reason_id", &s(orcamento[0])), ("sub_reason_id", "")],
            "Escolha um motivo ativo",
        ),
        (
            vec![("comment", "resolvido"), ("reason_id", &s(troca[0])), ("sub_reason_id", &s(entrega[1]))],
            "Escolha um motivo ativo",
        ),
        (
            vec![("comment", "resolvido"), ("reason_id", ""), ("sub_reason_id", &s(entrega[1]))],
            "Escolha um motivo ativo",
        ),
        (vec![("comment", "resolvido"), ("reason_id", "abc"), ("sub_reason_id", "")], "Escolha um motivo ativo"),
    ] {
        let refused = ana.post(&close, &fields).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{fields:?}");
        assert!(refused.body.contains(message), "{fields:?}: {}", refused.body);
        assert!(refused.body.contains("data-reopen"), "the dialog opens again with the reason");
        assert!(refused.body.contains(">resolvido</textarea>"), "the comment is kept");
        assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conv}")), "active");
        assert_eq!(count(&app, "SELECT count(*) FROM conversation_tabulations"), 0, "{fields:?}");
        assert_eq!(count(&app, &format!("SELECT count(*) FROM messages WHERE body = '{GOODBYE}'")), 0);
        assert_eq!(app.sql::<String>(&format!("SELECT close_comment FROM conversations WHERE id = {conv}")), "");
    }

    // Saved: classified and closed in one request, the closing message queued first.
    let saved = ana
        .post(
            &close,
            &[
                ("comment", "Cliente avisado do prazo"),
                ("reason_id", &s(entrega[0])),
                ("sub_reason_id", &s(entrega[1])),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some("/agent"));
    let state: String = app.sql(&format!(
        "SELECT status || '|' || close_comment || '|' || closed_by FROM conversations WHERE id = {conv}"
    ));
    assert_eq!(state, format!("closed|Cliente avisado do prazo|{ana_id}"));
    let stored: String = app.sql(&format!(
        "SELECT group_concat(tabulation_id || ':' || added_by) FROM conversation_tabulations WHERE conversation_id = {conv}"
    ));
    assert_eq!(stored, format!("{}:{ana_id}", entrega[1]), "the sub-reason, which carries its reason");
    let goodbye: String = app.sql(&format!(
        "SELECT m.direction || '|' || m.status || '|' || coalesce(m.author_id, 0) || '|' || (SELECT count(*) FROM outbox o WHERE o.message_id = m.id)
         FROM messages m WHERE m.conversation_id = {conv} AND m.body = '{GOODBYE}'"
    ));
    assert_eq!(goodbye, "out|queued|0|1", "the closing message waits in the outbox");
    let last: String = app.sql(&format!(
        "SELECT body FROM messages WHERE conversation_id = {conv} AND id > (SELECT id FROM messages WHERE body = '{GOODBYE}')"
    ));
    assert_eq!(last, format!("closed:{ana_id}"), "then the close is recorded");
    assert!(!ana.get("/agent/lists").await.body.contains("Cliente maria"), "it left her list");
    let again = ana.post(&close, &[("comment", ""), ("reason_id", &s(entrega[0])), ("sub_reason_id", "")]).await;
    assert_eq!(again.status, Status::Conflict);
    assert_eq!(count(&app, &format!("SELECT count(*) FROM messages WHERE body = '{GOODBYE}'")), 1, "sent once");
}

#[rocket::async_test]
async fn without_the_requirement_a_close_needs_no_classification_and_the_dialog_shows_the_last_one() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let vendas = team(&app, "Vendas", "manual", &[ana_id]);
    let pedido = reason(&app, vendas, "Pedido", &["Novo", "Cancelamento"]);
    let site = channel(&app, "loja", vendas);
    let first = inbound(&app, site, "rafa", "Quero cancelar").await;
    let second = inbound(&app, site, "lia", "Só uma dúvida").await;
    for c in [first, second] {
        ana.post(&format!("/agent/conversations/{c}/take"), &[]).await;
    }

    // Nothing is pending where the team does not require it.
    let pane = ana.get(&format!("/agent/conversations/{second}/pane")).await;
    assert!(!pane.body.contains("needs-classification") && !pane.body.contains("chip-pending"));
    assert!(!pane.body.contains("data-close-reason required"), "the reason is optional");
    assert!(!ana.get("/agent/lists").await.body.contains("chip-pending"));

    // Classified earlier from "Tabular": the dialog starts from it.
    let tabular =
        ana.post(&format!("/agent/conversations/{first}/classify"), &[("tabulation_id", &pedido[2].to_string())]).await;
    assert_eq!(tabular.status, Status::SeeOther);
    let pane = ana.get(&format!("/agent/conversations/{first}/pane")).await;
    assert!(pane.body.contains(r#"<span class="chip">Pedido › Cancelamento</span>"#), "{}", pane.body);
    assert!(pane.body.contains(&format!(r#"<option value="{}" selected>Pedido</option>"#, pedido[0])));
    assert!(pane.body.contains(&format!(r#"<option value="{}" selected>Cancelamento</option>"#, pedido[2])));
    // Saving it as it stands adds nothing new.
    let closed = ana
        .post(
            &format!("/agent/conversations/{first}/close"),
            &[("comment", ""), ("reason_id", &pedido[0].to_string()), ("sub_reason_id", &pedido[2].to_string())],
        )
        .await;
    assert_eq!(closed.status, Status::SeeOther);
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM conversation_tabulations WHERE conversation_id = {first}")),
        1
    );

    // No classification at all: closed; no closing message configured, none sent.
    let company_says = "SELECT count(*) FROM messages WHERE direction = 'out' AND author_id IS NULL";
    let before = count(&app, company_says);
    let closed = ana
        .post(&format!("/agent/conversations/{second}/close"), &[("comment", "Dúvida respondida"), ("reason_id", "")])
        .await;
    assert_eq!(closed.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {second}")), "closed");
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM conversation_tabulations WHERE conversation_id = {second}")),
        0
    );
    assert_eq!(count(&app, company_says), before, "only the protocol notices");
}

#[rocket::async_test]
async fn a_classification_chip_comes_off_with_its_cross_like_a_tag() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    app.exec(&format!("UPDATE teams SET require_tabulation = 1 WHERE id = {sac}"));
    let entrega = reason(&app, sac, "Entrega", &["Atraso"]);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Cadê meu pedido?").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    let classify = format!("/agent/conversations/{conv}/classify");
    let sub = entrega[1].to_string();
    assert_eq!(ana.post(&classify, &[("tabulation_id", &sub)]).await.status, Status::SeeOther);

    // The chip carries its own ×, named for screen readers, posting the removal.
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(!pane.body.contains("needs-classification"), "classified: nothing pending");
    let chip = &pane.body[pane.body.find("classification-chip").expect("a classification chip")..];
    let chip = &chip[..chip.find("</form>").unwrap()];
    assert!(chip.contains(&format!(r#"name="tabulation_id" value="{sub}""#)), "{chip}");
    assert!(chip.contains(r#"name="remove" value="true""#) && chip.contains(r#"name="csrf_token""#), "{chip}");
    assert!(chip.contains(r#"aria-label="Tirar a classificação Entrega › Atraso""#), "{chip}");
    let stored = format!("SELECT count(*) FROM conversation_tabulations WHERE conversation_id = {conv}");

    // Someone who does not hold the conversation cannot take it off; junk is refused.
    let refused = bia.post(&classify, &[("tabulation_id", &sub), ("remove", "true")]).await;
    assert_eq!(refused.status, Status::Forbidden);
    let junk = ana.post(&classify, &[("tabulation_id", "abc"), ("remove", "true")]).await;
    assert_eq!(junk.status, Status::UnprocessableEntity);
    let absent = ana.post(&classify, &[("tabulation_id", &entrega[0].to_string()), ("remove", "true")]).await;
    assert_eq!(absent.status, Status::UnprocessableEntity, "the reason alone was never given");
    assert_eq!(count(&app, &stored), 1);

    // Off: gone from the pane, and the team's requirement shows as pending again.
    let removed = ana.post(&classify, &[("tabulation_id", &sub), ("remove", "true")]).await;
    assert_eq!(removed.status, Status::SeeOther, "{}", removed.body);
    assert_eq!(count(&app, &stored), 0);
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(!pane.body.contains("classification-chip") && pane.body.contains("needs-classification"));

    // Closed, the classification stays as it was closed with.
    ana.post(&classify, &[("tabulation_id", &sub)]).await;
    let close = format!("/agent/conversations/{conv}/close");
    assert_eq!(ana.post(&close, &[("comment", ""), ("reason_id", "")]).await.status, Status::SeeOther);
    let late = ana.post(&classify, &[("tabulation_id", &sub), ("remove", "true")]).await;
    assert_eq!(late.status, Status::Conflict);
    assert_eq!(count(&app, &stored), 1);
}

#[rocket::async_test]
async fn the_closed_transcript_shows_classification_tags_comment_and_who_took_part() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (_caio, caio_id) = agent(&app, "caio").await;
    let (_dani, dani_id) = agent(&app, "dani").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id, dani_id]);
    let entrega = reason(&app, sac, "Entrega", &["Atraso"]);
    app.exec(&format!(
        "INSERT INTO tags (team_id, name, color) VALUES ({sac}, 'Garantia', '#e0a800'), (NULL, 'VIP', '#8e44ad'), (NULL, 'Urgente', '#c0392b')"
    ));
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Meu pedido atrasou").await;

    // Ana takes it, invites Caio and tags it; Bia gets it by transfer and closes it.
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Vou verificar.")]).await;
    ana.post(&format!("/agent/conversations/{conv}/invite"), &[("user_id", &caio_id.to_string())]).await;
    for tag in ["Garantia", "VIP"] {
        let id: i64 = app.sql(&format!("SELECT id FROM tags WHERE name = '{tag}'"));
        ana.post(&format!("/agent/conversations/{conv}/tags"), &[("tag_id", &id.to_string())]).await;
    }
    let moved = ana
        .post(
            &format!("/agent/conversations/{conv}/transfer"),
            &[("team_id", &sac.to_string()), ("agent_id", &bia_id.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(moved.status, Status::SeeOther);
    let closed = bia
        .post(
            &format!("/agent/conversations/{conv}/close"),
            &[
                ("comment", "Entrega remarcada para sexta"),
                ("reason_id", &entrega[0].to_string()),
                ("sub_reason_id", &entrega[1].to_string()),
            ],
        )
        .await;
    assert_eq!(closed.status, Status::SeeOther);

    let page = ana.get(&format!("/agent/history/{conv}")).await;
    assert_eq!(page.status, Status::Ok);
    let body = &page.body;
    assert!(body.contains("Aberto em") && body.contains("Finalizado em"), "opened and closed times");
    assert!(body.contains("Finalizado por</dt><dd><bdi>bia Teste</bdi>"), "who closed it");
    assert!(body.contains("Entrega remarcada para sexta"), "the closing comment");
    let side = &body[body.find(r#"<aside class="transcript-side">"#).expect("the side column")..];
    let side = &side[..side.find("</aside>").unwrap()];
    assert!(side.contains(r#"<li>Entrega <span class="muted">›</span> Atraso</li>"#), "{side}");
    assert!(side.contains("Garantia") && side.contains("VIP"), "{side}");
    assert!(!side.contains("Urgente"), "only the tags it has");
    let people: Vec<&str> = side.match_indices("<li><bdi>").map(|(at, _)| &side[at..]).collect();
    let line = |name: &str| {
        let found = people.iter().find(|l| l.starts_with(&format!("<li><bdi>{name}</bdi>"))).copied().unwrap_or("");
        found[..found.find("</li>").unwrap_or(0)].to_string()
    };
    assert!(line("ana Teste").ends_with("· atendeu</span>"), "{side}");
    assert!(line("caio Teste").ends_with("· convidado(a)</span>"), "{side}");
    assert!(line("bia Teste").ends_with("· atendeu, finalizou</span>"), "{side}");
    assert!(line("dani Teste").is_empty(), "a team member who did not take part is not listed");
    let order: Vec<usize> = ["ana Teste", "caio Teste", "bia Teste"].iter().map(|n| side.find(*n).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in the order they came in: {side}");
}
