//! A trend drawn on the server as SVG: one small column chart per tier (small multiples), a
//! column per month on the tier's own scale, each column a link to the month's events.
//! Placed at its own size like every chart (see `chart`), texts at [`FONT`] px.

use super::chart::FONT;

/// One month's column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Left edge.
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Height (at least [`MIN_BAR`] for a positive count).
    pub height: u32,
    /// The count.
    pub value: i64,
    /// The month (`2025-06`).
    pub month: String,
    /// What the column's tooltip says (the month and the count).
    pub title: String,
    /// The month's events, or the firm list for the last column.
    pub href: String,
}

/// One point of a trend as the view hands it in.
pub struct TrendPoint {
    /// The month (`2025-06`).
    pub label: String,
    /// The count at its end.
    pub value: i64,
    /// What the column links to.
    pub href: String,
}

/// A small column chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Oldest first.
    pub columns: Vec<Column>,
    /// Drawing width.
    pub width: u32,
    /// Drawing height.
    pub height: u32,
    /// Bottom of the plot (the axis line).
    pub base: u32,
    /// Width of each column.
    pub column_width: u32,
    /// The first month's label, under the first column.
    pub first: String,
    /// The last month's label, under the last column (right-aligned at `width`).
    pub last: String,
    /// The largest count, written at the top left (the scale of the panel).
    pub max: i64,
    /// Baseline of the month labels.
    pub label_y: u32,
    /// Font size of the texts.
    pub font: u32,
}

const PLOT_HEIGHT: u32 = 60;
const TOP: u32 = FONT + 6;
const STEP: u32 = 11;
const COLUMN: u32 = 8;

impl Trend {
    /// Columns scaled so the largest count reaches the top of the plot.
    pub fn new(points: &[TrendPoint]) -> Self {
        let max = points.iter().map(|p| p.value).max().unwrap_or(0).max(0);
        let base = TOP + PLOT_HEIGHT;
        let columns: Vec<Column> = points
            .iter()
            .zip(0u32..)
            .map(|(p, i)| {
                let height = super::chart::scaled(p.value, max, PLOT_HEIGHT);
                Column {
                    x: i * STEP,
                    y: base - height,
                    height,
                    value: p.value,
                    month: p.label.clone(),
                    title: format!("{} · {}", p.label, p.value),
                    href: p.href.clone(),
                }
            })
            .collect();
        let width = (columns.len() as u32 * STEP).max(8 * FONT);
        Self {
            width,
            height: base + FONT + 8,
            base,
            column_width: COLUMN,
            first: points.first().map(|p| p.label.clone()).unwrap_or_default(),
            last: points.last().map(|p| p.label.clone()).unwrap_or_default(),
            max,
            label_y: base + FONT + 4,
            font: FONT,
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::chart::MIN_BAR;

    fn point(label: &str, value: i64) -> TrendPoint {
        TrendPoint {
            label: label.into(),
            value,
            href: String::new(),
        }
    }

    #[test]
    fn the_largest_month_fills_the_plot_and_small_ones_stay_visible() {
        let trend = Trend::new(&[
            point("2025-01", 0),
            point("2025-02", 1),
            point("2025-03", 500),
        ]);
        assert_eq!(trend.columns[0].height, 0);
        assert_eq!(trend.columns[1].height, MIN_BAR);
        assert_eq!(trend.columns[2].height, PLOT_HEIGHT);
        assert_eq!(trend.columns[2].y, TOP);
        assert_eq!(
            (trend.first.as_str(), trend.last.as_str()),
            ("2025-01", "2025-03")
        );
        assert_eq!(trend.max, 500);
        assert!(trend.font >= 12);
        assert!(
            trend
                .columns
                .iter()
                .all(|c| c.x + c.height <= trend.width + PLOT_HEIGHT)
        );
    }
}
