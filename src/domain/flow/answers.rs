//! Answers to "Perguntar": checked by the block's validation and normalised before
//! they are stored (a CPF as its 11 digits, a date as `DD/MM/AAAA`, a phone as E.164).

use super::definition::Validation;
use crate::domain::text::{fold, one_line};
use crate::domain::{email, phone};

/// The value to store, or `None` when the answer does not pass.
pub fn validate(validation: &Validation, answer: &str, default_country: &str) -> Option<String> {
    let answer = one_line(answer);
    if answer.is_empty() {
        return None;
    }
    match validation {
        Validation::Text => Some(answer),
        Validation::Email => email::parse(&answer).ok(),
        Validation::Cpf => cpf(&answer),
        Validation::Cnpj => cnpj(&answer),
        Validation::CpfCnpj => cpf(&answer).or_else(|| cnpj(&answer)),
        Validation::Phone => phone::normalise(&answer, default_country).ok(),
        Validation::Number => number(&answer),
        Validation::Date => date(&answer),
        Validation::OneOf { options } => options.iter().find(|o| fold(o.trim()) == fold(&answer)).cloned(),
    }
}

/// The digits of a document typed with or without its dots, dash and slash.
fn document_digits(text: &str, len: usize) -> Option<Vec<u32>> {
    if !text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ' ')) {
        return None;
    }
    let d: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    (d.len() == len && d.iter().any(|x| *x != d[0])).then_some(d)
}

/// A check digit of the Receita's mod-11 rule over `digits` with `weights`.
fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    }
}

fn joined(d: &[u32]) -> String {
    d.iter().map(|x| char::from_digit(*x, 10).unwrap_or('0')).collect()
}

/// A CPF with valid check digits (not all digits the same), as its 11 digits.
pub fn cpf(text: &str) -> Option<String> {
    let d = document_digits(text, 11)?;
    let first = check_digit(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&d[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    (d[9] == first && d[10] == second).then(|| joined(&d))
}

/// A CNPJ with valid check digits, as its 14 digits.
pub fn cnpj(text: &str) -> Option<String> {
    let d = document_digits(text, 14)?;
    let first = check_digit(&d[..12], &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&d[..13], &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    (d[12] == first && d[13] == second).then(|| joined(&d))
}

/// A number as people write it here ("1.234,5" or "1234.5"), stored with a point.
fn number(text: &str) -> Option<String> {
    let t = text.replace(' ', "");
    let normal = if t.contains(',') { t.replace('.', "").replace(',', ".") } else { t };
    let value: f64 = normal.parse().ok()?;
    value.is_finite().then_some(normal)
}

/// A calendar day typed as `DD/MM/AAAA` (or with `-` or `.`), stored as `DD/MM/AAAA`.
fn date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m, y): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let y = if y < 100 { 2000 + y } else { y };
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|day| day.format("%d/%m/%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Validation, answer: &str) -> Option<String> {
        validate(&v, answer, "BR")
    }

    #[test]
    fn cpf_needs_its_check_digits() {
        assert_eq!(check(Validation::Cpf, "529.982.247-25"), Some("52998224725".into()));
        assert_eq!(check(Validation::Cpf, "52998224725"), Some("52998224725".into()));
        assert_eq!(check(Validation::Cpf, "529.982.247-24"), None);
        assert_eq!(check(Validation::Cpf, "111.111.111-11"), None, "all digits the same");
        assert_eq!(check(Validation::Cpf, "5299822472"), None, "ten digits");
        assert_eq!(check(Validation::Cpf, "529a982247-25"), None);
    }

    #[test]
    fn cnpj_needs_its_check_digits() {
        assert_eq!(check(Validation::Cnpj, "11.222.333/0001-81"), Some("11222333000181".into()));
        assert_eq!(check(Validation::Cnpj, "11.222.333/0001-82"), None);
        assert_eq!(check(Validation::Cnpj, "00.000.000/0000-00"), None);
    }

    #[test]
    fn cpf_or_cnpj_by_length() {
        assert_eq!(check(Validation::CpfCnpj, "529.982.247-25"), Some("52998224725".into()));
        assert_eq!(check(Validation::CpfCnpj, "11222333000181"), Some("11222333000181".into()));
        assert_eq!(check(Validation::CpfCnpj, "1122233300018"), None);
    }

    #[test]
    fn email_phone_number_date() {
        assert_eq!(check(Validation::Email, " Ana@Exemplo.com.br "), Some("Ana@exemplo.com.br".into()));
        assert_eq!(check(Validation::Email, "ana@"), None);
        assert_eq!(check(Validation::Phone, "(11) 98765-4321"), Some("5511987654321".into()));
        assert_eq!(check(Validation::Phone, "12"), None);
        assert_eq!(check(Validation::Number, "1.234,5"), Some("1234.5".into()));
        assert_eq!(check(Validation::Number, "42"), Some("42".into()));
        assert_eq!(check(Validation::Number, "quarenta"), None);
        assert_eq!(check(Validation::Date, "5/3/2026"), Some("05/03/2026".into()));
        assert_eq!(check(Validation::Date, "31/02/2026"), None);
        assert_eq!(check(Validation::Date, "amanhã"), None);
    }

    #[test]
    fn one_of_a_list_and_text() {
        let v = Validation::OneOf { options: vec!["Boleto".into(), "Cartão".into()] };
        assert_eq!(check(v.clone(), "cartao"), Some("Cartão".into()));
        assert_eq!(check(v, "pix"), None);
        assert_eq!(check(Validation::Text, "  Ana  "), Some("Ana".into()));
        assert_eq!(check(Validation::Text, "   "), None);
    }
}
