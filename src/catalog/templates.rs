//! "Modelos de mensagem": WhatsApp templates (HSM) an agent sends to start a
//! conversation or when the 24-hour window is closed, for every team or for one. Meta
//! knows a template by its name and language, so that pair is unique.

use rocket::form::FromForm;
use serde::Serialize;

use super::{check_team, checked, delete_audited, refuse_if, save_audited, CatalogResult, Deleted, Rows};
use crate::accounts::Actor;
use crate::db::templates::{self, MessageTemplate, TemplateFields};
use crate::db::Db;
use crate::domain::channel_kind::ChannelKind;
use crate::domain::fields::{self, FieldErrors, ListRules};
use crate::domain::message_template::{parameter_names, HEADER_FORMATS};

/// Meta's language codes offered (the ones a Brazilian company sends in).
pub const LANGUAGES: [&str; 9] = ["pt_BR", "pt_PT", "en_US", "en_GB", "en", "es", "es_AR", "es_MX", "es_ES"];
pub const CATEGORIES: [&str; 3] = ["utility", "marketing", "authentication"];
pub const CHANNELS: [&str; 1] = [ChannelKind::WhatsApp.as_str()];
/// Meta allows at most three quick-reply buttons of 25 characters.
pub const MAX_BUTTONS: usize = 3;

const BUTTONS: ListRules = ListRules {
    empty: None,
    fewest: None,
    most: (MAX_BUTTONS, "templates-too-many-buttons"),
    longest: (25, "templates-button-too-long"),
    repeated: Some("templates-button-repeated"),
};

/// A template as typed in its form, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct TemplateDraft {
    pub name: String,
    pub language: String,
    pub category: String,
    pub channel: String,
    pub header: String,
    /// Empty: a text header (or none); else the file header's format.
    #[field(default = String::new())]
    pub header_format: String,
    #[field(default = String::new())]
    pub header_link: String,
    pub body: String,
    /// One input per button (empty ones are dropped).
    pub buttons: Vec<String>,
    /// Empty: every team.
    pub team_id: String,
    pub active: bool,
    /// Sample values of the parameters, for the preview only.
    pub sample: Vec<String>,
}

impl TemplateDraft {
    /// The form for a new template.
    pub fn blank() -> TemplateDraft {
        TemplateDraft {
            language: "pt_BR".into(),
            category: "utility".into(),
            channel: ChannelKind::WhatsApp.as_str().into(),
            active: true,
            ..Default::default()
        }
    }

    /// The form for editing `t`.
    pub fn of(t: &MessageTemplate) -> TemplateDraft {
        let t = &t.fields;
        TemplateDraft {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            channel: t.channel.clone(),
            header: t.header.clone(),
            header_format: t.header_format.clone(),
            header_link: t.header_link.clone(),
            body: t.body.clone(),
            buttons: t.buttons.clone(),
            team_id: t.team_id.map(|id| id.to_string()).unwrap_or_default(),
            active: t.active,
            sample: Vec::new(),
        }
    }

    /// The buttons typed, trimmed, empty inputs left out.
    pub fn buttons(&self) -> Vec<String> {
        self.buttons.iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()).collect()
    }

    /// A file header's format and address, when the header is a file: it then has no
    /// text, and its address is where Meta fetches the file for every send.
    fn file_header(&self, errors: &mut FieldErrors, text_header: &str) -> (String, String) {
        let format = self.header_format.trim();
        if format.is_empty() {
            return (String::new(), String::new());
        }
        let format = fields::one_of(errors, "header_format", format, &HEADER_FORMATS);
        let link = fields::web_address(errors, "header_link", self.header_link.trim(), 500);
        if !text_header.is_empty() && !errors.contains_key("header") {
            errors.insert("header", "templates-header-text-or-file");
        }
        (format, link)
    }

    fn validate(&self) -> CatalogResult<TemplateFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 512);
        let meta_name = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !errors.contains_key("name") && !meta_name {
            errors.insert("name", "templates-name-invalid");
        }
        let language = fields::one_of(&mut errors, "language", &self.language, &LANGUAGES);
        let category = fields::one_of(&mut errors, "category", &self.category, &CATEGORIES);
        let channel = fields::one_of(&mut errors, "channel", &self.channel, &CHANNELS);
        let header = fields::optional_text(&mut errors, "header", &self.header, 60);
        if !errors.contains_key("header") && (header.contains("{{") || header.contains('\n')) {
            errors.insert("header", "templates-header-plain");
        }
        let (header_format, header_link) = self.file_header(&mut errors, &header);
        let body = fields::text(&mut errors, "body", &self.body, 1024);
        if !errors.contains_key("body") {
            if let Err(problem) = parameter_names(&body) {
                errors.insert("body", problem.key());
            }
        }
        let buttons = fields::short_texts(&mut errors, "buttons", self.buttons(), &BUTTONS);
        let team_id = fields::optional_id(&mut errors, "team_id", &self.team_id, "catalogues-team-unknown");
        let active = self.active;
        let fields = TemplateFields {
            name,
            language,
            category,
            channel,
            header,
            header_format,
            header_link,
            body,
            buttons,
            team_id,
            active,
        };
        checked(fields, errors)
    }
}

const TEMPLATES: Rows<MessageTemplate, TemplateFields> =
    Rows { load: templates::template_by_id, insert: templates::insert_template, update: templates::update_template };

/// Saves a new template (`id` `None`) or an edit, with its audit entry; its id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &TemplateDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        save_audited(tx, &actor, "template", id, &fields, &TEMPLATES, || {
            check_team(tx, fields.team_id)?;
            let taken = templates::template_taken(tx, &fields.name, &fields.language, id)?;
            refuse_if(taken, "name", "templates-name-taken")
        })
    })
    .await
}

/// Deletes a template. It is copied into the messages sent with it, so nothing refers
/// to it.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let (load, delete) = (templates::template_by_id, templates::delete_template);
    db.transact(move |tx| delete_audited(tx, &actor, "template", id, load, delete, None)).await
}
