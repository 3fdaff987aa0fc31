//! "Iniciar conversa" from a contact's page (F-AG-18): the agent chooses channel and
//! team; the conversation opens with them; a contact served by someone else on that
//! channel, a channel that cannot write first, or a team the agent is not in is
//! refused with "Não tem permissão" and the reason.

use atende::db::channels::{insert_channel, ChannelFields};
use atende::domain::channel_kind::ChannelKind;
use rocket::http::Status;

use crate::common::App;
use crate::workspace::{agent, team};

fn channel(app: &App, kind: ChannelKind, name: &str, team: i64, config: serde_json::Value) -> i64 {
    let fields = ChannelFields {
        kind,
        name: name.into(),
        key: format!("key-{name}"),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config,
    };
    app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel")
}

fn contact(app: &App, name: &str, phone: &str, email: &str) -> i64 {
    app.exec(&format!(
        "INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES ('{name}', '{email}', '{phone}', 0, 0)"
    ));
    app.sql(&format!("SELECT id FROM contacts WHERE name = '{name}'"))
}

#[rocket::async_test]
async fn an_agent_starts_a_conversation_and_a_colleague_is_told_who_has_it() {
    let app = App::without_jobs().await;
    let (ana_app, ana) = agent(&app, "ana").await;
    let (bia_app, bia) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana, bia]);
    let vendas = team(&app, "Vendas", "manual", &[bia]);
    let wa = channel(&app, ChannelKind::WhatsApp, "WhatsApp", sac, serde_json::json!({}));
    let tg = channel(&app, ChannelKind::Telegram, "Bot", sac, serde_json::json!({}));
    let quiet = channel(&app, ChannelKind::Email, "Avisos", sac, serde_json::json!({"receptive_only": true}));
    let maria = contact(&app, "Maria", "5511987654321", "");

    let card = ana_app.get(&format!("/agent/contacts/{maria}/start")).await;
    assert_eq!(card.status, Status::Ok);
    assert!(card.body.contains("Iniciar conversa") && card.body.contains("WhatsApp"), "{}", card.body);
    assert!(!card.body.contains("Avisos"), "a receptive-only channel is not offered");
    assert!(card.body.contains("ainda não escreveu"), "no identity yet");

    // Two agents at once: one conversation, held by whoever came first.
    let wa_s = wa.to_string();
    let sac_s = sac.to_string();
    let form = [("channel_id", wa_s.as_str()), ("team_id", sac_s.as_str())];
    let path = format!("/agent/contacts/{maria}/start");
    let (a, b) = rocket::tokio::join!(ana_app.post(&path, &form), bia_app.post(&path, &form));
    let conversations: i64 = app.sql("SELECT count(*) FROM conversations");
    assert_eq!(conversations, 1);
    let holder: i64 = app.sql("SELECT agent_id FROM conversations");
    let (won, lost, loser_page) = if holder == ana { (a, b, "bia") } else { (b, a, "ana") };
    let id: i64 = app.sql("SELECT id FROM conversations");
    assert_eq!(won.status, Status::SeeOther);
    assert_eq!(won.location, Some(format!("/agent/conversations/{id}")));
    assert_eq!(lost.status, Status::Forbidden, "{loser_page}: {}", lost.body);
    let holder_name = if holder == ana { "ana Teste" } else { "bia Teste" };
    assert!(
        lost.body
            .contains(&format!("Não tem permissão: o contato já está em atendimento com {holder_name} neste canal.")),
        "{}",
        lost.body
    );
    let (status, protocol): (String, String) =
        app.rows("SELECT status, protocol FROM conversations").into_iter().next().unwrap();
    assert_eq!(status, "active");
    assert!(protocol.starts_with("WA"), "{protocol}");
    let identity: String = app.sql(&format!("SELECT external_id FROM contact_identities WHERE contact_id = {maria}"));
    assert_eq!(identity, "5511987654321", "reached by the number, which is the wa_id");
    let started: i64 = app.sql(&format!("SELECT count(*) FROM messages WHERE body = 'started:{holder}'"));
    assert_eq!(started, 1);
    // Starting again is opening what one holds already.
    let again = if holder == ana { ana_app.post(&path, &form).await } else { bia_app.post(&path, &form).await };
    assert_eq!(again.location, Some(format!("/agent/conversations/{id}")));

    // Telegram cannot write first; a receptive-only channel and another's team refuse.
    let tg_s = tg.to_string();
    let telegram = ana_app.post(&path, &[("channel_id", tg_s.as_str()), ("team_id", sac_s.as_str())]).await;
    assert!(telegram.body.contains("no Telegram o cliente precisa escrever primeiro"), "{}", telegram.body);
    let quiet_s = quiet.to_string();
    let receptive = ana_app.post(&path, &[("channel_id", quiet_s.as_str()), ("team_id", sac_s.as_str())]).await;
    assert!(receptive.body.contains("somente receptivo"));
    let joao = contact(&app, "João", "", "joao@cliente.test");
    let vendas_s = vendas.to_string();
    let not_mine = ana_app
        .post(
            &format!("/agent/contacts/{joao}/start"),
            &[("channel_id", wa_s.as_str()), ("team_id", vendas_s.as_str())],
        )
        .await;
    assert_eq!(not_mine.status, Status::Forbidden);
    assert!(not_mine.body.contains("você não faz parte desta equipe"));
    let no_phone = ana_app
        .post(&format!("/agent/contacts/{joao}/start"), &[("channel_id", wa_s.as_str()), ("team_id", sac_s.as_str())])
        .await;
    assert!(no_phone.body.contains("o contato não tem telefone"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 1, "refusals open nothing");

    // Without the form's token nothing starts.
    let forged = ana_app.post_raw(&path, &format!("channel_id={wa}&team_id={sac}")).await;
    assert_eq!(forged.status, Status::Forbidden);

    // The contact's page now lists the number on WhatsApp.
    let card = ana_app.get(&format!("/agent/contacts/{maria}/start")).await;
    assert!(card.body.contains("5511987654321"));
}

#[rocket::async_test]
async fn the_channel_rail_opens_each_channels_contacts_searchable_by_number() {
    let app = App::without_jobs().await;
    let (ana_app, ana) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let wa = channel(&app, ChannelKind::WhatsApp, "WhatsApp Loja", sac, serde_json::json!({}));
    let off = channel(&app, ChannelKind::Telegram, "Bot antigo", sac, serde_json::json!({}));
    app.exec(&format!("UPDATE channels SET active = 0 WHERE id = {off}"));
    for (name, number) in [("Maria", "5511987654321"), ("José", "5521912345678")] {
        let id = contact(&app, name, number, "");
        app.exec(&format!(
            "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES ({wa}, '{number}', {id}, 0)"
        ));
    }
    let rail = ana_app.get("/agent/channels").await;
    assert_eq!(rail.status, Status::Ok);
    assert!(rail.body.contains(&format!("/agent/channels/{wa}/contacts")));
    assert!(rail.body.contains("Contatos de WhatsApp Loja"));
    assert!(!rail.body.contains("Bot antigo"), "inactive channels have no icon");

    let all = ana_app.get(&format!("/agent/channels/{wa}/contacts")).await;
    assert!(all.body.contains("Maria") && all.body.contains("José"), "{}", all.body);
    let found = ana_app.get(&format!("/agent/channels/{wa}/contacts?q=98765")).await;
    assert!(found.body.contains("Maria") && !found.body.contains("José"));
    assert_eq!(ana_app.get("/agent/channels/99999/contacts").await.status, Status::NotFound);
    let anonymous = app.other_browser().await.get("/agent/channels").await;
    assert_ne!(anonymous.status, Status::Ok, "signed-in floor members only");
}
