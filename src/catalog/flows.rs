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
use crate::domain::flow::Definition;

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
