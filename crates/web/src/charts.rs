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

/// One point of a line chart: where it sits on the time axis (any
/// increasing number, e.g. a day count), its value, the label of its date
/// and the value as written next to it.
pub struct Point {
    pub x: f64,
    pub value: f64,
    pub label: String,
    pub text: String,
}

/// A horizontal reference line of a line chart (baseline, target), drawn
/// dashed and named in words.
pub struct Reference {
    pub value: f64,
    pub text: String,
}

const LINE_H: u32 = 280;
const LINE_LEFT: f64 = 20.0;
const LINE_RIGHT: f64 = 200.0;
const LINE_TOP: f64 = 30.0;
const LINE_BOTTOM: f64 = 50.0;

/// A line chart of values over time (an indicator's measures), with its
/// reference lines. Every point's value is written next to it and every
/// reference line is named, so nothing is told by position or colour
/// alone; the page follows it with a table of the same data.
pub fn line(id: &str, title: &str, desc: &str, points: &[Point], references: &[Reference]) -> String {
    let values = points.iter().map(|p| p.value).chain(references.iter().map(|r| r.value));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    // A margin of a tenth above and below, and a span even when flat.
    let pad = if hi > lo {
        (hi - lo) / 10.0
    } else {
        lo.abs().max(1.0) / 10.0
    };
    let (lo, hi) = (lo - pad, hi + pad);
    let plot_w = WIDTH as f64 - LINE_LEFT - LINE_RIGHT;
    let plot_h = LINE_H as f64 - LINE_TOP - LINE_BOTTOM;
    let y = |v: f64| LINE_TOP + (hi - v) / (hi - lo) * plot_h;
    let (x0, x1) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let x = |v: f64| {
        if x1 > x0 {
            LINE_LEFT + 10.0 + (v - x0) / (x1 - x0) * (plot_w - 20.0)
        } else {
            LINE_LEFT + plot_w / 2.0
        }
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {LINE_H}" width="{WIDTH}" height="{LINE_H}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc),
    );
    // The axis at the bottom.
    let _ = write!(
        svg,
        r##"<line x1="{LINE_LEFT}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}" stroke="#80776c" stroke-width="1"></line>"##,
        b = LINE_TOP + plot_h,
        r = LINE_LEFT + plot_w,
    );
    for r in references {
        let ry = y(r.value);
        let _ = write!(
            svg,
            r##"<line x1="{LINE_LEFT}" y1="{ry:.1}" x2="{rx:.1}" y2="{ry:.1}" stroke="#983a10" stroke-width="2" stroke-dasharray="6 4"></line><text x="{tx:.1}" y="{ty:.1}" class="chart-label">{text}</text>"##,
            rx = LINE_LEFT + plot_w,
            tx = LINE_LEFT + plot_w + 8.0,
            ty = ry + 5.0,
            text = esc(&r.text),
        );
    }
    if points.len() > 1 {
        let coords: Vec<String> = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.x), y(p.value)))
            .collect();
        let _ = write!(
            svg,
            r##"<polyline points="{}" fill="none" stroke="#0b5b62" stroke-width="3"></polyline>"##,
            coords.join(" ")
        );
    }
    for p in points {
        let (px, py) = (x(p.x), y(p.value));
        let _ = write!(
            svg,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="5" fill="#0b5b62"></circle><text x="{px:.1}" y="{vy:.1}" text-anchor="middle" class="chart-value">{text}</text><text x="{px:.1}" y="{ly:.1}" text-anchor="middle" class="chart-label">{label}</text>"##,
            vy = py - 10.0,
            ly = LINE_TOP + plot_h + 22.0,
            text = esc(&p.text),
            label = esc(&p.label),
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
    #[test]
    fn a_line_chart_writes_its_values_and_names_its_references() {
        let points = [
            Point {
                x: 0.0,
                value: 12.0,
                label: "01/2023".into(),
                text: "12 jours".into(),
            },
            Point {
                x: 90.0,
                value: 8.5,
                label: "04/2023".into(),
                text: "8,5 jours".into(),
            },
        ];
        let svg = line(
            "l",
            "Délai <moyen>",
            "Le tableau qui suit donne les mêmes mesures.",
            &points,
            &[Reference {
                value: 5.0,
                text: "Objectif : 5 jours".into(),
            }],
        );
        assert!(svg.starts_with(r#"<svg class="chart" role="img" aria-labelledby="l-title l-desc""#));
        assert!(svg.contains("Délai &lt;moyen&gt;"));
        assert!(svg.contains("8,5 jours") && svg.contains("Objectif : 5 jours") && svg.contains("04/2023"));
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let single = line("s", "Un seul point", "—", &points[..1], &[]);
        assert!(!single.contains("<polyline") && !single.contains("NaN"));
        let empty = line("e", "Rien", "—", &[], &[]);
        assert!(empty.ends_with("</svg>") && !empty.contains("NaN"));
    }
}
