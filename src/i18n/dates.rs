//! Dates and times as each language writes them, one format per use: pt-BR and es
//! `21/11/2026 14:05`, en `Nov 21, 2026, 2:05 PM`. Times are stored as unix ms (UTC)
//! and shown in the company's time zone.

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
}

impl Style {
    /// The style named in a template (`datetime(style="date")`); `DateTime` otherwise.
    pub fn named(name: &str) -> Style {
        match name {
            "date" => Style::Date,
            "short" => Style::Short,
            _ => Style::DateTime,
        }
    }
}

fn pattern(lang: &str, style: Style) -> &'static str {
    match (lang, style) {
        ("en", Style::DateTime) => "%b %-d, %Y, %-I:%M %p",
        ("en", Style::Date) => "%b %-d, %Y",
        ("en", Style::Short) => "%b %-d, %-I:%M %p",
        (_, Style::DateTime) => "%d/%m/%Y %H:%M",
        (_, Style::Date) => "%d/%m/%Y",
        (_, Style::Short) => "%d/%m %H:%M",
    }
}

/// `ms` (unix milliseconds) in `tz`, as `lang` writes it; empty for an impossible time.
pub fn format(ms: i64, tz: chrono_tz::Tz, lang: &str, style: Style) -> String {
    tz.timestamp_millis_opt(ms).single().map(|t| t.format(pattern(lang, style)).to_string()).unwrap_or_default()
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
        assert_eq!(Style::named("date"), Style::Date);
        assert_eq!(Style::named(""), Style::DateTime);
    }
}
