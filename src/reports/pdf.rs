//! The reports' PDF writer (printpdf, built-in Helvetica): paragraphs wrapped by the
//! font's widths, label-and-value facts, rules, page breaks and "Página 2 de 3" at the
//! foot of every page; the text stays text (selectable, searchable). A conversation's
//! transcript is one section of it — protocol, company, client, channel, team, every
//! agent who took part, opened and closed, classification, tags, the survey's answer,
//! then every message with its author and time and the files it carried — printed alone
//! or after a cover (a contact's data, a protocol's history).

use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    RawImage, Rgb, TextItem, XObjectTransform,
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
pub const GREY: (f32, f32, f32) = (0.42, 0.44, 0.48);
pub const BLUE: (f32, f32, f32) = (0.06, 0.37, 0.66);
/// A document's title, a section's heading.
pub const TITLE: Style = Style { size: 16.0, bold: true, color: BLACK, indent: 0.0 };
pub const HEADING: Style = Style { size: 12.0, bold: true, color: BLACK, indent: 0.0 };
/// Who wrote a message (or made a change) and when, above it.
pub const BYLINE: Style = Style { size: 9.0, bold: true, color: GREY, indent: 0.0 };
/// What stands under a byline.
pub const INDENTED: Style = Style { size: TEXT, bold: false, color: BLACK, indent: 8.0 };
/// The company's name above a title.
pub const BRAND: Style = Style { size: 11.0, bold: true, color: BLUE, indent: 0.0 };

/// The company as its documents show it: its name, and its logo when it has one
/// (PNG, JPEG or WebP, as the settings page takes it).
pub struct Letterhead {
    pub name: String,
    logo: Option<RawImage>,
}

impl Letterhead {
    pub async fn of(db: &crate::db::Db, company: &crate::db::settings::Settings) -> Letterhead {
        let file = company.logo.as_deref().filter(|n| n.starts_with("logo.") && !n.contains('/'));
        let bytes = match file {
            Some(name) => rocket::tokio::fs::read(db.dir().join(name)).await.ok(),
            None => None,
        };
        // A logo that does not decode is left out; the name is always there.
        let logo = bytes.and_then(|b| RawImage::decode_from_bytes(&b, &mut Vec::new()).ok());
        Letterhead { name: company.company_name.clone(), logo }
    }
}

/// The logo's box at the top right of the first page, in points.
const LOGO_H: f32 = 36.0;
const LOGO_MAX_W: f32 = 140.0;

/// The pages as they fill up, and whether a character had to be replaced.
pub struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    replaced: bool,
    logo: Option<RawImage>,
}

#[derive(Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: (f32, f32, f32),
    pub indent: f32,
}

pub const BODY: Style = Style { size: TEXT, bold: false, color: BLACK, indent: 0.0 };

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
    pub fn new() -> Layout {
        Layout { pages: vec![Vec::new()], y: PAGE_H - MARGIN, replaced: false, logo: None }
    }

    /// The company's name above the title, and its logo at the top right.
    pub fn letterhead(&mut self, head: &Letterhead) {
        self.text(&head.name, BRAND);
        self.logo = head.logo.clone();
    }

    /// Starts a new page, unless the current one is still empty.
    pub fn page_break(&mut self) {
        if self.pages.last().is_some_and(|p| !p.is_empty()) {
            self.pages.push(Vec::new());
            self.y = PAGE_H - MARGIN;
        }
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

    pub fn text(&mut self, text: &str, s: Style) {
        self.labelled(None, text, s);
    }

    /// A label and its value, the value wrapped in a column of its own.
    pub fn fact(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.labelled(Some(label), value, Style { indent: 120.0, ..BODY });
        }
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    pub fn rule(&mut self) {
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

    /// The document: the note on replaced characters when there were any, then
    /// "Página 2 de 3 · WC00000000042" (`foot`) at the foot of every page.
    pub fn document(mut self, title: &str, lang: &str, foot: &str) -> Vec<u8> {
        if self.replaced {
            self.gap(8.0);
            self.text(&i18n::translate(lang, "reports-pdf-replaced"), Style { size: 8.0, color: GREY, ..BODY });
        }
        let mut doc = PdfDocument::new(title);
        if let (Some(logo), Some(first)) = (self.logo.take(), self.pages.first_mut()) {
            let (w, h) = (logo.width.max(1) as f32, logo.height.max(1) as f32);
            let scale = (LOGO_H / h).min(LOGO_MAX_W / w);
            let transform = XObjectTransform {
                translate_x: Some(Pt(PAGE_W - MARGIN - w * scale)),
                translate_y: Some(Pt(PAGE_H - MARGIN - h * scale + 12.0)),
                scale_x: Some(scale),
                scale_y: Some(scale),
                dpi: Some(72.0),
                ..Default::default()
            };
            first.push(Op::UseXobject { id: doc.add_image(&logo), transform });
        }
        let count = self.pages.len();
        let pages: Vec<PdfPage> = self
            .pages
            .into_iter()
            .enumerate()
            .map(|(n, mut ops)| {
                let args = [("page", (n as i64 + 1).into()), ("pages", (count as i64).into())];
                let foot = format!("{} · {foot}", i18n::translate_with(lang, "reports-pdf-page", &args));
                let (foot, _) = drawable(&foot);
                let x = PAGE_W - MARGIN - width(&foot, 8.0, false);
                ops.extend(text_ops(x, 32.0, foot, Style { size: 8.0, color: GREY, ..BODY }));
                PdfPage::new(Mm(210.0), Mm(297.0), ops)
            })
            .collect();
        doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

/// One conversation's transcript: its title, facts and messages.
pub fn transcript_section(l: &mut Layout, t: &ReportTranscript, company: &str, lang: &str, tz: chrono_tz::Tz) {
    let tr = |key: &str| i18n::translate(lang, key);
    let at = |ms: i64| dates::format(ms, tz, lang, dates::Style::DateTime);
    let c = &t.transcript.row.conversation;
    l.text(&format!("{} {}", tr("contacts-transcript"), c.protocol), TITLE);
    l.rule();
    for (key, value) in super::transcript::facts(t, lang, &at) {
        l.fact(&tr(key), &value);
    }
    l.rule();
    l.text(&tr("reports-pdf-messages"), HEADING);
    for line in &t.transcript.messages {
        l.gap(4.0);
        let m = &line.m;
        if m.direction == "system" {
            let event = super::transcript::event_text(line, lang);
            l.text(&format!("{event} · {}", at(m.created_at)), Style { size: 9.0, color: GREY, ..BODY });
            continue;
        }
        let author = super::transcript::author(line, company, lang);
        l.text(&format!("{author} · {}", at(m.created_at)), BYLINE);
        if !m.body.is_empty() {
            l.text(&m.body, INDENTED);
        }
        if let Some(file) = &line.file {
            l.text(&format!("{}: {}", tr("contacts-attachment"), file.file_name), Style { color: BLUE, ..INDENTED });
        }
    }
}

/// The transcript as a PDF document, in the reader's language and the company's zone.
pub fn transcript_pdf(t: &ReportTranscript, head: &Letterhead, lang: &str, tz: chrono_tz::Tz) -> Vec<u8> {
    let protocol = &t.transcript.row.conversation.protocol;
    let mut l = Layout::new();
    l.letterhead(head);
    transcript_section(&mut l, t, &head.name, lang, tz);
    let title = format!("{} {protocol}", i18n::translate(lang, "contacts-transcript"));
    l.document(&title, lang, protocol)
}
