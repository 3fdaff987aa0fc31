//! What the flow's page shows: the diagram laid out, the problems on their blocks, the
//! side panel (a block's form, the flow's settings or the simulator) and the choices
//! its selects offer. Every handler of the editor renders through `render`.

use std::collections::{BTreeMap, BTreeSet};

use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use crate::catalog::flows::{BlockForm, FlowSettings};
use crate::catalog::CatalogError;
use crate::db::{contact_fields, flows, schedules, teams, Db};
use crate::domain::flow::checks;
use crate::domain::flow::definition::KIND_CODES;
use crate::domain::flow::placeholders;
use crate::domain::flow::{layout, Definition};
use crate::engine::flow_simulator::{Line, Simulation};
use crate::i18n;
use crate::web::errors::WebResult;
use crate::web::page::Page;

/// The side panel beside the diagram.
pub(super) enum Panel {
    Block { id: String, typed: Option<BlockForm> },
    Settings { typed: Option<FlowSettings> },
    Simulator { sim: Simulation, options: SimOptions },
}

/// The simulator's choices as typed, shown back.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct SimOptions {
    pub channel: String,
    pub now: String,
    pub http: String,
    pub sample: String,
}

/// What else a render says: field errors, a notice (`alert` when something was
/// refused).
#[derive(Default)]
pub(super) struct Said {
    pub errors: serde_json::Value,
    pub notice: Option<String>,
    pub alert: bool,
}

#[derive(Serialize)]
struct Named {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct ProblemLine {
    block: Option<String>,
    block_name: Option<String>,
    text: String,
}

/// Words of `key` with its arguments in the page's language.
pub(super) fn words(lang: &str, key: &str, args: Vec<(&'static str, String)>) -> String {
    // Numbers as numbers, so the catalogue's plural forms apply.
    let args: Vec<_> =
        args.into_iter().map(|(k, v)| (k, v.parse::<i64>().map_or_else(|_| v.into(), |n| n.into()))).collect();
    i18n::translate_with(lang, key, &args)
}

/// The diagram of `def` as the page shows it, with what the simulator passed through.
pub(super) fn diagram(def: &Definition, path: &[String]) -> serde_json::Value {
    let d = layout::layout(def);
    let edges: BTreeSet<String> = path.windows(2).map(|w| format!("{}>{}", w[0], w[1])).collect();
    serde_json::json!({ "layout": d, "path": path, "path_edges": edges, "box_w": layout::BOX_W, "box_h": layout::BOX_H })
}

/// The choices the block forms offer: teams, schedule groups, published flows, contact
/// fields.
pub(super) async fn choices(db: &Db, flow_id: i64) -> WebResult<serde_json::Value> {
    let found = db
        .read(move |c| {
            let teams: Vec<_> = teams::all_teams(c)?.into_iter().map(|t| (t.id, t.name)).collect();
            let groups: Vec<_> =
                schedules::list_groups(c, "", 1000, 0)?.0.into_iter().map(|g| (g.group.id, g.group.name)).collect();
            let others: Vec<_> = flows::published_flows(c)?.into_iter().filter(|(id, _)| *id != flow_id).collect();
            let fields: Vec<String> = contact_fields::all_contact_fields(c)?.into_iter().map(|f| f.name).collect();
            Ok((teams, groups, others, fields))
        })
        .await?;
    let (teams, groups, others, fields) = found;
    Ok(serde_json::json!({ "teams": teams, "groups": groups, "flows": others, "fields": fields }))
}

pub(super) async fn render(page: &Page, db: &Db, flow_id: i64, panel: Panel, said: Said) -> WebResult<Template> {
    let (flow, latest, found) = db
        .read(move |c| {
            let Some(flow) = flows::flow_by_id(c, flow_id)? else { return Ok(None) };
            let latest = flows::latest_version(c, flow_id)?.map(|v| v.number);
            // The same checks as "Publicar", on every render: problems show as they appear.
            let found = checks::check(&flow.draft, &flows::catalogue(c, Some(flow_id))?);
            Ok(Some((flow, latest, found)))
        })
        .await?
        .ok_or(CatalogError::NotFound)?;
    let def = &flow.draft;
    let mut on_block: BTreeMap<String, Vec<String>> = def.blocks.iter().map(|b| (b.id.clone(), vec![])).collect();
    let problems: Vec<ProblemLine> = found
        .iter()
        .map(|p| {
            let text = words(page.lang, p.kind.key(), p.kind.args());
            if let Some(b) = &p.block {
                on_block.entry(b.clone()).or_default().push(text.clone());
            }
            let block_name = p.block.as_ref().and_then(|b| def.block(b)).map(|b| b.name.clone());
            ProblemLine { block: p.block.clone(), block_name, text }
        })
        .collect();
    let blocks: Vec<Named> = def.blocks.iter().map(|b| Named { id: b.id.clone(), name: b.name.clone() }).collect();
    let (mut selected, mut form, mut kind, mut settings, mut sim, mut sim_options) =
        (None, None, None, None, None, None);
    let mut path: Vec<String> = vec![];
    let panel_name = match panel {
        Panel::Block { id, typed } => {
            let block = def.block(&id).ok_or(CatalogError::NotFound)?;
            kind = Some(block.kind.code());
            form = Some(typed.unwrap_or_else(|| BlockForm::of(def, block)));
            selected = Some(id);
            "block"
        }
        Panel::Settings { typed } => {
            settings = Some(typed.unwrap_or_else(|| FlowSettings::of(&flow)));
            "settings"
        }
        Panel::Simulator { sim: s, options } => {
            path = s.path.clone();
            (sim, sim_options) = (Some(s), Some(options));
            "sim"
        }
    };
    let choices = choices(db, flow_id).await?;
    let sim_json = sim.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default());
    let sim_lines = sim.as_ref().map(|s| sim_lines(page.lang, s, &choices));
    let sim_fields = sim.as_ref().map(|s| sim_fields(s, &choices));
    Ok(page.render(
        "admin/flows/page.html",
        context! {
            flow: &flow, latest, diagram: diagram(def, &path), blocks, problems, on_block, panel: panel_name,
            selected, form, kind, settings, sim_json, sim_lines, sim_fields, sim_options, choices, kinds: KIND_CODES,
            validations: crate::catalog::flow_blocks::VALIDATIONS, refused: said.errors.as_object().is_some_and(|e| !e.is_empty()),
            errors: errors_or_none(said.errors), notice: said.notice, alert: said.alert,
            link: true,
        },
    ))
}

fn errors_or_none(errors: serde_json::Value) -> serde_json::Value {
    if errors.is_null() {
        serde_json::json!({})
    } else {
        errors
    }
}

#[derive(Serialize)]
struct SimLine {
    from: &'static str,
    text: String,
    buttons: Vec<String>,
    rows: Vec<String>,
}

/// The simulated chat in words; a transfer names its team.
fn sim_lines(lang: &str, sim: &Simulation, choices: &serde_json::Value) -> Vec<SimLine> {
    let team = |id: &str| {
        let teams = choices["teams"].as_array().cloned().unwrap_or_default();
        let found = teams.iter().find(|t| t[0].to_string() == id).and_then(|t| t[1].as_str().map(str::to_string));
        found.unwrap_or_else(|| id.to_string())
    };
    sim.lines
        .iter()
        .map(|l| match l {
            Line::Customer { text } => SimLine { from: "customer", text: text.clone(), buttons: vec![], rows: vec![] },
            Line::Bot { text, buttons, rows } => {
                SimLine { from: "bot", text: text.clone(), buttons: buttons.clone(), rows: rows.clone() }
            }
            Line::Event { key, args } => {
                let mut args: Vec<(&'static str, String)> = args
                    .iter()
                    .filter_map(|(k, v)| EVENT_ARGS.iter().find(|a| *a == k).map(|a| (*a, v.clone())))
                    .collect();
                for (k, v) in &mut args {
                    if *k == "team" {
                        *v = team(v);
                    }
                }
                SimLine { from: "event", text: words(lang, key, args), buttons: vec![], rows: vec![] }
            }
        })
        .collect()
}

const EVENT_ARGS: [&str; 9] = ["field", "value", "url", "option", "block", "team", "priority", "flow", "reason"];

#[derive(Serialize)]
struct SimField {
    key: String,
    name: String,
    value: String,
}

/// The contact's fields the simulator offers: the built-in ones and every custom one.
fn sim_fields(sim: &Simulation, choices: &serde_json::Value) -> Vec<SimField> {
    let custom = choices["fields"].as_array().cloned().unwrap_or_default();
    let names = ["nome", "email", "telefone"]
        .map(String::from)
        .into_iter()
        .chain(custom.iter().filter_map(|f| f.as_str().map(str::to_string)));
    names
        .map(|name| {
            let key = placeholders::key(&name);
            SimField { value: sim.fields.get(&key).cloned().unwrap_or_default(), key, name }
        })
        .collect()
}
