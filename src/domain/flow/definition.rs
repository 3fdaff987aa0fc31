//! A flow version's definition: blocks joined by exits, stored as JSON. A version is
//! immutable once published; the draft is the same type, checked only on "Publicar".

use serde::{Deserialize, Serialize};

/// The whole flow: where it starts, its blocks, what happens to a customer who stops
/// answering, and whether its HTTP blocks may call private addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The id of the first block.
    pub start: String,
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub idle: IdleRule,
    /// The administrator let HTTP blocks reach private and loopback addresses (a
    /// company system on its own network).
    #[serde(default)]
    pub allow_private_http: bool,
}

/// One box of the diagram: an id other blocks point at, a name people read, and what
/// it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub kind: BlockKind,
}

/// Exits are block ids; `None` is an exit not drawn yet (a draft may have them, a
/// published version may not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// Sends a text (with placeholders such as `{{nome}}`), optionally a stored file.
    Message {
        text: String,
        #[serde(default)]
        attachment_id: Option<i64>,
        next: Option<String>,
    },
    /// Numbered options; the answer is the number or the option's words.
    Menu {
        text: String,
        options: Vec<MenuOption>,
        #[serde(default = "default_tries")]
        max_tries: u32,
        #[serde(default)]
        retry_text: String,
        /// Taken after `max_tries` answers that match no option.
        invalid: Option<String>,
    },
    /// Asks and stores the answer in a contact field once it passes its validation.
    Ask {
        text: String,
        field: String,
        validation: Validation,
        #[serde(default = "default_tries")]
        max_tries: u32,
        #[serde(default)]
        retry_text: String,
        next: Option<String>,
        invalid: Option<String>,
    },
    /// Branches on a schedule group at the step's clock.
    Schedule {
        group_id: i64,
        open: Option<String>,
        closed: Option<String>,
        /// Taken on a holiday (a day closed by an exception); `closed` when unset.
        #[serde(default)]
        holiday: Option<String>,
    },
    /// Branches on a contact field or on the channel's kind: the first rule whose
    /// value matches (accent- and case-insensitive), otherwise `otherwise`.
    Condition { subject: Subject, rules: Vec<Rule>, otherwise: Option<String> },
    /// Calls the company's own system; JSON fields of the answer go to contact fields.
    Http {
        method: HttpMethod,
        /// With placeholders, filled in URL-encoded.
        url: String,
        #[serde(default)]
        body: String,
        #[serde(default = "default_timeout")]
        timeout_ms: u64,
        #[serde(default)]
        map: Vec<FieldMap>,
        next: Option<String>,
        error: Option<String>,
    },
    /// Hands the conversation to a team's queue.
    Transfer {
        team_id: i64,
        #[serde(default)]
        priority: bool,
    },
    /// Closes the conversation with a message.
    Close { text: String },
    /// Continues in another flow (its published version).
    GoTo { flow_id: i64 },
}

fn default_tries() -> u32 {
    3
}

fn default_timeout() -> u64 {
    5_000
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenuOption {
    pub label: String,
    pub next: Option<String>,
    /// Extra words the option also answers to ("boleto", "segunda via"); counted
    /// like the label. Absent from definitions written before them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
}

/// How an answer to "Perguntar" is checked (and normalised) before it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Validation {
    Text,
    Email,
    Cpf,
    Cnpj,
    /// Either, by its number of digits.
    CpfCnpj,
    Phone,
    Number,
    Date,
    OneOf {
        options: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "snake_case")]
pub enum Subject {
    Field { field: String },
    Channel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub equals: String,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
}

/// A JSON field of the answer (a dotted path: `pedido.status`) and the contact field
/// it fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldMap {
    pub path: String,
    pub field: String,
}

/// What happens when the customer does not answer for `minutes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleRule {
    pub minutes: i64,
    pub then: IdleThen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IdleThen {
    Close { text: String },
    Transfer { team_id: i64 },
}

impl Default for IdleRule {
    fn default() -> Self {
        IdleRule {
            minutes: 30,
            then: IdleThen::Close {
                text: "Como não recebemos sua resposta, encerramos este atendimento. Quando precisar, é só chamar!"
                    .into(),
            },
        }
    }
}

fn exit<'a>(label: ExitLabel<'a>, target: &'a Option<String>) -> Exit<'a> {
    Exit { label, target: target.as_deref() }
}

/// One exit of a block: what it is called (for problems and the diagram) and where it
/// goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Exit<'a> {
    pub label: ExitLabel<'a>,
    pub target: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExitLabel<'a> {
    Next,
    /// A menu option, numbered from 1.
    Option(usize, &'a str),
    Invalid,
    Open,
    Closed,
    Holiday,
    Rule(&'a str),
    Otherwise,
    Error,
}

impl ExitLabel<'_> {
    /// The catalogue key of the exit's name on the diagram, and its value (an option's
    /// number, a rule's value); `None` for a block's only way on, drawn unlabelled.
    pub fn name(&self) -> Option<(&'static str, String)> {
        Some(match self {
            ExitLabel::Next => return None,
            ExitLabel::Option(n, _) => ("flow-exit-option", n.to_string()),
            ExitLabel::Invalid => ("flow-exit-invalid", String::new()),
            ExitLabel::Open => ("flow-exit-open", String::new()),
            ExitLabel::Closed => ("flow-exit-closed", String::new()),
            ExitLabel::Holiday => ("flow-exit-holiday", String::new()),
            ExitLabel::Rule(v) => ("flow-exit-rule", v.to_string()),
            ExitLabel::Otherwise => ("flow-exit-otherwise", String::new()),
            ExitLabel::Error => ("flow-exit-error", String::new()),
        })
    }
}

impl Definition {
    pub fn block(&self, id: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.id == id)
    }
}

impl BlockKind {
    /// The kind's code (forms, the diagram's class and the catalogue's `flow-kind-…`).
    pub fn code(&self) -> &'static str {
        match self {
            BlockKind::Message { .. } => "message",
            BlockKind::Menu { .. } => "menu",
            BlockKind::Ask { .. } => "ask",
            BlockKind::Schedule { .. } => "schedule",
            BlockKind::Condition { .. } => "condition",
            BlockKind::Http { .. } => "http",
            BlockKind::Transfer { .. } => "transfer",
            BlockKind::Close { .. } => "close",
            BlockKind::GoTo { .. } => "go_to",
        }
    }
}

/// Every kind's code, in the order the editor offers them.
pub const KIND_CODES: [&str; 9] =
    ["message", "menu", "ask", "schedule", "condition", "http", "transfer", "close", "go_to"];

impl Block {
    /// Every exit, drawn or not (an unset holiday exit falls back to `closed` and is
    /// not listed when unset).
    pub fn exits(&self) -> Vec<Exit<'_>> {
        match &self.kind {
            BlockKind::Message { next, .. } => vec![exit(ExitLabel::Next, next)],
            BlockKind::Menu { options, invalid, .. } => options
                .iter()
                .enumerate()
                .map(|(i, o)| exit(ExitLabel::Option(i + 1, &o.label), &o.next))
                .chain([exit(ExitLabel::Invalid, invalid)])
                .collect(),
            BlockKind::Ask { next, invalid, .. } => {
                vec![exit(ExitLabel::Next, next), exit(ExitLabel::Invalid, invalid)]
            }
            BlockKind::Schedule { open, closed, holiday, .. } => {
                let mut v = vec![exit(ExitLabel::Open, open), exit(ExitLabel::Closed, closed)];
                if holiday.is_some() {
                    v.push(exit(ExitLabel::Holiday, holiday));
                }
                v
            }
            BlockKind::Condition { rules, otherwise, .. } => rules
                .iter()
                .map(|r| exit(ExitLabel::Rule(&r.equals), &r.next))
                .chain([exit(ExitLabel::Otherwise, otherwise)])
                .collect(),
            BlockKind::Http { next, error, .. } => vec![exit(ExitLabel::Next, next), exit(ExitLabel::Error, error)],
            BlockKind::Transfer { .. } | BlockKind::Close { .. } | BlockKind::GoTo { .. } => vec![],
        }
    }

    /// Whether the block waits for the customer before it leaves.
    pub fn waits_for_customer(&self) -> bool {
        matches!(self.kind, BlockKind::Menu { .. } | BlockKind::Ask { .. })
    }

    /// The texts the customer reads or the system fills in, where placeholders may be.
    pub fn templated_texts(&self) -> Vec<&str> {
        match &self.kind {
            BlockKind::Message { text, .. } | BlockKind::Close { text } => vec![text],
            BlockKind::Menu { text, retry_text, .. } | BlockKind::Ask { text, retry_text, .. } => {
                vec![text, retry_text]
            }
            BlockKind::Http { url, body, .. } => vec![url, body],
            _ => vec![],
        }
    }

    /// Contact fields the block writes or reads by name (not through placeholders).
    pub fn named_fields(&self) -> Vec<&str> {
        match &self.kind {
            BlockKind::Ask { field, .. } => vec![field],
            BlockKind::Condition { subject: Subject::Field { field }, .. } => vec![field],
            BlockKind::Http { map, .. } => map.iter().map(|m| m.field.as_str()).collect(),
            _ => vec![],
        }
    }
}
