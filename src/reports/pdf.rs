//! A conversation's transcript as PDF (printpdf, built-in Helvetica): protocol, company,
//! client, channel, team, every agent who took part, opened and closed, classification,
//! tags, the survey's answer, then every message with its author and time and the files
//! it carried; page numbers on every page. The text stays text (selectable, searchable).

use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
    TextItem,
};

use super::pdf_text::{drawable, width, wrap};
use super::transcript::ReportTranscript;
use crate::i18n::{self, dates};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 51.0;
const BOTTOM: f32 = 60.0;
const TEXT: f32 = 10.0;
const BLACK: (f32, f32, f32) = (0.1, 0.1, 0.12);
const GREY: (f32, f32, f32) = (0.42, 0.44, 0.48);
const BLUE: (f32, f32, f32) = (0.06, 0.37, 0.66);

/// The pages as they fill up, and whether a character had to be replaced.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    replaced: bool,
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    color: (f32, f32, f32),
    indent: f32,
}

const BODY: Style = Style { size: TEXT, bold: false, color: BLACK, indent: 0.0 };

fn font(bold: bool) -> PdfFontHandle {
    PdfFontHandle::Builtin(if bold { BuiltinFont::HelveticaBold } else { BuiltinFont::Helvetica })
}

fn text_ops(x: f32, y: f32, text: String, s: Style) -> [Op; 6] {
    let (r, g, b) = s.color;
    [
        Op::StartTextSection,
        Op::SetFont { font: font(s.bold), size: Pt(s.size) },
        Op::SetFillColor { col: Color::Rgb(Rgb { r, g, b, icc_profile: None }) },
        Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
        Op::ShowText { items: vec![TextItem::Text(text)] },
        Op::EndTextSection,
    ]
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Vec::new()], y: PAGE_H - MARGIN, replaced: false }
    }

    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Vec::new());
            self.y = PAGE_H - MARGIN;
        }
    }

    /// A paragraph, wrapped to the width left after its indent; `label` drawn in the
    /// margin beside its first line.
    fn labelled(&mut self, label: Option<&str>, text: &str, s: Style) {
        let (clean, replaced) = drawable(text);
        self.replaced |= replaced;
        let leading = s.size * 1.35;
        for (n, line) in wrap(&clean, s.size, s.bold, PAGE_W - 2.0 * MARGIN - s.indent).into_iter().enumerate() {
            self.room(leading);
            self.y -= leading;
            let y = self.y;
            let page = self.pages.last_mut().expect("a page");
            if let (0, Some(label)) = (n, label) {
                page.extend(text_ops(MARGIN, y, drawable(label).0, Style { bold: true, color: GREY, ..BODY }));
            }
            page.extend(text_ops(MARGIN + s.indent, y, line, s));
        }
    }

    fn text(&mut self, text: &str, s: Style) {
        self.labelled(None, text, s);
    }

    /// A label and its value, the value wrapped in a column of its own.
    fn fact(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.labelled(Some(label), value, Style { indent: 120.0, ..BODY });
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn rule(&mut self) {
        self.room(8.0);
        self.y -= 6.0;
        let p = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(self.y) }, bezier: false };
        let line = Line { points: vec![p(MARGIN), p(PAGE_W - MARGIN)], is_closed: false };
        let (r, g, b) = (0.8, 0.82, 0.86);
        let page = self.pages.last_mut().expect("a page");
        page.push(Op::SetOutlineColor { col: Color::Rgb(Rgb { r, g, b, icc_profile: None }) });
        page.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        page.push(Op::DrawLine { line });
        self.y -= 6.0;
    }

    /// "Página 2 de 3 · WC00000000042" at the foot of every page.
    fn finish(self, lang: &str, protocol: &str) -> Vec<PdfPage> {
        let count = self.pages.len();
        self.pages
            .into_iter()
            .enumerate()
            .map(|(n, mut ops)| {
                let args = [("page", (n as i64 + 1).into()), ("pages", (count as i64).into())];
                let foot = format!("{} · {protocol}", i18n::translate_with(lang, "reports-pdf-page", &args));
                let (foot, _) = drawable(&foot);
                let x = PAGE_W - MARGIN - width(&foot, 8.0, false);
                ops.extend(text_ops(x, 32.0, foot, Style { size: 8.0, color: GREY, ..BODY }));
                PdfPage::new(Mm(210.0), Mm(297.0), ops)
            })
            .collect()
    }
}

/// The transcript as a PDF document, in the reader's language and the company's zone.
pub fn transcript_pdf(t: &ReportTranscript, company: &str, lang: &str, tz: chrono_tz::Tz) -> Vec<u8> {
    let tr = |key: &str| i18n::translate(lang, key);
    let at = |ms: i64| dates::format(ms, tz, lang, dates::Style::DateTime);
    let (row, c) = (&t.transcript.row, &t.transcript.row.conversation);
    let mut l = Layout::new();
    l.text(company, Style { size: 11.0, bold: true, color: BLUE, ..BODY });
    l.text(&format!("{} {}", tr("contacts-transcript"), c.protocol), Style { size: 16.0, bold: true, ..BODY });
    l.rule();
    for (key, value) in super::transcript::facts(t, lang, &at) {
        l.fact(&tr(key), &value);
    }
    l.rule();
    l.text(&tr("reports-pdf-messages"), Style { size: 12.0, bold: true, ..BODY });
    for line in &t.transcript.messages {
        l.gap(4.0);
        let m = &line.m;
        if m.direction == "system" {
            let event = super::transcript::event_text(line, lang);
            l.text(&format!("{event} · {}", at(m.created_at)), Style { size: 9.0, color: GREY, ..BODY });
            continue;
        }
        let author = super::transcript::author(line, company, lang);
        l.text(&format!("{author} · {}", at(m.created_at)), Style { size: 9.0, bold: true, color: GREY, ..BODY });
        if !m.body.is_empty() {
            l.text(&m.body, Style { indent: 8.0, ..BODY });
        }
        if let Some(file) = &line.file {
            l.text(
                &format!("{}: {}", tr("contacts-attachment"), file.file_name),
                Style { indent: 8.0, color: BLUE, ..BODY },
            );
        }
    }
    if l.replaced {
        l.gap(8.0);
        l.text(&tr("reports-pdf-replaced"), Style { size: 8.0, color: GREY, ..BODY });
    }
    let pages = l.finish(lang, &c.protocol);
    let title = format!("{} {}", tr("contacts-transcript"), row.conversation.protocol);
    PdfDocument::new(&title).with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
}
