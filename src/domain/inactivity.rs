//! Inactivity rules (F-EN-5): when a silent conversation is warned and closed, when a
//! pending one closes, when a queue nobody takes raises an alert and when an agent's
//! silence gives a conversation back to the queue. A team may have its own; the
//! company's auto-close is the default for the others.

use serde::Serialize;

/// Pending conversations (waiting for the customer) wait this many times the
/// company's limit before closing.
pub const PENDING_FACTOR: i64 = 3;

/// The largest number of minutes a rule takes (30 days).
pub const MAX_MINUTES: i64 = 43_200;

/// A team's own rules, in minutes; 0 turns a rule off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub close_minutes: i64,
    /// Empty: the company's closing message.
    pub closing_message: String,
    /// How long before the close the warning goes.
    pub warning_minutes: i64,
    pub warning_message: String,
    pub pending_minutes: i64,
    pub unassigned_alert_minutes: i64,
    pub give_back_minutes: i64,
}

/// The rules that apply to a team's conversations, in milliseconds (`None`: off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub close_after: Option<i64>,
    pub closing_message: String,
    /// Silence after which the warning goes, and what it says.
    pub warn_after: Option<(i64, String)>,
    pub pending_after: Option<i64>,
    pub alert_after: Option<i64>,
    pub give_back_after: Option<i64>,
}

fn ms(minutes: i64) -> Option<i64> {
    (minutes > 0).then_some(minutes * 60_000)
}

/// The rules of a team with `own` rules (or none: the company's), the company's
/// auto-close being `company_minutes` and its closing message `company_message`.
pub fn effective(own: Option<&Rules>, company_minutes: i64, company_message: &str) -> Effective {
    let Some(own) = own else {
        return Effective {
            close_after: ms(company_minutes),
            closing_message: company_message.to_string(),
            warn_after: None,
            pending_after: ms(company_minutes * PENDING_FACTOR),
            alert_after: None,
            give_back_after: None,
        };
    };
    let closing_message =
        if own.closing_message.trim().is_empty() { company_message } else { own.closing_message.as_str() };
    // A warning needs a close to warn of, and time before it.
    let warn_after = match (ms(own.close_minutes), ms(own.warning_minutes)) {
        (Some(close), Some(before)) if before < close && !own.warning_message.trim().is_empty() => {
            Some((close - before, own.warning_message.trim().to_string()))
        }
        _ => None,
    };
    Effective {
        close_after: ms(own.close_minutes),
        closing_message: closing_message.to_string(),
        warn_after,
        pending_after: ms(own.pending_minutes),
        alert_after: ms(own.unassigned_alert_minutes),
        give_back_after: ms(own.give_back_minutes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_own_rules_the_company_decides() {
        let e = effective(None, 30, "Até logo");
        assert_eq!(e.close_after, Some(30 * 60_000));
        assert_eq!(e.pending_after, Some(90 * 60_000));
        assert_eq!(e.closing_message, "Até logo");
        assert_eq!((e.warn_after, e.alert_after, e.give_back_after), (None, None, None));
        assert_eq!(effective(None, 0, "").close_after, None, "0 turns auto-close off");
    }

    #[test]
    fn own_rules_replace_the_company_s_and_fall_back_for_the_message() {
        let own = Rules {
            close_minutes: 20,
            warning_minutes: 5,
            warning_message: "Ainda está aí?".into(),
            pending_minutes: 120,
            unassigned_alert_minutes: 10,
            give_back_minutes: 15,
            ..Rules::default()
        };
        let e = effective(Some(&own), 30, "Até logo");
        assert_eq!(e.close_after, Some(20 * 60_000));
        assert_eq!(e.warn_after, Some((15 * 60_000, "Ainda está aí?".into())));
        assert_eq!(e.closing_message, "Até logo");
        assert_eq!(e.pending_after, Some(120 * 60_000));
        assert_eq!(e.alert_after, Some(10 * 60_000));
        assert_eq!(e.give_back_after, Some(15 * 60_000));
        let own = Rules { closing_message: "Encerrado pela equipe".into(), ..own };
        assert_eq!(effective(Some(&own), 30, "Até logo").closing_message, "Encerrado pela equipe");
    }

    #[test]
    fn a_warning_needs_a_close_after_it_and_words() {
        let own = Rules { close_minutes: 10, warning_minutes: 10, warning_message: "Oi?".into(), ..Rules::default() };
        assert_eq!(effective(Some(&own), 0, "").warn_after, None, "not before the close");
        let own = Rules { warning_minutes: 5, warning_message: " ".into(), ..own };
        assert_eq!(effective(Some(&own), 0, "").warn_after, None, "nothing to say");
        let own = Rules { close_minutes: 0, warning_message: "Oi?".into(), ..own };
        assert_eq!(effective(Some(&own), 0, "").warn_after, None, "no close to warn of");
    }
}
