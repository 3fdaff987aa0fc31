//! What every chart's markup shares: escaping, numbers without noise, labels cut to fit.

/// Text for SVG content or an attribute value.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal.
pub fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// A label of at most `max` characters, with "…" when cut (the whole one is in the
/// mark's `<title>` and in the table).
pub fn fit(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The start of a chart: a responsive box, hidden from screen readers (the table beside
/// it says the same), with its title on top.
pub fn open(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\" aria-hidden=\"true\" focusable=\"false\" style=\"max-width:{w}px\">\
         <text class=\"chart-title\" x=\"0\" y=\"16\">{t}</text>",
        w = n(width),
        h = n(height),
        t = esc(title)
    )
}

/// A mark that opens `href` when there is one.
pub fn linked(href: Option<&str>, inner: String) -> String {
    match href {
        Some(h) => format!("<a href=\"{}\">{inner}</a>", esc(h)),
        None => inner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_labels_cut() {
        assert_eq!(esc("<b>\"A&B\"</b>'"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;&#39;");
        assert_eq!(fit("Financeiro", 20), "Financeiro");
        assert_eq!(fit("Segunda via de boleto vencido", 10), "Segunda v…");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.34), "12.3");
    }
}
