//! The checks a version passes before "Publicar": every path ends (transfer, close or
//! another flow), no option points nowhere, no block is unreachable, every question
//! has an exit for invalid answers, no loop runs without the customer, placeholders
//! and fields name existing contact fields, and the teams, schedule groups and flows
//! named exist. Each problem names its block, so the editor can show it there.

use std::collections::{BTreeSet, HashMap};

use super::definition::{BlockKind, Definition, ExitLabel, IdleThen, Validation};
use super::placeholders;

/// What exists outside the flow, by id (and contact fields by `placeholders::key`).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub teams: BTreeSet<i64>,
    pub schedule_groups: BTreeSet<i64>,
    /// Flows with a published version (a jump needs something to run).
    pub flows: BTreeSet<i64>,
    /// Custom contact fields; the built-in ones (`nome`, `email`, `telefone`) always exist.
    pub fields: BTreeSet<String>,
    /// The flow being checked, which may not jump to itself.
    pub this_flow: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The block's id; `None` for the flow as a whole.
    pub block: Option<String>,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    NoBlocks,
    NoStart,
    DuplicateId,
    /// An exit drawn nowhere; the exit as `exit_code` names it.
    DeadEnd {
        exit: String,
        value: String,
    },
    OptionNowhere {
        option: usize,
    },
    MissingTarget {
        target: String,
    },
    Unreachable,
    NoInvalidExit,
    LoopWithoutCustomer,
    UnknownField {
        field: String,
    },
    UnknownTeam {
        id: i64,
    },
    UnknownSchedule {
        id: i64,
    },
    UnknownFlow {
        id: i64,
    },
    GoToItself,
    NoOptions,
    /// An extra word another option of the menu answers to as well.
    SynonymTwice {
        option: usize,
        word: String,
    },
    NoListValues,
    EmptyText,
    BadUrl,
    IdleMinutes,
}

impl ProblemKind {
    /// The catalogue key of the problem's words.
    pub fn key(&self) -> &'static str {
        match self {
            ProblemKind::NoBlocks => "flow-problem-no-blocks",
            ProblemKind::NoStart => "flow-problem-no-start",
            ProblemKind::DuplicateId => "flow-problem-duplicate-id",
            ProblemKind::DeadEnd { .. } => "flow-problem-dead-end",
            ProblemKind::OptionNowhere { .. } => "flow-problem-option-nowhere",
            ProblemKind::MissingTarget { .. } => "flow-problem-missing-target",
            ProblemKind::Unreachable => "flow-problem-unreachable",
            ProblemKind::NoInvalidExit => "flow-problem-no-invalid-exit",
            ProblemKind::LoopWithoutCustomer => "flow-problem-loop",
            ProblemKind::UnknownField { .. } => "flow-problem-unknown-field",
            ProblemKind::UnknownTeam { .. } => "flow-problem-unknown-team",
            ProblemKind::UnknownSchedule { .. } => "flow-problem-unknown-schedule",
            ProblemKind::UnknownFlow { .. } => "flow-problem-unknown-flow",
            ProblemKind::GoToItself => "flow-problem-goto-itself",
            ProblemKind::NoOptions => "flow-problem-no-options",
            ProblemKind::SynonymTwice { .. } => "flow-problem-synonym-twice",
            ProblemKind::NoListValues => "flow-problem-no-list-values",
            ProblemKind::EmptyText => "flow-problem-empty-text",
            ProblemKind::BadUrl => "flow-problem-bad-url",
            ProblemKind::IdleMinutes => "flow-problem-idle-minutes",
        }
    }

    /// The arguments of the problem's words.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ProblemKind::DeadEnd { exit, value } => vec![("exit", exit.clone()), ("value", value.clone())],
            ProblemKind::OptionNowhere { option } => vec![("option", option.to_string())],
            ProblemKind::MissingTarget { target } => vec![("target", target.clone())],
            ProblemKind::SynonymTwice { option, word } => vec![("option", option.to_string()), ("word", word.clone())],
            ProblemKind::UnknownField { field } => vec![("field", field.clone())],
            ProblemKind::UnknownTeam { id } | ProblemKind::UnknownSchedule { id } | ProblemKind::UnknownFlow { id } => {
                vec![("id", id.to_string())]
            }
            _ => vec![],
        }
    }
}

/// Every problem of the definition; empty when it may be published.
pub fn check(def: &Definition, catalogue: &Catalogue) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut add = |block: Option<&str>, kind| problems.push(Problem { block: block.map(str::to_string), kind });
    if def.blocks.is_empty() {
        add(None, ProblemKind::NoBlocks);
        return problems;
    }
    if def.block(&def.start).is_none() {
        add(None, ProblemKind::NoStart);
    }
    let mut seen = BTreeSet::new();
    for b in &def.blocks {
        if !seen.insert(b.id.as_str()) {
            add(Some(&b.id), ProblemKind::DuplicateId);
        }
    }
    for b in &def.blocks {
        let here = Some(b.id.as_str());
        for exit in b.exits() {
            match (exit.target, exit.label) {
                (Some(t), _) if def.block(t).is_none() => add(here, ProblemKind::MissingTarget { target: t.into() }),
                (Some(_), _) => {}
                (None, ExitLabel::Option(n, _)) => add(here, ProblemKind::OptionNowhere { option: n }),
                (None, ExitLabel::Invalid) => add(here, ProblemKind::NoInvalidExit),
                (None, label) => add(here, dead_end(label)),
            }
        }
        for kind in block_problems(&b.kind, catalogue) {
            add(here, kind);
        }
        let texts = b.templated_texts();
        let placeholders = texts.iter().flat_map(|t| placeholders::names(t));
        for field in placeholders.chain(b.named_fields()) {
            if !field_exists(catalogue, field) {
                add(here, ProblemKind::UnknownField { field: field.to_string() });
            }
        }
    }
    let reachable = reachable(def);
    for b in def.blocks.iter().filter(|b| !reachable.contains(b.id.as_str())) {
        add(Some(&b.id), ProblemKind::Unreachable);
    }
    for id in loops_without_customer(def) {
        add(Some(&id), ProblemKind::LoopWithoutCustomer);
    }
    if def.idle.minutes < 1 {
        add(None, ProblemKind::IdleMinutes);
    }
    if let IdleThen::Transfer { team_id } = def.idle.then {
        if !catalogue.teams.contains(&team_id) {
            add(None, ProblemKind::UnknownTeam { id: team_id });
        }
    }
    problems
}

fn dead_end(label: ExitLabel) -> ProblemKind {
    let (exit, value) = match label {
        ExitLabel::Open => ("open", ""),
        ExitLabel::Closed => ("closed", ""),
        ExitLabel::Holiday => ("holiday", ""),
        ExitLabel::Rule(v) => ("rule", v),
        ExitLabel::Otherwise => ("otherwise", ""),
        ExitLabel::Error => ("error", ""),
        _ => ("next", ""),
    };
    ProblemKind::DeadEnd { exit: exit.into(), value: value.into() }
}

fn field_exists(catalogue: &Catalogue, field: &str) -> bool {
    let key = placeholders::key(field);
    placeholders::BUILT_IN.contains(&key.as_str()) || catalogue.fields.contains(&key)
}

/// What is wrong inside one block, apart from its exits and fields.
fn block_problems(kind: &BlockKind, catalogue: &Catalogue) -> Vec<ProblemKind> {
    let mut found = Vec::new();
    match kind {
        BlockKind::Message { text, attachment_id, .. } if text.trim().is_empty() && attachment_id.is_none() => {
            found.push(ProblemKind::EmptyText)
        }
        BlockKind::Menu { text, options, .. } => {
            if text.trim().is_empty() {
                found.push(ProblemKind::EmptyText);
            }
            if options.is_empty() {
                found.push(ProblemKind::NoOptions);
            }
            for (option, word) in super::menu_words::claimed_twice(options) {
                found.push(ProblemKind::SynonymTwice { option, word });
            }
        }
        BlockKind::Ask { text, validation, .. } => {
            if text.trim().is_empty() {
                found.push(ProblemKind::EmptyText);
            }
            if matches!(validation, Validation::OneOf { options } if options.iter().all(|o| o.trim().is_empty())) {
                found.push(ProblemKind::NoListValues);
            }
        }
        BlockKind::Schedule { group_id, .. } if !catalogue.schedule_groups.contains(group_id) => {
            found.push(ProblemKind::UnknownSchedule { id: *group_id })
        }
        BlockKind::Http { url, .. } => {
            let sample = placeholders::fill(url, &Default::default(), |_| "x".into());
            let lower = sample.to_ascii_lowercase();
            let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or("");
            if host.split(['/', '?', '#']).next().is_none_or(str::is_empty) {
                found.push(ProblemKind::BadUrl);
            }
        }
        BlockKind::Transfer { team_id, .. } if !catalogue.teams.contains(team_id) => {
            found.push(ProblemKind::UnknownTeam { id: *team_id })
        }
        BlockKind::GoTo { flow_id } if catalogue.this_flow == Some(*flow_id) => found.push(ProblemKind::GoToItself),
        BlockKind::GoTo { flow_id } if !catalogue.flows.contains(flow_id) => {
            found.push(ProblemKind::UnknownFlow { id: *flow_id })
        }
        _ => {}
    }
    found
}

fn targets(b: &super::Block) -> impl Iterator<Item = &str> {
    b.exits().into_iter().filter_map(|e| e.target)
}

/// The ids reached from the start along any exit.
fn reachable(def: &Definition) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![def.start.as_str()];
    while let Some(id) = todo.pop() {
        let Some(b) = def.block(id) else { continue };
        if seen.insert(b.id.as_str()) {
            todo.extend(targets(b));
        }
    }
    seen
}

/// A block on each cycle that passes no menu or question (those wait for the
/// customer, so a cycle through them is a re-ask, not a spin).
fn loops_without_customer(def: &Definition) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(def: &'a Definition, id: &'a str, marks: &mut HashMap<&'a str, Mark>, found: &mut Vec<String>) {
        let Some(b) = def.block(id) else { return };
        marks.insert(&b.id, Mark::Open);
        if !b.waits_for_customer() {
            for t in targets(b) {
                match marks.get(t) {
                    Some(Mark::Open) => found.push(t.to_string()),
                    Some(Mark::Done) => {}
                    None => visit(def, t, marks, found),
                }
            }
        }
        marks.insert(&b.id, Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut found = Vec::new();
    for b in &def.blocks {
        if !marks.contains_key(b.id.as_str()) {
            visit(def, &b.id, &mut marks, &mut found);
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
