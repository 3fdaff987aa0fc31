//! How long the outbox waits before trying a message again: doubling from 2 s up to 10
//! minutes, with jitter so that messages that failed together (a channel outage) do not
//! all come back in the same second.

/// After this many failed attempts a message is `failed` with the last reason.
pub const MAX_ATTEMPTS: i64 = 8;

/// The longest wait between two attempts: 10 minutes.
pub const LONGEST_MS: i64 = 600_000;

/// The wait before attempt `attempts + 1`, in milliseconds, before jitter.
pub fn ceiling_ms(attempts: i64) -> i64 {
    (2_000i64 << attempts.clamp(0, 20)).min(LONGEST_MS)
}

/// The wait with jitter: `jitter` in `[0, 1)` (a random draw) picks a point between
/// half the ceiling and the ceiling, so the wait still grows with every attempt.
pub fn delay_ms(attempts: i64, jitter: f64) -> i64 {
    let ceiling = ceiling_ms(attempts);
    let half = ceiling / 2;
    half + (half as f64 * jitter.clamp(0.0, 1.0)) as i64
}

/// The wait when the channel said when to come back (`retry_after`): its word, never
/// less than a second, never more than the longest wait.
pub fn told_ms(after_ms: i64) -> i64 {
    after_ms.clamp(1_000, LONGEST_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        assert_eq!(ceiling_ms(0), 2_000);
        assert_eq!(ceiling_ms(3), 16_000);
        assert_eq!(ceiling_ms(30), 600_000);
        assert_eq!(ceiling_ms(-1), 2_000);
    }

    #[test]
    fn jitter_stays_between_half_and_the_ceiling() {
        for attempts in 0..12 {
            let (low, high) = (delay_ms(attempts, 0.0), delay_ms(attempts, 0.999_999));
            assert_eq!(low, ceiling_ms(attempts) / 2);
            assert!(high <= ceiling_ms(attempts) && high > low);
            assert!(delay_ms(attempts + 1, 0.0) >= low, "never shorter than the previous floor");
        }
        assert_eq!(delay_ms(0, 7.0), 2_000, "a draw out of range is clamped");
    }

    #[test]
    fn the_channels_word_is_kept_within_bounds() {
        assert_eq!(told_ms(30_000), 30_000);
        assert_eq!(told_ms(0), 1_000);
        assert_eq!(told_ms(86_400_000), 600_000);
    }
}
