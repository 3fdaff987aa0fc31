//! Charts drawn on the server as SVG (no script): horizontal and vertical bars, a
//! histogram and a day-of-week × hour heat map. Pure: values and words in, markup out.
//! Every mark carries a `<title>` (its value on hover); the page shows the same numbers
//! as a table beside the chart for screen readers, so the SVG itself is `aria-hidden`.

mod bars;
mod heatmap;
mod svg;

pub use bars::{bars, histogram, Bar, BarChart, Direction};
pub use heatmap::{heatmap, HeatMap};

use serde::Serialize;

/// A chart ready for a page: its title, the SVG markup (escaped here, shown as it is)
/// and the rows of the table beside it.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub svg: String,
    /// The table's two headings: what a row is, and what its number is.
    pub heads: (String, String),
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}
