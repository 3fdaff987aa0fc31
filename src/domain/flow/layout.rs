//! The diagram of a flow, laid out: a simple layered layout, top to bottom. Each
//! block's layer is its distance from the start (blocks no path reaches start layers
//! of their own); a layer wider than `PER_ROW` wraps onto more rows, so a ten-option
//! menu stays readable; within a row, blocks sit under their parents (barycentre).
//! Arrows go down from a box's bottom to the next box's top, and those that go back
//! up (a re-ask, a loop to the menu) round the right side. Pure: the editor draws
//! what this returns as SVG.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::Serialize;

use super::definition::Definition;

pub const BOX_W: i64 = 176;
pub const BOX_H: i64 = 62;
const GAP_X: i64 = 44;
const GAP_Y: i64 = 70;
const MARGIN: i64 = 24;
/// Boxes a row holds before it wraps.
pub const PER_ROW: usize = 6;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    pub width: i64,
    pub height: i64,
    pub boxes: Vec<Placed>,
    pub arrows: Vec<Arrow>,
}

/// A block's box: its top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placed {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub x: i64,
    pub y: i64,
    pub start: bool,
}

/// The exits from one block to another, as one arrow: an SVG path, where its label
/// goes, and the exits' names (catalogue key and value).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    pub path: String,
    pub label_x: i64,
    pub label_y: i64,
    pub labels: Vec<ExitName>,
    /// Goes back up or sideways (drawn round the right).
    pub back: bool,
}

/// An exit's name on an arrow: its catalogue key and value (an option's number).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExitName {
    pub key: &'static str,
    pub value: String,
}

/// Lays out `def`; blocks keep their definition's order within a layer when nothing
/// else decides.
pub fn layout(def: &Definition) -> Diagram {
    let rows = rows(def);
    let mut at: HashMap<&str, (i64, i64)> = HashMap::new();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(0) as i64;
    let full = widest * BOX_W + (widest - 1).max(0) * GAP_X;
    let mut boxes = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let width = row.len() as i64 * BOX_W + (row.len() as i64 - 1) * GAP_X;
        let left = MARGIN + (full - width) / 2;
        let y = MARGIN + r as i64 * (BOX_H + GAP_Y);
        for (i, &index) in row.iter().enumerate() {
            let b = &def.blocks[index];
            let x = left + i as i64 * (BOX_W + GAP_X);
            at.insert(&b.id, (x, y));
            let kind = b.kind.code();
            boxes.push(Placed { id: b.id.clone(), name: b.name.clone(), kind, x, y, start: b.id == def.start });
        }
    }
    let arrows = arrows(def, &at);
    Diagram {
        // Room on the right for the arrows that go back up.
        width: MARGIN * 2 + full.max(BOX_W) + 110,
        height: MARGIN * 2 + rows.len() as i64 * (BOX_H + GAP_Y) - GAP_Y,
        boxes,
        arrows,
    }
}

/// The blocks (by index) of each row, top to bottom.
fn rows(def: &Definition) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = def.blocks.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect();
    let mut layer: Vec<Option<usize>> = vec![None; def.blocks.len()];
    let mut parents: Vec<Vec<usize>> = vec![vec![]; def.blocks.len()];
    let roots = index.get(def.start.as_str()).copied().into_iter().chain(0..def.blocks.len());
    let mut base = 0;
    for root in roots {
        if layer[root].is_some() {
            continue;
        }
        let mut todo = VecDeque::from([(root, base)]);
        layer[root] = Some(base);
        while let Some((i, l)) = todo.pop_front() {
            for t in def.blocks[i].exits().into_iter().filter_map(|e| e.target) {
                let Some(&j) = index.get(t) else { continue };
                if layer[j].is_none() {
                    layer[j] = Some(l + 1);
                    parents[j].push(i);
                    todo.push_back((j, l + 1));
                }
            }
        }
        base = layer.iter().flatten().max().map_or(0, |m| m + 1);
    }
    let mut layers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, l) in layer.iter().enumerate() {
        layers.entry(l.unwrap_or(0)).or_default().push(i);
    }
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, f64> = HashMap::new();
    for (_, mut blocks) in layers {
        // Under their parents: the mean of the parents' places in the rows above.
        let centre = |i: &usize| -> f64 {
            let places: Vec<f64> = parents[*i].iter().filter_map(|p| slot.get(p)).copied().collect();
            if places.is_empty() {
                f64::MAX
            } else {
                places.iter().sum::<f64>() / places.len() as f64
            }
        };
        blocks.sort_by(|a, b| centre(a).total_cmp(&centre(b)));
        for chunk in blocks.chunks(PER_ROW) {
            let n = chunk.len() as f64;
            for (k, &i) in chunk.iter().enumerate() {
                slot.insert(i, k as f64 - (n - 1.0) / 2.0);
            }
            rows.push(chunk.to_vec());
        }
    }
    rows
}

fn arrows(def: &Definition, at: &HashMap<&str, (i64, i64)>) -> Vec<Arrow> {
    let mut arrows: Vec<Arrow> = Vec::new();
    // The curve of each arrow that goes down, for its label's place along it.
    let mut curves: Vec<Option<Curve>> = Vec::new();
    let mut back_lanes = 0;
    for b in &def.blocks {
        let Some(&(x1, y1)) = at.get(b.id.as_str()) else { continue };
        let mut targets: Vec<(&str, Vec<ExitName>)> = Vec::new();
        for exit in b.exits() {
            let Some(t) = exit.target.filter(|t| at.contains_key(t)) else { continue };
            let name = exit.label.name().map(|(key, value)| ExitName { key, value });
            match targets.iter_mut().find(|(to, _)| *to == t) {
                Some((_, names)) => names.extend(name),
                None => targets.push((t, name.into_iter().collect())),
            }
        }
        let n = targets.len() as i64;
        for (k, (t, labels)) in targets.into_iter().enumerate() {
            let (x2, y2) = at[t];
            let back = y2 <= y1;
            let (path, lx, ly, curve) = if back {
                back_lanes += 1;
                let out = 28 + (back_lanes % 6) * 12;
                let (sx, sy, ex, ey) = (x1 + BOX_W, y1 + BOX_H / 2 + 8, x2 + BOX_W, y2 + BOX_H / 2 - 8);
                let c = sx.max(ex) + out;
                // Labelled where it leaves, so labels of arrows into one box do not pile up.
                (format!("M{sx} {sy} C{c} {sy} {c} {ey} {ex} {ey}"), sx - 24, y1 + BOX_H + 12, None)
            } else {
                // Exits leave side by side along the bottom, in their order.
                let sx = x1 + BOX_W * (k as i64 + 1) / (n + 1);
                let (sy, ex, ey) = (y1 + BOX_H, x2 + BOX_W / 2, y2);
                let mid = (sy + ey) / 2;
                let curve = [(sx, sy), (sx, mid), (ex, mid), (ex, ey)];
                (format!("M{sx} {sy} C{sx} {mid} {ex} {mid} {ex} {ey}"), sx, sy + 16, Some(curve))
            };
            arrows.push(Arrow { from: b.id.clone(), to: t.to_string(), path, label_x: lx, label_y: ly, labels, back });
            curves.push(curve);
        }
    }
    place_labels(&mut arrows, &curves, at);
    arrows
}

/// A cubic Bézier's four points.
type Curve = [(i64, i64); 4];

/// A rectangle: left, top, width, height.
type Rect = (i64, i64, i64, i64);

/// Where along its arrow a label may sit (a share of the way), nearest its source
/// first; the first place that covers no box and no label already placed wins, so
/// the exits of a many-option menu stagger down their arrows instead of piling up.
const ALONG: [f64; 13] = [0.3, 0.45, 0.2, 0.6, 0.38, 0.52, 0.7, 0.25, 0.8, 0.15, 0.65, 0.88, 0.1];

fn place_labels(arrows: &mut [Arrow], curves: &[Option<Curve>], at: &HashMap<&str, (i64, i64)>) {
    let mut taken: Vec<Rect> = at.values().map(|&(x, y)| (x, y, BOX_W, BOX_H)).collect();
    // Labels of arrows going back keep their place under the source; the others avoid them.
    for a in arrows.iter().filter(|a| a.back && !a.labels.is_empty()) {
        taken.push(label_rect(&a.labels, a.label_x, a.label_y));
    }
    for (a, curve) in arrows.iter_mut().zip(curves) {
        let Some(curve) = curve.filter(|_| !a.labels.is_empty()) else { continue };
        let places = ALONG.iter().map(|&t| point(&curve, t)).map(|(x, y)| (x, y + 4));
        let mut chosen = None;
        for (x, y) in places {
            let rect = label_rect(&a.labels, x, y);
            chosen.get_or_insert((x, y, rect));
            if taken.iter().all(|r| !overlaps(r, &rect)) {
                chosen = Some((x, y, rect));
                break;
            }
        }
        let (x, y, rect) = chosen.expect("ALONG is not empty");
        (a.label_x, a.label_y) = (x, y);
        taken.push(rect);
    }
}

fn point(c: &Curve, t: f64) -> (i64, i64) {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let sum = |f: fn(&(i64, i64)) -> i64| c.iter().zip(w).map(|(p, w)| f(p) as f64 * w).sum::<f64>().round() as i64;
    (sum(|p| p.0), sum(|p| p.1))
}

/// The room a label takes, centred on `x` with its baseline at `y`: 11px text, about
/// 7px a character, a little more for the halo. Names of the exits without a value
/// are counted at their longest ("inválido", "feriado").
fn label_rect(labels: &[ExitName], x: i64, y: i64) -> Rect {
    let chars: usize = labels
        .iter()
        .map(|l| match l.key {
            "flow-exit-option" => l.value.chars().count(),
            "flow-exit-rule" => l.value.chars().count() + 2,
            _ => 8,
        })
        .sum::<usize>()
        + 2 * labels.len().saturating_sub(1);
    let w = chars as i64 * 7 + 6;
    (x - w / 2, y - 11, w, 15)
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flow::definition::{BlockKind, MenuOption};
    use crate::domain::flow::step::tests::{block, flow, main_menu, to};

    fn overlap(a: &Placed, b: &Placed) -> bool {
        a.x < b.x + BOX_W && b.x < a.x + BOX_W && a.y < b.y + BOX_H && b.y < a.y + BOX_H
    }

    fn assert_readable(d: &Diagram, blocks: usize) {
        assert_eq!(d.boxes.len(), blocks);
        for (i, a) in d.boxes.iter().enumerate() {
            assert!(a.x >= 0 && a.y >= 0 && a.x + BOX_W <= d.width && a.y + BOX_H <= d.height, "{a:?} in {d:?}");
            for b in &d.boxes[i + 1..] {
                assert!(!overlap(a, b), "{} and {} overlap", a.id, b.id);
            }
        }
        let per_row = d.boxes.iter().fold(HashMap::<i64, usize>::new(), |mut m, b| {
            *m.entry(b.y).or_default() += 1;
            m
        });
        assert!(per_row.values().all(|n| *n <= PER_ROW));
    }

    /// Thirty blocks: a greeting, a ten-option menu, a question behind each option and
    /// a transfer or close behind each question, plus a block nothing reaches.
    pub(crate) fn thirty() -> Definition {
        let mut blocks =
            vec![block("ola", BlockKind::Message { text: "Olá".into(), attachment_id: None, next: to("menu") })];
        let options = (1..=9)
            .map(|i| MenuOption { label: format!("Opção {i}"), next: to(&format!("p{i}")), synonyms: vec![] })
            .collect();
        blocks.push(block(
            "menu",
            BlockKind::Menu {
                text: "Menu".into(),
                options,
                max_tries: 2,
                retry_text: String::new(),
                invalid: to("ola"),
            },
        ));
        for i in 1..=9 {
            blocks.push(block(
                &format!("p{i}"),
                BlockKind::Ask {
                    text: "?".into(),
                    field: "nome".into(),
                    validation: crate::domain::flow::definition::Validation::Text,
                    max_tries: 2,
                    retry_text: String::new(),
                    next: to(&format!("t{i}")),
                    invalid: to("menu"),
                },
            ));
            let end = match i % 2 {
                0 => BlockKind::Transfer { team_id: 1, priority: false },
                _ => BlockKind::Close { text: "Tchau".into() },
            };
            blocks.push(block(&format!("t{i}"), end));
        }
        while blocks.len() < 30 {
            let n = blocks.len();
            blocks.push(block(&format!("solto{n}"), BlockKind::Close { text: "x".into() }));
        }
        flow(blocks)
    }

    #[test]
    fn thirty_blocks_lay_out_without_overlaps_in_rows_of_at_most_six() {
        let d = layout(&thirty());
        assert_readable(&d, 30);
        let start = d.boxes.iter().find(|b| b.start).unwrap();
        assert_eq!(start.id, "ola");
        assert!(d.boxes.iter().all(|b| b.y >= start.y), "the start is on top");
        // Each question is above its transfer or close.
        let y = |id: &str| d.boxes.iter().find(|b| b.id == id).unwrap().y;
        assert!((1..=9).all(|i| y(&format!("p{i}")) < y(&format!("t{i}"))));
        assert!(d.width < 1600, "six boxes a row: {}", d.width);
    }

    #[test]
    fn the_labels_of_a_nine_option_menu_cover_neither_each_other_nor_a_box() {
        let d = layout(&thirty());
        let labelled: Vec<&Arrow> = d.arrows.iter().filter(|a| !a.labels.is_empty()).collect();
        assert!(labelled.iter().filter(|a| a.from == "menu").count() >= 9);
        let rects: Vec<Rect> = labelled.iter().map(|a| label_rect(&a.labels, a.label_x, a.label_y)).collect();
        for (i, r) in rects.iter().enumerate() {
            for (j, other) in rects.iter().enumerate().skip(i + 1) {
                assert!(!overlaps(r, other), "{:?} and {:?}", labelled[i].labels, labelled[j].labels);
            }
            for b in &d.boxes {
                assert!(!overlaps(r, &(b.x, b.y, BOX_W, BOX_H)), "{:?} on {}", labelled[i].labels, b.id);
            }
        }
    }

    #[test]
    fn arrows_merge_exits_to_the_same_block_and_label_them() {
        let def = flow(vec![
            block("menu", main_menu()),
            block("vendas", BlockKind::Transfer { team_id: 1, priority: false }),
            block("financeiro", BlockKind::Close { text: "Tchau".into() }),
        ]);
        let d = layout(&def);
        assert_readable(&d, 3);
        assert_eq!(d.arrows.len(), 2);
        let to_fin = d.arrows.iter().find(|a| a.to == "financeiro").unwrap();
        let names: Vec<(&str, &str)> = to_fin.labels.iter().map(|l| (l.key, l.value.as_str())).collect();
        assert_eq!(names, vec![("flow-exit-option", "2"), ("flow-exit-invalid", "")]);
        assert!(!to_fin.back && to_fin.path.starts_with('M'));
    }

    #[test]
    fn arrows_back_up_go_round_the_right() {
        let mut def = flow(vec![
            block("menu", main_menu()),
            block("vendas", BlockKind::Message { text: "x".into(), attachment_id: None, next: to("menu") }),
            block("financeiro", BlockKind::Close { text: "Tchau".into() }),
        ]);
        def.blocks.push(block("solto", BlockKind::Close { text: "?".into() }));
        let d = layout(&def);
        assert_readable(&d, 4);
        let back = d.arrows.iter().find(|a| a.from == "vendas").unwrap();
        assert!(back.back && back.labels.is_empty());
        let from = d.boxes.iter().find(|b| b.id == "vendas").unwrap();
        assert!(back.label_x > from.x && back.label_y > from.y + BOX_H, "labelled under its source");
        let empty = Definition { blocks: vec![], start: String::new(), ..def };
        assert!(layout(&empty).boxes.is_empty());
    }
}
