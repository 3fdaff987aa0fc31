//! The period of a report: two days in the company's zone, both included, of at most
//! `MAX_DAYS` days ("o filtro de data deve respeitar o período de 30 em 30 dias"), so
//! no report reads more than a month of conversations at once.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::clock::day_start_ms;

/// The longest period a report covers, in days (both ends included).
pub const MAX_DAYS: i64 = 31;

/// A period as days and as unix ms: `[from_ms, until_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub from_ms: i64,
    pub until_ms: i64,
}

/// Why the days typed are no period: the field to mark and the catalogue key to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodError {
    pub field: &'static str,
    pub key: &'static str,
}

fn day(text: &str, field: &'static str) -> Result<Option<NaiveDate>, PeriodError> {
    match text.trim() {
        "" => Ok(None),
        d => {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map(Some).map_err(|_| PeriodError { field, key: "audit-bad-date" })
        }
    }
}

/// The period the two date inputs ask for. A day left empty is `MAX_DAYS` from the
/// other; both empty are the month up to `today`.
pub fn resolve(from: &str, until: &str, today: NaiveDate, tz: Tz) -> Result<Period, PeriodError> {
    let span = Duration::days(MAX_DAYS - 1);
    let (from, until) = match (day(from, "from")?, day(until, "until")?) {
        (Some(f), Some(u)) => (f, u),
        (Some(f), None) => (f, f + span),
        (None, Some(u)) => (u - span, u),
        (None, None) => (today - span, today),
    };
    if until < from {
        return Err(PeriodError { field: "until", key: "reports-period-reversed" });
    }
    if (until - from).num_days() + 1 > MAX_DAYS {
        return Err(PeriodError { field: "until", key: "reports-period-too-long" });
    }
    let start = |d: NaiveDate| day_start_ms(&d.format("%Y-%m-%d").to_string(), tz);
    let bad = PeriodError { field: "from", key: "audit-bad-date" };
    let from_ms = start(from).ok_or(bad)?;
    let until_ms = start(until + Duration::days(1)).ok_or(bad)?;
    Ok(Period { from, until, from_ms, until_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: Tz = chrono_tz::America::Sao_Paulo;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_is_whole_days_in_the_company_zone() {
        let p = resolve("2026-03-01", "2026-03-31", d("2026-04-10"), SP).unwrap();
        // Midnight in São Paulo is 03:00 UTC.
        assert_eq!(p.from_ms, 1_772_334_000_000);
        assert_eq!(p.until_ms - p.from_ms, 31 * 86_400_000);
    }

    #[test]
    fn more_than_31_days_or_reversed_days_are_refused() {
        let today = d("2026-04-10");
        let long = resolve("2026-03-01", "2026-04-01", today, SP).unwrap_err();
        assert_eq!(long, PeriodError { field: "until", key: "reports-period-too-long" });
        let back = resolve("2026-03-10", "2026-03-01", today, SP).unwrap_err();
        assert_eq!(back.key, "reports-period-reversed");
        assert_eq!(resolve("ontem", "", today, SP).unwrap_err().field, "from");
    }

    #[test]
    fn an_empty_day_is_a_month_from_the_other() {
        let today = d("2026-04-10");
        let p = resolve("", "", today, SP).unwrap();
        assert_eq!((p.from, p.until), (d("2026-03-11"), today));
        let p = resolve("2026-01-01", "", today, SP).unwrap();
        assert_eq!(p.until, d("2026-01-31"));
        let p = resolve("", "2026-02-28", today, SP).unwrap();
        assert_eq!(p.from, d("2026-01-29"));
    }
}
