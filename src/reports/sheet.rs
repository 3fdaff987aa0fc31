//! A spreadsheet's cells with their real types, shared by the XLSX and the CSV; one
//! row of the history report (every column of the table plus the phone, the e-mail, the
//! first-response and the handling times); and a whole small table (the other reports).

use std::borrow::Cow;

use chrono::TimeZone;

use crate::db::reports::history::ReportRow;
use crate::i18n;

/// A cell: text, an instant (unix ms, shown in the company's zone), a duration (ms) or
/// a whole number or a decimal one (an average, a share in percent); `None` is an
/// empty cell.
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Instant(i64),
    Duration(Option<i64>),
    Number(Option<i64>),
    Decimal(Option<f64>),
}

/// A report's table as a spreadsheet: the sheet's name, the file's name, each column's
/// heading and width in characters, and the rows.
pub struct Table {
    pub sheet: String,
    pub file: String,
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<Cell<'static>>>,
}

impl Cell<'static> {
    pub fn text(value: impl Into<String>) -> Cell<'static> {
        Cell::Text(Cow::Owned(value.into()))
    }
}

/// The columns: their catalogue key and width in characters.
pub const COLUMNS: [(&str, f64); 14] = [
    ("reports-col-protocol", 16.0),
    ("reports-col-channel", 22.0),
    ("reports-col-client", 28.0),
    ("reports-col-phone", 16.0),
    ("reports-col-email", 28.0),
    ("reports-col-team", 18.0),
    ("reports-col-agent", 22.0),
    ("reports-col-opened", 17.0),
    ("reports-col-closed", 17.0),
    ("reports-col-duration", 11.0),
    ("reports-col-classification", 34.0),
    ("reports-col-score", 10.0),
    ("reports-col-first-response", 14.0),
    ("reports-col-handling", 14.0),
];

/// The history's columns in the reader's language, with their widths.
pub fn header(lang: &str) -> Vec<(String, f64)> {
    COLUMNS.iter().map(|(key, width)| (i18n::translate(lang, key), *width)).collect()
}

/// The cells of one conversation, in the order of `COLUMNS`.
pub fn cells<'a>(r: &'a ReportRow, lang: &str) -> Vec<Cell<'a>> {
    let channel =
        format!("{} · {}", i18n::translate(lang, &format!("channels-kind-{}", r.channel_kind)), r.channel_name);
    let text = |t: &'a str| Cell::Text(Cow::Borrowed(t));
    vec![
        text(&r.protocol),
        Cell::Text(Cow::Owned(channel)),
        text(&r.client),
        text(&r.phone),
        text(&r.email),
        text(r.team.as_deref().unwrap_or_default()),
        text(r.agent.as_deref().unwrap_or_default()),
        Cell::Instant(r.opened_at),
        Cell::Instant(r.closed_at),
        Cell::Duration(Some(r.duration_ms)),
        text(&r.classification),
        Cell::Number(r.score),
        Cell::Duration(r.first_response_ms),
        Cell::Duration(r.handling_ms),
    ]
}

/// An instant as the wall-clock time of the company's zone.
pub fn local_time(ms: i64, tz: chrono_tz::Tz) -> chrono::NaiveDateTime {
    tz.timestamp_millis_opt(ms).single().map(|t| t.naive_local()).unwrap_or_default()
}
