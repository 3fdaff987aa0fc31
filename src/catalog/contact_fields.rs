//! "Campos de contato": the company's own fields on a contact (text, number, date or a
//! choice), in the order "Adicionar contato" shows them, and which of the built-in
//! fields (name, e-mail, WhatsApp number) must be filled.

use rocket::form::FromForm;
use serde::Serialize;

use super::{check_name_free, checked, delete_audited, save_audited, CatalogResult, Deleted, Rows};
use crate::accounts::Actor;
use crate::db::contact_fields::{self, ContactField, ContactFieldFields, KINDS};
use crate::db::settings::{self, RequiredContactFields};
use crate::db::{audit, Db};
use crate::domain::fields::{self, FieldErrors, ListRules};
use crate::domain::text::fold;

/// Names of the built-in fields (folded) a custom field may not take.
const BUILTIN_NAMES: [&str; 7] = ["nome", "name", "nombre", "e-mail", "email", "correo", "whatsapp"];

/// The options of a choice field: at least two, none repeated.
const CHOICES: ListRules = ListRules {
    empty: Some("contact-fields-choices-required"),
    fewest: Some((2, "contact-fields-choices-too-few")),
    most: (50, "contact-fields-choices-too-many"),
    longest: (60, "contact-fields-choice-too-long"),
    repeated: Some("contact-fields-choice-repeated"),
};

/// A field as typed in its form, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct ContactFieldDraft {
    pub name: String,
    pub kind: String,
    /// One option per line (for `choice`).
    pub choices: String,
    pub required: bool,
    pub position: String,
}

impl ContactFieldDraft {
    /// The form for a new field, placed at `position`.
    pub fn blank(position: i64) -> ContactFieldDraft {
        ContactFieldDraft { kind: "text".into(), position: position.min(999).to_string(), ..Default::default() }
    }

    /// The form for editing `f`.
    pub fn of(f: &ContactField) -> ContactFieldDraft {
        ContactFieldDraft {
            name: f.name.clone(),
            kind: f.kind.clone(),
            choices: f.choices.join("\n"),
            required: f.required,
            position: f.position.to_string(),
        }
    }

    fn validate(&self) -> CatalogResult<ContactFieldFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        if !errors.contains_key("name") && BUILTIN_NAMES.contains(&fold(&name).as_str()) {
            errors.insert("name", "contact-fields-builtin-name");
        }
        let kind = fields::one_of(&mut errors, "kind", &self.kind, &KINDS);
        let choices = if kind == "choice" {
            let typed = self.choices.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
            fields::short_texts(&mut errors, "choices", typed, &CHOICES)
        } else {
            Vec::new()
        };
        let position = fields::number(&mut errors, "position", &self.position, 0, 999, true).unwrap_or(0);
        checked(ContactFieldFields { name, kind, choices, required: self.required, position }, errors)
    }
}

const CONTACT_FIELDS: Rows<ContactField, ContactFieldFields> = Rows {
    load: contact_fields::contact_field_by_id,
    insert: contact_fields::insert_contact_field,
    update: contact_fields::update_contact_field,
};

/// Saves a new field (`id` `None`) or an edit, with its audit entry; its id. Names are
/// unique among the fields.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &ContactFieldDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "contact_field", id, &fields, &CONTACT_FIELDS, || {
            check_name_free(tx, "contact_fields", &fields.name, id)
        })
    })
    .await
}

/// Deletes a field. The values contacts hold for it stay in their record, unseen,
/// until the contact is edited.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let (load, delete) = (contact_fields::contact_field_by_id, contact_fields::delete_contact_field);
    db.transact(move |tx| delete_audited(tx, &actor, "contact_field", id, load, delete, None)).await
}

/// The built-in fields "Adicionar contato" requires, as ticked (unticked: optional).
#[derive(Debug, Clone, Default, FromForm)]
pub struct RequiredDraft {
    pub name: bool,
    pub email: bool,
    pub whatsapp: bool,
}

/// Saves which built-in fields are required, with its audit entry.
pub async fn save_required(db: &Db, actor: &Actor, draft: &RequiredDraft) -> CatalogResult<()> {
    let after = RequiredContactFields { name: draft.name, email: draft.email, whatsapp: draft.whatsapp };
    let actor = actor.clone();
    db.transact(move |tx| {
        let mut current = settings::load(tx)?;
        let before = std::mem::replace(&mut current.required_contact_fields, after.clone());
        settings::save(tx, &current)?;
        audit::record_change(tx, &actor, "contact_fields.builtin", "settings", Some(&before), Some(&after))?;
        Ok(())
    })
    .await
}
