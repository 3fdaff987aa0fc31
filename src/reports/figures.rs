//! Numbers as the summary reports write them: shares in percent with the reader's
//! decimal mark, the median and 90th percentile of a list of times, a drill-down link.

/// `part` of `whole` in percent; none of nothing.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A percentage with one decimal, `42,9%` (`42.9%` in English); a dash for none.
pub fn percent(value: Option<f64>, lang: &str) -> String {
    match value {
        None => "–".into(),
        Some(v) => {
            let text = format!("{v:.1}%");
            if lang == "en" {
                text
            } else {
                text.replace('.', ",")
            }
        }
    }
}

/// The nearest-rank percentile `p` (0–100) of values sorted ascending: the smallest value
/// with at least `p`% of them at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

/// The median of values sorted ascending: the middle one, or the mean of the two.
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The history report of the same period, narrowed by `extra` pairs (`reason=10`);
/// every value here is a day or an id, so nothing needs encoding.
pub fn history_link(from: &str, until: &str, team: Option<i64>, extra: &[(&str, i64)]) -> String {
    let mut link = format!("/reports/history?from={from}&until={until}");
    for (name, id) in team.map(|t| ("team", t)).iter().chain(extra) {
        link.push_str(&format!("&{name}={id}"));
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles_of_known_lists() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[1, 3, 10]), Some(3));
        assert_eq!(median(&[1, 3, 5, 11]), Some(4));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(percentile(&ten, 100), Some(10));
        assert_eq!(percentile(&[7], 90), Some(7));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10));
    }

    #[test]
    fn shares_in_the_reader_s_language() {
        assert_eq!(percent(share(3, 7), "pt-BR"), "42,9%");
        assert_eq!(percent(share(3, 7), "en"), "42.9%");
        assert_eq!(percent(share(1, 0), "es"), "–");
        assert_eq!(
            history_link("2026-03-01", "2026-03-31", Some(1), &[("reason", 10)]),
            "/reports/history?from=2026-03-01&until=2026-03-31&team=1&reason=10"
        );
    }
}
