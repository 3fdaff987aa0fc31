//! Password hashing (argon2id) and random tokens.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rand::Rng;
use sha2::{Digest, Sha256};

/// Hashes a password with argon2id and a fresh salt, as a PHC string.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        // Hashing only fails on absurd parameters, which are fixed here.
        .expect("argon2 hashing with default parameters")
}

/// Verifies a password against a stored PHC string. A missing or malformed hash never
/// matches, but costs the same time so the answer does not tell whether an account exists.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(hash) => Argon2::default().verify_password(password.as_bytes(), hash).is_ok(),
        None => {
            let _ = Argon2::default().verify_password(password.as_bytes(), dummy_hash());
            false
        }
    }
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("atende: no such account"))
}

/// A URL-safe random token with 256 bits of entropy.
pub fn random_token() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::thread_rng().gen();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Ten recovery codes like `k7d2-9xqm`, easy to read aloud and type.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| {
            let mut code: String = (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            code.insert(4, '-');
            code
        })
        .collect()
}

/// Normalises a typed recovery code (case, spaces, dash) before hashing.
pub fn recovery_code_hash(code: &str) -> String {
    let clean: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    token_hash(&clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let hash = hash_password("atende-demo");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("atende-demo", Some(&hash)));
        assert!(!verify_password("atende-dem0", Some(&hash)));
        assert!(!verify_password("atende-demo", None));
        assert!(!verify_password("atende-demo", Some("garbage")));
    }

    #[test]
    fn recovery_codes_normalise() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        let code = &codes[0];
        assert_eq!(recovery_code_hash(code), recovery_code_hash(&code.to_uppercase().replace('-', " ")));
    }
}
