//! The service level (F-RE-4): a target ("80% em 60 s": answered within `seconds`, by
//! `goal_percent` of the conversations), the waits it is measured on, and the buckets of
//! the waiting-time histogram.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub seconds: i64,
    pub goal_percent: i64,
}

/// The company's target until an administrator sets one.
pub const DEFAULT: Target = Target { seconds: 60, goal_percent: 80 };

/// The longest target that makes sense (a day), in seconds.
pub const MAX_SECONDS: i64 = 86_400;

impl Target {
    /// A target as typed, or the catalogue key of why it is none.
    pub fn parse(seconds: &str, goal_percent: &str) -> Result<Target, (&'static str, &'static str)> {
        let seconds = match seconds.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_SECONDS).contains(&n) => n,
            _ => return Err(("target_seconds", "reports-service-bad-seconds")),
        };
        let goal_percent = match goal_percent.trim().parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(("goal_percent", "reports-service-bad-goal")),
        };
        Ok(Target { seconds, goal_percent })
    }

    /// A wait answered within the target (reaching it exactly is within).
    pub fn met_by(&self, wait_ms: i64) -> bool {
        wait_ms <= self.seconds * 1000
    }
}

/// The target a team's conversations are measured by: its own, else the company's.
pub fn target_for(team: Option<i64>, own: &std::collections::HashMap<i64, Target>, company: Target) -> Target {
    team.and_then(|t| own.get(&t).copied()).unwrap_or(company)
}

/// Where a wait ends: the first human reply, or the close when nobody answered (an
/// abandoned conversation); never before the first queue.
pub fn wait_end(first_queued_at: i64, first_response_at: Option<i64>, closed_at: i64) -> i64 {
    first_response_at.unwrap_or(closed_at).max(first_queued_at)
}

/// The closed conversations that reached a queue, as the service level counts them:
/// answered (a person replied) or abandoned, and answered within the target. The
/// shares are of every one counted (`queued`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub queued: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub within: i64,
}

impl Tally {
    /// One conversation: `wait_ms` from its first queue to `wait_end`.
    pub fn add(&mut self, answered: bool, wait_ms: i64, target: Target) {
        self.queued += 1;
        if answered {
            self.answered += 1;
            self.within += i64::from(target.met_by(wait_ms));
        } else {
            self.abandoned += 1;
        }
    }
}

/// The histogram's buckets: upper bounds in seconds, the last one open.
pub const BUCKETS: [i64; 8] = [15, 30, 60, 120, 300, 600, 1800, i64::MAX];

/// The bucket a wait falls in (a bucket holds waits up to its bound, included).
pub fn bucket(wait_ms: i64) -> usize {
    let seconds = (wait_ms.max(0) + 999) / 1000;
    BUCKETS.iter().position(|b| seconds <= *b).unwrap_or(BUCKETS.len() - 1)
}

/// A bound as people read it: `30 s`, `2 min`.
pub fn bound_text(seconds: i64) -> String {
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min", seconds / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_as_typed_and_the_waits_it_holds() {
        assert_eq!(Target::parse("60", "80"), Ok(DEFAULT));
        assert_eq!(Target::parse("0", "80").unwrap_err().0, "target_seconds");
        assert_eq!(Target::parse("sessenta", "80").unwrap_err().0, "target_seconds");
        assert_eq!(Target::parse("60", "101").unwrap_err().1, "reports-service-bad-goal");
        assert!(DEFAULT.met_by(60_000));
        assert!(!DEFAULT.met_by(60_001));
    }

    #[test]
    fn a_tally_counts_the_abandoned_and_the_answered_within_target() {
        let mut t = Tally::default();
        t.add(true, 60_000, DEFAULT);
        t.add(true, 61_000, DEFAULT);
        t.add(false, 5_000, DEFAULT);
        assert_eq!(t, Tally { queued: 3, answered: 2, abandoned: 1, within: 1 });
        assert_eq!(wait_end(1_000, None, 9_000), 9_000, "abandoned: to its close");
        assert_eq!(wait_end(1_000, Some(4_000), 9_000), 4_000);
        assert_eq!(wait_end(5_000, Some(4_000), 9_000), 5_000, "never before the queue");
    }

    #[test]
    fn waits_fall_in_their_bucket() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(15_000), 0);
        assert_eq!(bucket(15_001), 1);
        assert_eq!(bucket(60_000), 2);
        assert_eq!(bucket(3 * 3_600_000), BUCKETS.len() - 1);
        assert_eq!(bound_text(30), "30 s");
        assert_eq!(bound_text(120), "2 min");
    }
}
