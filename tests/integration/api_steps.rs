//! `/api/v1/conversations/<id>/tags`, `/classification`, `/transfer` and `/close`: the
//! floor's own steps taken by a token (conversations:write), seen by agents as the
//! token's, recorded under it, and refused naming the field in fault.

use rocket::http::{Method, Status};
use serde_json::json;

use crate::api_tokens::make_token;
use crate::api_writes::{code, field, floor, post};
use crate::common::App;
use crate::workspace::{agent, team};

#[rocket::async_test]
async fn a_token_tags_classifies_transfers_and_closes_as_the_floor_does() {
    let app = App::without_jobs().await;
    let f = floor(&app).await;
    let erp = make_token(&app, "ERP", &["conversations:write"], "").await;
    let talker = make_token(&app, "Chat", &["messages:write", "conversations:read"], "").await;
    let token_id: i64 = app.sql("SELECT id FROM api_tokens WHERE name = 'ERP'");
    let base = format!("/api/v1/conversations/{}", f.conversation);
    app.exec(&format!(
        "INSERT INTO tags (team_id, name) VALUES (NULL, 'VIP');
         INSERT INTO tabulations (team_id, name) VALUES ({sac}, 'Financeiro');
         INSERT INTO tabulations (team_id, parent_id, name) VALUES ({sac}, (SELECT id FROM tabulations WHERE name = 'Financeiro'), 'Boleto');",
        sac = f.sac
    ));
    let vip: i64 = app.sql("SELECT id FROM tags WHERE name = 'VIP'");
    let (reason, sub): (i64, i64) = (
        app.sql("SELECT id FROM tabulations WHERE name = 'Financeiro'"),
        app.sql("SELECT id FROM tabulations WHERE name = 'Boleto'"),
    );

    // Tags.
    let (status, refused) = post(&app, &format!("{base}/tags"), &talker, &json!({"tag_id": vip}), None).await;
    assert_eq!((status, code(&refused)), (Status::Forbidden, "forbidden_scope"));
    let (status, tagged) = post(&app, &format!("{base}/tags"), &erp, &json!({"tag_id": vip}), None).await;
    assert_eq!((status, tagged["id"].as_i64()), (Status::Ok, Some(f.conversation)), "{tagged}");
    let tags = || {
        app.sql::<i64>(&format!("SELECT count(*) FROM conversation_tags WHERE conversation_id = {}", f.conversation))
    };
    assert_eq!(tags(), 1);
    let (status, bad) = post(&app, &format!("{base}/tags"), &erp, &json!({"tag_id": 9999}), None).await;
    assert_eq!((status, field(&bad)), (Status::UnprocessableEntity, "tag_id"));
    let (status, _, _) = app.api(Method::Delete, &format!("{base}/tags/{vip}"), &talker, None, vec![]).await;
    assert_eq!(status, Status::Forbidden);
    let (status, _, _) = app.api(Method::Delete, &format!("{base}/tags/{vip}"), &erp, None, vec![]).await;
    assert_eq!((status, tags()), (Status::Ok, 0));

    // Classification: a reason with one of its sub-reasons, never another's.
    let classify = format!("{base}/classification");
    let (status, bad) = post(&app, &classify, &erp, &json!({"reason_id": sub}), None).await;
    assert_eq!((status, field(&bad)), (Status::UnprocessableEntity, "reason_id"), "a sub-reason is no reason");
    let (status, _) = post(&app, &classify, &erp, &json!({"reason_id": reason, "sub_reason_id": sub}), None).await;
    assert_eq!(status, Status::Ok);
    let (stored, by): (i64, Option<i64>) = app
        .rows(&format!(
            "SELECT tabulation_id, added_by FROM conversation_tabulations WHERE conversation_id = {}",
            f.conversation
        ))
        .remove(0);
    assert_eq!((stored, by), (sub, None));

    // Transfer: to an agent of another team; refused naming the team or the agent.
    let (bia_app, bia) = agent(&app, "bia").await;
    let (_caio, caio) = agent(&app, "caio").await;
    let vendas = team(&app, "Vendas", "manual", &[bia]);
    let transfer = format!("{base}/transfer");
    let (status, bad) = post(&app, &transfer, &erp, &json!({"team_id": 9999}), None).await;
    assert_eq!((status, field(&bad)), (Status::UnprocessableEntity, "team_id"));
    let (status, bad) = post(&app, &transfer, &erp, &json!({"team_id": vendas, "agent_id": caio}), None).await;
    assert_eq!((status, field(&bad)), (Status::UnprocessableEntity, "agent_id"), "caio is not in Vendas");
    let (status, bad) = post(&app, &transfer, &erp, &json!({"agent_id": bia}), None).await;
    assert_eq!((status, field(&bad)), (Status::UnprocessableEntity, "team_id"), "{bad}");
    let (status, moved) =
        post(&app, &transfer, &erp, &json!({"team_id": vendas, "agent_id": bia, "note": "Pedido de atacado"}), None)
            .await;
    assert_eq!((status, moved["team_id"].as_i64(), moved["agent_id"].as_i64()), (Status::Ok, Some(vendas), Some(bia)));
    // Bia holds it now, and her pane says who moved it.
    let bia_pane = bia_app.get(&format!("/agent/conversations/{}/pane", f.conversation)).await;
    assert_eq!(bia_pane.status, Status::Ok);
    assert!(bia_pane.body.contains("API · ERP transferiu o atendimento para bia Teste"), "{}", bia_pane.body);
    assert!(bia_pane.body.contains("Pedido de atacado"));

    // Close: Vendas requires a classification of its own.
    app.exec(&format!("UPDATE teams SET require_tabulation = 1 WHERE id = {vendas}"));
    app.exec(&format!("DELETE FROM conversation_tabulations WHERE conversation_id = {}", f.conversation));
    let close = format!("{base}/close");
    let (status, refused) = post(&app, &close, &erp, &json!({"comment": "feito"}), None).await;
    assert_eq!(
        (status, code(&refused), field(&refused)),
        (Status::UnprocessableEntity, "classification_required", "reason_id")
    );
    app.exec(&format!("INSERT INTO tabulations (team_id, name) VALUES ({vendas}, 'Atacado')"));
    let atacado: i64 = app.sql("SELECT id FROM tabulations WHERE name = 'Atacado'");
    let (status, closed) = post(&app, &close, &erp, &json!({"reason_id": atacado, "comment": "feito"}), None).await;
    assert_eq!((status, closed["status"].as_str()), (Status::Ok, Some("closed")), "{closed}");
    let (closed_by, comment): (Option<i64>, String) = app
        .rows(&format!("SELECT closed_by, close_comment FROM conversations WHERE id = {}", f.conversation))
        .remove(0);
    assert_eq!((closed_by, comment.as_str()), (None, "feito"));
    let pane = bia_app.get(&format!("/agent/conversations/{}/pane", f.conversation)).await;
    assert!(pane.body.contains("API · ERP finalizou o atendimento."), "the close names the token");
    let (status, again) = post(&app, &close, &erp, &json!({}), None).await;
    assert_eq!((status, code(&again)), (Status::Conflict, "conversation_closed"));
    let (status, _) = post(&app, &format!("{base}/tags"), &erp, &json!({"tag_id": vip}), None).await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(post(&app, "/api/v1/conversations/999999/close", &erp, &json!({}), None).await.0, Status::NotFound);

    let actions: Vec<(String, Option<i64>)> =
        app.rows(&format!("SELECT action, actor_id FROM audit_log WHERE api_token_id = {token_id} ORDER BY id"));
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names, ["api.tag", "api.untag", "api.classify", "api.transfer", "api.close"]);
    assert!(actions.iter().all(|(_, person)| person.is_none()));
}
