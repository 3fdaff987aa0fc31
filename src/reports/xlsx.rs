//! A report as XLSX, written row by row in rust_xlsxwriter's constant-memory
//! mode: dates as dates in the company's zone, durations as numbers of days with an
//! `[h]:mm:ss` format, scores as numbers, widths, a frozen header and an autofilter on
//! each worksheet (a report of several tables has one worksheet each).
//! Texts that look like formulas are stored as text with Excel's quote prefix, so they
//! are shown and kept as typed and never evaluated.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::sheet::{local_time, Cell};
use crate::domain::cell_text::looks_like_formula;

const MS_PER_DAY: f64 = 86_400_000.0;

pub struct XlsxSheet {
    workbook: Workbook,
    tz: chrono_tz::Tz,
    /// The worksheet being written, its last row and how many columns it has.
    sheet: usize,
    row: u32,
    columns: u16,
    date: Format,
    duration: Format,
    decimal: Format,
    quoted: Format,
}

impl XlsxSheet {
    /// A workbook whose worksheet, `name`, spills to temporary files in `temp_dir`;
    /// `columns` are the headings and their widths.
    pub fn start(
        lang: &'static str,
        tz: chrono_tz::Tz,
        temp_dir: &std::path::Path,
        name: &str,
        columns: &[(String, f64)],
    ) -> Result<XlsxSheet, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(temp_dir)?;
        let date_format = if lang == "en" { "yyyy-mm-dd hh:mm" } else { "dd/mm/yyyy hh:mm" };
        let mut sheet = XlsxSheet {
            workbook,
            tz,
            sheet: 0,
            row: 0,
            columns: 0,
            date: Format::new().set_num_format(date_format),
            duration: Format::new().set_num_format("[h]:mm:ss"),
            decimal: Format::new().set_num_format("0.0"),
            quoted: Format::new().set_quote_prefix(),
        };
        sheet.add_sheet(name, columns)?;
        Ok(sheet)
    }

    /// A worksheet after the last one (whose autofilter is set), `name` with `columns`.
    pub fn next_sheet(&mut self, name: &str, columns: &[(String, f64)]) -> Result<(), XlsxError> {
        self.close_sheet()?;
        self.sheet += 1;
        self.add_sheet(name, columns)
    }

    fn add_sheet(&mut self, name: &str, columns: &[(String, f64)]) -> Result<(), XlsxError> {
        (self.row, self.columns) = (0, columns.len() as u16);
        let bold = Format::new().set_bold();
        let worksheet = self.workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(name)?;
        // Column widths belong before the first row in constant-memory mode.
        for (col, (heading, width)) in columns.iter().enumerate() {
            worksheet.set_column_width(col as u16, *width)?;
            worksheet.write_string_with_format(0, col as u16, heading, &bold)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        Ok(())
    }

    /// The autofilter over every row of the worksheet written.
    fn close_sheet(&mut self) -> Result<(), XlsxError> {
        let (last, columns) = (self.row, self.columns);
        self.worksheet()?.autofilter(0, 0, last, columns.saturating_sub(1))?;
        Ok(())
    }

    fn worksheet(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.workbook.worksheet_from_index(self.sheet)
    }

    pub fn row(&mut self, values: Vec<Cell>) -> Result<(), XlsxError> {
        self.row += 1;
        let (row, tz) = (self.row, self.tz);
        let (date, duration, quoted) = (self.date.clone(), self.duration.clone(), self.quoted.clone());
        let decimal = self.decimal.clone();
        let ws = self.worksheet()?;
        for (col, cell) in values.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) if looks_like_formula(&t) => ws.write_string_with_format(row, col, t, &quoted)?,
                Cell::Text(t) => ws.write_string(row, col, t)?,
                Cell::Instant(ms) => {
                    // The zone's wall-clock time, read as if it were UTC, is the cell's date.
                    let wall = local_time(ms, tz).and_utc().timestamp();
                    ws.write_datetime_with_format(row, col, ExcelDateTime::from_timestamp(wall)?, &date)?
                }
                Cell::Duration(Some(ms)) => ws.write_number_with_format(row, col, ms as f64 / MS_PER_DAY, &duration)?,
                Cell::Number(Some(n)) => ws.write_number(row, col, n as f64)?,
                Cell::Decimal(Some(n)) => ws.write_number_with_format(row, col, n, &decimal)?,
                Cell::Duration(None) | Cell::Number(None) | Cell::Decimal(None) => ws,
            };
        }
        Ok(())
    }

    /// The last worksheet's autofilter, and the file.
    pub fn finish(mut self, out: impl std::io::Write + Send) -> Result<(), XlsxError> {
        self.close_sheet()?;
        self.workbook.save_to_writer(out)
    }
}
