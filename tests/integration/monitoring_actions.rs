//! "Monitoramento"'s steps that need a choice: the queues' thresholds (a queue past
//! them is red, with words), "Transferir" to a team or an agent of it through the
//! floor's transfer, and "Finalizar" with the team's reasons when it requires one —
//! each confirmed, audited, refused with its reason and 403 without `monitoring:edit`.

use atende::db::now_ms;
use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::monitoring::floor;
use crate::reports_reasons::grant;
use crate::workspace::{agent, inbound, team};

/// The queue's row of the page.
fn queue_row(body: &str, team: i64) -> String {
    let at = body.find(&format!("data-queue=\"{team}\"")).unwrap_or_else(|| panic!("queue {team}: {body}"));
    let start = body[..at].rfind("<tr").unwrap();
    body[start..].split("</tr>").next().unwrap().to_string()
}

async fn watcher(app: &App) -> App {
    let outro = app.add_user("admin", "outro", PASSWORD).await;
    grant(app, outro, &["monitoring:view"]);
    let browser = app.other_browser().await;
    browser.sign_in("outro", PASSWORD).await;
    browser
}

#[rocket::async_test]
async fn a_queue_past_its_thresholds_is_red_and_the_form_keeps_what_was_typed() {
    let (app, _, sac, _) = floor().await;
    let site: i64 = app.sql("SELECT id FROM channels WHERE key = 'site'");
    let maria = inbound(&app, site, "maria", "Oi").await;
    app.exec(&format!("UPDATE conversations SET queued_at = {} WHERE id = {maria}", now_ms() - 3 * 60_000));
    let before = app.get("/admin/monitoring").await;
    assert!(!queue_row(&before.body, sac).contains("is-over"), "no thresholds yet");
    assert!(before.body.contains("action=\"/admin/monitoring/thresholds\""), "the form for who may act");

    // Refused: what was typed comes back with the reasons, nothing is saved.
    let typed = [("queue", sac.to_string()), ("longest_wait_seconds", "dois".into()), ("waiting_count", "0".into())];
    let fields: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post("/admin/monitoring/thresholds?status=waiting", &fields).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("value=\"dois\"") && refused.body.contains("value=\"0\""), "{}", refused.body);
    assert!(
        refused.body.contains("id=\"longest_wait_seconds-error\"")
            && refused.body.contains("id=\"waiting_count-error\"")
    );
    let no_team = app.post("/admin/monitoring/thresholds", &[("queue", "999"), ("waiting_count", "3")]).await;
    assert_eq!(no_team.status, Status::UnprocessableEntity);
    assert!(no_team.body.contains("Escolha uma equipe ativa na lista."));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM monitoring_thresholds"), 0);

    // Two minutes: Maria has waited three, so the queue is red and says why.
    let sac_id = sac.to_string();
    let saved = app
        .post("/admin/monitoring/thresholds?status=waiting", &[("queue", &sac_id), ("longest_wait_seconds", "120")])
        .await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/admin/monitoring?status=waiting&done=thresholds"));
    let red = app.get("/admin/monitoring").await;
    let row = queue_row(&red.body, sac);
    assert!(row.contains("is-over") && row.contains("data-wait-over>espera acima do limite"), "{row}");
    assert!(row.contains("espera acima de 0:02:00") && !row.contains("fila acima do limite"));
    let audited: String = app.sql("SELECT details FROM audit_log WHERE action = 'monitoring.thresholds'");
    assert!(audited.contains("\"longest_wait_seconds\":120") && audited.contains("\"before\""), "{audited}");

    // A count of one waiting is reached, not passed; a second customer passes it.
    app.post("/admin/monitoring/thresholds", &[("queue", &sac_id), ("waiting_count", "1")]).await;
    let one = queue_row(&app.get("/admin/monitoring").await.body, sac);
    assert!(!one.contains("is-over"), "the wait threshold was cleared and one is not more than one: {one}");
    inbound(&app, site, "pedro", "Bom dia").await;
    let two = queue_row(&app.get("/admin/monitoring/sections").await.body, sac);
    assert!(two.contains("is-over") && two.contains("fila acima do limite"), "{two}");

    let other = watcher(&app).await;
    let denied = other.post("/admin/monitoring/thresholds", &[("queue", &sac_id), ("waiting_count", "9")]).await;
    assert_eq!(denied.status, Status::Forbidden);
    assert!(!other.get("/admin/monitoring").await.body.contains("/admin/monitoring/thresholds"));
    assert_eq!(app.sql::<i64>("SELECT waiting_count FROM monitoring_thresholds"), 1);
}

#[rocket::async_test]
async fn a_supervisor_transfers_to_a_team_or_one_of_its_agents_through_the_floor() {
    let (app, ana, sac, conv) = floor().await;
    let (_, bia) = agent(&app, "bia").await;
    let vendas = team(&app, "Vendas", "manual", &[bia]);
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    let page = app.get(&format!("/admin/monitoring/conversations/{conv}/transfer?team={sac}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains(&format!("<option value=\"{vendas}\">Vendas</option>")), "{}", page.body);
    assert!(page.body.contains(&format!("<option value=\"{bia}\">bia Teste</option>")));
    assert!(page.body.contains(&format!("action=\"/admin/monitoring/conversations/{conv}/transfer?team={sac}\"")));
    assert!(page.body.contains("data-confirm=\"Transferir o atendimento"), "confirmed before it is sent");

    // Ana is not of Vendas: refused by the floor's rule, the choice kept, nothing moved.
    let (v, a) = (vendas.to_string(), ana.to_string());
    let wrong = [("team_id", v.as_str()), ("agent_id", a.as_str()), ("note", "Quer comprar")];
    let refused = app.post(&format!("/admin/monitoring/conversations/{conv}/transfer"), &wrong).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Quer comprar</textarea>"));
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT team_id FROM conversations WHERE id = {conv}")), Some(sac));

    let other = watcher(&app).await;
    let b = bia.to_string();
    let to_bia = [("team_id", v.as_str()), ("agent_id", b.as_str()), ("note", "Quer comprar")];
    let path = format!("/admin/monitoring/conversations/{conv}/transfer");
    assert_eq!(other.post(&path, &to_bia).await.status, Status::Forbidden);
    assert_eq!(other.get(&path).await.status, Status::Forbidden);

    let done = app.post(&format!("{path}?team={sac}"), &to_bia).await;
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(done.location, Some(format!("/admin/monitoring?team={sac}&done=transfer")));
    let (team_id, agent_id): (i64, i64) =
        app.rows(&format!("SELECT team_id, agent_id FROM conversations WHERE id = {conv}"))[0];
    assert_eq!((team_id, agent_id), (vendas, bia));
    let line = format!("transferred:{chefe}:{vendas}:{bia}");
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM messages WHERE conversation_id = {conv} AND body = '{line}'")),
        1
    );
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE conversation_id = {conv} AND body = 'Quer comprar'"
        )),
        1
    );
    let audited: String = app.sql("SELECT details FROM audit_log WHERE action = 'monitoring.transfer'");
    assert!(
        audited.contains(&format!("\"from_agent\":{ana}")) && audited.contains(&format!("\"agent\":{bia}")),
        "{audited}"
    );

    // To the team's queue: waiting in SAC again, nobody holding it.
    let s = sac.to_string();
    assert_eq!(app.post(&path, &[("team_id", s.as_str()), ("agent_id", "")]).await.status, Status::SeeOther);
    let status: String = app.sql(&format!("SELECT status FROM conversations WHERE id = {conv}"));
    assert_eq!(status, "waiting");
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {conv}")), None);
}

#[rocket::async_test]
async fn finishing_offers_the_team_s_reasons_when_it_requires_one() {
    let (app, _, sac, conv) = floor().await;
    app.exec(&format!(
        "UPDATE teams SET require_tabulation = 1 WHERE id = {sac};
         INSERT INTO tabulations (id, team_id, parent_id, name) VALUES (10, {sac}, NULL, 'Financeiro'), (11, {sac}, 10, 'Boleto'),
           (12, {sac}, NULL, 'Antigo');
         UPDATE tabulations SET active = 0 WHERE id = 12;"
    ));
    let list = app.get("/admin/monitoring").await;
    let confirm_link = format!("href=\"/admin/monitoring/conversations/{conv}/finish\"");
    assert!(list.body.contains(&confirm_link), "the row goes to the confirmation with the reasons");
    let page = app.get(&format!("/admin/monitoring/conversations/{conv}/finish")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<option value=\"10\">Financeiro</option>"), "{}", page.body);
    assert!(page.body.contains("<option value=\"10:11\">Financeiro › Boleto</option>"));
    assert!(!page.body.contains("Antigo"), "inactive reasons are not offered");

    let path = format!("/admin/monitoring/conversations/{conv}/finish");
    let refused = app.post(&path, &[("tabulation", "")]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("exige a classificação") && refused.body.contains("Financeiro › Boleto"));
    let wrong = app.post(&path, &[("tabulation", "11:10")]).await;
    assert_eq!(wrong.status, Status::UnprocessableEntity, "a sub-reason is not a reason");
    assert!(wrong.body.contains("<option value=\"10:11\">"), "the choices again");
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conv}")), "active");

    let done = app.post(&path, &[("tabulation", "10:11")]).await;
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conv}")), "closed");
    let classified: i64 =
        app.sql(&format!("SELECT tabulation_id FROM conversation_tabulations WHERE conversation_id = {conv}"));
    assert_eq!(classified, 11);
    let audited: String = app.sql("SELECT details FROM audit_log WHERE action = 'monitoring.finish'");
    assert!(audited.contains("\"tabulation\":11"), "{audited}");
}
