//! Bar charts: one bar per category, its length proportional to its value (the largest
//! fills the plot), the value written at its end and in its `<title>`; horizontal for
//! long labels (reasons, agents), vertical for short ones (hours, channels), and the
//! histogram as vertical bars side by side.

use super::svg::{esc, fit, linked, n, open};
use super::{Chart, TableRow};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the reader reads it ("42", "1 min 20 s").
    pub shown: String,
    /// Where a click on the bar (and its table row) leads: a drill-down.
    pub href: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Horizontal,
    Vertical,
}

#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    /// What the categories are ("Motivo", "Hora").
    pub category_axis: String,
    /// What the values are ("Conversas", "Tempo").
    pub value_axis: String,
    pub bars: Vec<Bar>,
    pub direction: Direction,
}

const LABEL_W: f64 = 210.0;
const PLOT_W: f64 = 430.0;
const ROW_H: f64 = 24.0;
const TOP: f64 = 40.0;
const V_PLOT_W: f64 = 640.0;
const V_PLOT_H: f64 = 200.0;
const V_LEFT: f64 = 48.0;

fn largest(bars: &[Bar]) -> f64 {
    bars.iter().map(|b| b.value).fold(0.0, f64::max)
}

/// The length of a bar of `value` when `max` fills `room`.
fn length(value: f64, max: f64, room: f64) -> f64 {
    if max <= 0.0 || value <= 0.0 {
        0.0
    } else {
        value / max * room
    }
}

fn table(chart: &BarChart, svg: String) -> Chart {
    Chart {
        title: chart.title.clone(),
        svg,
        heads: (chart.category_axis.clone(), chart.value_axis.clone()),
        rows: chart
            .bars
            .iter()
            .map(|b| TableRow { label: b.label.clone(), value: b.shown.clone(), href: b.href.clone() })
            .collect(),
    }
}

/// A bar chart as SVG with its table.
pub fn bars(chart: &BarChart) -> Chart {
    let svg = match chart.direction {
        Direction::Horizontal => horizontal(chart),
        Direction::Vertical => vertical(chart, 6.0),
    };
    table(chart, svg)
}

/// A histogram: the buckets' counts as vertical bars without gaps between them.
pub fn histogram(chart: &BarChart) -> Chart {
    table(chart, vertical(chart, 1.0))
}

fn horizontal(chart: &BarChart) -> String {
    let max = largest(&chart.bars);
    let rows = chart.bars.len().max(1) as f64;
    let height = TOP + rows * ROW_H + 44.0;
    let mut out = open(LABEL_W + PLOT_W + 90.0, height, &chart.title);
    out.push_str(&format!(
        "<text class=\"chart-axis\" x=\"0\" y=\"{}\">{}</text>",
        n(TOP - 8.0),
        esc(&chart.category_axis)
    ));
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = TOP + i as f64 * ROW_H;
        let w = length(bar.value, max, PLOT_W);
        let tip = format!("{}: {}", bar.label, bar.shown);
        let mark = format!(
            "<g class=\"chart-mark\"><title>{tip}</title>\
             <text class=\"chart-label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"chart-bar\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"2\"/>\
             <text class=\"chart-value\" x=\"{vx}\" y=\"{ty}\">{shown}</text></g>",
            tip = esc(&tip),
            lx = n(LABEL_W - 8.0),
            ty = n(y + ROW_H / 2.0 + 4.0),
            label = esc(&fit(&bar.label, 30)),
            x = n(LABEL_W),
            y = n(y + 3.0),
            w = n(w),
            h = n(ROW_H - 6.0),
            vx = n(LABEL_W + w + 6.0),
            shown = esc(&bar.shown),
        );
        out.push_str(&linked(bar.href.as_deref(), mark));
    }
    let axis_y = TOP + rows * ROW_H;
    out.push_str(&format!(
        "<line class=\"chart-axis-line\" x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\"/>\
         <text class=\"chart-axis\" x=\"{mid}\" y=\"{ly}\" text-anchor=\"middle\">{label}</text></svg>",
        x = n(LABEL_W),
        t = n(TOP),
        b = n(axis_y),
        mid = n(LABEL_W + PLOT_W / 2.0),
        ly = n(axis_y + 28.0),
        label = esc(&chart.value_axis),
    ));
    out
}

fn vertical(chart: &BarChart, gap: f64) -> String {
    let max = largest(&chart.bars);
    let count = chart.bars.len().max(1) as f64;
    let slot = V_PLOT_W / count;
    let height = TOP + V_PLOT_H + 56.0;
    let base = TOP + V_PLOT_H;
    let mut out = open(V_LEFT + V_PLOT_W + 10.0, height, &chart.title);
    out.push_str(&format!(
        "<text class=\"chart-axis\" x=\"0\" y=\"{}\">{}</text>\
         <text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
         <text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        n(TOP - 12.0),
        esc(&chart.value_axis),
        n(V_LEFT - 6.0),
        n(TOP + 4.0),
        esc(&chart.bars.iter().find(|b| b.value == max).map(|b| b.shown.clone()).unwrap_or_default()),
        n(V_LEFT - 6.0),
        n(base),
    ));
    let chars = ((slot / 7.0) as usize).max(2);
    // Labels that cannot all fit are shown every few bars; each bar keeps its title.
    let every = if chars < 3 { 3 } else { 1 };
    for (i, bar) in chart.bars.iter().enumerate() {
        let x = V_LEFT + i as f64 * slot;
        let h = length(bar.value, max, V_PLOT_H);
        let tip = format!("{}: {}", bar.label, bar.shown);
        let label = if i % every == 0 {
            format!(
                "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                n(x + slot / 2.0),
                n(base + 16.0),
                esc(&fit(&bar.label, chars.max(3)))
            )
        } else {
            String::new()
        };
        let mark = format!(
            "<g class=\"chart-mark\"><title>{tip}</title>\
             <rect class=\"chart-bar\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"/>{label}</g>",
            tip = esc(&tip),
            x = n(x + gap / 2.0),
            y = n(base - h),
            w = n((slot - gap).max(1.0)),
            h = n(h),
        );
        out.push_str(&linked(bar.href.as_deref(), mark));
    }
    out.push_str(&format!(
        "<line class=\"chart-axis-line\" x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
         <text class=\"chart-axis\" x=\"{mid}\" y=\"{ly}\" text-anchor=\"middle\">{label}</text></svg>",
        l = n(V_LEFT),
        r = n(V_LEFT + V_PLOT_W),
        b = n(base),
        mid = n(V_LEFT + V_PLOT_W / 2.0),
        ly = n(base + 42.0),
        label = esc(&chart.category_axis),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar { label: label.into(), value, shown: format!("{value}"), href: None }
    }

    fn chart(direction: Direction, bars: Vec<Bar>) -> BarChart {
        BarChart {
            title: "Motivos".into(),
            category_axis: "Motivo".into(),
            value_axis: "Conversas".into(),
            bars,
            direction,
        }
    }

    /// The `attr` of every bar, in order.
    fn attrs(svg: &str, attr: &str) -> Vec<f64> {
        svg.split("<rect class=\"chart-bar\"")
            .skip(1)
            .map(|rest| {
                let start = rest.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
                rest[start..].split('"').next().unwrap().parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn horizontal_bars_are_as_long_as_their_values() {
        let c = bars(&chart(Direction::Horizontal, vec![bar("A", 10.0), bar("B", 5.0), bar("C", 0.0)]));
        assert_eq!(attrs(&c.svg, "width"), vec![PLOT_W, PLOT_W / 2.0, 0.0]);
        assert_eq!(c.rows.len(), 3);
        assert!(c.svg.contains("<title>B: 5</title>"), "the value on hover");
    }

    #[test]
    fn vertical_bars_and_the_histogram_grow_from_the_axis() {
        let c = bars(&chart(Direction::Vertical, vec![bar("8h", 4.0), bar("9h", 1.0)]));
        assert_eq!(attrs(&c.svg, "height"), vec![V_PLOT_H, V_PLOT_H / 4.0]);
        let ys = attrs(&c.svg, "y");
        assert_eq!(ys[0] + V_PLOT_H, ys[1] + V_PLOT_H / 4.0, "both stand on the same base line");
        let h = histogram(&chart(Direction::Vertical, vec![bar("0–30 s", 3.0), bar("30–60 s", 6.0)]));
        assert_eq!(attrs(&h.svg, "height"), vec![V_PLOT_H / 2.0, V_PLOT_H]);
    }

    #[test]
    fn nothing_to_draw_draws_empty_bars() {
        let c = bars(&chart(Direction::Horizontal, vec![bar("A", 0.0)]));
        assert_eq!(attrs(&c.svg, "width"), vec![0.0]);
        assert!(c.svg.ends_with("</svg>"));
    }

    #[test]
    fn labels_and_links_are_escaped() {
        let mut evil = bar("<script>alert(1)</script>", 1.0);
        evil.href = Some("/reports/history?reason=1&sub=2\"".into());
        let c = bars(&chart(Direction::Horizontal, vec![evil]));
        assert!(!c.svg.contains("<script>"));
        assert!(c.svg.contains("&lt;script&gt;"));
        assert!(c.svg.contains("href=\"/reports/history?reason=1&amp;sub=2&quot;\""));
        assert_eq!(c.rows[0].label, "<script>alert(1)</script>", "the table escapes it as any page text");
    }
}
