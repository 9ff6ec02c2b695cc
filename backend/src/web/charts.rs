//! Server-side SVG bar charts for the figures page. Each chart names itself for screen
//! readers and the page shows its data as a table next to it.

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart of `(label, value)`; `unit` follows each value.
pub fn bars(id: &str, title: &str, rows: &[(String, f64)], unit: &str) -> String {
    let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max).max(1.0);
    let (label_w, bar_w, row_h) = (220.0, 360.0, 28.0);
    let height = row_h * rows.len().max(1) as f64 + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title" viewBox="0 0 {w} {height}" width="100%" class="okienko-chart"><title id="{id}-title">{t}</title>"#,
        w = label_w + bar_w + 80.0,
        t = esc(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let w = (value / max * bar_w).max(1.0);
        svg.push_str(&format!(
            r##"<text x="{lx}" y="{ty}" text-anchor="end" font-size="14" fill="#0b0c0c">{l}</text><rect x="{label_w}" y="{y}" width="{w:.1}" height="{h}" fill="#8a1538"/><text x="{vx:.1}" y="{ty}" font-size="14" fill="#0b0c0c">{v}{u}</text>"##,
            lx = label_w - 8.0,
            ty = y + row_h * 0.6,
            l = esc(label),
            h = row_h - 8.0,
            vx = label_w + w + 6.0,
            v = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") },
            u = esc(unit),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_chart_names_itself_and_escapes_labels() {
        let svg = super::bars(
            "c1",
            "Wnioski <2026>",
            &[("A & B".into(), 3.0), ("C".into(), 1.5)],
            " szt.",
        );
        assert!(
            svg.contains(r#"role="img""#)
                && svg.contains("<title id=\"c1-title\">Wnioski &lt;2026&gt;</title>")
        );
        assert!(
            svg.contains("A &amp; B") && svg.contains(">3 szt.<") && svg.contains(">1.5 szt.<")
        );
    }
}
