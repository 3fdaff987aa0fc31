//! `atende demo`: a believable company on an empty data directory, so a newcomer sees a
//! working floor within a minute. Later features add their part of the demo here.

use crate::accounts::credentials::hash_password;
use crate::db::contact_fields::{self, ContactFieldFields};
use crate::db::pauses::{self, PauseFields};
use crate::db::phrases::{self, PhraseFields};
use crate::db::schedules::{self, ExceptionRow, ScheduleGroupFields};
use crate::db::tags::{self, TagFields};
use crate::db::teams::{self, TeamFields};
use crate::db::templates::{self, TemplateFields};
use crate::db::users::{NewUser, Role};
use crate::db::{groups, now_ms, settings, tabulations, users, word_filter, Db, DbResult};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::schedule::Interval;

pub const PASSWORD: &str = "atende-demo";

/// (name, username, e-mail, role)
pub const PEOPLE: [(&str, &str, &str, Role); 4] = [
    ("Administrador Demo", "admin", "admin@demo.local", Role::Admin),
    ("Ana Souza", "ana", "ana@demo.local", Role::Agent),
    ("Bruno Lima", "bruno", "bruno@demo.local", Role::Agent),
    ("Carla Mendes", "carla", "carla@demo.local", Role::Agent),
];

#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyThere,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this data directory already holds a company that is not the demo; point ATENDE_DATA_DIR at an empty folder"
    )]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

pub fn seed(db: &Db) -> Result<Seeded, DemoError> {
    let (count, demo_admin) = db.read_now(|c| Ok((users::count_users(c)?, users::user_by_email(c, PEOPLE[0].2)?)))?;
    if count > 0 {
        return if demo_admin.is_some() { Ok(Seeded::AlreadyThere) } else { Err(DemoError::NotEmpty) };
    }
    let hashes: Vec<String> = PEOPLE.iter().map(|_| hash_password(PASSWORD)).collect();
    db.write_now(|tx| -> DbResult<()> {
        let mut ids = Vec::new();
        for ((name, username, email, role), hash) in PEOPLE.iter().zip(&hashes) {
            ids.push(users::insert_user(
                tx,
                &NewUser { name, username, email, role: *role, password_hash: Some(hash) },
            )?);
        }
        groups::add_user_to_group(tx, ids[0], groups::builtin_group_id(tx)?)?;
        let mut company = settings::load(tx)?;
        company.company_name = "Demo Atende".into();
        company.auto_close_minutes = 120;
        company.closing_message = "Seu atendimento foi finalizado. Obrigado pelo contato!".into();
        company.survey_enabled = true;
        settings::save(tx, &company)?;
        administration(tx, &ids[1..])
    })?;
    Ok(Seeded::Created)
}

/// Teams, pauses, tabulations, phrases, tags, templates, hours and filters of the demo
/// company. `agents` are Ana, Bruno and Carla.
fn administration(tx: &rusqlite::Transaction, agents: &[i64]) -> DbResult<()> {
    let team = |name: &str, distribution: &str, require_tabulation: bool| TeamFields {
        name: name.into(),
        distribution: distribution.into(),
        queue_limit: 50,
        require_tabulation,
        active: true,
        ..Default::default()
    };
    let sac = teams::insert_team(tx, &team("SAC", "auto", true))?;
    let vendas = teams::insert_team(tx, &team("Vendas", "manual", false))?;
    let financeiro = teams::insert_team(tx, &team("Financeiro", "auto", true))?;
    let (ana, bruno, carla) = (agents[0], agents[1], agents[2]);
    teams::set_team_members(tx, sac, &[ana, carla])?;
    teams::set_team_members(tx, vendas, &[ana, bruno])?;
    teams::set_team_members(tx, financeiro, &[bruno, carla])?;

    let supervisors = groups::insert_group(
        tx,
        "Supervisores",
        &[
            "teams:view",
            "agents:view",
            "pauses:view",
            "tabulations:edit",
            "phrases:edit",
            "tags:edit",
            "reports:view",
            "monitoring:view",
        ]
        .map(String::from),
    )?;
    let _ = supervisors;

    for (name, max_minutes, productive, cumulative) in [
        ("Almoço", 60, false, false),
        ("Café", 15, false, true),
        ("Reunião", 60, true, false),
        ("Treinamento", 120, true, false),
    ] {
        pauses::insert_pause(
            tx,
            &PauseFields {
                name: name.into(),
                max_minutes,
                productive,
                cumulative,
                window_start: None,
                window_end: None,
                active: true,
            },
        )?;
    }

    let reasons: [(i64, &str, &[&str]); 7] = [
        (sac, "Dúvida sobre produto", &["Funcionamento", "Garantia", "Compatibilidade"]),
        (sac, "Reclamação", &["Atraso na entrega", "Produto com defeito", "Atendimento"]),
        (sac, "Troca ou devolução", &["Dentro do prazo", "Fora do prazo"]),
        (vendas, "Orçamento", &["Pessoa física", "Empresa"]),
        (vendas, "Pedido", &["Novo pedido", "Acompanhar pedido", "Cancelamento"]),
        (financeiro, "Segunda via de boleto", &[]),
        (financeiro, "Negociação de débito", &["À vista", "Parcelamento"]),
    ];
    for (team_id, reason, subs) in reasons {
        let parent = tabulations::insert_tabulation(tx, team_id, None, reason)?;
        for sub in subs {
            tabulations::insert_tabulation(tx, team_id, Some(parent), sub)?;
        }
    }

    let phrase = |shortcut: &str, text: &str, team_id: Option<i64>| PhraseFields {
        shortcut: shortcut.into(),
        text: text.into(),
        team_id,
    };
    for p in [
        phrase("saudacao", "Olá, {{contato}}! Aqui é {{agente}}. Como posso ajudar?", None),
        phrase("protocolo", "O protocolo do seu atendimento é {{protocolo}}.", None),
        phrase("aguarde", "Só um momento, {{contato}}, estou verificando para você.", None),
        phrase("encerrar", "Posso ajudar em algo mais? Se não, vou finalizar o atendimento. Obrigado!", None),
        phrase("prazo", "O prazo de entrega é de até 7 dias úteis após a confirmação do pagamento.", Some(vendas)),
        phrase("boleto", "Vou enviar a segunda via do boleto para o seu e-mail cadastrado.", Some(financeiro)),
    ] {
        phrases::insert_phrase(tx, &p)?;
    }
    // Ana's own phrase: only she sees it.
    let retorno = "Assim que eu tiver a resposta, volto a falar com você por aqui, {{contato}}.";
    phrases::insert_own_phrase(tx, ana, &phrase("retorno", retorno, None))?;

    for (name, color, team_id) in [
        ("Urgente", "#c0392b", None),
        ("VIP", "#8e44ad", None),
        ("Primeiro contato", "#1f9d55", None),
        ("Garantia", "#e0a800", Some(sac)),
        ("Proposta enviada", "#0f5fa8", Some(vendas)),
    ] {
        tags::insert_tag(tx, &TagFields { name: name.into(), color: color.into(), team_id })?;
    }

    let template = |name: &str, category: &str, header: &str, body: &str, buttons: &[&str]| TemplateFields {
        name: name.into(),
        language: "pt_BR".into(),
        category: category.into(),
        channel: ChannelKind::WhatsApp.as_str().into(),
        header: header.into(),
        header_format: String::new(),
        header_link: String::new(),
        body: body.into(),
        buttons: buttons.iter().map(|b| b.to_string()).collect(),
        team_id: None,
        active: true,
    };
    templates::insert_template(
        tx,
        &template(
            "retomar_atendimento",
            "utility",
            "",
            "Olá, {{1}}! Aqui é {{2}}, da Demo Atende. Podemos continuar o seu atendimento de protocolo {{3}}?",
            &["Sim, continuar", "Agora não"],
        ),
    )?;
    templates::insert_template(
        tx,
        &template(
            "pedido_enviado",
            "utility",
            "Seu pedido está a caminho",
            "Olá, {{1}}! Seu pedido {{2}} foi enviado e chega em até {{3}} dias úteis.",
            &[],
        ),
    )?;

    let weekdays: Vec<Interval> =
        (0..5).map(|weekday| Interval { weekday, start_min: 8 * 60, end_min: 18 * 60 }).collect();
    let mut intervals = weekdays;
    intervals.push(Interval { weekday: 5, start_min: 8 * 60, end_min: 12 * 60 });
    let holidays = [("2026-12-25", "Natal"), ("2027-01-01", "Confraternização Universal")];
    schedules::insert_group(
        tx,
        &ScheduleGroupFields {
            name: "Horário comercial".into(),
            time_zone: "America/Sao_Paulo".into(),
            active: true,
            intervals,
            exceptions: holidays
                .iter()
                .map(|(day, label)| ExceptionRow {
                    day: day.to_string(),
                    start_min: None,
                    end_min: None,
                    label: label.to_string(),
                })
                .collect(),
        },
        now_ms(),
    )?;

    for term in ["palavrão", "idiota", "otário"] {
        word_filter::insert_term(tx, "blocked", term)?;
    }
    for term in ["obrigado", "obrigada", "ok", "valeu", "👍", "tchau"] {
        word_filter::insert_term(tx, "ignore", term)?;
    }

    let field = |name: &str, kind: &str, choices: &[&str], position| ContactFieldFields {
        name: name.into(),
        kind: kind.into(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
        required: false,
        position,
    };
    contact_fields::insert_contact_field(tx, &field("CPF/CNPJ", "text", &[], 1))?;
    contact_fields::insert_contact_field(tx, &field("Cliente desde", "date", &[], 2))?;
    contact_fields::insert_contact_field(tx, &field("Plano", "choice", &["Básico", "Plus", "Empresarial"], 3))?;

    // The web chat of the demo shop page (/demo/site).
    let hours: i64 =
        tx.query_row("SELECT id FROM schedule_groups WHERE name = 'Horário comercial'", [], |r| r.get(0))?;
    let webchat_settings = crate::channels::webchat::Settings {
        color: "#7a3e1d".into(),
        greeting: "Olá! Bem-vindo à Loja Demo. Como podemos ajudar?".into(),
        email: crate::channels::webchat::Ask::Optional,
        phone: crate::channels::webchat::Ask::Off,
    };
    crate::db::channels::insert_channel(
        tx,
        &crate::db::channels::ChannelFields {
            kind: ChannelKind::WebChat,
            name: "Site Demo Atende".into(),
            key: "demo".into(),
            active: true,
            default_team_id: Some(sac),
            schedule_group_id: Some(hours),
            config: webchat_settings.to_json(),
        },
    )?;
    Ok(())
}

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
    let open = |inbound: Inbound| async move {
        match engine.ingest(inbound).await? {
            Ingested::Stored { conversation_id, .. } => Ok(conversation_id),
            _ => Err(crate::engine::EngineError::Invalid("floor-bad-channel")),
        }
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
        ),
        (
            &bruno,
            vendas,
            "Rafael Costa",
            "rafael@exemplo.com",
            "Vocês fazem orçamento para empresa?",
            "Fazemos sim! Me passe o CNPJ e a lista de itens.",
            "Empresa",
        ),
        (
            &carla,
            financeiro,
            "Juliana Prado",
            "",
            "Preciso da segunda via do boleto.",
            "Enviei para o seu e-mail cadastrado. Algo mais?",
            "Segunda via de boleto",
        ),
    ];
    for (agent, team_id, who, email, question, answer, reason) in closed {
        let c = open(say(who, email, question)).await?;
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
    let c1 = open(say("Pedro Henrique", "pedro@exemplo.com", "Oi! O produto X é compatível com o modelo Y?")).await?;
    engine.take(&ana, c1).await?;
    engine.reply(&ana, c1, "Olá, Pedro! Aqui é a Ana. Vou verificar a compatibilidade para você.", false).await?;
    engine.reply(&ana, c1, "Cliente já comprou conosco em março.", true).await?;
    let c2 = open(say("Luciana Freitas", "", "Qual o prazo de entrega para Curitiba?")).await?;
    engine.take(&ana, c2).await?;
    let c3 = open(say("Fernando Dias", "fernando@exemplo.com", "Quero negociar uma parcela atrasada.")).await?;
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
    let c4 = open(say("Beatriz Nunes", "beatriz@exemplo.com", "Vou ver o número do pedido e já volto.")).await?;
    engine.take(&ana, c4).await?;
    engine.reply(&ana, c4, "Sem problemas, Beatriz! Fico no aguardo.", false).await?;
    engine.set_pending(&ana, c4).await?;
    // In the queues.
    open(say("Gustavo Ramos", "", "Boa tarde, preciso de ajuda com a garantia.")).await?;
    open(say("Camila Rocha", "camila@exemplo.com", "O site está dando erro no pagamento.")).await?;
    let c7 = open(say("Thiago Martins", "", "Vocês entregam no interior de SP?")).await?;
    engine.transfer(&Agent { user_id: ids[0], supervisor: true }, c7, vendas, None, "").await?;
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
