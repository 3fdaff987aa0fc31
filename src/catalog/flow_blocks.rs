//! One block's form in the flow editor: the fields of every kind in one typed form
//! (a block shows only its kind's), read back into the block. An exit is chosen from
//! the other blocks by id, or as "novo bloco" of a kind (`new:<kind>`), which adds
//! that block to the draft.

use rocket::form::FromForm;
use serde::Serialize;

use crate::domain::fields::{self, FieldErrors};
use crate::domain::flow::definition::{
    Block, BlockKind, Definition, FieldMap, HttpMethod, MenuOption, Rule, Subject, Validation,
};
use crate::domain::flow::edit;

/// Longest text a block sends (WhatsApp's limit).
const MAX_TEXT: usize = 4096;

pub const VALIDATIONS: [&str; 9] = ["text", "email", "cpf", "cnpj", "cpf_cnpj", "phone", "number", "date", "one_of"];

#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct BlockForm {
    #[field(default = String::new())]
    pub name: String,
    pub start: bool,
    #[field(default = String::new())]
    pub text: String,
    #[field(default = String::new())]
    pub next: String,
    #[field(default = String::new())]
    pub invalid: String,
    #[field(default = String::new())]
    pub max_tries: String,
    #[field(default = String::new())]
    pub retry_text: String,
    pub option_label: Vec<String>,
    pub option_next: Vec<String>,
    /// Each option's extra words, comma-separated.
    pub option_synonyms: Vec<String>,
    #[field(default = String::new())]
    pub field: String,
    #[field(default = String::new())]
    pub validation: String,
    /// The answers accepted by "one of a list", one a line.
    #[field(default = String::new())]
    pub one_of: String,
    #[field(default = String::new())]
    pub group_id: String,
    #[field(default = String::new())]
    pub open: String,
    #[field(default = String::new())]
    pub closed: String,
    #[field(default = String::new())]
    pub holiday: String,
    /// `channel` or `field`.
    #[field(default = String::new())]
    pub subject: String,
    #[field(default = String::new())]
    pub subject_field: String,
    pub rule_value: Vec<String>,
    pub rule_next: Vec<String>,
    #[field(default = String::new())]
    pub otherwise: String,
    #[field(default = String::new())]
    pub method: String,
    #[field(default = String::new())]
    pub url: String,
    #[field(default = String::new())]
    pub body: String,
    #[field(default = String::new())]
    pub timeout_ms: String,
    pub map_path: Vec<String>,
    pub map_field: Vec<String>,
    #[field(default = String::new())]
    pub error: String,
    #[field(default = String::new())]
    pub team_id: String,
    pub priority: bool,
    #[field(default = String::new())]
    pub flow_id: String,
}

fn id(exit: &Option<String>) -> String {
    exit.clone().unwrap_or_default()
}

fn number(n: impl ToString) -> String {
    n.to_string()
}

impl BlockForm {
    /// The form of a stored block.
    pub fn of(def: &Definition, b: &Block) -> BlockForm {
        let mut f = BlockForm { name: b.name.clone(), start: def.start == b.id, ..<BlockForm as Default>::default() };
        match &b.kind {
            BlockKind::Message { text, next, .. } => (f.text, f.next) = (text.clone(), id(next)),
            BlockKind::Menu { text, options, max_tries, retry_text, invalid } => {
                (f.text, f.max_tries, f.retry_text, f.invalid) =
                    (text.clone(), number(max_tries), retry_text.clone(), id(invalid));
                f.option_label = options.iter().map(|o| o.label.clone()).collect();
                f.option_next = options.iter().map(|o| id(&o.next)).collect();
                f.option_synonyms = options.iter().map(|o| o.synonyms.join(", ")).collect();
            }
            BlockKind::Ask { text, field, validation, max_tries, retry_text, next, invalid } => {
                (f.text, f.field, f.max_tries, f.retry_text) =
                    (text.clone(), field.clone(), number(max_tries), retry_text.clone());
                (f.next, f.invalid) = (id(next), id(invalid));
                f.validation = validation_code(validation).into();
                if let Validation::OneOf { options } = validation {
                    f.one_of = options.join("\n");
                }
            }
            BlockKind::Schedule { group_id, open, closed, holiday } => {
                (f.group_id, f.open, f.closed, f.holiday) = (number(group_id), id(open), id(closed), id(holiday));
            }
            BlockKind::Condition { subject, rules, otherwise } => {
                (f.subject, f.subject_field) = match subject {
                    Subject::Channel => ("channel".into(), String::new()),
                    Subject::Field { field } => ("field".into(), field.clone()),
                };
                f.rule_value = rules.iter().map(|r| r.equals.clone()).collect();
                f.rule_next = rules.iter().map(|r| id(&r.next)).collect();
                f.otherwise = id(otherwise);
            }
            BlockKind::Http { method, url, body, timeout_ms, map, next, error } => {
                f.method = format!("{method:?}").to_uppercase();
                (f.url, f.body, f.timeout_ms) = (url.clone(), body.clone(), number(timeout_ms));
                f.map_path = map.iter().map(|m| m.path.clone()).collect();
                f.map_field = map.iter().map(|m| m.field.clone()).collect();
                (f.next, f.error) = (id(next), id(error));
            }
            BlockKind::Transfer { team_id, priority } => (f.team_id, f.priority) = (number(team_id), *priority),
            BlockKind::Close { text } => f.text = text.clone(),
            BlockKind::GoTo { flow_id } => f.flow_id = number(flow_id),
        }
        f
    }

    /// Writes the form into block `block_id` of `def` (adding the blocks chosen as
    /// "novo bloco", named by `name_for(kind)`); every field in fault otherwise.
    pub fn apply(
        &self,
        def: &mut Definition,
        block_id: &str,
        name_for: &dyn Fn(&str) -> String,
    ) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let index = def.blocks.iter().position(|b| b.id == block_id);
        let Some(index) = index else {
            errors.insert("name", "flows-block-gone");
            return Err(errors);
        };
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let code = def.blocks[index].kind.code();
        // The form has no field for a message's stored file: saving keeps it.
        let file = match &def.blocks[index].kind {
            BlockKind::Message { attachment_id, .. } => *attachment_id,
            _ => None,
        };
        let mut exits = Exits { def, errors: &mut errors, name_for };
        let mut kind = self.kind(code, &mut exits);
        if let BlockKind::Message { attachment_id, .. } = &mut kind {
            *attachment_id = file;
        }
        if errors.is_empty() && def.blocks.len() > edit::MAX_BLOCKS {
            errors.insert("name", "flows-too-many-blocks");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        def.blocks[index].name = name;
        def.blocks[index].kind = kind;
        if self.start {
            def.start = block_id.to_string();
        }
        Ok(())
    }

    fn kind(&self, code: &str, x: &mut Exits) -> BlockKind {
        let tries =
            |x: &mut Exits| fields::number(x.errors, "max_tries", &self.max_tries, 1, 10, true).unwrap_or(3) as u32;
        let retry = |x: &mut Exits| fields::optional_text(x.errors, "retry_text", &self.retry_text, MAX_TEXT);
        match code {
            "message" => {
                let text = fields::text(x.errors, "text", &self.text, MAX_TEXT);
                BlockKind::Message { text, attachment_id: None, next: x.exit("next", &self.next) }
            }
            "menu" => {
                let text = fields::text(x.errors, "text", &self.text, MAX_TEXT);
                let mut options = Vec::new();
                for (i, label) in self.option_label.iter().enumerate() {
                    let label = fields::optional_text(x.errors, "options", label, 60);
                    let cell = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
                    let synonyms = synonyms(x.errors, &cell(&self.option_synonyms));
                    if !label.is_empty() {
                        options.push(MenuOption { label, next: x.exit("options", &cell(&self.option_next)), synonyms });
                    }
                }
                let (max_tries, retry_text) = (tries(x), retry(x));
                BlockKind::Menu { text, options, max_tries, retry_text, invalid: x.exit("invalid", &self.invalid) }
            }
            "ask" => {
                let text = fields::text(x.errors, "text", &self.text, MAX_TEXT);
                let field = fields::text(x.errors, "field", &self.field, 60);
                let validation = match fields::one_of(x.errors, "validation", &self.validation, &VALIDATIONS).as_str() {
                    "email" => Validation::Email,
                    "cpf" => Validation::Cpf,
                    "cnpj" => Validation::Cnpj,
                    "cpf_cnpj" => Validation::CpfCnpj,
                    "phone" => Validation::Phone,
                    "number" => Validation::Number,
                    "date" => Validation::Date,
                    "one_of" => Validation::OneOf {
                        options: self
                            .one_of
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_string)
                            .collect(),
                    },
                    _ => Validation::Text,
                };
                let (max_tries, retry_text) = (tries(x), retry(x));
                let (next, invalid) = (x.exit("next", &self.next), x.exit("invalid", &self.invalid));
                BlockKind::Ask { text, field, validation, max_tries, retry_text, next, invalid }
            }
            "schedule" => BlockKind::Schedule {
                group_id: x.id("group_id", &self.group_id),
                open: x.exit("open", &self.open),
                closed: x.exit("closed", &self.closed),
                holiday: x.exit("holiday", &self.holiday),
            },
            "condition" => {
                let subject = match self.subject.as_str() {
                    "field" => {
                        Subject::Field { field: fields::text(x.errors, "subject_field", &self.subject_field, 60) }
                    }
                    _ => Subject::Channel,
                };
                let mut rules = Vec::new();
                for (value, next) in
                    self.rule_value.iter().zip(self.rule_next.iter().chain(std::iter::repeat(&String::new())))
                {
                    let equals = fields::optional_text(x.errors, "rules", value, 200);
                    if !equals.is_empty() {
                        rules.push(Rule { equals, next: x.exit("rules", next) });
                    }
                }
                BlockKind::Condition { subject, rules, otherwise: x.exit("otherwise", &self.otherwise) }
            }
            "http" => {
                let method = match fields::one_of(x.errors, "method", &self.method, &["GET", "POST", "PUT"]).as_str() {
                    "POST" => HttpMethod::Post,
                    "PUT" => HttpMethod::Put,
                    _ => HttpMethod::Get,
                };
                let url = fields::text(x.errors, "url", &self.url, 2000);
                let body = fields::optional_text(x.errors, "body", &self.body, 8000);
                let timeout_ms =
                    fields::number(x.errors, "timeout_ms", &self.timeout_ms, 100, 30_000, true).unwrap_or(5000) as u64;
                let mut map = Vec::new();
                for (path, field) in self.map_path.iter().zip(&self.map_field) {
                    let (path, field) = (
                        fields::optional_text(x.errors, "map", path, 200),
                        fields::optional_text(x.errors, "map", field, 60),
                    );
                    if !path.is_empty() && !field.is_empty() {
                        map.push(FieldMap { path, field });
                    }
                }
                let (next, error) = (x.exit("next", &self.next), x.exit("error", &self.error));
                BlockKind::Http { method, url, body, timeout_ms, map, next, error }
            }
            "transfer" => BlockKind::Transfer { team_id: x.id("team_id", &self.team_id), priority: self.priority },
            "close" => BlockKind::Close { text: fields::text(x.errors, "text", &self.text, MAX_TEXT) },
            _ => BlockKind::GoTo { flow_id: x.id("flow_id", &self.flow_id) },
        }
    }
}

/// At most this many extra words an option, each as long as a label.
const MAX_SYNONYMS: usize = 20;

/// "boleto, pagamento, segunda via" as its words, each trimmed, blanks dropped.
fn synonyms(errors: &mut FieldErrors, value: &str) -> Vec<String> {
    let words: Vec<String> = value.split(',').map(|w| fields::optional_text(errors, "options", w, 60)).collect();
    let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
    if words.len() > MAX_SYNONYMS {
        errors.insert("options", "flows-too-many-synonyms");
    }
    words
}

pub fn validation_code(v: &Validation) -> &'static str {
    match v {
        Validation::Text => "text",
        Validation::Email => "email",
        Validation::Cpf => "cpf",
        Validation::Cnpj => "cnpj",
        Validation::CpfCnpj => "cpf_cnpj",
        Validation::Phone => "phone",
        Validation::Number => "number",
        Validation::Date => "date",
        Validation::OneOf { .. } => "one_of",
    }
}

/// Reads exits and ids while the form is applied; "novo bloco" adds the block.
struct Exits<'a> {
    def: &'a mut Definition,
    errors: &'a mut FieldErrors,
    name_for: &'a dyn Fn(&str) -> String,
}

impl Exits<'_> {
    fn exit(&mut self, field: &'static str, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if let Some(code) = value.strip_prefix("new:") {
            let name = (self.name_for)(code);
            let added = edit::add_block(self.def, code, &name);
            if added.is_none() {
                self.errors.insert(field, "flows-too-many-blocks");
            }
            return added;
        }
        if self.def.block(value).is_none() {
            self.errors.insert(field, "flows-exit-unknown");
            return None;
        }
        Some(value.to_string())
    }

    /// A team, schedule group or flow chosen in a select (whether it exists is a
    /// publish check: a draft may name one not made yet).
    fn id(&mut self, field: &'static str, value: &str) -> i64 {
        fields::optional_id(self.errors, field, value, "catalogues-choose-one").unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flow::step::tests::{block, flow, main_menu};

    fn def() -> Definition {
        flow(vec![
            block("menu", main_menu()),
            block("vendas", BlockKind::Transfer { team_id: 1, priority: false }),
            block("financeiro", BlockKind::Close { text: "Tchau".into() }),
            block("folheto", BlockKind::Message { text: "Nosso folheto".into(), attachment_id: Some(7), next: None }),
        ])
    }

    #[test]
    fn a_block_reads_back_as_it_was_shown() {
        let mut d = def();
        for b in d.blocks.clone() {
            let form = BlockForm::of(&d, &b);
            form.apply(&mut d, &b.id, &|k| k.to_string()).unwrap();
            assert_eq!(d.block(&b.id), Some(&b), "{}", b.id);
        }
    }

    #[test]
    fn a_new_block_chosen_as_an_exit_is_added_and_bad_fields_are_named() {
        let mut d = def();
        let mut form = BlockForm::of(&d, &d.blocks[0].clone());
        form.option_label.push("Suporte".into());
        form.option_next.push("new:ask".into());
        form.apply(&mut d, "menu", &|_| "Pergunta 4".into()).unwrap();
        let added = d.blocks.last().unwrap();
        assert_eq!((added.name.as_str(), added.kind.code()), ("Pergunta 4", "ask"));
        let BlockKind::Menu { options, .. } = &d.blocks[0].kind else { unreachable!() };
        assert_eq!(options[2].next.as_deref(), Some(added.id.as_str()));

        form.max_tries = "0".into();
        form.invalid = "nenhum".into();
        form.name = " ".into();
        let errors = form.apply(&mut d, "menu", &|_| String::new()).unwrap_err();
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), vec!["invalid", "max_tries", "name"]);
    }
}
