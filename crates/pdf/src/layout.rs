//! Laying a quote out on A4 pages: first every piece is placed on a page (so the number of
//! pages is known for "page n / N"), then the pages are drawn with krilla.

use crate::{PdfError, QuotePdf, TableLine};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::sync::OnceLock;

static REGULAR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSans.ttf"));
static BOLD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSans-Bold.ttf"));

/// A4 in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = WIDTH - 42.0;
const TOP: f32 = 56.0;
/// Nothing but the footer goes below this.
const BOTTOM: f32 = HEIGHT - 64.0;
const BODY: f32 = 8.5;
const LINE: f32 = 12.0;
/// Where the labels of the totals and details start.
const LABELS: f32 = 370.0;

/// The table's columns: the description's left edge and width, then the right edges of
/// the numeric cells (quantity, unit price, discount, KDV, net).
const DESCRIPTION_X: f32 = LEFT + 22.0;
const DESCRIPTION_WIDTH: f32 = 212.0;
const NUMBER_EDGES: [f32; 5] = [330.0, 405.0, 445.0, 480.0, RIGHT];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        gray: bool,
        text: String,
    },
    Rule {
        y: f32,
        x1: f32,
        x2: f32,
    },
    Band {
        y: f32,
        height: f32,
    },
}

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::new(REGULAR.to_vec().into(), 0)?,
                bold: Font::new(BOLD.to_vec().into(), 0)?,
            })
        })
        .as_ref()
        .ok_or(PdfError::Font)
}

/// The fonts' tables as skrifa reads them, parsed once.
fn font_refs() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static REFS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    REFS.get_or_init(|| Some((FontRef::new(REGULAR).ok()?, FontRef::new(BOLD).ok()?)))
        .as_ref()
}

/// The width of `text` at `size` points (advances only; no kerning is needed for a table).
fn width(text: &str, size: f32, weight: Weight) -> f32 {
    let Some((regular, bold)) = font_refs() else {
        return 0.0;
    };
    let font = match weight {
        Weight::Regular => regular,
        Weight::Bold => bold,
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.5)
        })
        .sum()
}

/// `text` broken into lines no wider than `max` (paragraphs kept; a word too long for a
/// line is broken between letters).
fn wrap(text: &str, size: f32, weight: Weight, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, weight) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if width(&line, size, weight) > max {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Pages being filled, top to bottom.
struct Pages {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) {
        self.ops().push(Op::Text {
            x,
            y,
            size,
            weight,
            gray: false,
            text: text.to_string(),
        });
    }

    fn right(&mut self, edge: f32, y: f32, size: f32, weight: Weight, text: &str) {
        let x = edge - width(text, size, weight);
        self.text(x, y, size, weight, text);
    }

    /// Starts a new page unless `height` more fits on this one; whether it did.
    fn need(&mut self, height: f32) -> bool {
        if self.y + height <= BOTTOM {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = TOP;
        true
    }
}

fn table_header(pages: &mut Pages, doc: &QuotePdf) {
    let c = &doc.columns;
    let y = pages.y;
    pages.ops().push(Op::Band {
        y: y - 10.0,
        height: 15.0,
    });
    pages.text(LEFT + 2.0, y, BODY, Weight::Bold, &c.number);
    pages.text(DESCRIPTION_X, y, BODY, Weight::Bold, &c.description);
    let headings = [&c.quantity, &c.unit_price, &c.discount, &c.vat_rate, &c.net];
    for (edge, heading) in NUMBER_EDGES.iter().zip(headings) {
        pages.right(*edge - 2.0, y, BODY, Weight::Bold, heading);
    }
    pages.y += LINE + 4.0;
}

fn table_line(pages: &mut Pages, doc: &QuotePdf, number: usize, line: &TableLine) {
    let wrapped = wrap(&line.description, BODY, Weight::Regular, DESCRIPTION_WIDTH);
    let height = wrapped.len() as f32 * LINE + 3.0;
    if pages.need(height) {
        table_header(pages, doc);
    }
    let y = pages.y;
    pages.text(LEFT + 2.0, y, BODY, Weight::Regular, &number.to_string());
    for (i, text) in wrapped.iter().enumerate() {
        pages.text(
            DESCRIPTION_X,
            y + i as f32 * LINE,
            BODY,
            Weight::Regular,
            text,
        );
    }
    let cells = [
        &line.quantity,
        &line.unit_price,
        &line.discount,
        &line.vat_rate,
        &line.net,
    ];
    for (edge, cell) in NUMBER_EDGES.iter().zip(cells) {
        pages.right(*edge - 2.0, y, BODY, Weight::Regular, cell);
    }
    pages.y += height;
    let y = pages.y - LINE + 2.0;
    pages.ops().push(Op::Rule {
        y,
        x1: LEFT,
        x2: RIGHT,
    });
}

fn heading_block(pages: &mut Pages, doc: &QuotePdf) {
    let mut left = TOP;
    pages.text(LEFT, left, 15.0, Weight::Bold, &doc.letterhead.name);
    left += 16.0;
    for line in &doc.letterhead.lines {
        for part in wrap(line, 8.0, Weight::Regular, LABELS - LEFT - 20.0) {
            pages.text(LEFT, left, 8.0, Weight::Regular, &part);
            left += 10.5;
        }
    }
    let mut right = TOP;
    pages.right(RIGHT, right, 16.0, Weight::Bold, &doc.title);
    right += 20.0;
    for (label, value) in &doc.details {
        pages.text(LABELS, right, 9.0, Weight::Bold, label);
        pages.right(RIGHT, right, 9.0, Weight::Regular, value);
        right += LINE;
    }
    pages.y = left.max(right) + 14.0;
    let y = pages.y - 10.0;
    pages.ops().push(Op::Rule {
        y,
        x1: LEFT,
        x2: RIGHT,
    });
    pages.text(
        LEFT,
        pages.y + 4.0,
        9.0,
        Weight::Bold,
        &doc.customer_heading,
    );
    pages.y += 18.0;
    for line in &doc.customer {
        for part in wrap(line, 9.0, Weight::Regular, RIGHT - LEFT) {
            pages.text(LEFT, pages.y, 9.0, Weight::Regular, &part);
            pages.y += LINE;
        }
    }
    pages.y += 16.0;
}

fn totals_block(pages: &mut Pages, doc: &QuotePdf) {
    pages.y += 6.0;
    let rows = doc.totals.len() as f32 + 2.0;
    pages.need(rows * LINE + 8.0);
    for (label, amount) in &doc.totals {
        let y = pages.y;
        pages.text(LABELS, y, BODY + 0.5, Weight::Regular, label);
        pages.right(RIGHT - 2.0, y, BODY + 0.5, Weight::Regular, amount);
        pages.y += LINE;
    }
    let y = pages.y - 8.0;
    pages.ops().push(Op::Rule {
        y,
        x1: LABELS,
        x2: RIGHT,
    });
    pages.y += 4.0;
    let (label, amount) = &doc.grand_total;
    let y = pages.y;
    pages.text(LABELS, y, 10.0, Weight::Bold, label);
    pages.right(RIGHT - 2.0, y, 10.0, Weight::Bold, amount);
    pages.y += LINE + 10.0;
    for part in wrap(&doc.in_words, 9.0, Weight::Bold, RIGHT - LEFT) {
        pages.need(LINE);
        let y = pages.y;
        pages.text(LEFT, y, 9.0, Weight::Bold, &part);
        pages.y += LINE;
    }
    pages.y += 8.0;
}

fn sections(pages: &mut Pages, doc: &QuotePdf) {
    for (heading, body) in &doc.sections {
        if body.trim().is_empty() {
            continue;
        }
        pages.need(LINE * 2.0);
        let y = pages.y;
        pages.text(LEFT, y, 9.0, Weight::Bold, heading);
        pages.y += LINE;
        for part in wrap(body, BODY, Weight::Regular, RIGHT - LEFT) {
            pages.need(LINE);
            let y = pages.y;
            pages.text(LEFT, y, BODY, Weight::Regular, &part);
            pages.y += LINE - 1.0;
        }
        pages.y += 8.0;
    }
}

fn layout(doc: &QuotePdf) -> Vec<Vec<Op>> {
    let mut pages = Pages::new();
    heading_block(&mut pages, doc);
    table_header(&mut pages, doc);
    for (index, line) in doc.lines.iter().enumerate() {
        table_line(&mut pages, doc, index + 1, line);
    }
    totals_block(&mut pages, doc);
    sections(&mut pages, doc);
    let total = pages.pages.len();
    for (index, ops) in pages.pages.iter_mut().enumerate() {
        let label = doc
            .page_label
            .replace("{page}", &(index + 1).to_string())
            .replace("{pages}", &total.to_string());
        let x = (WIDTH - width(&label, 7.5, Weight::Regular)) / 2.0;
        ops.push(Op::Text {
            x,
            y: HEIGHT - 30.0,
            size: 7.5,
            weight: Weight::Regular,
            gray: true,
            text: label,
        });
    }
    pages.pages
}

fn gray() -> Fill {
    Fill {
        paint: rgb::Color::new(110, 110, 110).into(),
        ..Fill::default()
    }
}

/// The quote as a PDF file.
pub fn render_quote(doc: &QuotePdf) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(doc.title.clone()));
    for ops in layout(doc) {
        let settings =
            PageSettings::from_wh(WIDTH, HEIGHT).ok_or(PdfError::Write("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    weight,
                    gray: is_gray,
                    text,
                } => {
                    if text.is_empty() {
                        continue;
                    }
                    surface.set_fill(Some(if is_gray { gray() } else { Fill::default() }));
                    let font = match weight {
                        Weight::Regular => fonts.regular.clone(),
                        Weight::Bold => fonts.bold.clone(),
                    };
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font,
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rule { y, x1, x2 } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y);
                    path.line_to(x2, y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(190, 190, 190).into(),
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Band { y, height } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(LEFT, y, RIGHT - LEFT, height) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: rgb::Color::new(236, 239, 243).into(),
                            ..Fill::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::{Columns, Letterhead};

    pub(crate) fn sample(lines: usize) -> QuotePdf {
        QuotePdf {
            title: "TEKLİF".into(),
            letterhead: Letterhead {
                name: "Rehber Örnek Ticaret A.Ş.".into(),
                lines: vec![
                    "Kadıköy / İstanbul".into(),
                    "Vergi dairesi: Kadıköy · VKN 1234567890".into(),
                ],
            },
            details: vec![("Teklif no".into(), "TKF-2026-000001".into())],
            customer_heading: "Sayın".into(),
            customer: vec!["Işıl Çağlayan Şükrü Öğüt, İğdır".into()],
            columns: Columns {
                number: "#".into(),
                description: "Açıklama".into(),
                quantity: "Miktar".into(),
                unit_price: "Birim fiyat".into(),
                discount: "İsk.".into(),
                vat_rate: "KDV".into(),
                net: "Tutar".into(),
            },
            lines: (0..lines)
                .map(|i| TableLine {
                    description: format!("Endüstriyel fırın bakımı, kalem {i}"),
                    quantity: "2,5 adet".into(),
                    unit_price: "123,45".into(),
                    discount: "%10".into(),
                    vat_rate: "%20".into(),
                    net: "277,77".into(),
                })
                .collect(),
            totals: vec![("Ara toplam".into(), "277,77 TRY".into())],
            grand_total: ("Genel toplam".into(), "333,32 TRY".into()),
            in_words: "Yalnız üç yüz otuz üç Türk lirası otuz iki kuruş".into(),
            sections: vec![("IBAN".into(), "TR00 0000 0000 0000 0000 0000 00".into())],
            page_label: "Sayfa {page} / {pages}".into(),
        }
    }

    #[test]
    fn a_long_quote_runs_over_pages_and_each_repeats_the_table_header() {
        let pages = layout(&sample(200));
        assert!(pages.len() >= 4, "{} pages", pages.len());
        for (index, ops) in pages.iter().enumerate() {
            let texts: Vec<&str> = ops
                .iter()
                .filter_map(|op| match op {
                    Op::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            assert!(texts.contains(&"Açıklama"), "page {index} has the header");
            let footer = format!("Sayfa {} / {}", index + 1, pages.len());
            assert!(texts.contains(&footer.as_str()), "page {index}: {footer}");
        }
    }

    #[test]
    fn the_pdf_embeds_its_font_with_a_unicode_map() {
        let bytes = render_quote(&sample(3)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/FontFile2"), "an embedded TrueType font");
        assert!(text.contains("/ToUnicode"), "text copies out as Unicode");
    }

    #[test]
    fn long_words_and_paragraphs_are_wrapped_within_the_width() {
        let lines = wrap(
            "Çok uzun bir açıklama satırı\nikinci paragraf Şşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşşş",
            BODY,
            Weight::Regular,
            80.0,
        );
        assert!(lines.len() >= 4, "{lines:?}");
        for line in &lines {
            assert!(width(line, BODY, Weight::Regular) <= 80.0, "{line}");
        }
    }
}
