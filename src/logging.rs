//! The log: plain lines on standard output, filtered by `ATENDE_LOG`. Rocket's own lines
//! name requests with their query strings, and the widget's event stream carries the
//! visitor's token in its query (EventSource sends no headers), so query strings are cut
//! from every line Rocket writes. Our own lines never carry secrets, except the first-run
//! setup link, which is printed on purpose.

use std::fmt::Write as _;

use tracing::{Event, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::fmt::format::{Format, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

pub fn init(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: journald and `docker logs` get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let format = WithoutRocketQueries(Format::default().with_target(false).with_ansi(ansi));
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).event_format(format).init();
}

/// Formats as the default does, then cuts query strings from lines of Rocket's.
struct WithoutRocketQueries(Format);

impl<S, N> FormatEvent<S, N> for WithoutRocketQueries
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    Format: FormatEvent<S, N>,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> std::fmt::Result {
        let target = event.normalized_metadata().map(|m| m.target().to_string());
        let target = target.as_deref().unwrap_or_else(|| event.metadata().target());
        if !target.starts_with("rocket") {
            return self.0.format_event(ctx, writer, event);
        }
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        writer.write_str(&without_queries(&line))
    }
}

/// `GET /webchat/x/events?token=abc.` → `GET /webchat/x/events?….`
pub fn without_queries(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_query = false;
    for c in line.chars() {
        if in_query {
            if c.is_whitespace() {
                in_query = false;
                out.push(c);
            }
            continue;
        }
        if c == '?' {
            in_query = true;
            let _ = write!(out, "?…");
            continue;
        }
        out.push(c);
    }
    // A sentence's full stop right after the query was part of it: put one back.
    if line.trim_end().ends_with('.') && !out.trim_end().ends_with('.') {
        let end = out.trim_end().len();
        out.insert(end, '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_queries;

    #[test]
    fn query_strings_are_cut() {
        assert_eq!(
            without_queries("ERROR No matching routes for GET /webchat/x/events?token=abc123.\n"),
            "ERROR No matching routes for GET /webchat/x/events?….\n"
        );
        assert_eq!(without_queries("GET /a?b=1 then /c?d=2 end"), "GET /a?… then /c?… end");
        assert_eq!(without_queries("no query here\n"), "no query here\n");
    }
}
