//! Time zones, and times of day as minutes from midnight, the unit of schedules and
//! pause windows.
//!
//! One rule for zones: a zone name is checked when it is saved (`parse_zone`); a stored
//! name that is not a zone after all (edited by hand, dropped from the zone database)
//! is read as the company's zone (`stored_zone`), and the company's own as `DEFAULT_ZONE`.

use chrono_tz::Tz;

/// The company's zone until an administrator chooses another, and when the one saved is
/// not a zone: Brasília time, the zone of most of Brazil's people.
pub const DEFAULT_ZONE: Tz = chrono_tz::America::Sao_Paulo;

/// A real IANA time zone name (`America/Sao_Paulo`, `UTC` …), exactly as written.
pub fn parse_zone(name: &str) -> Option<Tz> {
    let name = name.trim();
    let tz: Tz = name.parse().ok()?;
    (tz.name() == name).then_some(tz)
}

/// A stored zone name as a zone; `company`, the company's zone, when it is not one.
pub fn stored_zone(name: &str, company: Tz) -> Tz {
    parse_zone(name).unwrap_or(company)
}

/// An instant as RFC 3339 with the zone's offset then (`2026-12-02T10:30:00.000-03:00`).
pub fn rfc3339_in(instant_ms: i64, tz: Tz) -> String {
    let utc = chrono::DateTime::from_timestamp_millis(instant_ms).unwrap_or_default();
    utc.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

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

/// A duration as `h:mm:ss`, hours past 24 kept (`26:03:09`); a negative one as zero.
pub fn format_hms(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Minutes from midnight of an instant, in a time zone.
pub fn minute_of_day(instant_ms: i64, tz: Tz) -> i64 {
    use chrono::{TimeZone, Timelike};
    tz.timestamp_millis_opt(instant_ms).single().map(|t| i64::from(t.hour() * 60 + t.minute())).unwrap_or(0)
}

/// Midnight of a `YYYY-MM-DD` day (as date inputs send it) in a time zone, as unix ms.
pub fn day_start_ms(day: &str, tz: Tz) -> Option<i64> {
    use chrono::TimeZone;
    let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.timestamp_millis())
}

/// A period chosen with two date inputs, "de" and "até" (both days included): its
/// start and end as unix ms, `None` where nothing was given; or which of the two
/// fields ("from", "until") is not a day.
pub fn period_ms(from: &str, until: &str, tz: Tz) -> Result<(Option<i64>, Option<i64>), Vec<&'static str>> {
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
pub fn day_start(instant_ms: i64, tz: Tz) -> i64 {
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
    fn an_instant_is_written_with_the_zones_offset_then() {
        // 2026-03-02 15:00 UTC is noon in São Paulo (UTC−3, no summer time since 2019).
        assert_eq!(rfc3339_in(1_772_463_600_000, DEFAULT_ZONE), "2026-03-02T12:00:00.000-03:00");
        assert_eq!(rfc3339_in(1_772_463_600_000, chrono_tz::UTC), "2026-03-02T15:00:00.000+00:00");
        assert_eq!(rfc3339_in(0, chrono_tz::Asia::Tokyo), "1970-01-01T09:00:00.000+09:00");
    }

    #[test]
    fn zones_parse_strictly_and_stored_ones_fall_back_to_the_companys() {
        assert_eq!(parse_zone("America/Sao_Paulo"), Some(chrono_tz::America::Sao_Paulo));
        assert_eq!(parse_zone("UTC"), Some(Tz::UTC));
        assert_eq!(parse_zone(" UTC "), Some(Tz::UTC));
        assert_eq!(parse_zone("America/Nowhere"), None);
        assert_eq!(parse_zone("america/sao_paulo"), None);
        assert_eq!(parse_zone(""), None);
        let lisbon = chrono_tz::Europe::Lisbon;
        assert_eq!(stored_zone("America/Manaus", lisbon), chrono_tz::America::Manaus);
        assert_eq!(stored_zone("Mars/Olympus", lisbon), lisbon, "a zone that is not one is the company's");
        assert_eq!(stored_zone("", DEFAULT_ZONE), chrono_tz::America::Sao_Paulo);
    }

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
