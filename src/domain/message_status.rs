//! Where an outbound message stands, and the rule that it only moves forward: channels
//! report statuses out of order (WhatsApp sends `read` before `delivered` at times),
//! so an update that would move a message back is ignored.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// Stored, waiting in the outbox.
    Queued,
    /// Handed to the channel.
    Sent,
    /// The channel gave up on it (after sending, at times: WhatsApp's 24-hour window).
    Failed,
    /// On the contact's device.
    Delivered,
    /// Seen by the contact.
    Read,
}

impl MessageStatus {
    /// In order: each beats those before it.
    pub const FORWARD: [MessageStatus; 5] = [
        MessageStatus::Queued,
        MessageStatus::Sent,
        MessageStatus::Failed,
        MessageStatus::Delivered,
        MessageStatus::Read,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
        }
    }

    pub fn parse(stored: &str) -> Option<MessageStatus> {
        Self::FORWARD.into_iter().find(|s| s.as_str() == stored)
    }

    /// Its place in the order. A failure beats `sent` (the channel accepted it, then
    /// refused it), but proof that it arrived (`delivered`, `read`) beats a failure.
    pub fn rank(self) -> i64 {
        Self::FORWARD.iter().position(|s| *s == self).unwrap_or(0) as i64
    }

    /// Whether a message at `self` may take `next`.
    pub fn may_become(self, next: MessageStatus) -> bool {
        next.rank() > self.rank()
    }

    /// The same order as an SQL expression over the `status` column, for an update
    /// that moves forward atomically (`WHERE <rank_sql> < ?`). Statuses outside the
    /// order (`received`, inbound) rank above all, so nothing moves them.
    pub fn rank_sql(column: &str) -> String {
        let arms: String = Self::FORWARD.iter().map(|s| format!(" WHEN '{}' THEN {}", s.as_str(), s.rank())).collect();
        format!("(CASE {column}{arms} ELSE {} END)", Self::FORWARD.len())
    }
}

#[cfg(test)]
mod tests {
    use super::MessageStatus::{self, *};

    #[test]
    fn statuses_move_only_forward() {
        assert!(Queued.may_become(Sent) && Sent.may_become(Delivered) && Delivered.may_become(Read));
        assert!(Queued.may_become(Read), "a read receipt may come before the others");
        assert!(!Read.may_become(Delivered) && !Delivered.may_become(Sent) && !Sent.may_become(Queued));
        assert!(Sent.may_become(Failed) && !Failed.may_become(Sent));
        assert!(Failed.may_become(Delivered) && !Read.may_become(Failed));
        for s in MessageStatus::FORWARD {
            assert!(!s.may_become(s), "{s:?} again changes nothing");
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MessageStatus::parse("received"), None);
    }

    /// Whatever order the updates arrive in, the message ends at the furthest one.
    #[test]
    fn any_arrival_order_ends_at_the_furthest() {
        let updates = [Sent, Delivered, Read];
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        for order in orders {
            let mut status = Queued;
            for i in order {
                if status.may_become(updates[i]) {
                    status = updates[i];
                }
            }
            assert_eq!(status, Read, "{order:?}");
        }
    }

    #[test]
    fn the_sql_rank_matches() {
        let sql = MessageStatus::rank_sql("m.status");
        assert_eq!(
            sql,
            "(CASE m.status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 5 END)"
        );
    }
}
