//! Password rules. Each broken rule has a message key in the catalogues.

/// Why a password was refused; `key()` names the catalogue message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    TooSimple,
    ContainsIdentity,
    Mismatch,
}

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

impl PasswordProblem {
    pub fn key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password-too-short",
            PasswordProblem::TooLong => "password-too-long",
            PasswordProblem::TooSimple => "password-too-simple",
            PasswordProblem::ContainsIdentity => "password-contains-identity",
            PasswordProblem::Mismatch => "password-mismatch",
        }
    }
}

/// Checks a new password and its confirmation against the rules. `identity` holds the
/// account's name, username and e-mail, none of which may appear in the password.
pub fn check_new_password(password: &str, confirmation: &str, identity: &[&str]) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let kinds = [
        password.chars().any(|c| c.is_alphabetic()),
        password.chars().any(|c| c.is_numeric()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if kinds.iter().filter(|k| **k).count() < 2 || distinct.len() < 4 {
        return Err(PasswordProblem::TooSimple);
    }
    let lower = password.to_lowercase();
    for part in identity {
        let part = part.split('@').next().unwrap_or("").trim().to_lowercase();
        if part.chars().count() >= 4 && lower.contains(&part) {
            return Err(PasswordProblem::ContainsIdentity);
        }
    }
    if password != confirmation {
        return Err(PasswordProblem::Mismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), PasswordProblem> {
        check_new_password(p, p, &["Ana Souza", "ana.souza", "ana@demo.local"])
    }

    #[test]
    fn rules() {
        assert_eq!(check("curta1!"), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"a1".repeat(65)), Err(PasswordProblem::TooLong));
        assert_eq!(check("abcdefghijkl"), Err(PasswordProblem::TooSimple));
        assert_eq!(check("1111111111aa"), Err(PasswordProblem::TooSimple));
        assert_eq!(check("minha-ana.souza-1"), Err(PasswordProblem::ContainsIdentity));
        assert_eq!(check("atende-demo"), Ok(()));
        assert_eq!(check("Céu azul 2026"), Ok(()));
        assert_eq!(check_new_password("atende-demo", "atende-dema", &[]), Err(PasswordProblem::Mismatch));
    }
}
