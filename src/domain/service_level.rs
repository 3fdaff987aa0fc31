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
