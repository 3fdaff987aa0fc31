//! The web chat widget's JSON bodies: the pre-chat form (checked against every way a
//! channel may ask for e-mail and phone) and a visitor's message.
#![no_main]

use atende::channels::webchat::{validate_visitor, Ask, Settings, VisitorForm, WidgetMessage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(form) = serde_json::from_slice::<VisitorForm>(body) {
        for ask in [Ask::Off, Ask::Optional, Ask::Required] {
            let settings = Settings { email: ask, phone: ask, ..Settings::default() };
            for country in ["BR", "PT", ""] {
                let _ = validate_visitor(&settings, &form, country);
            }
        }
    }
    if let Ok(message) = serde_json::from_slice::<WidgetMessage>(body) {
        if let Ok((text, client_id)) = message.checked() {
            assert!(!text.is_empty() && text.trim() == text);
            assert!(client_id.is_none_or(|c| !c.is_empty()));
        }
    }
});
