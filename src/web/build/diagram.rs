//! The process diagram: shapes as labelled boxes joined by arrows, drawn as SVG on the server
//! (no script; every text escaped).

use std::fmt::Write;

use crate::domain::build::{Shape, ShapeKind};

const WIDTH: usize = 340;
const BOX_W: usize = 300;
const BOX_H: usize = 56;
const GAP: usize = 30;
const LEFT: usize = 20;

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// Fill and stroke colours per kind of shape (contrast checked against the dark text).
fn colours(kind: ShapeKind) -> (&'static str, &'static str) {
    match kind {
        ShapeKind::Start => ("#e3f2e8", "#1d6b3a"),
        ShapeKind::Stop => ("#fbe4e2", "#a0302a"),
        ShapeKind::Connector => ("#e3edf8", "#0b5cad"),
        ShapeKind::Map => ("#f3e8fb", "#6b3a99"),
        ShapeKind::Decision | ShapeKind::Branch | ShapeKind::ProcessRoute => ("#fff4d6", "#8a6100"),
        _ => ("#eef2f6", "#4a5565"),
    }
}

/// The SVG of a process; `names[i]` is the name of the component shape `i` names, if any.
pub fn process_svg(shapes: &[Shape], names: &[Option<String>]) -> String {
    let height = LEFT * 2 + shapes.len().max(1) * (BOX_H + GAP) - GAP;
    let description: Vec<String> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| match names.get(i).and_then(|n| n.as_deref()) {
            Some(name) => format!("{} {} ({name})", s.kind.label(), s.label),
            None => format!("{} {}", s.kind.label(), s.label),
        })
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="diagram-title"><title id="diagram-title">Process diagram: {}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#4a5565"/></marker></defs>"##,
        escape(&description.join(" → "))
    );
    if shapes.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{LEFT}" y="{}" font-size="14" fill="#4a5565">No shapes yet</text>"##,
            LEFT + 20
        );
    }
    for (i, shape) in shapes.iter().enumerate() {
        let y = LEFT + i * (BOX_H + GAP);
        let (fill, stroke) = colours(shape.kind);
        let rx = if matches!(shape.kind, ShapeKind::Start | ShapeKind::Stop) {
            28
        } else {
            6
        };
        let _ = write!(
            svg,
            r##"<g><rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="2"/><text x="{}" y="{}" font-size="12" font-weight="700" fill="{stroke}">{}</text><text x="{}" y="{}" font-size="14" fill="#1b2430">{}</text></g>"##,
            LEFT + 14,
            y + 20,
            escape(shape.kind.label()),
            LEFT + 14,
            y + 41,
            escape(&shorten(
                &match names.get(i).and_then(|n| n.as_deref()) {
                    Some(name) if !shape.label.is_empty() && shape.label != shape.kind.label() =>
                        format!("{} · {name}", shape.label),
                    Some(name) => name.to_owned(),
                    None => shape.label.clone(),
                },
                38
            )),
        );
        if i + 1 < shapes.len() {
            let x = LEFT + BOX_W / 2;
            let _ = write!(
                svg,
                r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#4a5565" stroke-width="2" marker-end="url(#arrow)"/>"##,
                y + BOX_H,
                y + BOX_H + GAP - 2
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagram_draws_one_box_per_shape_and_escapes_labels() {
        let shapes = vec![
            Shape {
                kind: ShapeKind::Start,
                component: None,
                operation: None,
                label: "Start".into(),
            },
            Shape {
                kind: ShapeKind::Connector,
                component: Some("c".into()),
                operation: None,
                label: "<script>".into(),
            },
        ];
        let svg = process_svg(&shapes, &[None, Some("Orders & Co".into())]);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("<line").count(), 1);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt; · Orders &amp; Co"));
    }
}
