//! WhatsApp numbers as WhatsApp needs them: E.164 digits — country code, area code and
//! number, nothing else ("(11) 98765-4321" → `5511987654321`). A number typed without
//! its country takes the company's default country ("país padrão"). Numbers are checked
//! against libphonenumber's metadata (the `phonenumber` crate).
//!
//! Brazilian mobile numbers exist in two forms, with and without the 9th digit
//! (55DD9XXXXXXXX ≡ 55DDXXXXXXXX); both name the same contact.

use phonenumber::country;
use phonenumber::Mode;

/// The default country when the company chose none.
pub const DEFAULT_COUNTRY: &str = "BR";

/// The countries a company may choose as its default (ISO 3166 codes): Brazil, the
/// other Portuguese-speaking countries, the Americas and Europe's most called.
pub const COUNTRIES: [&str; 24] = [
    "BR", "PT", "AO", "MZ", "CV", "AR", "BO", "CL", "CO", "EC", "PY", "PE", "UY", "VE", "MX", "US", "CA", "ES", "FR",
    "DE", "IT", "GB", "CH", "JP",
];

/// The digits of what was typed ("+55 (11) 98765-4321" → "5511987654321").
pub fn digits(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Why a number is refused: the catalogue key of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Something other than digits, spaces, `+`, `-`, `(`, `)` or `.` was typed.
    NotDigits,
    /// No number of any country has this form.
    Invalid,
}

impl PhoneError {
    pub fn key(self) -> &'static str {
        match self {
            PhoneError::NotDigits => "phone-digits",
            PhoneError::Invalid => "phone-invalid",
        }
    }
}

/// Whether the text holds only digits and the punctuation people type in numbers.
fn only_number_characters(input: &str) -> bool {
    input.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

/// The country of an ISO 3166 code ("BR", "pt"), when libphonenumber knows it.
fn country_id(code: &str) -> Option<country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// Whether numbers of this ISO 3166 country code can be read ("BR", "PT" …).
pub fn country_known(code: &str) -> bool {
    country_calling_code(code).is_some()
}

/// The calling code of a country ("BR" → 55).
pub fn country_calling_code(code: &str) -> Option<u16> {
    let id = country_id(code)?;
    phonenumber::metadata::DATABASE.by_id(id.as_ref()).map(|m| m.country_code())
}

/// The E.164 digits of `text` read in `country` (or as international when `None`),
/// when it is a valid number.
fn valid_e164(country: Option<country::Id>, text: &str) -> Option<String> {
    let number = phonenumber::parse(country, text).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string().replace('+', ""))
}

/// A Brazilian mobile number written without its 9th digit (55 DD 8765-4321, the form
/// older WhatsApp accounts still have): the digits with the 9 when only that is valid.
fn with_ninth_digit(e164: &str) -> Option<String> {
    if e164.len() != 12 || !e164.starts_with("55") || !matches!(e164.as_bytes()[4], b'6'..=b'9') {
        return None;
    }
    valid_e164(None, &format!("+{}9{}", &e164[..4], &e164[4..]))
}

/// Reads a typed number as E.164 digits: with a `+`, as international; otherwise first
/// in the default country ("11 98765-4321" in Brazil), then as international digits
/// ("351 912 345 678"). A Brazilian mobile typed without its 9th digit is stored with it.
pub fn normalise(typed: &str, default_country: &str) -> Result<String, PhoneError> {
    let typed = typed.trim();
    if !only_number_characters(typed) {
        return Err(PhoneError::NotDigits);
    }
    let d = digits(typed);
    if !(3..=17).contains(&d.len()) {
        return Err(PhoneError::Invalid);
    }
    let home = country_id(default_country).or_else(|| country_id(DEFAULT_COUNTRY));
    let international = format!("+{d}");
    let found = if typed.starts_with('+') {
        valid_e164(None, &international)
    } else {
        valid_e164(home, typed).or_else(|| valid_e164(None, &international))
    };
    if let Some(e164) = found {
        return Ok(e164);
    }
    // Only the 9th digit is missing: as international, or in Brazil without its code
    // (never for a number whose `+` says it is of another country).
    let national = !typed.starts_with('+') && home == Some(country::BR);
    let candidates = [Some(d.clone()), national.then(|| format!("55{d}"))];
    candidates.into_iter().flatten().find_map(|c| with_ninth_digit(&c)).ok_or(PhoneError::Invalid)
}

/// A number stored before numbers were kept as E.164, as it should be stored now: kept
/// when it is already a number with its country code (either 9th-digit form), given
/// the default country's code when it reads as one of its numbers; `None` when it is
/// neither (it stays as it is).
pub fn stored_form(stored: &str, default_country: &str) -> Option<String> {
    let d = digits(stored);
    if d.is_empty() || d.len() != stored.len() {
        return None;
    }
    let international = format!("+{d}");
    if valid_e164(None, &international).is_some() || with_ninth_digit(&d).is_some() {
        return Some(d);
    }
    let home = country_id(default_country)?;
    if let Some(e164) = valid_e164(Some(home), &d) {
        return Some(e164);
    }
    let code = country_calling_code(default_country)?;
    with_ninth_digit(&format!("{code}{d}")).map(|_| format!("{code}{d}"))
}

/// A number as a channel hands it over (a WhatsApp id, a visitor's form), as stored:
/// kept as the channel knows it when it has its country code, the default country's
/// code added when it reads as one of its numbers, else its digits. Never refused: the
/// message it came with must not be lost.
pub fn from_channel(given: &str, default_country: &str) -> String {
    let d = digits(given);
    stored_form(&d, default_country).or_else(|| normalise(given, default_country).ok()).unwrap_or(d)
}

/// Stored digits as people read them, in the international format ("+55 11 98765-4321");
/// digits that read as no number are shown as they are.
pub fn display(digits: &str) -> String {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_string();
    }
    match phonenumber::parse(None, format!("+{digits}")) {
        Ok(n) if phonenumber::is_valid(&n) => n.format().mode(Mode::International).to_string(),
        _ => digits.to_string(),
    }
}

/// Every stored form that names the same number: the number itself and, for a
/// Brazilian number, the form with or without the 9th digit.
pub fn equivalent_forms(digits: &str) -> Vec<String> {
    let mut forms = vec![digits.to_string()];
    if digits.starts_with("55") && digits.is_ascii() {
        match digits.len() {
            13 if digits.as_bytes()[4] == b'9' => forms.push(format!("{}{}", &digits[..4], &digits[5..])),
            12 => forms.push(format!("{}9{}", &digits[..4], &digits[4..])),
            _ => {}
        }
    }
    forms
}

/// What a search for a number looks for in stored numbers (each form matches any part
/// of one): the digits typed, and — when they read as a whole number, with or without
/// the country code, with or without the 9th digit — both of its stored forms. Text
/// with letters ("Loja 24h") or without digits is not a number and looks for none.
pub fn search_forms(typed: &str, default_country: &str) -> Vec<String> {
    let d = digits(typed);
    if d.is_empty() || !only_number_characters(typed) {
        return Vec::new();
    }
    let mut forms = equivalent_forms(&d);
    if let Ok(e164) = normalise(typed, default_country) {
        forms.extend(equivalent_forms(&e164));
    }
    // A longer form contains the shorter ones it was made from: keep only what adds.
    forms.sort_by_key(|f| f.len());
    let mut kept: Vec<String> = Vec::new();
    for form in forms {
        if !kept.iter().any(|k| form.contains(k.as_str())) {
            kept.push(form);
        }
    }
    kept
}

/// Whether two numbers (digits) are the same contact.
pub fn same_number(a: &str, b: &str) -> bool {
    !a.is_empty() && equivalent_forms(a).iter().any(|f| f == b)
}

/// The other form a Brazilian mobile's WhatsApp id may arrive in: `55DD9XXXXXXXX` ⇄
/// `55DDXXXXXXXX` (accounts older than the ninth digit still use the short form). Only
/// mobiles have it (their eight-digit number starts with 6 to 9); a landline, another
/// country or anything that is not digits has none.
pub fn ninth_digit_alias(wa_id: &str) -> Option<String> {
    let d = wa_id.as_bytes();
    if !wa_id.starts_with("55") || !d.iter().all(u8::is_ascii_digit) || d.len() < 12 || d[2] == b'0' || d[3] == b'0' {
        return None;
    }
    let mobile = |b: u8| (b'6'..=b'9').contains(&b);
    match d.len() {
        13 if d[4] == b'9' && mobile(d[5]) => Some(format!("{}{}", &wa_id[..4], &wa_id[5..])),
        12 if mobile(d[4]) => Some(format!("{}9{}", &wa_id[..4], &wa_id[4..])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ninth_digit_names_the_same_mobile_both_ways() {
        assert_eq!(ninth_digit_alias("5511987654321").as_deref(), Some("551187654321"));
        assert_eq!(ninth_digit_alias("551187654321").as_deref(), Some("5511987654321"));
        assert_eq!(ninth_digit_alias("558199998888").as_deref(), Some("5581999998888"));
        assert_eq!(ninth_digit_alias("551133334444"), None, "a landline has no ninth digit");
        assert_eq!(ninth_digit_alias("5511933334444"), None, "9 then a landline digit is no old mobile");
        assert_eq!(ninth_digit_alias("14155550123"), None, "another country");
        assert_eq!(ninth_digit_alias("351912345678"), None);
        assert_eq!(ninth_digit_alias("55119876543"), None, "too short");
        assert_eq!(ninth_digit_alias("5501987654321"), None, "no area code starts with 0");
        assert_eq!(ninth_digit_alias("55119876x4321"), None);
        assert_eq!(ninth_digit_alias(""), None);
    }

    #[test]
    fn keeps_digits_only() {
        assert_eq!(digits("+55 (11) 98765-4321"), "5511987654321");
    }

    #[test]
    fn typed_numbers_become_e164_with_the_default_country() {
        for typed in ["(11) 98765-4321", "11987654321", "+55 11 98765-4321", "5511987654321", "55 11 98765.4321"] {
            assert_eq!(normalise(typed, "BR"), Ok("5511987654321".into()), "{typed}");
        }
        // Landlines, other countries with their code, the default country elsewhere.
        assert_eq!(normalise("(21) 3333-4444", "BR"), Ok("552133334444".into()));
        assert_eq!(normalise("+1 415 555 0100", "BR"), Ok("14155550100".into()));
        assert_eq!(normalise("351 912 345 678", "BR"), Ok("351912345678".into()));
        assert_eq!(normalise("912 345 678", "PT"), Ok("351912345678".into()));
        assert_eq!(normalise("11987654321", "PT"), Err(PhoneError::Invalid));
        // A mobile without its 9th digit is stored with it.
        assert_eq!(normalise("55 11 8765-4321", "BR"), Ok("5511987654321".into()));
        assert_eq!(normalise("(11) 8765-4321", "BR"), Ok("5511987654321".into()));
        // Refused: letters, too short, no such number.
        assert_eq!(normalise("55 11 9876x4321", "BR"), Err(PhoneError::NotDigits));
        assert_eq!(normalise("98765-4321", "BR"), Err(PhoneError::Invalid));
        assert_eq!(normalise("123", "BR"), Err(PhoneError::Invalid));
        assert_eq!(normalise("", "BR"), Err(PhoneError::Invalid));
        assert_eq!(normalise("+999 1234567", "BR"), Err(PhoneError::Invalid));
        // An unknown default country falls back to Brazil.
        assert_eq!(normalise("11987654321", "XX"), Ok("5511987654321".into()));
    }

    #[test]
    fn numbers_are_shown_in_the_international_format() {
        assert_eq!(display("5511987654321"), "+55 11 98765-4321");
        assert_eq!(display("552133334444"), "+55 21 3333-4444");
        assert_eq!(display("14155550100"), "+1 415-555-0100");
        assert_eq!(display("12345"), "12345");
        assert_eq!(display(""), "");
    }

    #[test]
    fn countries_by_code() {
        assert!(COUNTRIES.iter().all(|c| country_known(c)), "every country offered is known");
        assert!(country_known("BR") && country_known("pt") && !country_known("XX") && !country_known(""));
        assert_eq!(country_calling_code("BR"), Some(55));
        assert_eq!(country_calling_code("US"), Some(1));
    }

    #[test]
    fn stored_numbers_get_their_country_code() {
        assert_eq!(stored_form("11987654321", "BR"), Some("5511987654321".into()));
        assert_eq!(stored_form("2133334444", "BR"), Some("552133334444".into()));
        assert_eq!(stored_form("1187654321", "BR"), Some("551187654321".into()), "the 9th-digit form stays");
        // Already with a country code: as it is, either 9th-digit form.
        assert_eq!(stored_form("5511987654321", "BR"), Some("5511987654321".into()));
        assert_eq!(stored_form("551187654321", "BR"), Some("551187654321".into()));
        assert_eq!(stored_form("14155550100", "BR"), Some("14155550100".into()));
        assert_eq!(stored_form("123", "BR"), None);
        assert_eq!(stored_form("", "BR"), None);
        assert_eq!(stored_form("11 98765-4321", "BR"), None, "only digits were ever stored");
    }

    #[test]
    fn channels_numbers_are_kept_with_their_country_code() {
        assert_eq!(from_channel("551187654321", "BR"), "551187654321", "as WhatsApp knows it");
        assert_eq!(from_channel("(11) 98765-4321", "BR"), "5511987654321");
        assert_eq!(from_channel("12345678", "BR"), "12345678");
        assert_eq!(from_channel("", "BR"), "");
    }

    #[test]
    fn ninth_digit_forms_are_the_same_number() {
        assert_eq!(equivalent_forms("5511987654321"), vec!["5511987654321", "551187654321"]);
        assert_eq!(equivalent_forms("551187654321"), vec!["551187654321", "5511987654321"]);
        assert!(same_number("5511987654321", "551187654321"));
        assert!(same_number("551187654321", "5511987654321"));
        assert!(!same_number("5511987654321", "5511987654322"));
        // A 13-digit number whose 5th digit is not 9 has no other form.
        assert_eq!(equivalent_forms("5511887654321"), vec!["5511887654321"]);
        // Other countries have one form.
        assert_eq!(equivalent_forms("14155550100"), vec!["14155550100"]);
        assert!(!same_number("", ""));
    }

    #[test]
    fn searches_look_for_numbers_only_in_numbers() {
        assert_eq!(search_forms("98765-4321", "BR"), vec!["987654321"]);
        assert!(search_forms("zzzz", "BR").is_empty());
        assert!(search_forms("", "BR").is_empty());
        assert!(search_forms(" - ", "BR").is_empty());
        assert!(search_forms("Loja 24h", "BR").is_empty());
    }

    #[test]
    fn every_form_of_a_number_finds_both_stored_forms() {
        let finds = |typed: &str, stored: &str| search_forms(typed, "BR").iter().any(|f| stored.contains(f.as_str()));
        for typed in [
            "5511987654321",
            "551187654321",
            "11987654321",
            "1187654321",
            "+55 (11) 98765-4321",
            "(11) 8765-4321",
            "987654321",
        ] {
            for stored in ["5511987654321", "551187654321"] {
                if typed == "987654321" && stored == "551187654321" {
                    continue; // a part of a number matches only where it is written
                }
                assert!(finds(typed, stored), "{typed} finds {stored}");
            }
        }
        assert!(!finds("11987654322", "5511987654321"));
        assert!(!finds("21987654321", "5511987654321"));
    }
}
