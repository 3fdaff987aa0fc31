//! Adding and editing a contact ("Adicionar contato", the contact page, the pencil of
//! the conversation pane): one use case for every form. It checks the fields against
//! the company's rules (required built-in fields, custom fields, the default country of
//! phone numbers), refuses a number another contact has in either 9th-digit form, saves,
//! records each changed field in the contact's history and writes the audit log.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::Serialize;

use super::Engine;
use crate::accounts::{Actor, Author};
use crate::db::contact_fields::{self, ContactField};
use crate::db::contacts::{self, ChangedBy, ContactFields};
use crate::db::{audit, settings, DbError, DbResult};
use crate::domain::text::one_line;
use crate::domain::{fields, phone};

/// Why a contact was not saved.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    /// The contact to edit is not there (or no longer).
    #[error("not found")]
    NotFound,
    /// Only a signed-in user edits contacts (changes are recorded under their name).
    #[error("forbidden")]
    Forbidden,
    /// Fields broke rules: field → message key, shown next to each field.
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type ContactResult<T> = Result<T, ContactError>;

/// A contact as typed: custom fields by field id (`custom[<id>]` in forms).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub custom: HashMap<String, String>,
}

impl ContactInput {
    /// A stored contact as its form shows it.
    pub fn of(c: &contacts::Contact) -> ContactInput {
        let custom = c
            .custom
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        ContactInput { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone(), custom }
    }
}

/// What a REST API client sends to create or change a contact: the fields given
/// replace those stored, the others stay; a custom field given as `null` is emptied.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// By field id; numbers are taken as their text.
    pub custom: Option<HashMap<String, Option<serde_json::Value>>>,
}

impl ContactPatch {
    /// The contact as it will be typed: `before` with what the patch gives.
    pub fn apply(self, before: ContactInput) -> ContactInput {
        let mut custom = before.custom;
        for (id, value) in self.custom.unwrap_or_default() {
            match value {
                None | Some(serde_json::Value::Null) => custom.remove(&id),
                Some(serde_json::Value::String(text)) => custom.insert(id, text),
                Some(other) => custom.insert(id, other.to_string()),
            };
        }
        ContactInput {
            name: self.name.unwrap_or(before.name),
            email: self.email.unwrap_or(before.email),
            phone: self.phone.unwrap_or(before.phone),
            custom,
        }
    }
}

/// A patch of contact `id` (or a new contact) inside the caller's transaction.
pub fn patch_contact_in(tx: &Connection, author: &Author, id: Option<i64>, patch: ContactPatch) -> ContactResult<i64> {
    let before = match id {
        Some(id) => ContactInput::of(&contacts::contact_by_id(tx, id)?.ok_or(ContactError::NotFound)?),
        None => ContactInput::default(),
    };
    save_contact_in(tx, author, id, &patch.apply(before))
}

/// The contact with a number typed in any form — with or without the country code,
/// with or without the 9th digit — or none; a text that is no number is refused.
pub fn contact_with_number(conn: &Connection, typed: &str) -> ContactResult<Option<contacts::Contact>> {
    let country = settings::load(conn)?.default_country;
    let e164 = phone::normalise(typed, &country)
        .map_err(|e| ContactError::Invalid(FieldErrors::from([("phone".into(), e.key())])))?;
    Ok(contacts::contact_with_phone(conn, &phone::equivalent_forms(&e164), None)?)
}

/// Field → catalogue key of what is wrong with it (custom fields as `custom[<id>]`).
pub type FieldErrors = BTreeMap<String, &'static str>;

/// What the company asks of a contact.
#[derive(Debug, Clone)]
pub struct Rules {
    pub required: settings::RequiredContactFields,
    pub fields: Vec<ContactField>,
    /// The country of numbers typed without their code (ISO 3166).
    pub default_country: String,
}

pub fn load_rules(conn: &Connection) -> DbResult<Rules> {
    let settings = settings::load(conn)?;
    Ok(Rules {
        required: settings.required_contact_fields,
        fields: contact_fields::all_contact_fields(conn)?,
        default_country: settings.default_country,
    })
}

/// A one-line field, cleaned (`text::one_line`), then checked.
fn plain_text(
    errors: &mut fields::FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = one_line(value);
    if value.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
    } else if value.chars().count() > max {
        errors.insert(field, "field-too-long");
    }
    value
}

fn valid_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else { return false };
    (1900..=2200).contains(&y) && chrono::NaiveDate::from_ymd_opt(y, m.into(), d.into()).is_some()
}

/// Checks what was typed; gives the contact as it is stored (the phone as E.164
/// digits), or every problem at once.
pub fn validate(f: &ContactInput, rules: &Rules) -> Result<ContactFields, FieldErrors> {
    let mut fixed = fields::FieldErrors::new();
    let name = plain_text(&mut fixed, "name", &f.name, 120, rules.required.name);
    let address = fields::email(&mut fixed, "email", &f.email, rules.required.email);
    let number = fields::phone(&mut fixed, "phone", &f.phone, &rules.default_country, rules.required.whatsapp);
    let mut errors: FieldErrors = fixed.into_iter().map(|(field, key)| (field.to_string(), key)).collect();
    let mut custom = serde_json::Map::new();
    for field in &rules.fields {
        let key = format!("custom[{}]", field.id);
        let typed = one_line(f.custom.get(&field.id.to_string()).map(String::as_str).unwrap_or(""));
        let typed = typed.as_str();
        if typed.is_empty() {
            if field.required {
                errors.insert(key, "field-required");
            }
            continue;
        }
        let ok = match field.kind.as_str() {
            "number" => typed.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite),
            "date" => valid_date(typed),
            "choice" => field.choices.iter().any(|c| one_line(c) == typed),
            _ => typed.chars().count() <= 200,
        };
        if !ok {
            errors.insert(key, if field.kind == "text" { "field-too-long" } else { "contacts-custom-invalid" });
            continue;
        }
        custom.insert(field.id.to_string(), serde_json::Value::from(typed));
    }
    if errors.is_empty() && name.is_empty() && address.is_empty() && number.is_empty() {
        errors.insert("name".into(), "contacts-empty");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ContactFields { name, email: address, phone: number, custom: serde_json::Value::Object(custom) })
}

impl Engine {
    /// Adds a contact (`id` is `None`) or saves one; gives its id. Saving with nothing
    /// changed writes nothing; a refusal writes nothing either.
    pub async fn save_contact(&self, actor: &Actor, id: Option<i64>, input: ContactInput) -> ContactResult<i64> {
        let author = Author::Person(actor.clone());
        self.db.transact(move |tx| save_contact_in(tx, &author, id, &input)).await
    }
}

/// `save_contact` inside the caller's transaction, under a person or an API token (the
/// REST API keeps its `Idempotency-Key` in the same transaction).
pub fn save_contact_in(tx: &Connection, author: &Author, id: Option<i64>, input: &ContactInput) -> ContactResult<i64> {
    let by = match author {
        Author::Person(actor) => ChangedBy::User(actor.user_id.ok_or(ContactError::Forbidden)?),
        Author::Token { id, .. } => ChangedBy::Token(*id),
    };
    let fields = validate(input, &load_rules(tx)?).map_err(ContactError::Invalid)?;
    let before = match id {
        Some(id) => Some(contacts::contact_by_id(tx, id)?.ok_or(ContactError::NotFound)?),
        None => None,
    };
    if !fields.phone.is_empty()
        && contacts::contact_with_phone(tx, &phone::equivalent_forms(&fields.phone), id)?.is_some()
    {
        return Err(ContactError::Invalid(FieldErrors::from([("phone".into(), "contacts-phone-taken")])));
    }
    let id = match &before {
        Some(before) => {
            if contacts::update_contact(tx, before, &fields, by)? == 0 {
                return Ok(before.id);
            }
            before.id
        }
        None => contacts::insert_contact(tx, &fields, by)?,
    };
    let action = if before.is_some() { "contact.update" } else { "contact.create" };
    let target = format!("contact:{id}");
    audit::record_change_by(tx, author, action, &target, before.as_ref().map(|b| b as _), Some(&fields))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            required: settings::RequiredContactFields::default(),
            fields: vec![ContactField {
                id: 7,
                name: "Plano".into(),
                kind: "choice".into(),
                choices: vec!["Ouro".into(), "Prata".into()],
                required: true,
                position: 1,
            }],
            default_country: "BR".into(),
        }
    }

    #[test]
    fn validates_built_in_and_custom_fields() {
        let mut f = ContactInput {
            name: "Ana".into(),
            email: "ana@x.com.br".into(),
            phone: "98765-4321".into(),
            custom: HashMap::new(),
        };
        let e = validate(&f, &rules()).unwrap_err();
        assert_eq!(e.get("custom[7]"), Some(&"field-required"));
        assert_eq!(e.get("phone"), Some(&"phone-invalid"));
        f.phone = "(11) 98765-4321".into();
        f.custom.insert("7".into(), "Bronze".into());
        assert_eq!(validate(&f, &rules()).unwrap_err().get("custom[7]"), Some(&"contacts-custom-invalid"));
        f.custom.insert("7".into(), "Ouro".into());
        let ok = validate(&f, &rules()).unwrap();
        assert_eq!(ok.phone, "5511987654321", "the default country is added");
        assert_eq!(ok.custom, serde_json::json!({"7": "Ouro"}));
        let portugal = Rules { default_country: "PT".into(), ..rules() };
        f.phone = "912 345 678".into();
        assert_eq!(validate(&f, &portugal).unwrap().phone, "351912345678");
        f.email = "ana@".into();
        assert_eq!(validate(&f, &rules()).unwrap_err().get("email"), Some(&"email-invalid"));
    }

    #[test]
    fn dates_are_real_days() {
        assert!(valid_date("2026-02-28"));
        assert!(!valid_date("2026-02-30"));
        assert!(!valid_date("28/02/2026"));
    }
}
