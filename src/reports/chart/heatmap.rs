//! The day-of-week × hour heat map: seven rows of 24 cells, each as dark as its count
//! against the busiest cell; the count in the cell's `<title>`.

use super::svg::{esc, n, open};
use super::{Chart, TableRow};

#[derive(Debug, Clone)]
pub struct HeatMap {
    pub title: String,
    /// The seven days' names, Monday first ("seg", "ter" …).
    pub days: [String; 7],
    /// What a cell counts ("conversas"), for the titles and the table.
    pub unit: String,
    /// The table's headings: the cell ("Dia e hora") and its number.
    pub heads: (String, String),
    /// The axis titles: days and hours.
    pub day_axis: String,
    pub hour_axis: String,
    /// counts[day][hour], day 0 = Monday, hours in the company's zone.
    pub counts: [[u64; 24]; 7],
}

const LEFT: f64 = 48.0;
const TOP: f64 = 44.0;
const CELL: f64 = 26.0;

/// The cell's opacity: empty cells faint, the busiest full.
fn strength(count: u64, max: u64) -> f64 {
    if max == 0 || count == 0 {
        0.0
    } else {
        0.15 + 0.85 * count as f64 / max as f64
    }
}

pub fn heatmap(map: &HeatMap) -> Chart {
    let max = map.counts.iter().flatten().copied().max().unwrap_or(0);
    let mut out = open(LEFT + 24.0 * CELL + 8.0, TOP + 7.0 * CELL + 40.0, &map.title);
    out.push_str(&format!("<text class=\"chart-axis\" x=\"0\" y=\"{}\">{}</text>", n(TOP - 20.0), esc(&map.day_axis)));
    for hour in 0..24 {
        if hour % 3 == 0 {
            out.push_str(&format!(
                "<text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{hour}h</text>",
                n(LEFT + hour as f64 * CELL + CELL / 2.0),
                n(TOP - 5.0)
            ));
        }
    }
    let mut rows = Vec::new();
    for (d, day) in map.days.iter().enumerate() {
        let y = TOP + d as f64 * CELL;
        out.push_str(&format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            n(LEFT - 6.0),
            n(y + CELL / 2.0 + 4.0),
            esc(day)
        ));
        for hour in 0..24 {
            let count = map.counts[d][hour];
            let tip = format!("{day} {hour}h: {count} {}", map.unit);
            out.push_str(&format!(
                "<rect class=\"chart-cell{empty}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{w}\" \
                 fill-opacity=\"{o:.2}\"><title>{tip}</title></rect>",
                empty = if count == 0 { " empty" } else { "" },
                x = n(LEFT + hour as f64 * CELL + 1.0),
                y = n(y + 1.0),
                w = n(CELL - 2.0),
                o = if count == 0 { 1.0 } else { strength(count, max) },
                tip = esc(&tip),
            ));
            if count > 0 {
                rows.push(TableRow { label: format!("{day} {hour}h"), value: count.to_string(), href: None });
            }
        }
    }
    out.push_str(&format!(
        "<text class=\"chart-axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></svg>",
        n(LEFT + 12.0 * CELL),
        n(TOP + 7.0 * CELL + 28.0),
        esc(&map.hour_axis)
    ));
    Chart { title: map.title.clone(), svg: out, heads: map.heads.clone(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(counts: [[u64; 24]; 7]) -> HeatMap {
        HeatMap {
            title: "Volume".into(),
            days: ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"].map(String::from),
            unit: "conversas".into(),
            heads: ("Dia e hora".into(), "Conversas".into()),
            day_axis: "Dia".into(),
            hour_axis: "Hora".into(),
            counts,
        }
    }

    #[test]
    fn the_busiest_cell_is_full_and_empty_ones_are_marked() {
        let mut counts = [[0; 24]; 7];
        counts[0][9] = 4;
        counts[6][23] = 2;
        let chart = heatmap(&map(counts));
        assert_eq!(chart.svg.matches("<rect").count(), 7 * 24);
        assert!(chart.svg.contains("fill-opacity=\"1.00\"><title>seg 9h: 4 conversas</title>"));
        assert!(chart.svg.contains("fill-opacity=\"0.57\"><title>dom 23h: 2 conversas</title>"));
        assert_eq!(chart.svg.matches("chart-cell empty").count(), 7 * 24 - 2);
        let cells: Vec<(&str, &str)> = chart.rows.iter().map(|r| (r.label.as_str(), r.value.as_str())).collect();
        assert_eq!(cells, vec![("seg 9h", "4"), ("dom 23h", "2")]);
    }
}
