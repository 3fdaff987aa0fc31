//! The demo company's administration: teams, pauses, tabulations, phrases, tags,
//! templates, hours, filters, contact fields and the web chat of /demo/site.

use crate::db::contact_fields::{self, ContactFieldFields};
use crate::db::pauses::{self, PauseFields};
use crate::db::phrases::{self, PhraseFields};
use crate::db::schedules::{self, ExceptionRow, ScheduleGroupFields};
use crate::db::tags::{self, TagFields};
use crate::db::teams::{self, TeamFields};
use crate::db::templates::{self, TemplateFields};
use crate::db::{groups, now_ms, tabulations, word_filter, DbResult};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::schedule::Interval;

/// Teams, pauses, tabulations, phrases, tags, templates, hours and filters of the demo
/// company. `agents` are Ana, Bruno and Carla.
/// The WhatsApp templates of the demo company (name, header, body, buttons), in pt_BR;
/// the demo WhatsApp number has them approved.
pub(super) const TEMPLATES: [(&str, &str, &str, &[&str]); 2] = [
    (
        "retomar_atendimento",
        "",
        "Olá, {{1}}! Aqui é {{2}}, da Demo Atende. Podemos continuar o seu atendimento de protocolo {{3}}?",
        &["Sim, continuar", "Agora não"],
    ),
    (
        "pedido_enviado",
        "Seu pedido está a caminho",
        "Olá, {{1}}! Seu pedido {{2}} foi enviado e chega em até {{3}} dias úteis.",
        &[],
    ),
];

pub(super) fn administration(tx: &rusqlite::Transaction, agents: &[i64]) -> DbResult<()> {
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
            "monitoring:edit",
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
    for (name, header, body, buttons) in TEMPLATES {
        templates::insert_template(tx, &template(name, "utility", header, body, buttons))?;
    }

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
