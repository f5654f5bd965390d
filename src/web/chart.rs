//! Charts drawn on the server as SVG geometry; the template only places the shapes, so the
//! dashboard needs no script.
//!
//! Readability rules (issue 16): every drawing is placed at its own size (`width`/`height`
//! equal to the view box, never scaled down by the stylesheet), so a text's font size in user
//! units is its size on screen, and no text is smaller than [`FONT`]. Tiers of very different
//! sizes (thousands of high-tech firms, a handful of unicorns) are drawn as small multiples,
//! one panel per track on its own scale, and any positive value gets at least [`MIN_BAR`]
//! units with its figure written beside it, so no tier is invisible.

/// Font size of every chart text, in pixels at the rendered size.
pub const FONT: u32 = 14;
/// The shortest bar drawn for a positive value.
pub const MIN_BAR: u32 = 4;

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// The value written after the bar.
    pub value: i64,
    /// The firm list behind the value.
    pub href: String,
    /// Top of the bar.
    pub y: u32,
    /// Bar length in user units.
    pub width: u32,
    /// Baseline of the label and value text.
    pub text_y: u32,
    /// Where the value text starts.
    pub value_x: u32,
}

/// A track's heading above its panel of bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// The track's name.
    pub text: String,
    /// Baseline.
    pub y: u32,
}

/// One row of a bar chart: its panel (track), label, value and link.
pub struct BarRow {
    /// The panel the bar is drawn in (consecutive rows of one panel share a scale).
    pub panel: String,
    /// Label left of the bar.
    pub label: String,
    /// The value.
    pub value: i64,
    /// The list behind the value.
    pub href: String,
}

/// A horizontal bar chart in panels.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// The panels' headings.
    pub headings: Vec<Heading>,
    /// Total height of the drawing.
    pub height: u32,
    /// Total width of the drawing.
    pub width: u32,
    /// Left edge of the bars (labels sit before it).
    pub left: u32,
    /// Font size of every text.
    pub font: u32,
}

const ROW: u32 = 28;
const BAR: u32 = 18;
// Room for the longest default tier name (12 characters at 14 px) right-aligned before the bars.
const LEFT: u32 = 200;
const PLOT: u32 = 220;
const WIDTH: u32 = LEFT + PLOT + 70;

/// `value` of `max` on `plot` units; zero stays zero, a positive value gets at least
/// [`MIN_BAR`].
pub fn scaled(value: i64, max: i64, plot: u32) -> u32 {
    let value = value.max(0);
    if value == 0 {
        return 0;
    }
    let n = i128::from(value) * i128::from(plot) / i128::from(max.max(1));
    u32::try_from(n).unwrap_or(plot).clamp(MIN_BAR, plot)
}

impl BarChart {
    /// Bars in one panel per run of rows with the same `panel`, each panel scaled so its
    /// largest value spans the plot.
    pub fn new(rows: &[BarRow]) -> Self {
        let mut bars = Vec::with_capacity(rows.len());
        let mut headings = Vec::new();
        let mut y = 4;
        let mut start = 0;
        while start < rows.len() {
            let panel = &rows[start].panel;
            let end = rows[start..]
                .iter()
                .position(|r| &r.panel != panel)
                .map_or(rows.len(), |n| start + n);
            headings.push(Heading {
                text: panel.clone(),
                y: y + FONT + 2,
            });
            y += ROW;
            let max = rows[start..end].iter().map(|r| r.value).max().unwrap_or(0);
            for row in &rows[start..end] {
                let width = scaled(row.value, max, PLOT);
                bars.push(Bar {
                    label: row.label.clone(),
                    value: row.value.max(0),
                    href: row.href.clone(),
                    y,
                    width,
                    text_y: y + BAR - 4,
                    value_x: LEFT + width + 6,
                });
                y += ROW;
            }
            y += 6;
            start = end;
        }
        Self {
            height: y + 4,
            width: WIDTH,
            left: LEFT,
            font: FONT,
            bars,
            headings,
        }
    }

    /// Where the labels end (right-aligned there).
    pub fn label_x(&self) -> u32 {
        self.left - 8
    }

    /// Height of every bar.
    pub fn bar_height(&self) -> u32 {
        BAR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(panel: &str, label: &str, value: i64) -> BarRow {
        BarRow {
            panel: panel.into(),
            label: label.into(),
            value,
            href: format!("/firms?tier={label}"),
        }
    }

    #[test]
    fn each_panel_has_its_own_scale_and_small_values_stay_visible() {
        let chart = BarChart::new(&[
            row("ladder", "a", 1000),
            row("ladder", "b", 1),
            row("ladder", "c", 0),
            row("other", "d", 3),
        ]);
        assert_eq!(chart.bars[0].width, PLOT);
        assert_eq!(chart.bars[1].width, MIN_BAR, "a tiny value is visible");
        assert_eq!(chart.bars[2].width, 0);
        assert_eq!(chart.bars[3].width, PLOT, "a panel of its own");
        assert_eq!(chart.headings.len(), 2);
        assert!(chart.bars[3].y > chart.headings[1].y);
        assert!(chart.bars.windows(2).all(|w| w[0].y < w[1].y));
        assert!(chart.font >= 12);
    }

    #[test]
    fn an_empty_chart_has_no_bars_and_no_division_by_zero() {
        let chart = BarChart::new(&[row("ladder", "a", 0)]);
        assert_eq!(chart.bars[0].width, 0);
        assert_eq!(scaled(5, 0, 100), 100);
    }
}
