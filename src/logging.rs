//! The log: plain lines on standard output, filtered by `ATENDE_LOG`. Rocket's own lines
//! name requests with their query strings, and the widget's event stream carries the
//! visitor's token in its query (EventSource sends no headers), so query strings are cut
//! from every line Rocket writes. A Telegram bot's token is part of every Bot API URL,
//! and the HTTP client names URLs at its most detailed level, so a bot token is cut
//! from every line. Our own lines never carry secrets, except the first-run setup link,
//! which is printed on purpose.

use std::fmt::Write as _;

use tracing::{Event, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::fmt::format::{Format, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

pub fn init(filter: &str) {
    // Colours only on a terminal: journald and `docker logs` get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    if let Err(e) = try_init_with(filter, ansi, std::io::stdout) {
        eprintln!("logging: {e}");
    }
}

/// The log as `init` sets it up, written to `writer` (a test reads what was logged).
pub fn try_init_with<W>(filter: &str, ansi: bool, writer: W) -> Result<(), String>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let format = WithoutRocketQueries(Format::default().with_target(false).with_ansi(ansi));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .event_format(format)
        .with_writer(writer)
        .finish();
    // Lines of crates that log through `log` (Rocket, the HTTP client) come through the
    // bridge, unless a `log` logger is already in place.
    let _ = tracing_log::LogTracer::init();
    tracing::subscriber::set_global_default(subscriber).map_err(|e| e.to_string())
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
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        let line = without_bot_tokens(&line);
        if !target.starts_with("rocket") {
            return writer.write_str(&line);
        }
        writer.write_str(&without_queries(&line))
    }
}

/// `…/bot123456:AAH-secret/getUpdates` → `…/bot123456:<token>/getUpdates`: the part of a
/// Telegram bot token after its public id is cut wherever it appears after "bot".
pub fn without_bot_tokens(line: &str) -> String {
    if !line.contains("bot") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("bot") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let id_len = after.bytes().take_while(u8::is_ascii_digit).count();
        let secret = after[id_len..]
            .strip_prefix(':')
            .map(|s| s.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count());
        match secret {
            Some(len) if id_len > 0 && len > 0 => {
                out.push_str(&after[..=id_len]);
                out.push_str("<token>");
                rest = &after[id_len + 1 + len..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
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

    #[test]
    fn bot_tokens_are_cut() {
        use super::without_bot_tokens;
        assert_eq!(
            without_bot_tokens("GET http://127.0.0.1:9/bot123456:AAH-s3cr_et/getUpdates?offset=1 and bot 42"),
            "GET http://127.0.0.1:9/bot123456:<token>/getUpdates?offset=1 and bot 42"
        );
        assert_eq!(without_bot_tokens("/file/bot1:x/photos/a.jpg"), "/file/bot1:<token>/photos/a.jpg");
        assert_eq!(without_bot_tokens("robots: 3 bots"), "robots: 3 bots");
    }
}
