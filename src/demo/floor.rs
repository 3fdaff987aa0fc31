//! The demo floor: conversations in every state, so the workspace is not empty.

use super::PEOPLE;
use crate::domain::channel_kind::ChannelKind;

/// Conversations on the demo floor: closed ones with history, some waiting in the
/// queues, some in service and one pending, so the workspace is not empty. Runs once,
/// right after `seed` created the company.
pub async fn fill_floor(engine: &crate::engine::Engine) -> crate::engine::EngineResult<()> {
    use crate::engine::ingest::{Inbound, Ingested};
    use crate::engine::service::Agent;

    let (channel, ids) = engine
        .db
        .read(|c| {
            let channel = crate::db::channels::channel_by_key(c, ChannelKind::WebChat, "demo")?.map(|ch| ch.id);
            let mut ids = Vec::new();
            for (_, username, ..) in PEOPLE {
                ids.push(c.query_row("SELECT id FROM users WHERE username = ?1", [username], |r| r.get::<_, i64>(0))?);
            }
            Ok((channel, ids))
        })
        .await?;
    let Some(channel) = channel else { return Ok(()) };
    let agent = |i: usize| Agent { user_id: ids[i], supervisor: false };
    let (ana, bruno, carla) = (agent(1), agent(2), agent(3));
    let team = |name: &'static str| {
        let db = engine.db.clone();
        async move {
            db.read(move |c| Ok(c.query_row("SELECT id FROM teams WHERE name = ?1", [name], |r| r.get::<_, i64>(0))?))
                .await
        }
    };
    let (sac, vendas, financeiro) = (team("SAC").await?, team("Vendas").await?, team("Financeiro").await?);
    let say = |who: &str, email: &str, text: &str| Inbound {
        channel_id: channel,
        contact_key: format!("visitor:demo-{}", who.to_lowercase().replace(' ', "-")),
        contact_name: who.to_string(),
        contact_email: email.to_string(),
        contact_phone: String::new(),
        external_id: None,
        body: text.to_string(),
        ..Default::default()
    };
    // The customer greets and meets the bot: their name, their CPF, the menu's option
    // (which hands the conversation to its team), then what they came for. Without a
    // flow, the greeting and the question wait in the channel's queue.
    let open = |inbound: Inbound, cpf: &'static str, option: &'static str| async move {
        let hello = Inbound { body: "Olá!".into(), ..inbound.clone() };
        let Ingested::Stored { conversation_id, .. } = engine.ingest(hello).await? else {
            return Err(crate::engine::EngineError::Invalid("floor-bad-channel"));
        };
        for answer in [inbound.contact_name.as_str(), cpf, option] {
            let in_bot = engine
                .db
                .read(move |c| {
                    let sql = "SELECT status = 'bot' FROM conversations WHERE id = ?1";
                    Ok(c.query_row(sql, [conversation_id], |r| r.get::<_, bool>(0))?)
                })
                .await?;
            if in_bot {
                engine.ingest(Inbound { body: answer.to_string(), ..inbound.clone() }).await?;
            }
        }
        engine.ingest(inbound).await?;
        Ok(conversation_id)
    };

    // Yesterday's work: closed, classified.
    let closed = [
        (
            &ana,
            sac,
            "Mariana Alves",
            "mariana@exemplo.com",
            "Meu pedido chegou com a caixa amassada.",
            "Sinto muito, Mariana! Vou abrir a troca agora mesmo.",
            "Produto com defeito",
            ("123.456.789-09", "Suporte"),
        ),
        (
            &bruno,
            vendas,
            "Rafael Costa",
            "rafael@exemplo.com",
            "Vocês fazem orçamento para empresa?",
            "Fazemos sim! Me passe o CNPJ e a lista de itens.",
            "Empresa",
            ("987.654.321-00", "1"),
        ),
        (
            &carla,
            financeiro,
            "Juliana Prado",
            "",
            "Preciso da segunda via do boleto.",
            "Enviei para o seu e-mail cadastrado. Algo mais?",
            "Segunda via de boleto",
            ("111.444.777-35", "Financeiro"),
        ),
    ];
    for (agent, team_id, who, email, question, answer, reason, (cpf, option)) in closed {
        let c = open(say(who, email, question), cpf, option).await?;
        engine.transfer(&Agent { user_id: ids[0], supervisor: true }, c, team_id, Some(agent.user_id), "").await?;
        engine.reply(agent, c, answer, false).await?;
        let tabulation = engine
            .db
            .read(move |db| {
                Ok(db.query_row(
                    "SELECT id FROM tabulations WHERE team_id = ?1 AND name = ?2",
                    rusqlite::params![team_id, reason],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await?;
        engine.classify(agent, c, tabulation).await?;
        engine.close(agent, c, "").await?;
    }

    // In service now.
    let c1 = open(
        say("Pedro Henrique", "pedro@exemplo.com", "Oi! O produto X é compatível com o modelo Y?"),
        "390.533.447-05",
        "3",
    )
    .await?;
    engine.take(&ana, c1).await?;
    engine.reply(&ana, c1, "Olá, Pedro! Aqui é a Ana. Vou verificar a compatibilidade para você.", false).await?;
    engine.reply(&ana, c1, "Cliente já comprou conosco em março.", true).await?;
    let c2 =
        open(say("Luciana Freitas", "", "Qual o prazo de entrega para Curitiba?"), "246.813.579-28", "vendas").await?;
    engine.take(&ana, c2).await?;
    let c3 = open(
        say("Fernando Dias", "fernando@exemplo.com", "Quero negociar uma parcela atrasada."),
        "135.792.468-28",
        "2",
    )
    .await?;
    engine
        .transfer(
            &Agent { user_id: ids[0], supervisor: true },
            c3,
            financeiro,
            Some(carla.user_id),
            "Cliente do plano Empresarial",
        )
        .await?;
    engine.reply(&carla, c3, "Claro, Fernando. Pode me informar o CPF do titular?", false).await?;
    // Waiting for the customer.
    let c4 = open(
        say("Beatriz Nunes", "beatriz@exemplo.com", "Vou ver o número do pedido e já volto."),
        "864.209.753-10",
        "Suporte",
    )
    .await?;
    engine.take(&ana, c4).await?;
    engine.reply(&ana, c4, "Sem problemas, Beatriz! Fico no aguardo.", false).await?;
    engine.set_pending(&ana, c4).await?;
    // In the queues.
    open(say("Gustavo Ramos", "", "Boa tarde, preciso de ajuda com a garantia."), "417.265.930-61", "3").await?;
    open(
        say("Camila Rocha", "camila@exemplo.com", "O site está dando erro no pagamento."),
        "752.194.806-85",
        "suporte",
    )
    .await?;
    open(say("Thiago Martins", "", "Vocês entregam no interior de SP?"), "318.642.975-73", "Vendas").await?;
    engine.deliver_due().await?;

    // Spread the times so the floor looks lived in: yesterday's work, minutes of waiting.
    engine
        .db
        .write(|tx| {
            let day = 86_400_000i64;
            tx.execute_batch(&format!(
                "UPDATE conversations SET opened_at = opened_at - {day}, queued_at = queued_at - {day},
                        last_message_at = last_message_at - {day}, closed_at = closed_at - {day} + 600000
                 WHERE status = 'closed';
                 UPDATE messages SET created_at = created_at - {day}
                 WHERE conversation_id IN (SELECT id FROM conversations WHERE status = 'closed');
                 UPDATE conversations SET queued_at = queued_at - (id % 7 + 2) * 60000,
                        last_message_at = last_message_at - (id % 5 + 1) * 60000
                 WHERE status != 'closed';
                 UPDATE contacts SET phone = '551198765' || printf('%04d', 4300 + id);"
            ))?;
            Ok(())
        })
        .await?;
    Ok(())
}
