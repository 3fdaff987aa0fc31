//! The agent's live stream (`/agent/events`): it tells its reader of the conversations
//! they may see and of no other, and it follows a change of teams without reconnecting
//! (each stream keeps its reader's teams in memory and reloads them when they change).

use rocket::local::asynchronous::LocalResponse;

use crate::common::{App, PASSWORD};
use crate::internal_chat::stream_on;
use crate::monitoring::read_until;
use crate::workspace::{agent, channel, engine, inbound, team};

/// Everything the stream says until its reader's own next change (an agent event made
/// on purpose), so a test sees what came before it and nothing is left unread.
async fn said_until_own_change(app: &App, stream: &mut LocalResponse<'_>, user: i64) -> String {
    engine(app).go_online(user).await.expect("online");
    read_until(stream, r#""conversation_id":null"#).await
}

fn sac_form(members: &[&str]) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("name", "SAC".to_string()),
        ("distribution", "manual".into()),
        ("queue_limit", "0".into()),
        ("active", "true".into()),
    ];
    fields.extend(members.iter().map(|m| ("members", m.to_string())));
    fields
}

#[rocket::async_test]
async fn a_stream_tells_only_what_its_reader_may_see_and_follows_their_teams() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    let vendas = team(&app, "Vendas", "manual", &[bia_id]);
    let (site, loja) = (channel(&app, "site", sac), channel(&app, "loja", vendas));
    let mut ana_stream = stream_on(&app, &ana).await;
    let mut bia_stream = stream_on(&app, &bia).await;

    let first = inbound(&app, site, "maria", "Meu pedido não chegou").await;
    let told = read_until(&mut ana_stream, &format!(r#""conversation_id":{first}"#)).await;
    assert!(told.contains(r#""status":"waiting""#), "{told}");
    let said = said_until_own_change(&app, &mut bia_stream, bia_id).await;
    assert!(!said.contains(&format!(r#""conversation_id":{first}"#)), "another team's queue: {said}");

    // Bia joins SAC on its form: her open stream hears of its queue from then on.
    let (ana_s, bia_s) = (ana_id.to_string(), bia_id.to_string());
    let both = sac_form(&[&ana_s, &bia_s]);
    let both: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post(&format!("/admin/teams/{sac}"), &both).await.status, rocket::http::Status::SeeOther);
    let second = inbound(&app, site, "joao", "Quero trocar").await;
    read_until(&mut bia_stream, &format!(r#""conversation_id":{second}"#)).await;

    // And leaves it again: nothing more of SAC, while Vendas still reaches her.
    let ana_only = sac_form(&[&ana_s]);
    let ana_only: Vec<(&str, &str)> = ana_only.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post(&format!("/admin/teams/{sac}"), &ana_only).await.status, rocket::http::Status::SeeOther);
    let third = inbound(&app, site, "carla", "Boa tarde").await;
    let fourth = inbound(&app, loja, "pedro", "Tem desconto?").await;
    let said = said_until_own_change(&app, &mut bia_stream, bia_id).await;
    assert!(said.contains(&format!(r#""conversation_id":{fourth}"#)), "{said}");
    assert!(!said.contains(&format!(r#""conversation_id":{third}"#)), "SAC after leaving it: {said}");
    let told = said_until_own_change(&app, &mut ana_stream, ana_id).await;
    assert!(
        told.contains(&format!(r#""conversation_id":{third}"#))
            && !told.contains(&format!(r#""conversation_id":{fourth}"#))
    );
}
