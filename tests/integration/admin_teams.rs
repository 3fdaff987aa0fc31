//! "Equipes" and "Tabulações": create, validate, members, delete refused while in use,
//! audit; reasons with sub-reasons per team.

use rocket::http::{ContentType, Header, Status};

use crate::common::{encode, App, PASSWORD};
use crate::pages::Check;

/// The fields a browser sends for the team form (unticked boxes send nothing).
fn team<'a>(name: &'a str, limit: &'a str, members: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![("name", name), ("distribution", "auto"), ("queue_limit", limit), ("active", "true")];
    fields.extend(members.iter().map(|m| ("members", *m)));
    fields
}

/// The fields of the "add a reason / sub-reason" forms.
fn tabulation<'a>(team_id: &'a str, parent_id: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("team_id", team_id), ("parent_id", parent_id), ("name", name)]
}

async fn admin() -> App {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app
}

fn team_id(app: &App, name: &str) -> i64 {
    app.sql(&format!("SELECT id FROM teams WHERE name = '{name}'"))
}

fn tabulation_id(app: &App, team: i64, name: &str) -> i64 {
    app.sql(&format!("SELECT id FROM tabulations WHERE team_id = {team} AND name = '{name}'"))
}

fn members_of(app: &App, team: i64) -> String {
    app.sql(&format!(
        "SELECT ifnull(group_concat(u.username, ','), '') FROM
           (SELECT u.username FROM team_members m JOIN users u ON u.id = m.user_id
            WHERE m.team_id = {team} ORDER BY u.username) u"
    ))
}

#[rocket::async_test]
async fn teams_are_validated_and_nothing_half_saved() {
    let app = admin().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await.to_string();

    let empty = app.post("/admin/teams", &team("", "", &[])).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.body.contains("Preencha este campo."));
    let long = "x".repeat(61);
    let too_long = app.post("/admin/teams", &team(&long, "0", &[&ana])).await;
    assert!(too_long.body.contains("Texto longo demais."));
    assert!(too_long.body.contains(&format!(r#"name="members" value="{ana}" checked"#)), "ticks kept");
    let letters = app.post("/admin/teams", &team("SAC", "abc", &[&ana])).await;
    assert_eq!(letters.status, Status::UnprocessableEntity);
    assert!(letters.body.contains("Informe um número inteiro."));
    assert!(letters.body.contains(r#"value="SAC""#) && letters.body.contains(r#"value="abc""#), "typed values kept");
    let negative = app.post("/admin/teams", &team("SAC", "-1", &[])).await;
    assert!(negative.body.contains("Valor fora do intervalo permitido."));
    let huge = app.post("/admin/teams", &team("SAC", "10001", &[])).await;
    assert!(huge.body.contains("Valor fora do intervalo permitido."));
    let mut odd = team("SAC", "0", &[]);
    odd[1] = ("distribution", "random");
    let odd = app.post("/admin/teams", &odd).await;
    assert!(odd.body.contains("Escolha a distribuição automática ou manual."), "{}", odd.body);
    let ghost = app.post("/admin/teams", &team("SAC", "0", &[&ana, "999999"])).await;
    assert_eq!(ghost.status, Status::UnprocessableEntity);
    assert!(ghost.body.contains("não pode entrar na equipe"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 0, "nothing half-saved");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM team_members"), 0);

    // An empty limit means no limit.
    let ok = app.post("/admin/teams", &team("SAC", "", &[&ana])).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(ok.location.as_deref(), Some("/admin/teams"));
    let sac = team_id(&app, "SAC");
    assert_eq!(app.sql::<i64>(&format!("SELECT queue_limit FROM teams WHERE id = {sac}")), 0);
    assert_eq!(app.sql::<String>(&format!("SELECT distribution FROM teams WHERE id = {sac}")), "auto");
    for dup in ["sac", "SÁC", " Sac "] {
        let page = app.post("/admin/teams", &team(dup, "5", &[])).await;
        assert_eq!(page.status, Status::UnprocessableEntity, "{dup}");
        assert!(page.body.contains("Já existe um cadastro com este nome."), "{dup}");
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 1);

    // Renaming onto another team's name is refused too, and changes nothing.
    assert_eq!(app.post("/admin/teams", &team("Vendas", "10", &[])).await.status, Status::SeeOther);
    let vendas = team_id(&app, "Vendas");
    let clash = app.post(&format!("/admin/teams/{vendas}"), &team("sac", "10", &[&ana])).await;
    assert_eq!(clash.status, Status::UnprocessableEntity);
    assert_eq!(members_of(&app, vendas), "");

    let list = app.get("/admin/teams").await;
    assert!(list.body.contains(">SAC</a>") && list.body.contains(">Vendas</a>"));
    assert!(list.body.contains("sem limite"));
    let found = app.get("/admin/teams?q=vend").await;
    assert!(found.body.contains("Vendas") && !found.body.contains(">SAC</a>"));

    assert_eq!(app.get("/admin/teams/999999").await.status, Status::NotFound);
    assert_eq!(app.post("/admin/teams/999999", &team("X", "0", &[])).await.status, Status::NotFound);
    assert_eq!(app.post("/admin/teams/999999/delete", &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn members_are_saved_replaced_and_audited() {
    let app = admin().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await.to_string();
    let bia = app.add_user("agent", "bia", PASSWORD).await.to_string();
    let caio = app.add_user("agent", "caio", PASSWORD).await.to_string();
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    app.exec(&format!("UPDATE users SET active = 0 WHERE id = {caio}"));

    let form = app.get("/admin/teams/new").await;
    assert!(form.body.contains("ana Teste") && form.body.contains("chefe Teste"), "agents and admins offered");
    assert!(!form.body.contains("caio Teste"), "inactive users are not offered");
    let inactive = app.post("/admin/teams", &team("SAC", "0", &[&ana, &caio])).await;
    assert_eq!(inactive.status, Status::UnprocessableEntity);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 0);

    let chefe = chefe.to_string();
    assert_eq!(app.post("/admin/teams", &team("SAC", "20", &[&ana, &chefe, &ana])).await.status, Status::SeeOther);
    let sac = team_id(&app, "SAC");
    assert_eq!(members_of(&app, sac), "ana,chefe");
    let created: String = app.sql("SELECT details FROM audit_log WHERE action = 'team.create'");
    assert!(created.contains("ana Teste") && created.contains(r#""queue_limit":20"#), "{created}");
    let list = app.get("/admin/teams").await;
    assert!(list.body.contains("<td>2</td>"), "member count shown");

    // Saving replaces the member list; htmx saves answer with HX-Redirect.
    let token = app.csrf().await;
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend(team("SAC", "20", &[&bia]));
    fields.push(("require_tabulation", "true"));
    fields[2] = ("distribution", "manual");
    let response = app
        .client
        .post(format!("/admin/teams/{sac}"))
        .header(ContentType::Form)
        .header(Header::new("HX-Request", "true"))
        .body(encode(&fields))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.headers().get_one("HX-Redirect"), Some("/admin/teams"));
    assert_eq!(members_of(&app, sac), "bia");
    assert_eq!(app.sql::<String>(&format!("SELECT distribution FROM teams WHERE id = {sac}")), "manual");
    assert_eq!(app.sql::<i64>(&format!("SELECT require_tabulation FROM teams WHERE id = {sac}")), 1);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'team.update'");
    let audit: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(audit["before"]["members"], serde_json::json!(["ana Teste", "chefe Teste"]), "{details}");
    assert_eq!(audit["after"]["members"], serde_json::json!(["bia Teste"]), "{details}");
    assert_eq!(audit["before"]["distribution"], "auto");
    assert_eq!(audit["after"]["distribution"], "manual");
    assert_eq!(app.sql::<String>("SELECT target FROM audit_log WHERE action = 'team.update'"), format!("team:{sac}"));

    // A member deactivated later stays visible on the team page and may stay ticked.
    app.exec(&format!("UPDATE users SET active = 0 WHERE id = {bia}"));
    let page = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(page.body.contains("bia Teste") && page.body.contains(&format!(r#"value="{bia}" checked"#)));
    assert!(!page.body.contains("caio Teste"));
    let kept = app.post(&format!("/admin/teams/{sac}"), &team("SAC", "20", &[&bia])).await;
    assert_eq!(kept.status, Status::SeeOther, "{}", kept.body);
    assert_eq!(members_of(&app, sac), "bia");
    // … but one who never was a member cannot be added while inactive.
    let refused = app.post(&format!("/admin/teams/{sac}"), &team("SAC", "20", &[&bia, &caio])).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(members_of(&app, sac), "bia");

    // Emptying the list and deactivating the team.
    let empty = app
        .post(&format!("/admin/teams/{sac}"), &[("name", "SAC"), ("distribution", "auto"), ("queue_limit", "0")])
        .await;
    assert_eq!(empty.status, Status::SeeOther);
    assert_eq!(members_of(&app, sac), "");
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM teams WHERE id = {sac}")), 0, "unticked box means inactive");
}

#[rocket::async_test]
async fn delete_is_refused_while_the_team_has_members_or_tabulations() {
    let app = admin().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await.to_string();
    assert_eq!(app.post("/admin/teams", &team("SAC", "0", &[&ana])).await.status, Status::SeeOther);
    let sac = team_id(&app, "SAC");

    let refused = app.post(&format!("/admin/teams/{sac}/delete"), &[]).await;
    assert_eq!(refused.status, Status::Conflict);
    assert!(refused.body.contains("Esta equipe não pode ser excluída"), "{}", refused.body);
    assert!(refused.body.contains(r#"name="active" value="true" checked"#), "deactivation offered in the form");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 1);
    assert_eq!(members_of(&app, sac), "ana");

    assert_eq!(app.post(&format!("/admin/teams/{sac}"), &team("SAC", "0", &[])).await.status, Status::SeeOther);
    let sac_str = sac.to_string();
    assert_eq!(app.post("/admin/tabulations", &tabulation(&sac_str, "", "Boleto")).await.status, Status::SeeOther);
    let page = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(
        page.body.contains(&format!(r#"href="/admin/tabulations?team={sac}">1 motivo, nenhum submotivo</a>"#)),
        "{}",
        page.body
    );
    let still = app.post(&format!("/admin/teams/{sac}/delete"), &[]).await;
    assert_eq!(still.status, Status::Conflict, "tabulations keep the team");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM tabulations"), 1);

    let boleto = tabulation_id(&app, sac, "Boleto");
    assert_eq!(app.post(&format!("/admin/tabulations/{boleto}/delete"), &[]).await.status, Status::SeeOther);
    let deleted = app.post(&format!("/admin/teams/{sac}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 0);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'team.delete'");
    assert!(details.contains(r#""name":"SAC""#) && details.contains(r#""after":null"#), "{details}");
    assert_eq!(app.get(&format!("/admin/teams/{sac}")).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn tabulations_nest_per_team_and_refuse_duplicates_and_forged_parents() {
    let app = admin().await;
    for name in ["SAC", "Vendas"] {
        assert_eq!(app.post("/admin/teams", &team(name, "0", &[])).await.status, Status::SeeOther);
    }
    let (sac, vendas) = (team_id(&app, "SAC"), team_id(&app, "Vendas"));
    let (sac_s, vendas_s) = (sac.to_string(), vendas.to_string());

    let picker = app.get("/admin/tabulations").await;
    assert_eq!(picker.status, Status::Ok);
    assert!(picker.body.contains(&format!(r#"href="/admin/tabulations?team={vendas}""#)));
    assert_eq!(app.get("/admin/tabulations?team=999999").await.status, Status::NotFound);

    let created = app.post("/admin/tabulations", &tabulation(&sac_s, "", "Boleto")).await;
    assert_eq!(created.status, Status::SeeOther);
    assert_eq!(created.location, Some(format!("/admin/tabulations?team={sac}")));
    app.post("/admin/tabulations", &tabulation(&sac_s, "", "Pedido")).await;
    let (boleto, pedido) = (tabulation_id(&app, sac, "Boleto"), tabulation_id(&app, sac, "Pedido"));
    let (boleto_s, pedido_s) = (boleto.to_string(), pedido.to_string());
    for sub in ["Vencido", "2ª via"] {
        let page = app.post("/admin/tabulations", &tabulation(&sac_s, &boleto_s, sub)).await;
        assert_eq!(page.status, Status::SeeOther, "{sub}: {}", page.body);
    }
    let (via, vencido) = (tabulation_id(&app, sac, "2ª via"), tabulation_id(&app, sac, "Vencido"));
    assert_eq!(app.sql::<i64>(&format!("SELECT parent_id FROM tabulations WHERE id = {via}")), boleto);

    // Duplicates under the same parent are refused, case- and accent-insensitively.
    let dup = app.post("/admin/tabulations", &tabulation(&sac_s, "", "BOLETO")).await;
    assert_eq!(dup.status, Status::UnprocessableEntity);
    assert!(dup.body.contains("Já existe um cadastro com este nome."));
    assert!(dup.body.contains(r#"id="tab-new-name""#) && dup.body.contains(r#"value="BOLETO""#), "typed value kept");
    let dup_sub = app.post("/admin/tabulations", &tabulation(&sac_s, &boleto_s, "2ª VÍA")).await;
    assert_eq!(dup_sub.status, Status::UnprocessableEntity);
    assert!(dup_sub.body.contains(&format!(r#"id="tab-sub-{boleto}-error""#)), "error next to the right form");
    let empty = app.post("/admin/tabulations", &tabulation(&sac_s, &boleto_s, "  ")).await;
    assert!(empty.body.contains("Preencha este campo."));
    let long = "y".repeat(61);
    assert!(app.post("/admin/tabulations", &tabulation(&sac_s, "", &long)).await.body.contains("Texto longo demais."));
    // … but allowed under another parent, or in another team.
    assert_eq!(app.post("/admin/tabulations", &tabulation(&sac_s, &pedido_s, "2ª via")).await.status, Status::SeeOther);
    assert_eq!(app.post("/admin/tabulations", &tabulation(&vendas_s, "", "Boleto")).await.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM tabulations"), 6);

    // A parent from another team, a sub-reason as parent, or garbage: refused, not stored.
    let forged = app.post("/admin/tabulations", &tabulation(&vendas_s, &boleto_s, "Troca")).await;
    assert!(matches!(forged.status, Status::UnprocessableEntity | Status::NotFound), "{}", forged.status);
    let third_level = app.post("/admin/tabulations", &tabulation(&sac_s, &via.to_string(), "Troca")).await;
    assert_eq!(third_level.status, Status::UnprocessableEntity);
    assert!(third_level.body.contains("não é um motivo desta equipe"));
    assert_eq!(
        app.post("/admin/tabulations", &tabulation(&sac_s, "abc", "Troca")).await.status,
        Status::UnprocessableEntity
    );
    assert_eq!(
        app.post("/admin/tabulations", &tabulation(&sac_s, "999999", "Troca")).await.status,
        Status::UnprocessableEntity
    );
    assert_eq!(app.post("/admin/tabulations", &tabulation("999999", "", "Troca")).await.status, Status::NotFound);
    assert_eq!(app.post("/admin/tabulations", &tabulation("x", "", "Troca")).await.status, Status::NotFound);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM tabulations WHERE name = 'Troca'"), 0);

    // The page shows reasons with their sub-reasons nested inside.
    let page = app.get(&format!("/admin/tabulations?team={sac}")).await;
    let at = |id: i64| page.body.find(&format!(r#"id="tab-edit-{id}""#)).unwrap_or_else(|| panic!("{id} shown"));
    assert!(at(boleto) < at(via) && at(via) < at(vencido) && at(vencido) < at(pedido), "{}", page.body);
    let boleto_item = &page.body[at(boleto)..at(pedido)];
    assert_eq!(boleto_item.matches(r#"class="tab-sub""#).count(), 2);
    assert!(boleto_item.contains(&format!(r#"id="tab-sub-{boleto}""#)), "add-sub-reason form inside the reason");
    assert!(page.body.contains("e os seus 2 submotivos?"), "the confirmation says sub-reasons go too");
    assert!(
        !page.body.contains(&format!(r#"id="tab-edit-{}""#, tabulation_id(&app, vendas, "Boleto"))),
        "only this team"
    );

    // Rename and deactivate; renaming onto a sibling is refused.
    let renamed = app.post(&format!("/admin/tabulations/{via}"), &[("name", "Segunda via")]).await;
    assert_eq!(renamed.status, Status::SeeOther);
    assert_eq!(renamed.location, Some(format!("/admin/tabulations?team={sac}")));
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM tabulations WHERE id = {via}")), "Segunda via");
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM tabulations WHERE id = {via}")), 0);
    let clash = app.post(&format!("/admin/tabulations/{via}"), &[("name", "vencido"), ("active", "true")]).await;
    assert_eq!(clash.status, Status::UnprocessableEntity);
    assert!(clash.body.contains(&format!(r#"id="tab-edit-{via}-error""#)) && clash.body.contains(r#"value="vencido""#));
    assert_eq!(app.sql::<String>(&format!("SELECT name FROM tabulations WHERE id = {via}")), "Segunda via");
    let same = app.post(&format!("/admin/tabulations/{via}"), &[("name", "SEGUNDA VIA"), ("active", "true")]).await;
    assert_eq!(same.status, Status::SeeOther, "its own name in other letters is fine");
    let details: String =
        app.sql("SELECT details FROM audit_log WHERE action = 'tabulation.update' ORDER BY id LIMIT 1");
    assert!(details.contains("2ª via") && details.contains("Segunda via"), "{details}");
    assert_eq!(app.post("/admin/tabulations/999999", &[("name", "X")]).await.status, Status::NotFound);

    // htmx: saves redirect with HX-Redirect.
    let token = app.csrf().await;
    let response = app
        .client
        .post("/admin/tabulations")
        .header(ContentType::Form)
        .header(Header::new("HX-Request", "true"))
        .body(encode(&[("csrf_token", &token), ("team_id", &sac_s), ("parent_id", ""), ("name", "Elogio")]))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.headers().get_one("HX-Redirect"), Some(format!("/admin/tabulations?team={sac}").as_str()));

    // Deleting a reason deletes its sub-reasons.
    assert_eq!(app.post(&format!("/admin/tabulations/{boleto}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM tabulations WHERE id IN ({boleto}, {via}, {vencido})")),
        0
    );
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM tabulations WHERE team_id = {sac}")),
        3,
        "Pedido, its sub, Elogio"
    );
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'tabulation.delete'");
    assert!(details.contains("Boleto") && details.contains("Vencido"), "{details}");
    assert_eq!(app.post(&format!("/admin/tabulations/{boleto}/delete"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn a_tabulation_conversations_were_classified_with_is_deactivated_with_its_sub_reasons() {
    let app = admin().await;
    assert_eq!(app.post("/admin/teams", &team("SAC", "0", &[])).await.status, Status::SeeOther);
    let sac = team_id(&app, "SAC");
    let sac_s = sac.to_string();
    app.post("/admin/tabulations", &tabulation(&sac_s, "", "Boleto")).await;
    let boleto = tabulation_id(&app, sac, "Boleto");
    app.post("/admin/tabulations", &tabulation(&sac_s, &boleto.to_string(), "2ª via")).await;
    let via = tabulation_id(&app, sac, "2ª via");
    app.exec(&format!(
        "INSERT INTO channels (id, kind, name, key, created_at) VALUES (7, 'webchat', 'Site', 'k7', 0);
         INSERT INTO contacts (id, name, created_at, updated_at) VALUES (7, 'Maria', 0, 0);
         INSERT INTO conversations (id, protocol, channel_id, contact_id, team_id, status, opened_at, queued_at,
                                    last_message_at, closed_at)
           VALUES (7, 'WC1', 7, 7, {sac}, 'closed', 0, 0, 0, 1);
         INSERT INTO conversation_tabulations (conversation_id, tabulation_id, added_at) VALUES (7, {via}, 1);"
    ));

    let deleted = app.post(&format!("/admin/tabulations/{boleto}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(deleted.location, Some(format!("/admin/tabulations?team={sac}")));
    assert_eq!(
        app.sql::<String>(&format!("SELECT group_concat(active, ',') FROM tabulations WHERE team_id = {sac}")),
        "0,0",
        "the reason and its sub-reason kept for the reports, inactive"
    );
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'tabulation.deactivate'");
    assert!(details.contains("Boleto") && details.contains("2ª via"), "{details}");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'tabulation.delete'"), 0);
    let page = app.get(&format!("/admin/tabulations?team={sac}")).await;
    assert!(page.body.contains(&format!(r#"id="tab-edit-{via}""#)), "still on the page");
}

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("admin/teams/form.html", "/admin/teams/new", Status::Ok, "teams-members-hint").await;
    let ana: i64 = c.app.sql("SELECT id FROM users WHERE username = 'ana'");
    let saved = c.app.post("/admin/teams", &team("Pós-venda", "10", &[&ana.to_string()])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/teams/list.html", "/admin/teams", Status::Ok, "teams-new").await;
    let id = team_id(c.app, "Pós-venda");
    c.get("admin/teams/form.html", &format!("/admin/teams/{id}"), Status::Ok, "teams-content").await;
    c.get("admin/teams/form.html", &format!("/admin/teams/{id}"), Status::Ok, "teams-overflow-hint").await;
    // A full queue's notice on the overview, in the same language.
    c.app.exec(&format!(
        "INSERT INTO notifications (kind, team_id, details, created_at) VALUES ('queue_full', {id}, '{{\"limit\": 10}}', 0)"
    ));
    c.get("admin/index.html", "/admin", Status::Ok, "admin-notice-mark-read").await;
    let notice = c.app.get("/admin").await;
    let expected = atende::i18n::translate(c.lang, "admin-notices");
    assert!(notice.body.contains(&expected) && notice.body.contains("Pós-venda"), "{}", notice.body);
    c.app.exec("UPDATE notifications SET read_at = 0");
    c.get("admin/tabulations/list.html", "/admin/tabulations", Status::Ok, "tabulations-intro").await;
    let id_s = id.to_string();
    c.app.post("/admin/tabulations", &tabulation(&id_s, "", "Dúvida")).await;
    let reason = tabulation_id(c.app, id, "Dúvida").to_string();
    c.app.post("/admin/tabulations", &tabulation(&id_s, &reason, "Produto")).await;
    c.get(
        "admin/tabulations/list.html",
        &format!("/admin/tabulations?team={id}"),
        Status::Ok,
        "tabulations-new-sub-reason",
    )
    .await;
    let refused = c.app.post(&format!("/admin/teams/{id}/delete"), &[]).await;
    c.page("admin/teams/form.html", &refused, Status::Conflict, "teams-delete-refused");
}
