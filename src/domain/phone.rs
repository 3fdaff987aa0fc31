//! WhatsApp numbers as people type them: digits only, country + area + number.
//! Brazilian mobile numbers exist in two forms, with and without the 9th digit
//! (55DD9XXXXXXXX ≡ 55DDXXXXXXXX); both name the same contact.

/// The digits of what was typed ("+55 (11) 98765-4321" → "5511987654321").
pub fn digits(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Why a number is refused: the catalogue key of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Something other than digits, spaces, `+`, `-`, `(`, `)` or `.` was typed.
    NotDigits,
    /// Not 10–15 digits, or a Brazilian number (55…) that is not 12–13 digits.
    BadLength,
}

impl PhoneError {
    pub fn key(self) -> &'static str {
        match self {
            PhoneError::NotDigits => "contacts-phone-digits",
            PhoneError::BadLength => "contacts-phone-length",
        }
    }
}

/// Whether the text holds only digits and the punctuation people type in numbers.
fn only_number_characters(input: &str) -> bool {
    input.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

/// Checks a typed number and gives its digits.
pub fn parse(input: &str) -> Result<String, PhoneError> {
    if !only_number_characters(input) {
        return Err(PhoneError::NotDigits);
    }
    let d = digits(input);
    let len = d.len();
    if !(10..=15).contains(&len) {
        return Err(PhoneError::BadLength);
    }
    if d.starts_with("55") && !(12..=13).contains(&len) {
        return Err(PhoneError::BadLength);
    }
    Ok(d)
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

/// What a search for a number looks for: every stored form of the digits typed, when
/// the text is a number (or part of one) — digits and punctuation only. Text with
/// letters ("Loja 24h") or without digits is not a number and looks for none.
pub fn search_forms(typed: &str) -> Vec<String> {
    let d = digits(typed);
    if d.is_empty() || !only_number_characters(typed) {
        return Vec::new();
    }
    equivalent_forms(&d)
}

/// Whether two numbers (digits) are the same contact.
pub fn same_number(a: &str, b: &str) -> bool {
    !a.is_empty() && equivalent_forms(a).iter().any(|f| f == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_digits_only() {
        assert_eq!(digits("+55 (11) 98765-4321"), "5511987654321");
        assert_eq!(parse("+55 (11) 98765-4321"), Ok("5511987654321".into()));
    }

    #[test]
    fn brazilian_numbers_have_twelve_or_thirteen_digits() {
        assert_eq!(parse("5511987654321"), Ok("5511987654321".into()));
        assert_eq!(parse("551187654321"), Ok("551187654321".into()));
        assert_eq!(parse("55119876543210"), Err(PhoneError::BadLength));
        assert_eq!(parse("11987654321"), Ok("11987654321".into())); // another country
        assert_eq!(parse("987654321"), Err(PhoneError::BadLength));
        assert_eq!(parse("1234567890123456"), Err(PhoneError::BadLength));
        assert_eq!(parse("55 11 9876x4321"), Err(PhoneError::NotDigits));
        assert_eq!(parse(""), Err(PhoneError::BadLength));
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
        assert_eq!(search_forms("98765-4321"), vec!["987654321"]);
        assert_eq!(search_forms("+55 (11) 98765-4321"), vec!["5511987654321", "551187654321"]);
        assert!(search_forms("zzzz").is_empty());
        assert!(search_forms("").is_empty());
        assert!(search_forms(" - ").is_empty());
        assert!(search_forms("Loja 24h").is_empty());
    }
}
