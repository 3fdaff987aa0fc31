//! One validator per kind of value a form or an API takes: each reads the text as
//! typed, returns the value to store and, when the text breaks a rule, puts the
//! message key of the problem under the field's name in `FieldErrors`. Forms show
//! those keys next to each field; the REST API returns them with the field in fault.

use std::collections::BTreeMap;

use super::email::EmailProblem;
use super::text::{fold, one_line};

/// Field name → message key, shown next to each field.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// A trimmed, required text of at most `max` characters without control characters.
pub fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim().to_string();
    if value.is_empty() {
        errors.insert(field, "field-required");
    } else if value.chars().count() > max {
        errors.insert(field, "field-too-long");
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.insert(field, "field-invalid-characters");
    }
    value
}

/// An optional text: empty is fine, otherwise the same rules as `text`.
pub fn optional_text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    text(errors, field, value, max)
}

/// A whole number in `min..=max`; an empty field is `None` unless required.
pub fn number(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: i64,
    max: i64,
    required: bool,
) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            errors.insert(field, "field-out-of-range");
            None
        }
        Err(_) => {
            errors.insert(field, "field-not-a-number");
            None
        }
    }
}

/// The id picked in a select where empty means "none" (e.g. "every team"); `key` is
/// the message when the text is not an id. That the row exists is checked when saving.
pub fn optional_id(errors: &mut FieldErrors, field: &'static str, value: &str, key: &'static str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.insert(field, key);
            None
        }
    }
}

/// A time of day `HH:MM` → minutes from midnight (`24:00` allowed as the end of a day).
pub fn time_of_day(errors: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
        return None;
    }
    match super::clock::parse_hhmm(value) {
        Some(m) => Some(m),
        None => {
            errors.insert(field, "field-bad-time");
            None
        }
    }
}

/// A colour `#rrggbb` (what a colour input sends), stored in lower case.
pub fn color(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let value = value.trim().to_ascii_lowercase();
    let valid = value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if value.is_empty() {
        errors.insert(field, "field-required");
    } else if !valid {
        errors.insert(field, "field-bad-color");
    }
    value
}

/// An `http://` or `https://` address without spaces.
pub fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 8 && !url.contains(char::is_whitespace)
}

/// A required web address of at most `max` characters.
pub fn web_address(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = text(errors, field, value, max);
    if !errors.contains_key(field) && !is_web_address(&value) {
        errors.insert(field, "field-bad-web-address");
    }
    value
}

/// One of a fixed list of codes (a select's options), stored as typed without spaces.
pub fn one_of(errors: &mut FieldErrors, field: &'static str, value: &str, allowed: &[&str]) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.insert(field, "field-required");
    } else if !allowed.contains(&value) {
        errors.insert(field, "catalogues-choose-one");
    }
    value.to_string()
}

/// What a list of short texts may hold (the options of a field, a template's buttons,
/// the words of a filter), with the message key of each problem: each section words
/// its limits in its own way.
pub struct ListRules {
    /// The key when the list is empty; `None`: an empty list is fine.
    pub empty: Option<&'static str>,
    /// The fewest items a list that is not empty may have, and its key.
    pub fewest: Option<(usize, &'static str)>,
    /// The most items, and its key.
    pub most: (usize, &'static str),
    /// The longest item in characters, and its key.
    pub longest: (usize, &'static str),
    /// The key when two items are the same but for case and accents; `None`: repeats
    /// are fine (the caller skips them).
    pub repeated: Option<&'static str>,
}

/// A list of short texts, already split and trimmed by the caller (empty items left
/// out): its first problem, in the order of `ListRules`, goes under `field`.
pub fn short_texts(
    errors: &mut FieldErrors,
    field: &'static str,
    items: Vec<String>,
    rules: &ListRules,
) -> Vec<String> {
    let repeats = || items.iter().enumerate().any(|(i, a)| items[..i].iter().any(|b| fold(a) == fold(b)));
    let problem = match (rules.empty, rules.fewest) {
        (Some(key), _) if items.is_empty() => Some(key),
        (_, Some((fewest, key))) if !items.is_empty() && items.len() < fewest => Some(key),
        _ if items.len() > rules.most.0 => Some(rules.most.1),
        _ if items.iter().any(|t| t.chars().count() > rules.longest.0) => Some(rules.longest.1),
        _ if items.iter().any(|t| t.chars().any(char::is_control)) => Some("field-invalid-characters"),
        _ => rules.repeated.filter(|_| repeats()),
    };
    if let Some(key) = problem {
        errors.insert(field, key);
    }
    items
}

/// An e-mail address, by the rules of `domain::email`: cleaned to one line (marks
/// copied with it dropped) and normalised; empty is "" unless required.
pub fn email(errors: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> String {
    let typed = one_line(value);
    match super::email::parse(&typed) {
        Ok(address) => address,
        Err(problem) => {
            match problem {
                EmailProblem::Empty if !required => {}
                EmailProblem::Empty => {
                    errors.insert(field, "field-required");
                }
                EmailProblem::TooLong => {
                    errors.insert(field, "field-too-long");
                }
                _ => {
                    errors.insert(field, "email-invalid");
                }
            }
            typed
        }
    }
}

/// A phone number, by the rules of `domain::phone`: stored as E.164 digits, read in
/// `default_country` (the company's "país padrão") when typed without its country
/// code; empty is "" unless required.
pub fn phone(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    default_country: &str,
    required: bool,
) -> String {
    // Numbers copied from a chat app often come wrapped in direction marks.
    let typed = one_line(value);
    if typed.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
        return typed;
    }
    match super::phone::normalise(&typed, default_country) {
        Ok(e164) => e164,
        Err(problem) => {
            errors.insert(field, problem.key());
            typed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_required_bounded_and_clean() {
        let mut e = FieldErrors::new();
        assert_eq!(text(&mut e, "name", "  Urgente ", 10), "Urgente");
        assert!(e.is_empty());
        text(&mut e, "a", "   ", 10);
        text(&mut e, "b", "abcdefghijk", 10);
        text(&mut e, "c", "a\u{7}b", 10);
        assert_eq!(
            e,
            FieldErrors::from([("a", "field-required"), ("b", "field-too-long"), ("c", "field-invalid-characters")])
        );
        assert_eq!(text(&mut FieldErrors::new(), "x", "ação", 4), "ação", "characters, not bytes");
    }

    #[test]
    fn numbers_ids_and_times() {
        let mut e = FieldErrors::new();
        assert_eq!(number(&mut e, "n", " 15 ", 1, 1440, true), Some(15));
        assert_eq!(number(&mut e, "empty", "", 1, 10, false), None);
        assert!(e.is_empty());
        number(&mut e, "big", "9999", 1, 1440, true);
        number(&mut e, "junk", "dez", 1, 10, true);
        number(&mut e, "req", "", 1, 10, true);
        assert_eq!(e["big"], "field-out-of-range");
        assert_eq!(e["junk"], "field-not-a-number");
        assert_eq!(e["req"], "field-required");

        let mut e = FieldErrors::new();
        assert_eq!(optional_id(&mut e, "team_id", "", "k"), None);
        assert_eq!(optional_id(&mut e, "team_id", "7", "k"), Some(7));
        assert!(e.is_empty());
        optional_id(&mut e, "team_id", "-1", "k");
        assert_eq!(e["team_id"], "k");

        let mut e = FieldErrors::new();
        assert_eq!(time_of_day(&mut e, "t", "08:30", true), Some(510));
        assert_eq!(time_of_day(&mut e, "t", "24:00", true), Some(1440));
        time_of_day(&mut e, "bad", "25:00", true);
        assert_eq!(e["bad"], "field-bad-time");
    }

    #[test]
    fn colours_are_hex_and_lower_case() {
        let mut e = FieldErrors::new();
        assert_eq!(color(&mut e, "color", " #0F5FA8 "), "#0f5fa8");
        assert!(e.is_empty());
        for bad in ["0f5fa8", "#0f5fa", "#0f5fzz", "red"] {
            let mut e = FieldErrors::new();
            color(&mut e, "color", bad);
            assert_eq!(e["color"], "field-bad-color", "{bad}");
        }
    }

    #[test]
    fn choices_from_a_fixed_list() {
        let mut e = FieldErrors::new();
        assert_eq!(one_of(&mut e, "language", " pt_BR ", &["pt_BR", "en"]), "pt_BR");
        assert!(e.is_empty());
        one_of(&mut e, "a", "", &["pt_BR"]);
        one_of(&mut e, "b", "klingon", &["pt_BR"]);
        assert_eq!(e, FieldErrors::from([("a", "field-required"), ("b", "catalogues-choose-one")]));
    }

    #[test]
    fn lists_of_short_texts_report_their_first_problem() {
        let rules = ListRules {
            empty: Some("empty"),
            fewest: Some((2, "few")),
            most: (3, "many"),
            longest: (5, "long"),
            repeated: Some("repeated"),
        };
        let check = |items: &[&str]| {
            let mut e = FieldErrors::new();
            let kept = short_texts(&mut e, "f", items.iter().map(|s| s.to_string()).collect(), &rules);
            assert_eq!(kept.len(), items.len(), "the items are given back as they came");
            e.get("f").copied()
        };
        assert_eq!(check(&["Sim", "Não"]), None);
        assert_eq!(check(&[]), Some("empty"));
        assert_eq!(check(&["Sim"]), Some("few"));
        assert_eq!(check(&["a", "b", "c", "d"]), Some("many"));
        assert_eq!(check(&["Sim", "Talvez"]), Some("long"));
        assert_eq!(check(&["Sim", "a\u{7}"]), Some("field-invalid-characters"));
        assert_eq!(check(&["Não", "nao"]), Some("repeated"), "case and accents do not count");

        let open = ListRules { empty: None, fewest: None, repeated: None, ..rules };
        let mut e = FieldErrors::new();
        short_texts(&mut e, "f", vec![], &open);
        short_texts(&mut e, "f", vec!["ok".into(), "OK".into()], &open);
        assert!(e.is_empty(), "empty and repeated lists allowed: {e:?}");
    }

    #[test]
    fn email_addresses_are_one_normalised_address() {
        let mut e = FieldErrors::new();
        assert_eq!(email(&mut e, "email", " Ana@Empresa.COM.BR\u{200B} ", true), "Ana@empresa.com.br");
        assert_eq!(email(&mut e, "optional", "  ", false), "");
        assert!(e.is_empty());
        email(&mut e, "required", "", true);
        email(&mut e, "list", "a@b.com, c@d.com", true);
        email(&mut e, "no_domain", "ana@", false);
        email(&mut e, "long", &format!("{}@x.com", "a".repeat(65)), true);
        assert_eq!(
            e,
            FieldErrors::from([
                ("required", "field-required"),
                ("list", "email-invalid"),
                ("no_domain", "email-invalid"),
                ("long", "field-too-long"),
            ])
        );
        let mut e = FieldErrors::new();
        assert_eq!(email(&mut e, "email", "ana@", true), "ana@", "what was typed, for the form");
    }

    #[test]
    fn phones_are_e164_digits_in_the_default_country() {
        let mut e = FieldErrors::new();
        assert_eq!(phone(&mut e, "phone", "(11) 98765-4321", "BR", true), "5511987654321");
        assert_eq!(phone(&mut e, "phone", "\u{2066}+55 11 98765-4321\u{2069}", "BR", true), "5511987654321");
        assert_eq!(phone(&mut e, "phone", "912 345 678", "PT", true), "351912345678");
        assert_eq!(phone(&mut e, "phone", "(11) 8765-4321", "BR", true), "5511987654321", "the 9th digit");
        assert_eq!(phone(&mut e, "optional", " ", "BR", false), "");
        assert!(e.is_empty());
        phone(&mut e, "required", "", "BR", true);
        phone(&mut e, "letters", "11 9876x4321", "BR", true);
        phone(&mut e, "short", "98765-4321", "BR", false);
        phone(&mut e, "nowhere", "+999 1234567", "BR", true);
        assert_eq!(
            e,
            FieldErrors::from([
                ("required", "field-required"),
                ("letters", "phone-digits"),
                ("short", "phone-invalid"),
                ("nowhere", "phone-invalid"),
            ])
        );
    }
}
