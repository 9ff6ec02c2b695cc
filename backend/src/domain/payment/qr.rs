//! The 2D payment code as an SVG QR code for letters and the resident's page.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::PaymentCode;

/// The code's QR symbol as a standalone SVG (UTF-8 bytes, error correction M, with its
/// quiet zone), about `size` pixels wide. The code is at most 160 characters, which
/// always fits, so this cannot fail.
pub fn svg(code: &PaymentCode, size: u32) -> String {
    match QrCode::with_error_correction_level(code.text().as_bytes(), EcLevel::M) {
        Ok(qr) => qr
            .render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .quiet_zone(true)
            .build(),
        // 160 characters of UTF-8 (at most 640 bytes) fit version 40 at level M (2,331 bytes).
        Err(_) => String::new(),
    }
}

/// The code's QR symbol as its modules, row by row (`true` dark), and the number a side,
/// without the quiet zone: for drawing it in a PDF letter.
pub fn modules(code: &PaymentCode) -> Option<(Vec<bool>, usize)> {
    let qr = QrCode::with_error_correction_level(code.text().as_bytes(), EcLevel::M).ok()?;
    let dark = qr
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((dark, qr.width()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payment::{Grosze, Nrb};

    #[test]
    fn an_svg_of_the_code() {
        let code = PaymentCode::new(
            None,
            Nrb::parse("92124012340001567890123456").unwrap(),
            Grosze::new(1700).unwrap(),
            "Urząd Gminy Wola",
            "OPL-000042 opłata skarbowa",
        );
        let image = svg(&code, 200);
        assert!(image.starts_with("<?xml"), "{}", &image[..40]);
        assert!(image.contains("<svg"));
        assert!(image.contains("<path"));
        // the longest code still renders
        let long = PaymentCode::new(
            None,
            Nrb::parse("92124012340001567890123456").unwrap(),
            Grosze::new(999_999).unwrap(),
            &"Ż".repeat(40),
            &"ą".repeat(64),
        );
        assert!(svg(&long, 200).contains("<path"));
        let (dark, side) = modules(&long).expect("modules");
        assert_eq!(dark.len(), side * side);
        assert!(side >= 21 && dark.iter().any(|d| *d) && dark.iter().any(|d| !*d));
    }
}
