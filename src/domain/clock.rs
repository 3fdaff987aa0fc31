//! Times of day as minutes from midnight, the unit of schedules and pause windows.

/// `"08:30"` → 510. `"24:00"` → 1440 (the end of a day). Anything else → `None`.
pub fn parse_hhmm(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// 510 → `"08:30"`; 1440 → `"24:00"`.
pub fn format_hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes from midnight of an instant, in a time zone.
pub fn minute_of_day(instant_ms: i64, tz: chrono_tz::Tz) -> i64 {
    use chrono::{TimeZone, Timelike};
    tz.timestamp_millis_opt(instant_ms).single().map(|t| i64::from(t.hour() * 60 + t.minute())).unwrap_or(0)
}

/// Midnight of a `YYYY-MM-DD` day (as date inputs send it) in a time zone, as unix ms.
pub fn day_start_ms(day: &str, tz: chrono_tz::Tz) -> Option<i64> {
    use chrono::TimeZone;
    let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.timestamp_millis())
}

/// A period chosen with two date inputs, "de" and "até" (both days included): its
/// start and end as unix ms, `None` where nothing was given; or which of the two
/// fields ("from", "until") is not a day.
pub fn period_ms(from: &str, until: &str, tz: chrono_tz::Tz) -> Result<(Option<i64>, Option<i64>), Vec<&'static str>> {
    let day = |text: &str, field: &'static str| match text.trim() {
        "" => Ok(None),
        d => day_start_ms(d, tz).map(Some).ok_or(field),
    };
    match (day(from, "from"), day(until, "until")) {
        (Ok(start), Ok(end)) => Ok((start, end.map(|ms| ms + 86_400_000))),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// The instant of the last midnight before `instant_ms`, in a time zone.
pub fn day_start(instant_ms: i64, tz: chrono_tz::Tz) -> i64 {
    use chrono::{TimeZone, Timelike};
    let since_midnight = tz
        .timestamp_millis_opt(instant_ms)
        .single()
        .map(|t| i64::from(t.num_seconds_from_midnight()) * 1000 + i64::from(t.timestamp_subsec_millis()))
        .unwrap_or(0);
    instant_ms - since_midnight
}

/// Whether `minute` falls in `[start, end)`; no window means any time.
pub fn in_window(minute: i64, start: Option<i64>, end: Option<i64>) -> bool {
    match (start, end) {
        (Some(s), Some(e)) => s <= minute && minute < e,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_local_minutes() {
        assert!(in_window(700, Some(660), Some(900)));
        assert!(!in_window(900, Some(660), Some(900)), "end is exclusive");
        assert!(!in_window(659, Some(660), Some(900)));
        assert!(in_window(0, None, None));
        // 2026-03-02 11:00 UTC is 08:00 in São Paulo (UTC−3).
        assert_eq!(minute_of_day(1_772_449_200_000, chrono_tz::America::Sao_Paulo), 8 * 60);
        // 08:00:00.250 there began at 03:00 UTC, eight hours earlier.
        let morning = 1_772_449_200_250;
        assert_eq!(day_start(morning, chrono_tz::America::Sao_Paulo), morning - 8 * 3_600_000 - 250);
    }

    #[test]
    fn days_start_at_local_midnight() {
        // 2026-03-02 00:00 in São Paulo is 03:00 UTC.
        assert_eq!(day_start_ms("2026-03-02", chrono_tz::America::Sao_Paulo), Some(1_772_420_400_000));
        assert_eq!(day_start_ms(" 2026-03-02 ", chrono_tz::UTC), Some(1_772_409_600_000));
        assert_eq!(day_start_ms("02/03/2026", chrono_tz::UTC), None);
        assert_eq!(day_start_ms("", chrono_tz::UTC), None);
        let utc = chrono_tz::UTC;
        assert_eq!(period_ms("2026-03-02", "2026-03-02", utc), Ok((Some(1_772_409_600_000), Some(1_772_496_000_000))));
        assert_eq!(period_ms("", " ", utc), Ok((None, None)));
        assert_eq!(period_ms("ontem", "x", utc), Err(vec!["from", "until"]));
        assert_eq!(period_ms("", "2026-02-30", utc), Err(vec!["until"]));
    }

    #[test]
    fn parse_and_format() {
        assert_eq!(parse_hhmm("08:30"), Some(510));
        assert_eq!(parse_hhmm("8:05"), Some(485));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:01"), None);
        assert_eq!(parse_hhmm("12:60"), None);
        assert_eq!(parse_hhmm("noon"), None);
        assert_eq!(parse_hhmm("1230"), None);
        assert_eq!(format_hhmm(510), "08:30");
        assert_eq!(format_hhmm(1440), "24:00");
    }
}
