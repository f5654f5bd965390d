//! Bar charts drawn on the server as SVG geometry; the template only places the shapes, so
//! the dashboard needs no script.

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// The value written after the bar.
    pub value: i64,
    /// Top of the bar.
    pub y: u32,
    /// Bar length in user units.
    pub width: u32,
    /// Baseline of the label and value text.
    pub text_y: u32,
    /// Where the value text starts.
    pub value_x: u32,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Total height of the drawing.
    pub height: u32,
    /// Total width of the drawing.
    pub width: u32,
    /// Left edge of the bars (labels sit before it).
    pub left: u32,
}

const ROW: u32 = 28;
const BAR: u32 = 18;
const LEFT: u32 = 220;
const PLOT: u32 = 380;
const WIDTH: u32 = LEFT + PLOT + 70;

impl BarChart {
    /// Bars scaled so the largest value spans the plot; zero stays zero, any positive value
    /// at least one unit so it shows.
    pub fn new(rows: &[(String, i64)]) -> Self {
        let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, (label, value))| {
                let value = (*value).max(0);
                let scaled = (i128::from(value) * i128::from(PLOT) / i128::from(max)) as u32;
                let width = if value > 0 { scaled.max(1) } else { 0 };
                let y = i as u32 * ROW + 4;
                Bar {
                    label: label.clone(),
                    value,
                    y,
                    width,
                    text_y: y + BAR - 4,
                    value_x: LEFT + width + 6,
                }
            })
            .collect::<Vec<_>>();
        Self {
            height: bars.len() as u32 * ROW + 8,
            width: WIDTH,
            left: LEFT,
            bars,
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

    #[test]
    fn the_largest_bar_spans_the_plot_and_small_ones_still_show() {
        let chart = BarChart::new(&[("a".into(), 1000), ("b".into(), 1), ("c".into(), 0)]);
        assert_eq!(chart.bars[0].width, PLOT);
        assert_eq!(
            chart.bars[1].width, 1,
            "a tiny positive value is still drawn"
        );
        assert_eq!(chart.bars[2].width, 0);
        assert!(chart.bars[1].y > chart.bars[0].y);
        assert_eq!(chart.height, 3 * ROW + 8);
    }

    #[test]
    fn an_empty_chart_has_no_bars_and_no_division_by_zero() {
        let chart = BarChart::new(&[("a".into(), 0)]);
        assert_eq!(chart.bars[0].width, 0);
    }
}
