//! The `result` of a `getUpdates` answer: every update with the offset that confirms
//! it, and the message it brings (before any file is fetched).
#![no_main]

use atende::channels::telegram::read_updates;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(result) = serde_json::from_slice::<serde_json::Value>(body) else { return };
    for cursor in [None, Some("0"), Some("9223372036854775806"), Some("-5")] {
        let read = read_updates(&result, cursor);
        let offsets: Vec<i64> = read.iter().map(|(c, _)| c.parse().expect("an offset is a number")).collect();
        assert!(offsets.windows(2).all(|w| w[0] <= w[1]), "the offset never goes back: {offsets:?}");
    }
});
