//! Accessible SVG charts written by the app (STACK.md: chart crates emit SVG
//! without accessible names). A chart is an image with a title and a
//! description (`role="img"`, `aria-labelledby`), always followed in the page
//! by a table with the same data; values are written next to the bars, so
//! nothing is told by colour or length alone.

use std::fmt::Write;

/// One bar: its label, its value (drives the length) and the value as
/// written next to it (« 12 personnes », « 3,5 h »).
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Escapes text for SVG content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const ROW: u32 = 30;
const LABEL_W: u32 = 230;
const BAR_W: u32 = 330;
const WIDTH: u32 = 680;

/// A horizontal bar chart. `id` must be unique in the page (it names the
/// title and description); `desc` says where the same data is as a table.
pub fn bars(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as u32 + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc),
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5 + ROW * i as u32;
        let len = if max > 0.0 {
            ((b.value / max) * BAR_W as f64).round() as u32
        } else {
            0
        };
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="chart-label">{label}</text><rect x="{bx}" y="{ry}" width="{len}" height="{h}" class="chart-bar"></rect><text x="{vx}" y="{ty}" class="chart-value">{text}</text>"#,
            lx = LABEL_W - 8,
            ty = y + 19,
            label = esc(&b.label),
            bx = LABEL_W,
            ry = y + 4,
            h = ROW - 10,
            vx = LABEL_W + len + 6,
            text = esc(&b.text),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_named_escaped_and_scaled() {
        let svg = bars(
            "c",
            "Personnes <formées>",
            "Les mêmes données sont dans le tableau qui suit.",
            &[
                Bar {
                    label: "Séminaire & débat".into(),
                    value: 10.0,
                    text: "10 personnes".into(),
                },
                Bar {
                    label: "Coaching".into(),
                    value: 5.0,
                    text: "5 personnes".into(),
                },
            ],
        );
        assert!(svg.starts_with(r#"<svg class="chart" role="img" aria-labelledby="c-title c-desc""#));
        assert!(svg.contains("<title id=\"c-title\">Personnes &lt;formées&gt;</title>"));
        assert!(svg.contains("Séminaire &amp; débat"));
        assert!(
            svg.contains(&format!("width=\"{BAR_W}\"")),
            "the largest bar fills the width"
        );
        assert!(
            svg.contains(&format!("width=\"{}\"", BAR_W / 2)),
            "half the value, half the length"
        );
        assert!(svg.contains("5 personnes"), "values are written, not only drawn");
    }

    #[test]
    fn an_empty_chart_is_still_valid() {
        let svg = bars("e", "Rien", "Aucune donnée.", &[]);
        assert!(svg.ends_with("</svg>"));
    }
}
