//! "Fluxos de atendimento": a flow's draft is saved as often as it is edited;
//! "Publicar" runs the publish checks inside the transaction that freezes the next
//! version, and refuses with every problem tied to its block; an old version comes
//! back as the draft ("Restaurar"). Every write has its audit entry.

use rocket::form::FromForm;
use serde::Serialize;

use super::{check_name_free, checked, refuse, save_audited, CatalogError, CatalogResult, Rows};
use crate::accounts::Actor;
use crate::db::flows::{self, Flow, FlowFields};
use crate::db::{audit, Db};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::flow::checks::{self, Problem};
use crate::domain::flow::definition::{IdleRule, IdleThen};
use crate::domain::flow::{edit, Definition};

pub use super::flow_blocks::BlockForm;

/// Largest definition a draft may hold (a 30-block flow is a few tens of kB).
pub const MAX_DEFINITION_BYTES: usize = 256 * 1024;

/// A flow as typed: its name and its definition as JSON text.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct FlowDraft {
    pub name: String,
    pub definition: String,
}

impl FlowDraft {
    fn validate(&self) -> CatalogResult<FlowFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let draft = if self.definition.len() > MAX_DEFINITION_BYTES {
            errors.insert("definition", "flows-definition-too-large");
            None
        } else {
            let parsed = serde_json::from_str::<Definition>(&self.definition);
            parsed.map_err(|_| errors.insert("definition", "flows-definition-invalid")).ok()
        };
        let fields = draft.map(|draft| FlowFields { name, draft });
        match fields {
            Some(f) => checked(f, errors),
            None => Err(CatalogError::Invalid(errors)),
        }
    }
}

const FLOWS: Rows<Flow, FlowFields> =
    Rows { load: flows::flow_by_id, insert: flows::insert_flow, update: flows::update_flow };

/// Saves a new flow (`id` `None`) or its draft; the flow's id. Nothing is checked
/// beyond the shape: a draft may be unfinished.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &FlowDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "flow", id, &fields, &FLOWS, || check_name_free(tx, "flows", &fields.name, id))
    })
    .await
}

/// Why "Publicar" refused.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("the flow fails {} checks", .0.len())]
    Problems(Vec<Problem>),
}

impl From<crate::db::DbError> for PublishError {
    fn from(e: crate::db::DbError) -> Self {
        PublishError::Catalog(e.into())
    }
}

/// Freezes the draft as the next version when it passes every check; the version's
/// number. Checked and written in one transaction, so a team deleted meanwhile cannot
/// slip into a published version.
pub async fn publish(db: &Db, actor: &Actor, flow_id: i64) -> Result<i64, PublishError> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let flow = flows::flow_by_id(tx, flow_id)?.ok_or(CatalogError::NotFound)?;
        let problems = checks::check(&flow.draft, &flows::catalogue(tx, Some(flow_id))?);
        if !problems.is_empty() {
            return Err(PublishError::Problems(problems));
        }
        let (version_id, number) = flows::insert_version(tx, flow_id, &flow.draft, actor.user_id)?;
        let target = format!("flow:{flow_id}");
        let after = serde_json::json!({ "version": number, "version_id": version_id });
        audit::record_change(tx, &actor, "flow.publish", &target, None, Some(&after))?;
        Ok(number)
    })
    .await
}

/// Makes an old version the draft again; the flow's id.
pub async fn restore(db: &Db, actor: &Actor, version_id: i64) -> CatalogResult<i64> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let version = flows::version_by_id(tx, version_id)?.ok_or(CatalogError::NotFound)?;
        let before = flows::flow_by_id(tx, version.flow_id)?.ok_or(CatalogError::NotFound)?;
        let fields = FlowFields { name: before.name.clone(), draft: version.definition };
        flows::update_flow(tx, version.flow_id, &fields)?;
        let target = format!("flow:{}", version.flow_id);
        audit::record_change(tx, &actor, "flow.restore", &target, Some(&before), Some(&fields))?;
        Ok(version.flow_id)
    })
    .await
}

/// Chooses the flow a channel starts for new conversations (`None`: straight to the
/// channel's team); only a flow with a published version can be chosen.
pub async fn set_channel_flow(db: &Db, actor: &Actor, channel_id: i64, flow_id: Option<i64>) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let before = flows::flow_of_channel(tx, channel_id)?;
        crate::db::channels::channel_by_id(tx, channel_id)?.ok_or(CatalogError::NotFound)?;
        if let Some(id) = flow_id {
            if flows::latest_version(tx, id)?.is_none() {
                return Err(refuse("flow_id", "flows-not-published"));
            }
        }
        flows::set_channel_flow(tx, channel_id, flow_id)?;
        let target = format!("channel:{channel_id}");
        let (before, after) = (serde_json::json!({ "flow_id": before }), serde_json::json!({ "flow_id": flow_id }));
        audit::record_change(tx, &actor, "channel.flow", &target, Some(&before), Some(&after))?;
        Ok(())
    })
    .await
}

/// A new flow named `name`, starting from a greeting; its id.
pub async fn create(db: &Db, actor: &Actor, name: &str, greeting: &str) -> CatalogResult<i64> {
    let draft = serde_json::to_string(&crate::domain::flow::edit::starter(greeting)).unwrap_or_default();
    save(db, actor, None, &FlowDraft { name: name.to_string(), definition: draft }).await
}

/// Changes the draft of `flow_id` with `change`, which says what it changed (before
/// and after, for the audit); in one transaction, with the size limit kept.
async fn edit<T: Send + 'static>(
    db: &Db,
    actor: &Actor,
    flow_id: i64,
    change: impl FnOnce(&rusqlite::Transaction, &mut Flow) -> CatalogResult<(T, serde_json::Value, serde_json::Value)>
        + Send
        + 'static,
) -> CatalogResult<T> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let mut flow = flows::flow_by_id(tx, flow_id)?.ok_or(CatalogError::NotFound)?;
        let (out, before, after) = change(tx, &mut flow)?;
        let fields = FlowFields { name: flow.name, draft: flow.draft };
        if json_len(&fields.draft) > MAX_DEFINITION_BYTES {
            return Err(refuse("name", "flows-definition-too-large"));
        }
        flows::update_flow(tx, flow_id, &fields)?;
        audit::record_change(tx, &actor, "flow.update", &format!("flow:{flow_id}"), Some(&before), Some(&after))?;
        Ok(out)
    })
    .await
}

fn json_len(def: &Definition) -> usize {
    serde_json::to_string(def).map_or(0, |s| s.len())
}

/// Saves one block's form into the draft; blocks chosen as "novo bloco" are added
/// and named by `name_for(kind)`.
pub async fn save_block(
    db: &Db,
    actor: &Actor,
    flow_id: i64,
    block_id: &str,
    form: &BlockForm,
    name_for: impl Fn(&str) -> String + Send + 'static,
) -> CatalogResult<()> {
    let (form, block_id) = (form.clone(), block_id.to_string());
    edit(db, actor, flow_id, move |_, flow| {
        let before = serde_json::to_value(flow.draft.block(&block_id)).unwrap_or_default();
        form.apply(&mut flow.draft, &block_id, &name_for).map_err(CatalogError::Invalid)?;
        let after = serde_json::to_value(flow.draft.block(&block_id)).unwrap_or_default();
        Ok(((), before, after))
    })
    .await
}

/// Adds a blank block of kind `code`; its id.
pub async fn add_block(db: &Db, actor: &Actor, flow_id: i64, code: &str, name: &str) -> CatalogResult<String> {
    let (code, name) = (code.to_string(), name.to_string());
    edit(db, actor, flow_id, move |_, flow| {
        if !crate::domain::flow::definition::KIND_CODES.contains(&code.as_str()) {
            return Err(refuse("kind", "catalogues-choose-one"));
        }
        let id = edit::add_block(&mut flow.draft, &code, &name).ok_or(refuse("kind", "flows-too-many-blocks"))?;
        let after = serde_json::to_value(flow.draft.block(&id)).unwrap_or_default();
        Ok((id, serde_json::Value::Null, after))
    })
    .await
}

/// Deletes a block; the names of the blocks whose exits pointed at it (now empty).
pub async fn delete_block(db: &Db, actor: &Actor, flow_id: i64, block_id: &str) -> CatalogResult<Vec<String>> {
    let block_id = block_id.to_string();
    edit(db, actor, flow_id, move |_, flow| {
        let before =
            serde_json::to_value(flow.draft.block(&block_id).ok_or(CatalogError::NotFound)?).unwrap_or_default();
        let pointed = edit::remove_block(&mut flow.draft, &block_id);
        Ok((pointed, before, serde_json::Value::Null))
    })
    .await
}

/// The flow's own settings: its name, the idle rule, private addresses for HTTP.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct FlowSettings {
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub idle_minutes: String,
    /// `close` or `transfer`.
    #[field(default = String::new())]
    pub idle_action: String,
    #[field(default = String::new())]
    pub idle_text: String,
    #[field(default = String::new())]
    pub idle_team_id: String,
    pub allow_private_http: bool,
}

impl FlowSettings {
    pub fn of(flow: &Flow) -> FlowSettings {
        let idle = &flow.draft.idle;
        let (idle_action, idle_text, idle_team_id) = match &idle.then {
            IdleThen::Close { text } => ("close", text.clone(), String::new()),
            IdleThen::Transfer { team_id } => ("transfer", String::new(), team_id.to_string()),
        };
        FlowSettings {
            name: flow.name.clone(),
            idle_minutes: idle.minutes.to_string(),
            idle_action: idle_action.into(),
            idle_text,
            idle_team_id,
            allow_private_http: flow.draft.allow_private_http,
        }
    }
}

pub async fn save_settings(db: &Db, actor: &Actor, flow_id: i64, form: &FlowSettings) -> CatalogResult<()> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &form.name, 60);
    let minutes = fields::number(&mut errors, "idle_minutes", &form.idle_minutes, 1, 7 * 24 * 60, true).unwrap_or(30);
    let then = match fields::one_of(&mut errors, "idle_action", &form.idle_action, &["close", "transfer"]).as_str() {
        "transfer" => IdleThen::Transfer {
            team_id: fields::optional_id(&mut errors, "idle_team_id", &form.idle_team_id, "catalogues-choose-one")
                .unwrap_or_else(|| {
                    errors.insert("idle_team_id", "field-required");
                    0
                }),
        },
        _ => IdleThen::Close { text: fields::text(&mut errors, "idle_text", &form.idle_text, 4096) },
    };
    let rule = checked(IdleRule { minutes, then }, errors)?;
    let allow = form.allow_private_http;
    edit(db, actor, flow_id, move |tx, flow| {
        check_name_free(tx, "flows", &name, Some(flow.id))?;
        let before = serde_json::json!({"name": flow.name, "idle": flow.draft.idle, "allow_private_http": flow.draft.allow_private_http});
        (flow.name, flow.draft.idle, flow.draft.allow_private_http) = (name, rule, allow);
        let after = serde_json::json!({"name": flow.name, "idle": flow.draft.idle, "allow_private_http": allow});
        Ok(((), before, after))
    })
    .await
}
