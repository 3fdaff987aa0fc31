//! The demo's bot flow, "Atendimento Loja Demo": greets, knows the store's hours, asks
//! the name and the CPF, offers the menu and looks an order up over the HTTP block
//! against the demo's own `/demo/orders/<n>`. Added once, published and set on every
//! demo channel; at every start its HTTP block is pointed at this run's address (a
//! new version only when the address changed), the way the demo channels are.

use serde_json::json;

use crate::db::contact_fields::{self, ContactFieldFields};
use crate::db::flows::{self, FlowFields};
use crate::db::{Db, DbResult};
use crate::domain::flow::{checks, BlockKind, Definition};

pub const FLOW_NAME: &str = "Atendimento Loja Demo";
/// The HTTP block, found again at every start to take this run's address.
const LOOKUP: &str = "consulta";
/// The channels the flow starts on: the shop's web chat and the three simulated ones.
const CHANNEL_KEYS: [&str; 4] =
    ["demo", super::channels::WHATSAPP_KEY, super::channels::TELEGRAM_KEY, super::channels::EMAIL_KEY];
/// Contact fields the flow fills: the order asked and what the lookup answered.
const FIELDS: [&str; 4] = ["Pedido", "Status do pedido", "Itens do pedido", "Previsão de entrega"];

fn lookup_url(local_url: &str) -> String {
    format!("{local_url}/demo/orders/{{{{Pedido}}}}")
}

fn id_of(tx: &rusqlite::Transaction, sql: &str, name: &str) -> DbResult<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(tx.query_row(sql, [name], |r| r.get(0)).optional()?)
}

/// The flow's definition for the demo company's teams and hours.
fn definition(teams: [i64; 3], hours: i64, local_url: &str) -> Definition {
    let [sac, vendas, financeiro] = teams;
    let hello = "Olá! Sou a assistente virtual da Loja Demo.";
    let to_team = |id: &str, text: &str, next: &str| json!({"id": id, "name": format!("Aviso {next}"), "type": "message", "text": text, "next": next});
    let value = json!({
        "start": "horario",
        "blocks": [
            {"id": "horario", "name": "Horário comercial", "type": "schedule", "group_id": hours,
             "open": "ola", "closed": "ola-fechado", "holiday": "ola-feriado"},
            {"id": "ola", "name": "Boas-vindas", "type": "message", "next": "nome",
             "text": format!("{hello} Vou adiantar seu atendimento e, se precisar, chamo alguém da equipe.")},
            {"id": "ola-fechado", "name": "Fora do horário", "type": "message", "next": "nome",
             "text": format!("{hello} Nossa equipe atende de segunda a sexta, das 8h às 18h, e aos sábados, das 8h às 12h. Você já pode consultar seu pedido por aqui ou deixar sua mensagem: respondemos assim que abrirmos.")},
            {"id": "ola-feriado", "name": "Feriado", "type": "message", "next": "nome",
             "text": format!("{hello} Hoje é feriado e a equipe volta no próximo dia útil, às 8h. Você já pode consultar seu pedido por aqui ou deixar sua mensagem para a equipe.")},
            {"id": "nome", "name": "Nome", "type": "ask", "text": "Para começar, qual é o seu nome?",
             "field": "nome", "validation": {"kind": "text"}, "next": "cpf", "invalid": "cpf"},
            {"id": "cpf", "name": "CPF", "type": "ask", "field": "CPF/CNPJ", "validation": {"kind": "cpf"},
             "text": "Obrigada, {{nome}}! Agora, qual é o seu CPF?", "max_tries": 3,
             "retry_text": "Esse CPF não confere. Verifique os números e envie de novo.", "next": "menu", "invalid": "sem-cpf"},
            {"id": "sem-cpf", "name": "Sem CPF", "type": "message", "next": "menu",
             "text": "Tudo bem, seguimos sem o CPF. A equipe confirma seus dados no atendimento."},
            {"id": "menu", "name": "Menu principal", "type": "menu", "text": "Como posso ajudar?",
             "options": [{"label": "Vendas", "next": "aviso-vendas"}, {"label": "Financeiro", "next": "aviso-financeiro"},
                         {"label": "Suporte", "next": "aviso-suporte"}, {"label": "Consultar pedido", "next": "pedido"}],
             "max_tries": 3, "retry_text": "Não entendi. Responda com o número ou o nome da opção.", "invalid": "aviso-suporte"},
            to_team("aviso-vendas", "Certo! Vou te passar para a equipe de Vendas. Pode ir contando o que procura.", "vendas"),
            to_team("aviso-financeiro", "Certo! Vou te passar para o Financeiro. Pode ir contando sua dúvida.", "financeiro"),
            to_team("aviso-suporte", "Certo! Vou te passar para o nosso Suporte. Pode ir contando o que aconteceu.", "sac"),
            {"id": "vendas", "name": "Vendas", "type": "transfer", "team_id": vendas},
            {"id": "financeiro", "name": "Financeiro", "type": "transfer", "team_id": financeiro},
            {"id": "sac", "name": "SAC", "type": "transfer", "team_id": sac},
            {"id": "pedido", "name": "Número do pedido", "type": "ask", "text": "Qual é o número do seu pedido?",
             "field": "Pedido", "validation": {"kind": "number"}, "max_tries": 3,
             "retry_text": "O número do pedido tem só algarismos, como 4521.", "next": LOOKUP, "invalid": "menu"},
            {"id": LOOKUP, "name": "Consulta do pedido", "type": "http", "method": "GET", "url": lookup_url(local_url),
             "timeout_ms": 5000, "next": "achado", "error": "nao-achado",
             "map": [{"path": "status", "field": "Status do pedido"}, {"path": "items_summary", "field": "Itens do pedido"},
                     {"path": "expected_delivery", "field": "Previsão de entrega"}]},
            {"id": "achado", "name": "Pedido encontrado", "type": "menu",
             "text": "Pedido {{Pedido}}: {{Status do pedido}}.\nItens: {{Itens do pedido}}.\nPrevisão de entrega: {{Previsão de entrega}}.\n\nPosso ajudar em algo mais?",
             "options": [{"label": "Falar com o Suporte", "next": "aviso-suporte"}, {"label": "Voltar ao menu", "next": "menu"},
                         {"label": "Encerrar", "next": "fim"}],
             "max_tries": 2, "invalid": "aviso-suporte"},
            {"id": "nao-achado", "name": "Pedido não encontrado", "type": "message", "next": "menu",
             "text": "Não encontrei o pedido {{Pedido}}. Confira o número e escolha de novo."},
            {"id": "fim", "name": "Despedida", "type": "close", "text": "Foi um prazer ajudar, {{nome}}! Quando precisar, é só chamar."}
        ],
        // Only the demo: its order lookup is this very server, on loopback.
        "allow_private_http": true
    });
    serde_json::from_value(value).expect("the demo flow is a definition")
}

/// Adds the flow (and the contact fields it fills) when missing, or points its HTTP
/// block at `local_url`. Nothing when the demo's teams or hours are gone.
pub fn ensure(db: &Db, local_url: &str) -> DbResult<()> {
    db.write_now(|tx| {
        let team = |name| id_of(tx, "SELECT id FROM teams WHERE name = ?1", name);
        let (Some(sac), Some(vendas), Some(financeiro)) = (team("SAC")?, team("Vendas")?, team("Financeiro")?) else {
            return Ok(());
        };
        let Some(hours) = id_of(tx, "SELECT id FROM schedule_groups WHERE name = ?1", "Horário comercial")? else {
            return Ok(());
        };
        ensure_fields(tx)?;
        match id_of(tx, "SELECT id FROM flows WHERE name = ?1", FLOW_NAME)? {
            Some(flow_id) => repoint(tx, flow_id, local_url),
            None => create(tx, definition([sac, vendas, financeiro], hours, local_url)),
        }
    })
}

fn ensure_fields(tx: &rusqlite::Transaction) -> DbResult<()> {
    let position: i64 = tx.query_row("SELECT coalesce(max(position), 0) FROM contact_fields", [], |r| r.get(0))?;
    for (i, name) in FIELDS.into_iter().enumerate() {
        if id_of(tx, "SELECT id FROM contact_fields WHERE name = ?1", name)?.is_none() {
            let kind = if name == "Pedido" { "number" } else { "text" };
            let field = ContactFieldFields {
                name: name.into(),
                kind: kind.into(),
                choices: vec![],
                required: false,
                position: position + 1 + i as i64,
            };
            contact_fields::insert_contact_field(tx, &field)?;
        }
    }
    Ok(())
}

/// Publishes `def` when it passes the checks, and sets it on the demo channels.
fn create(tx: &rusqlite::Transaction, def: Definition) -> DbResult<()> {
    let problems = checks::check(&def, &flows::catalogue(tx, None)?);
    if !problems.is_empty() {
        tracing::error!(?problems, "the demo flow fails its checks; the demo channels go straight to their teams");
        return Ok(());
    }
    let flow_id = flows::insert_flow(tx, &FlowFields { name: FLOW_NAME.into(), draft: def.clone() })?;
    flows::insert_version(tx, flow_id, &def, None)?;
    for key in CHANNEL_KEYS {
        if let Some(channel) = id_of(tx, "SELECT id FROM channels WHERE key = ?1", key)? {
            flows::set_channel_flow(tx, channel, Some(flow_id))?;
        }
    }
    Ok(())
}

/// A new version whose lookup calls `local_url`, when the latest calls elsewhere (the
/// draft follows only when it still matched the latest).
fn repoint(tx: &rusqlite::Transaction, flow_id: i64, local_url: &str) -> DbResult<()> {
    let Some(latest) = flows::latest_version(tx, flow_id)? else { return Ok(()) };
    let mut def = latest.definition.clone();
    let Some(BlockKind::Http { url, .. }) = def.blocks.iter_mut().find(|b| b.id == LOOKUP).map(|b| &mut b.kind) else {
        return Ok(());
    };
    let wanted = lookup_url(local_url);
    if *url == wanted {
        return Ok(());
    }
    *url = wanted;
    flows::insert_version(tx, flow_id, &def, None)?;
    if let Some(flow) = flows::flow_by_id(tx, flow_id)?.filter(|f| f.draft == latest.definition) {
        flows::update_flow(tx, flow_id, &FlowFields { name: flow.name, draft: def })?;
    }
    Ok(())
}
