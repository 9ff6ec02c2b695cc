//! The receipt as a PDF a resident can keep: what it attests, the data filed, and the
//! signed JWS with instructions to verify it. Fonts are embedded (DejaVu Sans), so Polish
//! glyphs render the same everywhere.

use std::num::NonZeroU16;

use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::{ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use serde_json::Value;

use super::ReceiptClaims;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: f32 = 595.0; // A4 in points
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;

/// Lines of text with a style, laid out top to bottom over as many pages as needed.
#[derive(Debug, Clone)]
pub enum Line {
    Title(String),
    Heading(String),
    Text(String),
    Small(String),
    Gap,
    /// A QR symbol (its modules row by row, `side` a row), drawn as squares 120 points
    /// wide and tagged as a figure described by `alt`.
    Qr {
        modules: Vec<bool>,
        side: usize,
        alt: String,
    },
}

/// The width of a drawn QR symbol, in points.
const QR_WIDTH: f32 = 120.0;

/// The dark modules of a QR symbol as one path, its top left corner at `(x, y)`.
fn qr_path(modules: &[bool], side: usize, x: f32, y: f32) -> Option<krilla::geom::Path> {
    let cell = QR_WIDTH / side.max(1) as f32;
    let mut path = krilla::geom::PathBuilder::new();
    for (i, _) in modules.iter().enumerate().filter(|(_, dark)| **dark) {
        let (row, col) = (i / side, i % side);
        if let Some(r) =
            krilla::geom::Rect::from_xywh(x + col as f32 * cell, y + row as f32 * cell, cell, cell)
        {
            path.push_rect(r);
        }
    }
    path.finish()
}

fn wrap(text: &str, size: f32) -> Vec<String> {
    // DejaVu Sans averages about 0.55 em per character
    let max = ((WIDTH - 2.0 * MARGIN) / (size * 0.55)) as usize;
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let mut word = word.to_owned();
            while word.chars().count() > max {
                let head: String = word.chars().take(max).collect();
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(head);
                word = word.chars().skip(max).collect();
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "tak".into(),
        Value::Bool(false) => "nie".into(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

pub fn render(claims: &ReceiptClaims, jws: &str, data: &Value) -> anyhow::Result<Vec<u8>> {
    let mut lines = vec![
        Line::Title("Potwierdzenie złożenia wniosku".into()),
        Line::Small(
            "Urzędowe poświadczenie przedłożenia wydane przez okienko / Receipt of filing".into(),
        ),
        Line::Gap,
        Line::Heading("Numer potwierdzenia".into()),
        Line::Text(claims.receipt_id.clone()),
        Line::Heading("Organ".into()),
        Line::Text(format!(
            "{}{}",
            claims.authority.name,
            claims
                .authority
                .ade
                .as_ref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        )),
        Line::Heading("Usługa".into()),
        Line::Text(format!(
            "{} — {} (wersja {})",
            claims.service.id, claims.service.title, claims.service.version
        )),
        Line::Heading("Data i czas złożenia (czas urzędowy, UTC)".into()),
        Line::Text(claims.filed_at.clone()),
        Line::Heading("Wnoszący".into()),
        Line::Text(format!(
            "{}{} — poziom uwierzytelnienia: {}",
            claims
                .applicant
                .name
                .clone()
                .unwrap_or_else(|| "anonimowo".into()),
            claims
                .applicant
                .pesel
                .as_ref()
                .map(|p| format!(", PESEL {p}"))
                .unwrap_or_default(),
            claims.applicant.level
        )),
        Line::Heading("Skrót treści (SHA3-256)".into()),
        Line::Small(claims.digest.submission.clone()),
    ];
    if !claims.attachments.is_empty() {
        lines.push(Line::Heading("Załączniki (SHA3-256)".into()));
        for a in &claims.attachments {
            lines.push(Line::Small(format!(
                "{} ({} B): {}",
                a.name, a.size, a.sha3_256
            )));
        }
    }
    lines.push(Line::Gap);
    lines.push(Line::Heading("Treść wniosku".into()));
    if let Some(obj) = data.as_object() {
        for (k, v) in obj {
            match v {
                Value::Array(rows) if rows.iter().all(Value::is_object) => {
                    for (i, row) in rows.iter().enumerate() {
                        let cells: Vec<String> = row
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(rk, rv)| format!("{rk}: {}", value_text(rv)))
                            .collect();
                        lines.push(Line::Text(format!("{k} [{}]: {}", i + 1, cells.join("; "))));
                    }
                }
                Value::Object(o) => {
                    let cells: Vec<String> = o
                        .iter()
                        .map(|(rk, rv)| format!("{rk}: {}", value_text(rv)))
                        .collect();
                    lines.push(Line::Text(format!("{k}: {}", cells.join(", "))));
                }
                other => lines.push(Line::Text(format!("{k}: {}", value_text(other)))),
            }
        }
    }
    lines.push(Line::Gap);
    lines.push(Line::Heading("Podpis elektroniczny (JWS, EdDSA)".into()));
    lines.push(Line::Small(format!(
        "Wystawca: {}; wygenerowano: {}",
        claims.iss, claims.generated_at
    )));
    lines.push(Line::Small(
        "Sprawdź: okienko receipt verify <plik z JWS> --jwks <adres>/.well-known/jwks.json".into(),
    ));
    lines.push(Line::Small(jws.to_owned()));

    document(&format!("Potwierdzenie {}", claims.receipt_id), lines)
}

/// Lays `lines` out on A4 pages with the embedded fonts; `title` goes in the metadata.
///
/// The document is PDF/UA-1 (checked by krilla's validator on export): tagged, every line
/// a span of its paragraph or heading in reading order, with its title and language.
pub fn document(title: &str, lines: Vec<Line>) -> anyhow::Result<Vec<u8>> {
    let regular = Font::new(REGULAR.to_vec().into(), 0)
        .ok_or_else(|| anyhow::anyhow!("bad embedded font"))?;
    let bold =
        Font::new(BOLD.to_vec().into(), 0).ok_or_else(|| anyhow::anyhow!("bad embedded font"))?;
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| anyhow::anyhow!("PDF/UA configuration: {e:?}"))?;
    let mut doc = Document::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    });
    doc.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("pl".into())
            .creator("okienko".into()),
    );
    let settings =
        || PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("bad page size"));
    let mut tree = TagTree::new();
    // PDF/UA asks for an outline: one entry per title and heading, at its page and place
    let mut outline = Outline::new();
    let mut page_no = 0;
    let mut page = doc.start_page_with(settings()?);
    let mut surface = page.surface();
    let mut y = MARGIN;
    let level = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
    for line in lines {
        let (font, size, text, gap, mut group) = match line {
            Line::Title(t) => {
                let g = TagGroup::new(Tag::Hn(level(1), Some(t.clone())));
                (bold.clone(), 18.0, t, 8.0, g)
            }
            Line::Heading(t) => {
                let g = TagGroup::new(Tag::Hn(level(2), Some(t.clone())));
                (bold.clone(), 10.5, t, 6.0, g)
            }
            Line::Text(t) => (regular.clone(), 10.0, t, 2.0, TagGroup::new(Tag::P)),
            Line::Small(t) => (regular.clone(), 7.5, t, 2.0, TagGroup::new(Tag::P)),
            Line::Gap => {
                y += 8.0;
                continue;
            }
            Line::Qr { modules, side, alt } => {
                // its quiet zone is the page's white around it: a gap above and below
                if y + QR_WIDTH + 24.0 > HEIGHT - MARGIN {
                    surface.finish();
                    page.finish();
                    page = doc.start_page_with(settings()?);
                    surface = page.surface();
                    y = MARGIN;
                    page_no += 1;
                }
                y += 12.0;
                let mut group = TagGroup::new(Tag::Figure(Some(alt)));
                if let Some(path) = qr_path(&modules, side, MARGIN, y) {
                    let id = surface.start_tagged(ContentTag::Other);
                    surface.set_fill(Some(krilla::paint::Fill::default()));
                    surface.draw_path(&path);
                    surface.end_tagged();
                    group.push(id);
                }
                tree.push(group);
                y += QR_WIDTH + 12.0;
                continue;
            }
        };
        let heading = matches!(group.tag, krilla::tagging::TagKind::Hn(_)).then(|| text.clone());
        let mut first = true;
        for l in wrap(&text, size) {
            if y + size > HEIGHT - MARGIN {
                surface.finish();
                page.finish();
                page = doc.start_page_with(settings()?);
                surface = page.surface();
                y = MARGIN;
                page_no += 1;
            }
            y += size * 1.25;
            if first && let Some(h) = &heading {
                let at = Point::from_xy(MARGIN, y - size);
                outline.push_child(OutlineNode::new(
                    h.clone(),
                    XyzDestination::new(page_no, at),
                ));
            }
            first = false;
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                font.clone(),
                size,
                &l,
                false,
                TextDirection::Auto,
            );
            surface.end_tagged();
            group.push(id);
        }
        tree.push(group);
        y += gap;
    }
    surface.finish();
    page.finish();
    doc.set_tag_tree(tree);
    doc.set_outline(outline);
    doc.finish().map_err(|e| anyhow::anyhow!("PDF: {e:?}"))
}
