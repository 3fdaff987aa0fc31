//! What a visitor's widget posts to send a message: its text and the widget's own id
//! for it (sent again safely after a lost answer). Pure checks, no I/O.

use serde::Deserialize;

/// Longest message a visitor may send (characters).
const MAX_TEXT: usize = 4096;
/// Longest id the widget may give a message to send it again safely.
const MAX_CLIENT_ID: usize = 100;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WidgetMessage {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub client_id: Option<String>,
}

impl WidgetMessage {
    /// The text to send and the widget's id for it, or the message key and field at fault.
    pub fn checked(self) -> Result<(String, Option<String>), (&'static str, &'static str)> {
        let text = self.text.trim().to_string();
        if text.is_empty() {
            return Err(("floor-empty-message", "text"));
        }
        if text.chars().count() > MAX_TEXT {
            return Err(("floor-message-too-long", "text"));
        }
        let client_id = self.client_id.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        if client_id.as_ref().is_some_and(|c| c.len() > MAX_CLIENT_ID) {
            return Err(("field-too-long", "client_id"));
        }
        Ok((text, client_id))
    }
}
