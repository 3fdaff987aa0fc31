//! "🔀" in the pane's header (F-AG-16): the contact's other open conversations, each
//! linked when the viewer may open it; one of a team the viewer does not follow is only
//! counted — never its protocol, never what was said in it.

use atende::engine::service::Agent;
use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_reasons::grant;
use crate::workspace::{agent, channel, engine, inbound, team};

#[rocket::async_test]
async fn the_pane_lists_the_contact_s_other_open_conversations_as_the_viewer_may_see_them() {
    let app = crate::common::App::without_jobs().await;
    let (ana_app, ana) = agent(&app, "ana").await;
    let (bia_app, bia) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let vendas = team(&app, "Vendas", "manual", &[bia]);
    let (site, chat, loja) = (channel(&app, "site", sac), channel(&app, "chat", sac), channel(&app, "loja", vendas));
    let first = inbound(&app, site, "joao", "Meu pedido não chegou").await;
    let elsewhere = inbound(&app, loja, "joao-loja", "Segredo da compra na loja").await;
    let again = inbound(&app, chat, "joao-2", "Outro assunto").await;
    let closed = inbound(&app, site, "joao-3", "Já resolvido").await;
    // One person on every channel: the same contact (one open conversation a channel).
    app.exec(&format!(
        "UPDATE conversations SET status = 'closed', closed_at = 1 WHERE id = {closed};
         UPDATE conversations SET contact_id = (SELECT contact_id FROM conversations WHERE id = {first})
           WHERE id IN ({elsewhere}, {again}, {closed});"
    ));
    // All three opened in one millisecond, as on a busy floor: order is by id then.
    app.exec(&format!(
        "UPDATE conversations SET opened_at = (SELECT opened_at FROM conversations WHERE id = {first})
           WHERE id IN ({elsewhere}, {again})"
    ));
    engine(&app).take(&Agent { user_id: ana, supervisor: false }, first).await.unwrap();
    let protocol = |id: i64| app.sql::<String>(&format!("SELECT protocol FROM conversations WHERE id = {id}"));

    let pane = ana_app.get(&format!("/agent/conversations/{first}/pane")).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains("🔀 2</summary>"), "two others open, the closed one not: {}", pane.body);
    assert!(pane.body.contains(&format!("<a href=\"/agent/conversations/{again}\">")), "SAC's other opens");
    assert!(pane.body.contains(&protocol(again)));
    assert!(!pane.body.contains(&protocol(elsewhere)), "Vendas' protocol is not Ana's to know: {}", pane.body);
    assert!(!pane.body.contains(&format!("/agent/conversations/{elsewhere}\"")));
    assert!(!pane.body.contains("Segredo da compra"));
    assert!(pane.body.contains("Mais 1 em uma equipe que você não acompanha."));
    assert!(!pane.body.contains(&protocol(closed)));
    assert!(!pane.body.contains("<option value=\"WC"), "nothing opened before the first: {}", pane.body);

    // "Vincular a protocolo anterior" offers the earlier ones she may see: SAC's, never Vendas'.
    engine(&app).take(&Agent { user_id: ana, supervisor: false }, again).await.unwrap();
    let later = ana_app.get(&format!("/agent/conversations/{again}/pane")).await;
    assert!(later.body.contains(&format!("<option value=\"{}\">", protocol(first))), "{}", later.body);
    assert!(!later.body.contains(&protocol(elsewhere)), "Vendas' protocol is not offered to Ana");

    // Bia of Vendas, on her own conversation: both of SAC counted, none shown.
    let hers = bia_app.get(&format!("/agent/conversations/{elsewhere}/pane")).await;
    assert_eq!(hers.status, Status::Ok);
    assert!(hers.body.contains("🔀 2</summary>") && hers.body.contains("Mais 2 em equipes que você não acompanha."));
    assert!(!hers.body.contains(&protocol(first)) && !hers.body.contains(&protocol(again)));
    assert!(!hers.body.contains("Meu pedido não chegou") && !hers.body.contains("Outro assunto"));
    // And the link she does not get stays closed to her.
    assert_eq!(bia_app.get(&format!("/agent/conversations/{again}/pane")).await.status, Status::NotFound);

    // A supervisor of the whole floor is linked to every one.
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    grant(&app, chefe, &["monitoring:view"]);
    app.sign_in("chefe", PASSWORD).await;
    let all = app.get(&format!("/agent/conversations/{first}/pane")).await;
    assert_eq!(all.status, Status::Ok);
    for id in [elsewhere, again] {
        assert!(all.body.contains(&format!("<a href=\"/agent/conversations/{id}\">")), "{id}");
    }
    assert!(!all.body.contains("que você não acompanha"));

    // Without other open conversations there is no button.
    let alone = ana_app.get(&format!("/agent/conversations/{first}/pane")).await;
    app.exec(&format!("UPDATE conversations SET status = 'closed', closed_at = 2 WHERE id IN ({elsewhere}, {again})"));
    let after = ana_app.get(&format!("/agent/conversations/{first}/pane")).await;
    assert!(alone.body.contains("🔀") && !after.body.contains("🔀"));
}
