//! Charts drawn on the server as SVG (no scripts, nothing downloaded): horizontal bars of
//! completion with the pro-rata line.

use std::fmt::Write;

/// One bar: a label, completion in percent (may exceed 100), and a status class for colour.
pub struct Bar {
    pub label: String,
    pub completion: f64,
    pub status_class: &'static str,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn colour(status_class: &str) -> &'static str {
    match status_class {
        "done" => "#1a7f37",
        "on_track" => "#2563eb",
        "lagging" => "#b45309",
        "seriously_lagging" => "#b91c1c",
        _ => "#6b7280",
    }
}

/// Bars of completion (capped at 100 % in length, the true figure in the label), with a dashed
/// line at pro-rata progress. `title` becomes the SVG's accessible name.
pub fn completion_bars(title: &str, bars: &[Bar], pro_rata: Option<f64>) -> String {
    let label_width = 150.0;
    let plot_width = 420.0;
    let row = 26.0;
    let top = 28.0;
    let height = top + row * bars.len() as f64 + 12.0;
    let width = label_width + plot_width + 70.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    for pct in [0, 25, 50, 75, 100] {
        let x = label_width + plot_width * pct as f64 / 100.0;
        let _ = write!(
            svg,
            r##"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#e5e7eb"/><text x="{x}" y="18" font-size="11" text-anchor="middle" fill="#4b5563">{pct}%</text>"##,
            y1 = top - 4.0,
            y2 = height - 8.0
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let length = plot_width * bar.completion.clamp(0.0, 100.0) / 100.0;
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" font-size="13" text-anchor="end" fill="#111827">{label}</text><rect x="{label_width}" y="{ry}" width="{length:.1}" height="16" rx="2" fill="{fill}"/><text x="{vx:.1}" y="{ty}" font-size="12" fill="#111827">{value:.1}%</text>"##,
            lx = label_width - 8.0,
            ty = y + 13.0,
            ry = y + 1.0,
            label = escape(&bar.label),
            fill = colour(bar.status_class),
            vx = label_width + length + 6.0,
            value = bar.completion
        );
    }
    if let Some(pro_rata) = pro_rata {
        let x = label_width + plot_width * pro_rata.clamp(0.0, 100.0) / 100.0;
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{y2}" stroke="#111827" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{x:.1}" y="{ty}" font-size="11" text-anchor="middle" fill="#111827">序时进度 {pro_rata:.1}%</text>"##,
            y1 = top - 4.0,
            y2 = height - 8.0,
            ty = height - 0.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Bars of counts (people, rows), the longest bar the largest count; the figure beside each.
pub fn count_bars(title: &str, bars: &[(String, i64)]) -> String {
    let label_width = 150.0;
    let plot_width = 380.0;
    let row = 26.0;
    let top = 8.0;
    let height = top + row * bars.len() as f64 + 8.0;
    let width = label_width + plot_width + 80.0;
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    for (i, (label, count)) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let length = plot_width * (*count as f64) / max;
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" font-size="13" text-anchor="end" fill="#111827">{label}</text><rect x="{label_width}" y="{ry}" width="{length:.1}" height="16" rx="2" fill="#2563eb"/><text x="{vx:.1}" y="{ty}" font-size="12" fill="#111827">{count}</text>"##,
            lx = label_width - 8.0,
            ty = y + 13.0,
            ry = y + 1.0,
            label = escape(label),
            vx = label_width + length + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_capped() {
        let svg = completion_bars(
            "完成率",
            &[Bar {
                label: "<径河>".into(),
                completion: 250.0,
                status_class: "done",
            }],
            Some(50.0),
        );
        assert!(svg.contains("&lt;径河&gt;"));
        assert!(svg.contains(r#"width="420.0""#));
        assert!(svg.contains("250.0%"));
        assert!(svg.contains("序时进度 50.0%"));
    }

    #[test]
    fn count_bars_scale_to_the_largest() {
        let svg = count_bars("按街道", &[("径河".into(), 40), ("<长青>".into(), 10)]);
        assert!(svg.contains(r#"width="380.0""#));
        assert!(svg.contains(r#"width="95.0""#));
        assert!(svg.contains("&lt;长青&gt;"));
    }
}
