//! "Histórico por protocolo" (F-RE-6): conversations are linked to a demand when the
//! customer quotes an earlier protocol of their own and when an agent links one in the
//! pane — never to another contact's; the page lists the demand in time order and the
//! PDF holds a cover and every transcript; its own permission, and an audited export.

use atende::engine::ingest::Ingested;
use atende::engine::service::Agent;
use rocket::http::Status;

use crate::common::{visitor_message, PASSWORD};
use crate::reports_fixture::company;
use crate::reports_pdf::{keep, pdf_text};
use crate::workspace::engine;

async fn message(app: &crate::common::App, who: &str, body: &str) -> i64 {
    match engine(app).ingest(visitor_message(1, who, who, body)).await.unwrap() {
        Ingested::Stored { conversation_id, .. } => conversation_id,
        other => panic!("{other:?}"),
    }
}

#[rocket::async_test]
async fn a_demand_is_linked_by_quoting_and_by_the_agent_and_printed_whole() {
    let co = company().await;
    let app = &co.app;
    let protocol = |id: i64| app.sql::<String>(&format!("SELECT protocol FROM conversations WHERE id = {id}"));
    let ana = Agent { user_id: co.ana, supervisor: false };
    let first = protocol(co.maria);

    // Maria quotes her earlier protocol, in lower case inside a sentence: linked.
    let second =
        message(app, "Maria Souza", &format!("Sobre o protocolo {}, ainda não recebi a ação.", first.to_lowercase()))
            .await;
    let demand =
        |id: i64| app.sql::<i64>(&format!("SELECT demand_id FROM protocol_links WHERE conversation_id = {id}"));
    assert_eq!(demand(second), co.maria);
    engine(app).take(&ana, second).await.unwrap();
    engine(app).reply(&ana, second, "Já verifiquei: o boleto foi reemitido.", false).await.unwrap();
    engine(app).close(&ana, second, "").await.unwrap();

    // João quotes Maria's protocol: not his, nothing linked.
    let joao = message(app, "João Lima", &format!("Meu protocolo é {first}")).await;
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM protocol_links WHERE conversation_id = {joao}")), 0);

    // The agent links Maria's third conversation to the second protocol in the pane.
    let third = message(app, "Maria Souza", "Outra dúvida, ¿dónde está la factura?").await;
    engine(app).take(&ana, third).await.unwrap();
    engine(app).take(&ana, joao).await.unwrap();
    app.sign_in("ana", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{third}")).await;
    assert!(pane.body.contains("Vincular a protocolo anterior") && pane.body.contains(&protocol(second)));
    let linked = app.post(&format!("/agent/conversations/{third}/link"), &[("protocol", &protocol(second))]).await;
    assert_eq!(linked.status, Status::SeeOther, "{}", linked.body);
    assert_eq!(demand(third), co.maria, "stored against the demand's first conversation");
    let pane = app.get(&format!("/agent/conversations/{third}")).await;
    assert!(
        pane.body.contains(&format!("Vinculado ao protocolo anterior {} por ana Teste.", protocol(second))),
        "{}",
        pane.body
    );
    // Not to another contact's protocol.
    let refused = app.post(&format!("/agent/conversations/{joao}/link"), &[("protocol", &first)]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Escolha um protocolo anterior deste mesmo contato."));
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM protocol_links WHERE conversation_id = {joao}")), 0);
    // Agents do not open the report.
    assert_eq!(app.get(&format!("/reports/protocol?protocol={first}")).await.status, Status::Forbidden);
    assert_eq!(app.download(&format!("/reports/protocol/pdf?protocol={first}")).await.0, Status::Forbidden);
    app.logout().await;

    // A manager without the grant does not either; with it, from any of its protocols.
    app.sign_in("gerente", PASSWORD).await;
    assert_eq!(app.get("/reports/protocol").await.status, Status::Forbidden);
    app.exec("UPDATE permission_groups SET permissions = '[\"reports:view\",\"reports-protocol:view\"]' WHERE id = 50");
    assert!(app.get("/reports").await.body.contains(r#"href="/reports/protocol""#));
    let page = app.get(&format!("/reports/protocol?protocol={}", protocol(third))).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("3 atendimentos na demanda"), "{}", page.body);
    let order: Vec<usize> = [co.maria, second, third]
        .iter()
        .map(|id| page.body.find(&format!(r#"<a href="/reports/history/{id}">"#)).expect("listed"))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in time order: {order:?}");
    assert!(!page.body.contains(&format!("/reports/history/{joao}\"")));
    let bad = app.get("/reports/protocol?protocol=abc").await;
    assert!(bad.body.contains("Digite um protocolo: duas letras do canal e 11 números"));
    let unknown = app.get("/reports/protocol?protocol=WC99999999999").await;
    assert!(unknown.body.contains("Nenhum atendimento com este protocolo."));
    assert_eq!(app.download("/reports/protocol/pdf?protocol=WC99999999999").await.0, Status::NotFound);

    let (status, kind, disposition, bytes) =
        app.download(&format!("/reports/protocol/pdf?protocol={}", protocol(third))).await;
    assert_eq!((status, kind.as_str()), (Status::Ok, "application/pdf"));
    assert_eq!(disposition, format!("attachment; filename=\"historico-{}.pdf\"", protocol(third)));
    keep("protocolo.pdf", &bytes);
    let flat = pdf_text(&bytes).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        format!("Histórico do protocolo {}", protocol(third)),
        "Maria Souza · +55 11 98765-4321 · maria@cliente.test".into(),
        "3 atendimentos na demanda".into(),
        "Chat do site · Site".into(),
        format!("Atendimento {first}"),
        format!("Atendimento {}", protocol(second)),
        format!("Atendimento {}", protocol(third)),
        "Preciso da segunda via do boleto".into(),
        format!("Sobre o protocolo {}, ainda não recebi a ação.", first.to_lowercase()),
        "Já verifiquei: o boleto foi reemitido.".into(),
        "Outra dúvida, ¿dónde está la factura?".into(),
        format!("Vinculado ao protocolo anterior {first}"),
        "Primeiro contato".into(),
        "Última resposta".into(),
    ] {
        assert!(flat.contains(&expected), "{expected:?} in {flat}");
    }
    assert!(!flat.contains(&format!("Atendimento {}", protocol(joao))));
    assert!(!flat.contains("Automaticamente"), "the open conversation names no one who closed it");
    let audit: String = app.sql("SELECT details FROM audit_log WHERE action = 'report.protocol-export'");
    assert_eq!(audit, format!(r#"{{"conversations":3,"protocol":"{}"}}"#, protocol(third)));
}
