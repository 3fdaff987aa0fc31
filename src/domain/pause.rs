//! A pause being taken, measured against its limit: "Almoço 12:34 / 60:00".

/// The clock of the pause an agent is in. A cumulative pause counts what was already
/// taken of it today (`used_before`); any other pause starts from zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PauseClock {
    /// When this pause began (unix milliseconds).
    pub started_at: i64,
    /// Milliseconds of the same pause already taken today, for a cumulative pause.
    pub used_before: i64,
    /// The pause's maximum, in milliseconds.
    pub limit: i64,
}

impl PauseClock {
    pub fn new(started_at: i64, used_before: i64, max_minutes: i64) -> PauseClock {
        PauseClock { started_at, used_before: used_before.max(0), limit: max_minutes.max(0) * 60_000 }
    }

    /// Milliseconds counted against the limit at `now`.
    pub fn elapsed(&self, now: i64) -> i64 {
        self.used_before + (now - self.started_at).max(0)
    }

    /// Past the limit (reaching it exactly is still within).
    pub fn is_over(&self, now: i64) -> bool {
        self.elapsed(now) > self.limit
    }
}

/// Milliseconds as minutes and seconds, minutes unbounded: 754_000 → "12:34",
/// 7_200_000 → "120:00". The page's script counts the same way.
pub fn minutes_seconds(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// How many of one agent's pauses of one type ended past their limit: each pause on
/// its own, or for a cumulative one against what was taken of it earlier the same day
/// (`taken`: each pause's local day and length, oldest first) — the clock the agent saw.
pub fn over_limit(taken: &[(chrono::NaiveDate, i64)], max_minutes: i64, cumulative: bool) -> usize {
    let mut used: Option<(chrono::NaiveDate, i64)> = None;
    let mut over = 0;
    for &(day, length) in taken {
        let before = match used {
            Some((d, ms)) if cumulative && d == day => ms,
            _ => 0,
        };
        if PauseClock::new(0, before, max_minutes).is_over(length) {
            over += 1;
        }
        used = Some((day, before + length));
    }
    over
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_over_their_limit_each_or_over_the_day() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let min = 60_000;
        let taken = [(day(2), 10 * min), (day(2), 10 * min), (day(3), 16 * min)];
        assert_eq!(over_limit(&taken, 15, false), 1, "only the 16-minute one");
        assert_eq!(over_limit(&taken, 15, true), 2, "the second of the 2nd passes 15 minutes that day");
        assert_eq!(over_limit(&[(day(2), 15 * min)], 15, false), 0, "reaching it exactly is within");
    }

    #[test]
    fn elapsed_counts_from_the_start_plus_what_was_used_today() {
        let clock = PauseClock::new(1_000_000, 0, 60);
        assert_eq!(clock.limit, 3_600_000);
        assert_eq!(clock.elapsed(1_000_000 + 754_000), 754_000);
        assert_eq!(clock.elapsed(0), 0, "a clock behind the start counts nothing");
        let cumulative = PauseClock::new(1_000_000, 600_000, 15);
        assert_eq!(cumulative.elapsed(1_000_000 + 60_000), 660_000);
    }

    #[test]
    fn over_only_past_the_limit() {
        let clock = PauseClock::new(0, 0, 15);
        assert!(!clock.is_over(15 * 60_000));
        assert!(clock.is_over(15 * 60_000 + 1));
        assert!(PauseClock::new(0, 14 * 60_000, 15).is_over(60_001));
    }

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(minutes_seconds(754_000), "12:34");
        assert_eq!(minutes_seconds(999), "00:00");
        assert_eq!(minutes_seconds(3_600_000), "60:00");
        assert_eq!(minutes_seconds(7_200_000), "120:00");
        assert_eq!(minutes_seconds(-5), "00:00");
    }
}
