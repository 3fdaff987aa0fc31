//! Dates and times as each language writes them, one format per use: pt-BR and es
//! `21/11/2026 14:05`, en `Nov 21, 2026, 2:05 PM`. Times are stored as unix ms (UTC)
//! and shown in the company's time zone. Pages ask through the `datetime` filter, the
//! one place a time becomes text.

use chrono::TimeZone;

/// What a time is shown for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Day and time: lists, history, the audit log (`21/11/2026 14:05`).
    DateTime,
    /// The day only (`21/11/2026`).
    Date,
    /// Day and month with the time, for messages of a conversation (`21/11 14:05`).
    Short,
    /// How long ago, for what waits in the workspace (`há 3 min`).
    Relative,
}

impl Style {
    /// The style named in a template (`datetime(style="date")`; none is `DateTime`), or
    /// `None` for a name that is no style.
    pub fn named(name: &str) -> Option<Style> {
        match name {
            "" | "datetime" => Some(Style::DateTime),
            "date" => Some(Style::Date),
            "short" => Some(Style::Short),
            "relative" => Some(Style::Relative),
            _ => None,
        }
    }
}

fn pattern(lang: &str, style: Style) -> &'static str {
    match (lang, style) {
        ("en", Style::DateTime) => "%b %-d, %Y, %-I:%M %p",
        ("en", Style::Date) => "%b %-d, %Y",
        ("en", Style::Short) => "%b %-d, %-I:%M %p",
        (_, Style::Date) => "%d/%m/%Y",
        (_, Style::Short) => "%d/%m %H:%M",
        (_, Style::DateTime | Style::Relative) => "%d/%m/%Y %H:%M",
    }
}

/// `ms` (unix milliseconds) in `tz`, as `lang` writes it; empty for an impossible time.
pub fn format(ms: i64, tz: chrono_tz::Tz, lang: &str, style: Style) -> String {
    if style == Style::Relative {
        return relative(ms, chrono::Utc::now().timestamp_millis(), lang);
    }
    tz.timestamp_millis_opt(ms).single().map(|t| t.format(pattern(lang, style)).to_string()).unwrap_or_default()
}

/// Spans of "how long ago" in minutes: below each bound, the catalogue's words and the
/// minutes their number counts in.
const AGO: [(i64, &str, i64); 4] = [
    (1, "workspace-ago-now", 1),
    (60, "workspace-ago-minutes", 1),
    (24 * 60, "workspace-ago-hours", 60),
    (i64::MAX, "workspace-ago-days", 24 * 60),
];

/// How long before `now` the instant `ms` was, in `lang` ("há 3 min"); a clock behind
/// is now.
pub fn relative(ms: i64, now: i64, lang: &str) -> String {
    let minutes = now.saturating_sub(ms).max(0) / 60_000;
    let (_, key, unit) = AGO.iter().find(|(below, ..)| minutes < *below).unwrap_or(&AGO[AGO.len() - 1]);
    super::translate_with(lang, key, &[("n", (minutes / unit).into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_writes_dates_its_way() {
        // 2026-11-21 17:05 UTC is 14:05 in São Paulo.
        let at = 1_795_280_700_000;
        let sp = chrono_tz::America::Sao_Paulo;
        assert_eq!(format(at, sp, "pt-BR", Style::DateTime), "21/11/2026 14:05");
        assert_eq!(format(at, sp, "pt-BR", Style::Date), "21/11/2026");
        assert_eq!(format(at, sp, "pt-BR", Style::Short), "21/11 14:05");
        assert_eq!(format(at, sp, "es", Style::DateTime), "21/11/2026 14:05");
        assert_eq!(format(at, sp, "en", Style::DateTime), "Nov 21, 2026, 2:05 PM");
        assert_eq!(format(at, sp, "en", Style::Date), "Nov 21, 2026");
        assert_eq!(format(at, sp, "en", Style::Short), "Nov 21, 2:05 PM");
        assert_eq!(format(at, chrono_tz::UTC, "pt-BR", Style::DateTime), "21/11/2026 17:05");
        assert_eq!(Style::named("date"), Some(Style::Date));
        assert_eq!(Style::named(""), Some(Style::DateTime));
        assert_eq!(Style::named("relative"), Some(Style::Relative));
        assert_eq!(Style::named("dat"), None, "a style that does not exist is no style");
    }

    #[test]
    fn how_long_ago_in_each_language() {
        const MINUTE: i64 = 60_000;
        assert_eq!(relative(0, 30_000, "pt-BR"), "agora");
        assert_eq!(relative(0, 3 * MINUTE, "pt-BR"), "há 3 min");
        assert_eq!(relative(0, 59 * MINUTE, "pt-BR"), "há 59 min");
        assert_eq!(relative(0, 125 * MINUTE, "pt-BR"), "há 2 h");
        assert_eq!(relative(0, 3 * 1440 * MINUTE, "pt-BR"), "há 3 d");
        assert_eq!(relative(10, 0, "pt-BR"), "agora", "clock skew is now");
        assert_eq!(relative(i64::MIN, i64::MAX, "pt-BR"), format!("há {} d", i64::MAX / 60_000 / 1440), "no overflow");
        assert_eq!(relative(0, 3 * MINUTE, "en"), "3 min ago");
        assert_eq!(relative(0, 3 * MINUTE, "es"), "hace 3 min");
        let now = chrono::Utc::now().timestamp_millis();
        assert_eq!(format(now - 3 * MINUTE, chrono_tz::UTC, "pt-BR", Style::Relative), "há 3 min");
    }
}
