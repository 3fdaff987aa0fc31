//! "Tags": labels agents put on conversations (never shown to the contact), for every
//! team or for one. A name is unique among the tags one team's agents see.

use rocket::form::FromForm;
use serde::Serialize;

use super::{check_team, checked, delete_audited, refuse_if, save_audited, CatalogResult, Deleted, Rows};
use crate::accounts::Actor;
use crate::db::tags::{self, Tag, TagFields};
use crate::db::Db;
use crate::domain::fields::{self, FieldErrors};

/// The colour a new tag starts with.
pub const DEFAULT_COLOR: &str = "#0f5fa8";

/// A tag as typed in its form: text, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct TagDraft {
    pub name: String,
    pub color: String,
    /// Empty: every team.
    pub team_id: String,
}

impl TagDraft {
    /// The form for a new tag.
    pub fn blank() -> TagDraft {
        TagDraft { color: DEFAULT_COLOR.into(), ..Default::default() }
    }

    /// The form for editing `t`.
    pub fn of(t: &Tag) -> TagDraft {
        TagDraft {
            name: t.name.clone(),
            color: t.color.clone(),
            team_id: t.team_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    fn validate(&self) -> CatalogResult<TagFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 40);
        let color = fields::color(&mut errors, "color", &self.color);
        let team_id = fields::optional_id(&mut errors, "team_id", &self.team_id, "catalogues-team-unknown");
        checked(TagFields { name, color, team_id }, errors)
    }
}

const TAGS: Rows<Tag, TagFields> = Rows { load: tags::tag_by_id, insert: tags::insert_tag, update: tags::update_tag };

/// Saves a new tag (`id` `None`) or an edit, with its audit entry; the tag's id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &TagDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "tag", id, &fields, &TAGS, || {
            check_team(tx, fields.team_id)?;
            refuse_if(tags::tag_name_taken(tx, &fields.name, fields.team_id, id)?, "name", "tags-name-taken")
        })
    })
    .await
}

/// Deletes a tag; conversations carrying it lose it (the link cascades).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    db.transact(move |tx| delete_audited(tx, &actor, "tag", id, tags::tag_by_id, tags::delete_tag, None)).await
}
