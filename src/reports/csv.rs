//! A report as CSV: UTF-8 with a byte-order mark (so Excel reads the accents
//! right), `;` between fields in Portuguese and Spanish (whose Excel takes `,` for the
//! decimal point) and `,` in English, every text neutralised against formulas. A
//! report of several tables writes them one after another, each after a blank line
//! and under its title.

use std::io::Write;

use super::sheet::{local_time, Cell};
use crate::domain::cell_text::neutralised;
use crate::domain::clock::format_hms;

pub struct CsvSheet<W: Write> {
    out: W,
    lang: &'static str,
    tz: chrono_tz::Tz,
    separator: char,
}

/// A field quoted when it holds the separator, a quote or a line break.
fn field(text: &str, separator: char) -> String {
    if text.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

impl<W: Write> CsvSheet<W> {
    pub fn start(
        out: W,
        lang: &'static str,
        tz: chrono_tz::Tz,
        columns: &[(String, f64)],
    ) -> std::io::Result<CsvSheet<W>> {
        let mut sheet = CsvSheet::begin(out, lang, tz)?;
        sheet.header(columns)?;
        Ok(sheet)
    }

    /// The file's start (the byte-order mark), before any table.
    pub fn begin(mut out: W, lang: &'static str, tz: chrono_tz::Tz) -> std::io::Result<CsvSheet<W>> {
        let separator = if lang == "en" { ',' } else { ';' };
        out.write_all("\u{feff}".as_bytes())?;
        Ok(CsvSheet { out, lang, tz, separator })
    }

    /// Another table: a blank line unless it is the first, its title, its headings.
    pub fn table(&mut self, first: bool, title: &str, columns: &[(String, f64)]) -> std::io::Result<()> {
        if !first {
            self.out.write_all(b"\r\n")?;
        }
        self.line(std::iter::once(field(&neutralised(title), self.separator)))?;
        self.header(columns)
    }

    pub fn header(&mut self, columns: &[(String, f64)]) -> std::io::Result<()> {
        let separator = self.separator;
        self.line(columns.iter().map(|(heading, _)| field(&neutralised(heading), separator)))
    }

    fn line(&mut self, fields: impl Iterator<Item = String>) -> std::io::Result<()> {
        let line = fields.collect::<Vec<_>>().join(&self.separator.to_string());
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\r\n")
    }

    pub fn row(&mut self, values: Vec<Cell>) -> std::io::Result<()> {
        let date = if self.lang == "en" { "%Y-%m-%d %H:%M:%S" } else { "%d/%m/%Y %H:%M:%S" };
        let (sep, tz) = (self.separator, self.tz);
        let fields: Vec<String> = values
            .into_iter()
            .map(|cell| match cell {
                Cell::Text(t) => field(&neutralised(&t), sep),
                Cell::Instant(ms) => local_time(ms, tz).format(date).to_string(),
                Cell::Duration(ms) => ms.map(format_hms).unwrap_or_default(),
                Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
                Cell::Decimal(n) => n.map(|n| self.decimal(n)).unwrap_or_default(),
            })
            .collect();
        self.line(fields.into_iter())
    }

    /// One decimal, with the comma in Portuguese and Spanish.
    fn decimal(&self, n: f64) -> String {
        let text = format!("{n:.1}");
        if self.lang == "en" {
            text
        } else {
            text.replace('.', ",")
        }
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
