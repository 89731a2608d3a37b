//! The hop timeline: one row per hop, a bar as long as the time the hop
//! took (square-root scale, so one slow hop does not flatten the rest),
//! coloured by encryption (grey for a hop inside one organisation), with
//! clock skew marked. SVG built from created elements; host names go in as
//! text nodes only.

use todoku_core::trace::boundary::ClockSkew;
use todoku_core::trace::hops::{Hop, HopTls};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{append, document};
use crate::i18n::t;
use todoku_core::wording::Ui;

const SVG: &str = "http://www.w3.org/2000/svg";
const ROW: i64 = 28;
const LABEL: i64 = 260;
const BARS: i64 = 380;
const WIDTH: i64 = LABEL + BARS + 120;

fn svg(tag: &str, attrs: &[(&str, String)]) -> Result<Element, JsValue> {
    let e = document()?.create_element_ns(Some(SVG), tag)?;
    for (name, value) in attrs {
        e.set_attribute(name, value)?;
    }
    Ok(e)
}

fn text(x: i64, y: i64, class: &str, content: &str) -> Result<Element, JsValue> {
    let e = svg(
        "text",
        &[
            ("x", x.to_string()),
            ("y", y.to_string()),
            ("class", class.to_string()),
        ],
    )?;
    e.set_text_content(Some(content));
    Ok(e)
}

fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A hop's encryption as the page shows it: its `data-tls` value and word.
/// A hop inside one organisation without recorded TLS is `internal`,
/// never the red `plain` ("not encrypted"), which is kept for a plain hop
/// between two organisations.
pub fn tls_label(hop: &Hop) -> (&'static str, &'static str) {
    match hop.tls_shown() {
        HopTls::Encrypted => ("tls", t(Ui::TimelineTls)),
        HopTls::Unencrypted => ("plain", t(Ui::TimelinePlain)),
        HopTls::Internal => ("internal", t(Ui::TimelineInternal)),
        HopTls::NotRecorded => ("unknown", t(Ui::TimelineUnknown)),
    }
}

/// The timeline for `hops` (sender first), or `None` without hops.
pub fn timeline(hops: &[Hop], skews: &[ClockSkew]) -> Result<Option<Element>, JsValue> {
    if hops.is_empty() {
        return Ok(None);
    }
    let longest = hops
        .iter()
        .filter_map(|h| h.delay_seconds)
        .map(i64::abs)
        .max()
        .unwrap_or(1)
        .max(1);
    // Square-root scale: whole pixels.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let scale = |seconds: i64| -> i64 {
        ((seconds.abs() as f64).sqrt() / (longest as f64).sqrt() * BARS as f64).round() as i64
    };
    let rows = i64::try_from(hops.len()).unwrap_or(i64::MAX);
    let height = rows * ROW + 8;
    let root = svg(
        "svg",
        &[
            ("viewBox", format!("0 0 {WIDTH} {height}")),
            ("role", "img".to_string()),
            ("aria-labelledby", "timeline-title".to_string()),
            ("class", "timeline".to_string()),
        ],
    )?;
    root.set_id("timeline");
    let title = svg("title", &[])?;
    title.set_id("timeline-title");
    title.set_text_content(Some(t(Ui::TimelineTitle)));
    append(&root, &title)?;
    for (row, hop) in (0_i64..).zip(hops) {
        let y = row * ROW;
        let g = svg("g", &[("data-hop", hop.index.to_string())])?;
        let by = hop.by_host.as_deref().unwrap_or("?");
        append(
            &g,
            &text(
                0,
                y + 18,
                "label",
                &format!("{}. {}", hop.index, short(by, 34)),
            )?,
        )?;
        let (class, word) = tls_label(hop);
        g.set_attribute("data-tls", class)?;
        // An internal hop is drawn in the neutral colour of "not recorded".
        let class = if class == "internal" {
            "unknown"
        } else {
            class
        };
        let width = hop.delay_seconds.map_or(0, scale).max(2);
        let bar = svg(
            "rect",
            &[
                ("x", LABEL.to_string()),
                ("y", (y + 6).to_string()),
                ("width", width.to_string()),
                ("height", (ROW - 12).to_string()),
                ("class", format!("bar {class}")),
            ],
        )?;
        let tip = svg("title", &[])?;
        tip.set_text_content(Some(word));
        append(&bar, &tip)?;
        append(&g, &bar)?;
        let delay = match hop.delay_seconds {
            Some(d) => format!(
                "{} · {word}",
                todoku_core::report::text::elapsed(d, crate::i18n::lang(), false)
            ),
            None => word.to_string(),
        };
        append(&g, &text(LABEL + width + 6, y + 18, "delay", &delay)?)?;
        if let Some(skew) = skews.iter().find(|s| s.hop == hop.index) {
            g.set_attribute("data-skew", &skew.offset_seconds.to_string())?;
            append(
                &g,
                &text(
                    LABEL + width + 6,
                    y + 18 + 11,
                    "skew",
                    &format!(
                        "{} {}",
                        t(Ui::TimelineSkew),
                        todoku_core::report::text::elapsed(
                            skew.offset_seconds,
                            crate::i18n::lang(),
                            true
                        )
                    ),
                )?,
            )?;
        }
        append(&root, &g)?;
    }
    Ok(Some(root))
}
