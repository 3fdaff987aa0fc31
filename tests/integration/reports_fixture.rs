//! A company with closed conversations for the reports' tests: two teams (SAC, Vendas)
//! on two web chat channels, an agent in each, a manager whose group grants the
//! reports, and conversations closed on known days of March 2026 in São Paulo.

use atende::domain::clock::{day_start_ms, DEFAULT_ZONE};
use atende::engine::ingest::Ingested;
use atende::engine::service::Agent;
use atende::engine::Engine;

use crate::common::{visitor_message, App, PASSWORD};

pub const MARCH: &str = "from=2026-03-01&until=2026-03-31";

pub struct Company {
    pub app: App,
    pub ana: i64,
    pub bia: i64,
    pub gerente: i64,
    /// Maria (SAC, ana, Financeiro › Boleto, VIP, score 5), closed 2026-03-02 12:00.
    pub maria: i64,
    /// João (SAC, ana, Logística, score 2), closed 2026-03-10 at 23:30.
    pub joao: i64,
    /// Carla (Vendas, bia), closed 2026-03-20 15:00.
    pub carla: i64,
    pub financeiro: i64,
    pub boleto: i64,
    pub vip: i64,
}

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// An instant of a São Paulo day: `day` at `hh:mm`.
pub fn local(day: &str, hh: i64, mm: i64) -> i64 {
    day_start_ms(day, DEFAULT_ZONE).unwrap() + (hh * 60 + mm) * 60_000
}

/// A conversation of `who` on `channel` with `messages` from the contact, taken, answered
/// and closed by `agent`, then moved to close at `closed_at` (opened 30 minutes before,
/// taken after 1 and answered after 2).
pub async fn closed(app: &App, channel: i64, who: &str, messages: &[&str], agent: i64, closed_at: i64) -> i64 {
    let Ingested::Stored { conversation_id: id, .. } =
        engine(app).ingest(visitor_message(channel, who, who, messages[0])).await.unwrap()
    else {
        panic!("stored")
    };
    for body in &messages[1..] {
        engine(app).ingest(visitor_message(channel, who, who, body)).await.unwrap();
    }
    let agent = Agent { user_id: agent, supervisor: false };
    engine(app).take(&agent, id).await.unwrap();
    engine(app).close(&agent, id, "").await.unwrap();
    let opened = closed_at - 30 * 60_000;
    app.exec(&format!(
        "UPDATE conversations SET opened_at = {opened}, queued_at = {opened}, first_queued_at = {opened}, assigned_at = {opened} + 60000,
           first_response_at = {opened} + 120000, closed_at = {closed_at} WHERE id = {id}"
    ));
    id
}

pub async fn company() -> Company {
    company_with(|_| {}).await
}

/// The company on an app whose configuration the test adjusts first.
pub async fn company_with(adjust: impl FnOnce(&mut atende::config::Config)) -> Company {
    let app = App::with_config(adjust).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let bia = app.add_user("agent", "bia", PASSWORD).await;
    let gerente = app.add_user("admin", "gerente", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0), (2, 'Vendas', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (1, {ana}), (2, {bia});
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at)
           VALUES (1, 'webchat', 'Site', 'site', 1, 0), (2, 'webchat', 'Loja', 'loja', 2, 0);
         UPDATE users SET history_scope = 'own';
         DELETE FROM user_groups WHERE user_id = {gerente};
         INSERT INTO permission_groups (id, name, permissions, created_at) VALUES (50, 'Gestão', '[\"reports:view\"]', 0);
         INSERT INTO user_groups (user_id, group_id) VALUES ({gerente}, 50);
         INSERT INTO tabulations (id, team_id, parent_id, name) VALUES (10, 1, NULL, 'Financeiro'), (11, 1, 10, 'Boleto'),
           (12, 1, NULL, 'Logística');
         INSERT INTO tags (id, team_id, name) VALUES (20, NULL, 'VIP');"
    ));
    let maria =
        closed(&app, 1, "Maria Souza", &["Preciso da segunda via do boleto"], ana, local("2026-03-02", 12, 0)).await;
    let joao = closed(&app, 1, "João Lima", &["A entrega atrasou"], ana, local("2026-03-10", 23, 30)).await;
    let carla = closed(&app, 2, "Carla Dias", &["Quero comprar à vista"], bia, local("2026-03-20", 15, 0)).await;
    app.exec(&format!(
        "UPDATE contacts SET phone = '5511987654321', email = 'maria@cliente.test' WHERE name = 'Maria Souza';
         UPDATE contacts SET phone = '551133334444' WHERE name = 'João Lima';
         INSERT INTO conversation_tabulations (conversation_id, tabulation_id, added_at) VALUES ({maria}, 11, 0), ({joao}, 12, 0);
         INSERT INTO conversation_tags (conversation_id, tag_id) VALUES ({maria}, 20);
         INSERT INTO survey_answers (conversation_id, score, comment, answered_at) VALUES ({maria}, 5, 'Ótimo!', 0), ({joao}, 2, '', 0);"
    ));
    Company { app, ana, bia, gerente, maria, joao, carla, financeiro: 10, boleto: 11, vip: 20 }
}

/// The conversation ids a report page lists, in order.
pub fn listed(body: &str) -> Vec<i64> {
    let re = regex_lite::Regex::new(r#"<a href="/reports/history/(\d+)(?:#m\d+)?">[A-Z]{2}\d+</a>"#).unwrap();
    re.captures_iter(body).map(|c| c[1].parse().unwrap()).collect()
}
