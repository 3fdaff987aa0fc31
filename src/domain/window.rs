//! Meta's 24-hour rule (WhatsApp): a free-form message reaches a contact only within 24
//! hours of their last message on the channel; after that only an approved template
//! may open the conversation again. Other kinds have no such window.

/// How long the window stays open after the contact's last message.
pub const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Where the conversation window of a contact on a channel stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The kind has no window: anything may be sent.
    None,
    /// Free text may be sent until `closes_at` (unix ms).
    Open { closes_at: i64 },
    /// Only templates: the contact never wrote, or wrote 24 hours ago or more.
    Closed,
}

impl Window {
    /// The window of a kind that has one (`has_window`), for a contact whose last
    /// message on the channel came at `last_inbound_at`, seen at `now`.
    pub fn at(has_window: bool, last_inbound_at: Option<i64>, now: i64) -> Window {
        if !has_window {
            return Window::None;
        }
        match last_inbound_at {
            Some(at) if now < at + WINDOW_MS => Window::Open { closes_at: at + WINDOW_MS },
            _ => Window::Closed,
        }
    }

    /// Whether free text (and files) may go now; templates always may.
    pub fn allows_free_text(self) -> bool {
        !matches!(self, Window::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_only_within_24_hours_of_the_last_message() {
        let at = 1_000_000;
        assert_eq!(Window::at(true, Some(at), at), Window::Open { closes_at: at + WINDOW_MS });
        assert!(Window::at(true, Some(at), at + WINDOW_MS - 1).allows_free_text());
        assert_eq!(Window::at(true, Some(at), at + WINDOW_MS), Window::Closed, "exactly 24 hours is closed");
        assert_eq!(Window::at(true, None, at), Window::Closed, "a contact who never wrote");
        assert!(!Window::Closed.allows_free_text());
    }

    #[test]
    fn kinds_without_a_window_always_allow_free_text() {
        assert_eq!(Window::at(false, None, 5), Window::None);
        assert!(Window::at(false, Some(0), i64::MAX).allows_free_text());
    }
}
