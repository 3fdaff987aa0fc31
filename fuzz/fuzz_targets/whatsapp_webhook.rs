//! Meta's webhook POST: the signature header and the raw body. The input's first line
//! is the `X-Hub-Signature-256` header as sent, the rest the body; a body signed with
//! the app secret must pass, and then it is read as the channel's number reads it.
#![no_main]

use atende::channels::whatsapp::{parse, signed_by};
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const SECRET: &str = "app-secret";

fuzz_target!(|input: &[u8]| {
    let (header, body) = match input.iter().position(|&b| b == b'\n') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => (&b""[..], input),
    };
    if let Ok(header) = std::str::from_utf8(header) {
        let _ = signed_by(SECRET, body, Some(header));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    let good = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert!(signed_by(SECRET, body, Some(&good)), "the app's own signature passes");
    assert!(!signed_by("", body, Some(&good)), "no secret, no match");
    let _ = parse(body, "106");
});
