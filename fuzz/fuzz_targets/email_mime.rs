//! A fetched mail's raw bytes (MIME, as IMAP gives them), read as the poller reads
//! them: whole, and as the start of a mail too large to take.
#![no_main]

use atende::channels::email::mail::read;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &[u8]| {
    let _ = read(raw, "atendimento@empresa.test", None);
    let _ = read(raw, "atendimento@empresa.test", Some(raw.len() as u64 * 10));
});
