//! Charts drawn on the server as SVG, so a page shows them without script and a test reads
//! them as text. One kind for now: grouped bars (one group per rep, one bar per series)
//! with each group's target drawn as a line across it.
//!
//! Labels arrive already translated and values already in the unit shown (lira, not kuruş);
//! how the value axis is written is the caller's (`axis_label`), so numbers read in the
//! page's language.

use plotters::coord::Shift;
use plotters::prelude::*;

/// What a chart could not be drawn for (the backend's own failure, kept as text).
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

fn fail<E: std::fmt::Display>(error: E) -> ChartError {
    ChartError(error.to_string())
}

/// One group of bars: a label under it, one value per series, and maybe a target.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<f64>,
    pub target: Option<f64>,
}

/// A grouped bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub width: u32,
    pub height: u32,
    /// The series' names, in the order of every group's values.
    pub series: Vec<String>,
    /// The target line's name in the legend.
    pub target_label: String,
    pub groups: Vec<BarGroup>,
}

/// The series' colours, in order (the page's palette: accessible on white).
const COLOURS: [RGBColor; 5] = [
    RGBColor(22, 101, 52),
    RGBColor(29, 78, 216),
    RGBColor(96, 165, 250),
    RGBColor(147, 51, 234),
    RGBColor(234, 88, 12),
];
const TARGET: RGBColor = RGBColor(185, 28, 28);
const GRID: RGBColor = RGBColor(226, 232, 240);
const INK: RGBColor = RGBColor(51, 65, 85);

/// Draws `chart` as an SVG document.
pub fn bar_chart(
    chart: &BarChart,
    axis_label: &dyn Fn(f64) -> String,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (chart.width, chart.height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        draw(&root, chart, axis_label)?;
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &BarChart,
    axis_label: &dyn Fn(f64) -> String,
) -> Result<(), ChartError> {
    let groups = chart.groups.len().max(1);
    let highest = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().copied().chain(g.target))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    // Headroom above the highest bar or target keeps the legend (upper right) off them.
    let top = if highest > 0.0 { highest * 1.6 } else { 1.0 };
    let text = ("sans-serif", 13).into_font().color(&INK);
    // Groups stand at whole numbers; the axis runs half a group past each end.
    let mut area = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.5_f64..(groups as f64 - 0.5), 0.0_f64..top)
        .map_err(fail)?;
    let labels: Vec<&str> = chart.groups.iter().map(|g| g.label.as_str()).collect();
    let group_label = |x: &f64| -> String {
        let nearest = x.round();
        if (x - nearest).abs() > 1e-6 || nearest < 0.0 {
            return String::new();
        }
        labels
            .get(nearest as usize)
            .map(|l| (*l).to_string())
            .unwrap_or_default()
    };
    area.configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(GRID)
        .x_labels(groups + 1)
        .x_label_formatter(&group_label)
        .y_labels(6)
        .y_label_formatter(&|v| axis_label(*v))
        .label_style(text.clone())
        .axis_style(INK)
        .draw()
        .map_err(fail)?;
    let series = chart.series.len().max(1);
    let slot = 0.8 / series as f64;
    for (index, name) in chart.series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let bars = chart
            .groups
            .iter()
            .enumerate()
            .filter_map(move |(g, group)| {
                let value = group.values.get(index).copied().filter(|v| v.is_finite())?;
                let left = g as f64 - 0.4 + slot * index as f64;
                Some(Rectangle::new(
                    [
                        (left + slot * 0.08, 0.0),
                        (left + slot * 0.92, value.max(0.0)),
                    ],
                    colour.filled(),
                ))
            });
        area.draw_series(bars)
            .map_err(fail)?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    let targets = chart.groups.iter().enumerate().filter_map(|(g, group)| {
        let target = group.target.filter(|t| t.is_finite())?;
        Some(PathElement::new(
            vec![(g as f64 - 0.45, target), (g as f64 + 0.45, target)],
            TARGET.stroke_width(3),
        ))
    });
    area.draw_series(targets)
        .map_err(fail)?
        .label(chart.target_label.as_str())
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], TARGET.stroke_width(3)));
    area.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font(text)
        .draw()
        .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn chart(groups: Vec<BarGroup>) -> BarChart {
        BarChart {
            width: 640,
            height: 320,
            series: vec!["Kazanılan".into(), "Taahhüt".into()],
            target_label: "Hedef".into(),
            groups,
        }
    }

    #[test]
    fn draws_a_bar_per_value_and_a_line_per_target() {
        let svg = bar_chart(
            &chart(vec![
                BarGroup {
                    label: "Ayşe Çelik".into(),
                    values: vec![100.0, 50.0],
                    target: Some(120.0),
                },
                BarGroup {
                    label: "Ömer Şahin".into(),
                    values: vec![30.0, 0.0],
                    target: None,
                },
            ]),
            &|v| format!("{v:.0} ₺"),
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Ayşe Çelik") && svg.contains("Ömer Şahin"));
        assert!(svg.contains("Kazanılan") && svg.contains("Hedef"));
        assert!(svg.contains(" ₺"), "the caller writes the axis");
        // The target's colour appears (legend and line); the two groups' bars are drawn.
        assert!(svg.contains("#B91C1C"), "{svg}");
        assert!(svg.matches("<rect").count() >= 4 + 2);
    }

    #[test]
    fn text_is_escaped_and_an_empty_chart_still_draws() {
        let svg = bar_chart(
            &chart(vec![BarGroup {
                label: "A&B <script>".into(),
                values: vec![f64::NAN, -5.0],
                target: Some(f64::INFINITY),
            }]),
            &|v| v.to_string(),
        )
        .unwrap();
        assert!(!svg.contains("<script>"), "{svg}");
        let empty = bar_chart(&chart(Vec::new()), &|v| v.to_string()).unwrap();
        assert!(empty.starts_with("<svg"));
    }
}
