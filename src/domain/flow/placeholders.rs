//! Contact placeholders in a flow's texts: `{{nome}}`, `{{CPF}}` … name a contact field
//! (accent- and case-insensitive); an unknown or empty one is left blank.

use std::collections::BTreeMap;

use crate::domain::text::fold;

/// The contact as the flow sees it: field names folded (`fold`) → values.
pub type Fields = BTreeMap<String, String>;

/// The contact's built-in fields, by the names flows use for them.
pub const BUILT_IN: [&str; 3] = ["nome", "email", "telefone"];

/// The key a field name is known by in `Fields`.
pub fn key(name: &str) -> String {
    fold(name.trim())
}

/// The field names a text's placeholders use, as written.
pub fn names(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        found.push(after[..close].trim());
        rest = &after[close + 2..];
    }
    found
}

/// The text with every placeholder replaced by the field's value, passed through
/// `encode` (URL encoding in an HTTP block's address, nothing in a message).
pub fn fill(text: &str, fields: &Fields, encode: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&rest[..open]);
        let value = fields.get(&key(&after[..close])).map(String::as_str).unwrap_or("");
        out.push_str(&encode(value));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Percent-encoding of everything but unreserved characters (RFC 3986).
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        [("nome".to_string(), "Ana Souza".to_string()), ("cpf".to_string(), "12345678909".to_string())].into()
    }

    #[test]
    fn names_are_read_as_written() {
        assert_eq!(names("Olá, {{ nome }}! Seu {{CPF}} {{x"), vec!["nome", "CPF"]);
        assert!(names("sem campos").is_empty());
    }

    #[test]
    fn fill_is_case_and_accent_insensitive_and_blank_when_unknown() {
        assert_eq!(fill("Olá, {{Nome}}! {{cidade}}.", &fields(), str::to_string), "Olá, Ana Souza! .");
        assert_eq!(fill("{{nome", &fields(), str::to_string), "{{nome");
    }

    #[test]
    fn fill_encodes_for_addresses() {
        assert_eq!(
            fill("https://x/p?n={{nome}}&c={{cpf}}", &fields(), url_encode),
            "https://x/p?n=Ana%20Souza&c=12345678909"
        );
        assert_eq!(url_encode("a/b?&ç"), "a%2Fb%3F%26%C3%A7");
    }
}
