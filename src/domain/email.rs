//! E-mail addresses as people type them: one address, checked and normalised the same
//! way wherever one comes in (accounts, contacts, the web chat's pre-chat form, the
//! SMTP sender).
//!
//! What is accepted is what mail providers hand out, not everything RFC 5321 allows:
//! a local part of ASCII letters, digits, dots (not first, last or doubled) and
//! `!#$%&'*+/=?^_`{|}~-` — so `+tags` work — and a domain name with at least one dot.
//! Internationalised domains (`ana@açaí.com.br`) are accepted and kept in Unicode, in
//! their canonical form (lower case, NFC); `ascii` gives the form for the wire. A
//! local part in Unicode (`joão@…`) is refused: few servers deliver to one, and it is
//! nearly always a slip for the ASCII spelling. Quoted local parts, comments, display
//! names (`Ana <ana@x.com>`) and address literals (`ana@[10.0.0.1]`) are refused too.

/// Why a typed address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    /// More than 254 characters (in its ASCII form), or a local part over 64.
    TooLong,
    /// More than one address: `,`, `;`, spaces or a second `@`.
    NotOne,
    /// Quotes, angle brackets, parentheses and other characters no address has.
    Characters,
    /// Nothing before the `@`, or dots where they cannot be.
    LocalPart,
    /// Nothing after the `@`, no dot, or not a domain name.
    Domain,
}

/// The longest address SMTP carries (RFC 5321: a 256-octet path less the brackets).
const MAX_LENGTH: usize = 254;
const MAX_LOCAL: usize = 64;

fn local_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c)
}

fn dots_in_place(part: &str) -> bool {
    !part.starts_with('.') && !part.ends_with('.') && !part.contains("..")
}

/// Checks one typed address and gives it normalised: trimmed, the domain in its
/// canonical (lower-case) Unicode form, the local part as typed.
pub fn parse(input: &str) -> Result<String, EmailProblem> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(EmailProblem::Empty);
    }
    if typed.contains(|c: char| c.is_whitespace() || c == ',' || c == ';') || typed.matches('@').count() > 1 {
        return Err(EmailProblem::NotOne);
    }
    let Some((local, domain)) = typed.split_once('@') else { return Err(EmailProblem::Domain) };
    if local.is_empty() || !dots_in_place(local) {
        return Err(EmailProblem::LocalPart);
    }
    if !local.chars().all(local_character) {
        return Err(if local.is_ascii() { EmailProblem::Characters } else { EmailProblem::LocalPart });
    }
    if local.len() > MAX_LOCAL {
        return Err(EmailProblem::TooLong);
    }
    let ascii_domain = ascii_domain(domain)?;
    if local.len() + 1 + ascii_domain.len() > MAX_LENGTH {
        return Err(EmailProblem::TooLong);
    }
    let (unicode_domain, checked) = idna::domain_to_unicode(&ascii_domain);
    checked.map_err(|_| EmailProblem::Domain)?;
    Ok(format!("{local}@{unicode_domain}"))
}

/// A domain name in its ASCII (Punycode) form, checked: at least two labels, each of
/// letters, digits and inner hyphens, the last one not all digits (no IP addresses).
fn ascii_domain(domain: &str) -> Result<String, EmailProblem> {
    if domain.is_empty() || !dots_in_place(domain) {
        return Err(EmailProblem::Domain);
    }
    if domain.contains(|c: char| c.is_ascii_punctuation() && c != '.' && c != '-') {
        return Err(EmailProblem::Characters);
    }
    let ascii = idna::domain_to_ascii_strict(domain).map_err(|_| EmailProblem::Domain)?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let top_is_name = labels.last().is_some_and(|l| !l.chars().all(|c| c.is_ascii_digit()));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !top_is_name {
        return Err(EmailProblem::Domain);
    }
    Ok(ascii)
}

/// An address given by `parse` in the form every mail server takes: the domain in
/// Punycode (`ana@xn--aa-cla8b.com.br`). `None` for what `parse` would refuse.
pub fn ascii(address: &str) -> Option<String> {
    let address = parse(address).ok()?;
    let (local, domain) = address.split_once('@')?;
    Some(format!("{local}@{}", ascii_domain(domain).ok()?))
}

#[cfg(test)]
mod tests {
    use super::{ascii, parse, EmailProblem};

    #[test]
    fn accepts_what_people_type_and_normalises_the_domain() {
        assert_eq!(parse("ana@empresa.com.br"), Ok("ana@empresa.com.br".into()));
        assert_eq!(parse("  Ana@Empresa.COM.BR "), Ok("Ana@empresa.com.br".into()));
        assert_eq!(parse("ana+vendas@x.com"), Ok("ana+vendas@x.com".into()));
        assert_eq!(parse("ana.maria.souza@x.com"), Ok("ana.maria.souza@x.com".into()));
        assert_eq!(parse("o'neil_2@x.com"), Ok("o'neil_2@x.com".into()));
        assert_eq!(parse("ana@minha-loja.com.br"), Ok("ana@minha-loja.com.br".into()));
        assert_eq!(parse("ana@mail.sp.empresa.gov.br"), Ok("ana@mail.sp.empresa.gov.br".into()));
        assert_eq!(parse("ana@123.com"), Ok("ana@123.com".into()));
        assert_eq!(parse("a@b.co"), Ok("a@b.co".into()));
    }

    #[test]
    fn internationalised_domains_are_kept_in_unicode() {
        assert_eq!(parse("ana@açaí.com.br"), Ok("ana@açaí.com.br".into()));
        assert_eq!(parse("ana@AÇAÍ.COM.BR"), Ok("ana@açaí.com.br".into()));
        // Typed in Punycode, it is the same address.
        let punycode = ascii("ana@açaí.com.br").unwrap();
        assert!(punycode.starts_with("ana@xn--") && punycode.ends_with(".com.br") && punycode.is_ascii(), "{punycode}");
        assert_eq!(parse(&punycode), Ok("ana@açaí.com.br".into()));
        assert_eq!(ascii("Ana@Empresa.com"), Some("Ana@empresa.com".into()));
        assert_eq!(ascii("ana@"), None);
        // A Unicode local part is refused (see the module's note).
        assert_eq!(parse("joão@exemplo.com.br"), Err(EmailProblem::LocalPart));
    }

    #[test]
    fn refuses_lists_and_anything_but_one_address() {
        for list in ["a@b.com,c@d.com", "a@b.com;c@d.com", "a@b.com, c@d.com", "a@b.com c@d.com", "a@b@c.com"] {
            assert_eq!(parse(list), Err(EmailProblem::NotOne), "{list}");
        }
        assert_eq!(parse("ana maria@x.com"), Err(EmailProblem::NotOne));
        assert_eq!(parse("ana@x .com"), Err(EmailProblem::NotOne));
        assert_eq!(parse("Ana <ana@x.com>"), Err(EmailProblem::NotOne));
        assert_eq!(parse("<ana@x.com>"), Err(EmailProblem::Characters));
        assert_eq!(parse("\"ana\"@x.com"), Err(EmailProblem::Characters));
        assert_eq!(parse("ana(work)@x.com"), Err(EmailProblem::Characters));
        assert_eq!(parse("ana@x.com>"), Err(EmailProblem::Characters));
        assert_eq!(parse("ana@[10.0.0.1]"), Err(EmailProblem::Characters));
        assert_eq!(parse("ana\\x@x.com"), Err(EmailProblem::Characters));
    }

    #[test]
    fn refuses_missing_parts_and_misplaced_dots() {
        assert_eq!(parse(""), Err(EmailProblem::Empty));
        assert_eq!(parse("   "), Err(EmailProblem::Empty));
        assert_eq!(parse("sem-arroba"), Err(EmailProblem::Domain));
        assert_eq!(parse("@x.com"), Err(EmailProblem::LocalPart));
        assert_eq!(parse("ana@"), Err(EmailProblem::Domain));
        assert_eq!(parse(".ana@x.com"), Err(EmailProblem::LocalPart));
        assert_eq!(parse("ana.@x.com"), Err(EmailProblem::LocalPart));
        assert_eq!(parse("ana..maria@x.com"), Err(EmailProblem::LocalPart));
        assert_eq!(parse("ana@.x.com"), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@x.com."), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@x..com"), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@localhost"), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@-x.com"), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@x-.com"), Err(EmailProblem::Domain));
        assert_eq!(parse("ana@x_y.com"), Err(EmailProblem::Characters));
        assert_eq!(parse("ana@10.0.0.1"), Err(EmailProblem::Domain));
    }

    #[test]
    fn refuses_what_is_too_long() {
        let domain = format!("{}.{}.{}.com", "a".repeat(63), "b".repeat(63), "c".repeat(63));
        let at_limit = format!("{}@{domain}", "x".repeat(254 - 1 - domain.len()));
        assert_eq!(at_limit.len(), 254);
        assert_eq!(parse(&at_limit), Ok(at_limit.clone()));
        assert_eq!(parse(&format!("x{at_limit}")), Err(EmailProblem::TooLong));
        assert_eq!(parse(&format!("{}@x.com", "a".repeat(65))), Err(EmailProblem::TooLong));
        assert_eq!(parse(&format!("ana@{}.com", "a".repeat(64))), Err(EmailProblem::Domain));
    }
}
