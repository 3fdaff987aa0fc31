//! Placeholders in texts sent to contacts: the numbered parameters of WhatsApp message
//! templates (`{{1}}`, `{{2}}` …, as Meta requires), the named variables of canned
//! phrases (`{{contato}}`, `{{agente}}`, `{{protocolo}}`) and of a team's "fila cheia"
//! message (`{{posicao}}`).

use serde::{Deserialize, Serialize};

/// The variables a canned phrase may use, filled in when the agent sends it.
pub const PHRASE_PLACEHOLDERS: [&str; 3] = ["contato", "agente", "protocolo"];

/// The variable a team's "fila cheia" message may use: the contact's place in the queue.
pub const QUEUE_FULL_PLACEHOLDERS: [&str; 1] = ["posicao"];

/// Why a template body's parameters are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateProblem {
    /// `{{` without its `}}`.
    Unclosed,
    /// Something other than a number between the braces (`{{nome}}`, `{{}}`).
    NotANumber,
    /// The numbers do not run 1, 2, 3 … without gaps (`{{1}} {{3}}`, `{{0}}`, `{{2}}`).
    NotConsecutive,
    /// Numbered and named parameters in one body (Meta takes one kind or the other).
    Mixed,
}

impl TemplateProblem {
    /// The message key in the catalogues.
    pub fn key(self) -> &'static str {
        match self {
            TemplateProblem::Unclosed => "templates-param-unclosed",
            TemplateProblem::NotANumber => "templates-param-not-number",
            TemplateProblem::NotConsecutive => "templates-param-gap",
            TemplateProblem::Mixed => "templates-param-mixed",
        }
    }
}

/// One `{{…}}` found in a text: its byte range (braces included) and what is inside.
struct Placeholder<'a> {
    start: usize,
    end: usize,
    inside: &'a str,
}

/// Every `{{…}}` of `text`, in order; `Err(())` when a `{{` is never closed.
fn placeholders(text: &str) -> Result<Vec<Placeholder<'_>>, ()> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{") {
        let start = from + open;
        let Some(close) = text[start + 2..].find("}}") else {
            return Err(());
        };
        let inside = &text[start + 2..start + 2 + close];
        if inside.contains("{{") {
            return Err(());
        }
        let end = start + 2 + close + 2;
        found.push(Placeholder { start, end, inside });
        from = end;
    }
    Ok(found)
}

/// How many parameters a template body has: its `{{n}}` must be numbered from 1
/// without gaps (a number may repeat). A body without parameters has 0.
pub fn parameters(body: &str) -> Result<usize, TemplateProblem> {
    let found = placeholders(body).map_err(|()| TemplateProblem::Unclosed)?;
    let mut numbers = Vec::with_capacity(found.len());
    for p in &found {
        if p.inside.is_empty() || !p.inside.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TemplateProblem::NotANumber);
        }
        // More digits than any real template has: not a number we accept.
        let n: usize = p.inside.parse().map_err(|_| TemplateProblem::NotConsecutive)?;
        numbers.push(n);
    }
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.iter().enumerate().any(|(i, n)| *n != i + 1) {
        return Err(TemplateProblem::NotConsecutive);
    }
    Ok(numbers.len())
}

/// The body with its parameters filled in order with `values` (numbered `{{n}}` gets
/// `values[n - 1]`, named ones the value in their place in `parameter_names`); a
/// parameter without a value (or with an empty one) stays as it is, so a preview shows
/// what is still missing.
pub fn render(body: &str, values: &[&str]) -> String {
    let names = parameter_names(body).unwrap_or_default();
    let pairs: Vec<(&str, &str)> =
        names.iter().map(String::as_str).zip(values.iter().copied()).filter(|(_, v)| !v.is_empty()).collect();
    fill_variables(body, &pairs)
}

/// Why the named variables of a text (a canned phrase, a "fila cheia" message) are
/// refused; `key` names the message of the canned phrase form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhraseProblem {
    /// `{{` without its `}}`.
    Unclosed,
    /// Variables that are not in `PHRASE_PLACEHOLDERS`, as written.
    Unknown(Vec<String>),
}

impl PhraseProblem {
    pub fn key(&self) -> &'static str {
        match self {
            PhraseProblem::Unclosed => "phrases-placeholder-unclosed",
            PhraseProblem::Unknown(_) => "phrases-placeholder-unknown",
        }
    }
}

/// Checks that a phrase only uses the known variables (`{{contato}}` …, spaces inside
/// the braces allowed).
pub fn check_phrase(text: &str) -> Result<(), PhraseProblem> {
    check_variables(text, &PHRASE_PLACEHOLDERS)
}

/// Checks that a text only uses the variables in `known` (spaces inside the braces
/// allowed).
pub fn check_variables(text: &str, known: &[&str]) -> Result<(), PhraseProblem> {
    let found = placeholders(text).map_err(|()| PhraseProblem::Unclosed)?;
    let unknown: Vec<String> =
        found.iter().map(|p| p.inside.trim()).filter(|name| !known.contains(name)).map(str::to_string).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(PhraseProblem::Unknown(unknown))
    }
}

/// A text with its named variables filled in: `values` pairs a name (of
/// `PHRASE_PLACEHOLDERS`, `QUEUE_FULL_PLACEHOLDERS`) with its value. Unknown variables
/// stay as written.
pub fn fill_variables(text: &str, values: &[(&str, &str)]) -> String {
    let Ok(found) = placeholders(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in found {
        if let Some((_, value)) = values.iter().find(|(name, _)| *name == p.inside.trim()) {
            out.push_str(&text[last..p.start]);
            out.push_str(value);
            last = p.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A template the channel's provider approved (WhatsApp: the number's business
/// account), as the administrator lists it in the channel's settings. Its body has
/// numbered (`{{1}}`) or named (`{{first_name}}`) parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedTemplate {
    pub name: String,
    /// Meta's language code: `pt_BR`, `en_US`, `es` …
    pub language: String,
    pub body: String,
    /// A media header whose file is the same for every send (a logo, a catalogue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<MediaHeader>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaHeader {
    /// `image`, `video` or `document`.
    pub format: String,
    /// Where the provider fetches the file (a public HTTPS address).
    pub link: String,
}

/// The formats a media header may have.
pub const HEADER_FORMATS: [&str; 3] = ["image", "video", "document"];

/// A template message as it waits in the outbox: what the provider needs to send it.
/// The message's body holds the same text rendered, for the transcript and the pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSend {
    pub name: String,
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<MediaHeader>,
    /// The body's parameters in order: (name, value); names are `1`, `2` … when numbered.
    pub params: Vec<(String, String)>,
    /// Named parameters (`parameter_name` in Meta's request) rather than numbered.
    pub named: bool,
}

/// Whether a parameter's name is one Meta accepts: lowercase letters, digits and `_`,
/// starting with a letter.
fn is_parameter_name(inside: &str) -> bool {
    inside.starts_with(|c: char| c.is_ascii_lowercase())
        && inside.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The names of a template body's parameters in the order they are filled in: `1`, `2`
/// … for numbered ones (checked as `parameters` does), or the named ones in the order
/// they first appear.
pub fn parameter_names(body: &str) -> Result<Vec<String>, TemplateProblem> {
    let found = placeholders(body).map_err(|()| TemplateProblem::Unclosed)?;
    let named = found.iter().filter(|p| is_parameter_name(p.inside)).count();
    if named == 0 {
        return Ok((1..=parameters(body)?).map(|n| n.to_string()).collect());
    }
    if named < found.len() {
        let numbered = found.iter().any(|p| !p.inside.is_empty() && p.inside.bytes().all(|b| b.is_ascii_digit()));
        return Err(if numbered { TemplateProblem::Mixed } else { TemplateProblem::NotANumber });
    }
    let mut names: Vec<String> = Vec::new();
    for p in found {
        if !names.iter().any(|n| n == p.inside) {
            names.push(p.inside.to_string());
        }
    }
    Ok(names)
}

impl ApprovedTemplate {
    /// The template filled in with `values` (one per parameter, in order): its text as
    /// the contact reads it and what the provider needs. Every parameter needs a value.
    pub fn fill(&self, values: &[String]) -> Result<(String, TemplateSend), &'static str> {
        let names = parameter_names(&self.body).map_err(TemplateProblem::key)?;
        let values: Vec<String> = values.iter().map(|v| super::text::one_line(v)).collect();
        if values.len() < names.len() || values.iter().take(names.len()).any(String::is_empty) {
            return Err("floor-template-parameter-missing");
        }
        let params: Vec<(String, String)> = names.into_iter().zip(values).collect();
        let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let text = fill_variables(&self.body, &pairs);
        let named = params.first().is_some_and(|(n, _)| is_parameter_name(n));
        Ok((
            text,
            TemplateSend {
                name: self.name.clone(),
                language: self.language.clone(),
                header: self.header.clone(),
                params,
                named,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_counted_when_numbered_from_one() {
        assert_eq!(parameters("Olá! Seu pedido saiu."), Ok(0));
        assert_eq!(parameters("Olá {{1}}, seu pedido {{2}} saiu."), Ok(2));
        assert_eq!(parameters("{{2}} e {{1}}"), Ok(2), "order in the text does not matter");
        assert_eq!(parameters("{{1}}, {{1}}!"), Ok(1), "a parameter may repeat");
        assert_eq!(parameters("Total: {R$ 10}"), Ok(0), "single braces are text");
    }

    #[test]
    fn gaps_and_bad_parameters_are_refused() {
        assert_eq!(parameters("{{1}} {{3}}"), Err(TemplateProblem::NotConsecutive));
        assert_eq!(parameters("{{2}}"), Err(TemplateProblem::NotConsecutive));
        assert_eq!(parameters("{{0}} {{1}}"), Err(TemplateProblem::NotConsecutive));
        assert_eq!(parameters("{{99999999999999999999999}}"), Err(TemplateProblem::NotConsecutive));
        assert_eq!(parameters("Olá {{nome}}"), Err(TemplateProblem::NotANumber));
        assert_eq!(parameters("Olá {{ 1 }}"), Err(TemplateProblem::NotANumber), "Meta wants no spaces");
        assert_eq!(parameters("Olá {{}}"), Err(TemplateProblem::NotANumber));
        assert_eq!(parameters("Olá {{1"), Err(TemplateProblem::Unclosed));
        assert_eq!(parameters("Olá {{1 {{2}}"), Err(TemplateProblem::Unclosed));
    }

    #[test]
    fn render_fills_parameters_and_keeps_missing_ones() {
        let body = "Olá {{1}}, seu pedido {{2}} saiu. Obrigado, {{1}}!";
        assert_eq!(render(body, &["Ana", "123"]), "Olá Ana, seu pedido 123 saiu. Obrigado, Ana!");
        assert_eq!(render(body, &["Ana"]), "Olá Ana, seu pedido {{2}} saiu. Obrigado, Ana!");
        assert_eq!(render(body, &["", "123"]), "Olá {{1}}, seu pedido 123 saiu. Obrigado, {{1}}!");
        assert_eq!(render("{{1}}", &["{{2}}", "x"]), "{{2}}", "values are not expanded again");
        assert_eq!(render("Olá {{1", &["Ana"]), "Olá {{1");
        assert_eq!(render("Olá ção {{1}}.", &["Zé"]), "Olá ção Zé.");
        assert_eq!(render("Oi {{nome}}, pedido {{pedido}}: {{nome}}", &["Ana", ""]), "Oi Ana, pedido {{pedido}}: Ana");
    }

    #[test]
    fn phrases_accept_only_the_known_variables() {
        assert_eq!(check_phrase("Olá {{contato}}, aqui é {{agente}}. Protocolo {{ protocolo }}."), Ok(()));
        assert_eq!(check_phrase("Sem variáveis."), Ok(()));
        assert_eq!(
            check_phrase("Olá {{cliente}} e {{Contato}}"),
            Err(PhraseProblem::Unknown(vec!["cliente".into(), "Contato".into()]))
        );
        assert_eq!(check_phrase("Olá {{contato"), Err(PhraseProblem::Unclosed));
        assert_eq!(
            fill_variables("Olá {{contato}}, sou {{ agente }} ({{x}})", &[("contato", "Ana"), ("agente", "Zé")]),
            "Olá Ana, sou Zé ({{x}})"
        );
    }

    #[test]
    fn the_queue_full_message_knows_only_the_position() {
        let text = "Fila cheia: você é o {{posicao}}º.";
        assert_eq!(check_variables(text, &QUEUE_FULL_PLACEHOLDERS), Ok(()));
        assert_eq!(fill_variables(text, &[("posicao", "7")]), "Fila cheia: você é o 7º.");
        assert_eq!(
            check_variables("{{posicao}} {{contato}}", &QUEUE_FULL_PLACEHOLDERS),
            Err(PhraseProblem::Unknown(vec!["contato".into()]))
        );
        assert_eq!(check_variables("{{posicao", &QUEUE_FULL_PLACEHOLDERS), Err(PhraseProblem::Unclosed));
    }

    fn approved(body: &str) -> ApprovedTemplate {
        ApprovedTemplate { name: "pedido".into(), language: "pt_BR".into(), body: body.into(), header: None }
    }

    #[test]
    fn parameters_are_numbered_or_named_never_both() {
        assert_eq!(parameter_names("Olá {{1}}, pedido {{2}}"), Ok(vec!["1".to_string(), "2".to_string()]));
        assert_eq!(
            parameter_names("Olá {{first_name}}, pedido {{order_id}} de {{first_name}}"),
            Ok(vec!["first_name".to_string(), "order_id".to_string()])
        );
        assert_eq!(parameter_names("Sem nada"), Ok(vec![]));
        assert_eq!(parameter_names("{{1}} {{nome}}"), Err(TemplateProblem::Mixed));
        assert_eq!(parameter_names("{{Nome}}"), Err(TemplateProblem::NotANumber));
        assert_eq!(parameter_names("{{1}} {{3}}"), Err(TemplateProblem::NotConsecutive));
        assert_eq!(parameter_names("{{nome"), Err(TemplateProblem::Unclosed));
    }

    #[test]
    fn a_template_is_filled_with_every_parameter() {
        let (text, send) =
            approved("Olá {{1}}, seu pedido {{2}} saiu.").fill(&["Ana".into(), " 123\n".into()]).unwrap();
        assert_eq!(text, "Olá Ana, seu pedido 123 saiu.");
        assert_eq!(send.params, vec![("1".into(), "Ana".into()), ("2".into(), "123".into())]);
        assert!(!send.named);
        let (text, send) = approved("Oi {{nome}}!").fill(&["Zé".into()]).unwrap();
        assert_eq!((text.as_str(), send.named), ("Oi Zé!", true));
        assert_eq!(approved("{{1}} {{2}}").fill(&["a".into()]), Err("floor-template-parameter-missing"));
        assert_eq!(approved("{{1}}").fill(&["  ".into()]), Err("floor-template-parameter-missing"));
        assert!(approved("Sem parâmetros").fill(&[]).is_ok());
    }
}
