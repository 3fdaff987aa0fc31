//! Numbers as the summary reports write them: shares in percent with the reader's
//! decimal mark; and a drill-down link into the history.

/// `part` of `whole` in percent; none of nothing.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A number with one decimal and the reader's decimal mark: `4,5` (`4.5` in English).
pub fn decimal(value: f64, lang: &str) -> String {
    let text = format!("{value:.1}");
    if lang == "en" {
        text
    } else {
        text.replace('.', ",")
    }
}

/// A percentage with one decimal, `42,9%` (`42.9%` in English); a dash for none.
pub fn percent(value: Option<f64>, lang: &str) -> String {
    match value {
        None => "–".into(),
        Some(v) => format!("{}%", decimal(v, lang)),
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
