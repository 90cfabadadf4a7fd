//! Survey figures as inline SVG bar charts, drawn at build time.
//!
//! Pure. The chart is decoration for sighted readers: it is `aria-hidden`,
//! and the page shows the same facts as text beside it (`FigureView::text`).
//! Fill colours are attributes as well as classes, so the chart reads
//! without the stylesheet.

use crate::escape::markup as escape;
use crate::model::Figure;
use std::fmt::Write as _;

const WIDTH: f64 = 320.0;
const LABEL_HEIGHT: f64 = 18.0;
const BAR_HEIGHT: f64 = 22.0;
const ROW_GAP: f64 = 10.0;
/// Room at the right of a full bar for its number.
const NUMBER_ROOM: f64 = 48.0;
const VALUE_FILL: &str = "#12436d";
const COMPARISON_FILL: &str = "#c35a00";
/// SVG text does not wrap; longer labels are cut here (the full label is in
/// the text beside the chart).
const MAX_LABEL_CHARS: usize = 44;

/// The chart for one figure: the authority's bar, and the comparison's when
/// there is one.
pub fn bar_chart(figure: &Figure, authority: &str) -> String {
    let mut rows = vec![(authority, figure.value, "value", VALUE_FILL)];
    if let Some(comparison) = &figure.comparison {
        rows.push((comparison.label.as_str(), comparison.value, "comparison", COMPARISON_FILL));
    }
    let row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP;
    let height = row_height * rows.len() as f64 - ROW_GAP;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, value, kind, fill)) in rows.into_iter().enumerate() {
        let top = row_height * i as f64;
        let bar_top = top + LABEL_HEIGHT;
        let bar_width = ((WIDTH - NUMBER_ROOM) * value / 100.0).max(1.0);
        let _ = write!(
            svg,
            "<text class=\"chart__label\" x=\"0\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>\
             <rect class=\"chart__bar chart__bar--{kind}\" x=\"0\" y=\"{bar_top}\" width=\"{}\" height=\"{BAR_HEIGHT}\" fill=\"{fill}\"></rect>\
             <text class=\"chart__number\" x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\" fill=\"#0b0c0c\">{}</text>",
            top + 14.0,
            escape(&shorten(label)),
            round2(bar_width),
            round2(bar_width + 6.0),
            bar_top + 16.0,
            percent(value),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// `92%`, `61.5%`: no trailing zeros.
pub fn percent(value: f64) -> String {
    format!("{}%", round2(value))
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Comparison;

    fn figure() -> Figure {
        Figure {
            label: "Has someone who says well done".into(),
            value: 92.0,
            comparison: Some(Comparison { value: 87.0, label: "care leavers in <other> areas".into() }),
            year: Some(2020),
        }
    }

    #[test]
    fn draws_both_bars_with_their_numbers() {
        let svg = bar_chart(&figure(), "Coventry");
        assert!(svg.starts_with("<svg class=\"chart\"") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(svg.contains(">92%</text>") && svg.contains(">87%</text>"));
        assert!(svg.contains("care leavers in &lt;other&gt; areas"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn bars_scale_with_the_value() {
        let svg = bar_chart(&Figure { comparison: None, ..figure() }, "X");
        assert!(svg.contains("width=\"250.24\""), "{svg}");
    }

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(percent(92.0), "92%");
        assert_eq!(percent(61.5), "61.5%");
        assert_eq!(percent(33.333), "33.33%");
    }
}
