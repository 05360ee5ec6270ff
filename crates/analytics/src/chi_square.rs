//! Pearson's chi-square test of independence on a contingency table: statistic, degrees of
//! freedom, p-value, expected counts and a warning when expected counts are small.
//!
//! Owns the test; the regularized upper incomplete gamma function comes from statrs. No
//! continuity correction is applied (unlike scipy's default for 2×2 tables), so the statistic
//! is the plain Σ (O − E)² / E.

use serde::Serialize;
use statrs::function::gamma::checked_gamma_ur;

use crate::AnalyticsError;

/// The result of the test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquare {
    /// Σ (observed − expected)² / expected.
    pub statistic: f64,
    /// (rows − 1) × (columns − 1).
    pub dof: u64,
    /// P(χ²_dof ≥ statistic) = Q(dof/2, statistic/2).
    pub p_value: f64,
    /// Expected counts under independence: row total × column total / grand total.
    pub expected: Vec<Vec<f64>>,
    /// Reasons to distrust the approximation (Cochran's rule), empty when none.
    pub warnings: Vec<String>,
}

/// Tests independence of rows and columns of `table` (counts, rows of equal length).
///
/// Rows or columns that sum to zero are refused: they have no expected counts. The warning
/// follows Cochran (1954): more than 20 % of expected counts below 5, or any below 1.
pub fn chi_square_test(table: &[Vec<f64>]) -> Result<ChiSquare, AnalyticsError> {
    let rows = table.len();
    let columns = table.first().map_or(0, Vec::len);
    if rows < 2 || columns < 2 {
        return Err(AnalyticsError::invalid(
            "table",
            "needs at least two rows and two columns",
        ));
    }
    if table.iter().any(|r| r.len() != columns) {
        return Err(AnalyticsError::invalid(
            "table",
            "rows have different numbers of columns",
        ));
    }
    if table
        .iter()
        .flatten()
        .any(|v| !(v.is_finite() && *v >= 0.0))
    {
        return Err(AnalyticsError::invalid(
            "table",
            "counts must be non-negative numbers",
        ));
    }
    let row_totals: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let column_totals: Vec<f64> = (0..columns)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    if let Some(i) = row_totals.iter().position(|t| *t <= 0.0) {
        return Err(AnalyticsError::invalid(
            "table",
            format!("row {} sums to zero", i + 1),
        ));
    }
    if let Some(j) = column_totals.iter().position(|t| *t <= 0.0) {
        return Err(AnalyticsError::invalid(
            "table",
            format!("column {} sums to zero", j + 1),
        ));
    }
    let total: f64 = row_totals.iter().sum();
    let expected: Vec<Vec<f64>> = row_totals
        .iter()
        .map(|rt| column_totals.iter().map(|ct| rt * ct / total).collect())
        .collect();
    let statistic: f64 = table
        .iter()
        .zip(&expected)
        .flat_map(|(o, e)| o.iter().zip(e))
        .map(|(o, e)| (o - e).powi(2) / e)
        .sum();
    let dof = ((rows - 1) * (columns - 1)) as u64;
    let p_value = if statistic <= 0.0 {
        1.0
    } else {
        checked_gamma_ur(dof as f64 / 2.0, statistic / 2.0)
            .map_err(|e| AnalyticsError::invalid("table", e.to_string()))?
    };
    let cells = (rows * columns) as f64;
    let below_five = expected.iter().flatten().filter(|e| **e < 5.0).count();
    let mut warnings = Vec::new();
    if below_five as f64 > 0.2 * cells {
        warnings.push(format!("{below_five} of {cells} expected counts are below 5; the chi-square approximation may be poor"));
    }
    if expected.iter().flatten().any(|e| *e < 1.0) {
        warnings.push(
            "an expected count is below 1; the chi-square approximation is unreliable".to_owned(),
        );
    }
    Ok(ChiSquare {
        statistic,
        dof,
        p_value,
        expected,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_two_by_two_table() {
        // Observed [[10, 20], [30, 40]]: totals 30/70 by 40/60 of 100; expected
        // [[12, 18], [28, 42]]; χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365…; p = 0.37304…
        let r = chi_square_test(&[vec![10.0, 20.0], vec![30.0, 40.0]]).unwrap();
        assert_eq!(r.dof, 1);
        assert_eq!(r.expected, [[12.0, 18.0], [28.0, 42.0]]);
        let statistic = 4.0 / 12.0 + 4.0 / 18.0 + 4.0 / 28.0 + 4.0 / 42.0;
        assert!((r.statistic - statistic).abs() < 1e-12);
        // scipy.stats.chi2.sf(0.7936507936507936, 1); erfc(√(χ²/2)) by hand agrees to 1e-15.
        let p = 0.37299848361348686;
        assert!((r.p_value - p).abs() < 1e-12, "{} vs {p}", r.p_value);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn a_hand_computed_two_by_three_table_with_two_degrees_of_freedom() {
        // Observed [[20, 30, 50], [30, 30, 40]]: expected [[25, 30, 45], [25, 30, 45]];
        // χ² = 2·(25/25) + 2·(25/45) = 3.1111…; with 2 dof p = exp(−χ²/2) = 0.21107…
        let r = chi_square_test(&[vec![20.0, 30.0, 50.0], vec![30.0, 30.0, 40.0]]).unwrap();
        let statistic = 2.0 + 50.0 / 45.0;
        assert_eq!(r.dof, 2);
        assert!((r.statistic - statistic).abs() < 1e-12);
        assert!((r.p_value - (-statistic / 2.0).exp()).abs() < 1e-12);
    }

    #[test]
    fn independent_tables_give_zero_and_p_one_and_small_counts_warn() {
        let r = chi_square_test(&[vec![1.0, 2.0], vec![2.0, 4.0]]).unwrap();
        assert!(r.statistic.abs() < 1e-12 && (r.p_value - 1.0).abs() < 1e-12);
        assert_eq!(r.warnings.len(), 1);
        let tiny = chi_square_test(&[vec![0.5, 0.2], vec![0.1, 3.0]]).unwrap();
        assert_eq!(tiny.warnings.len(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// With two degrees of freedom the chi-square survival function is exp(−χ²/2), and
        /// scaling every count by k scales the statistic by k.
        #[test]
        fn two_degrees_of_freedom_match_the_closed_form_and_scaling(
            cells in proptest::collection::vec(1u32..200, 6),
            k in 2u32..5,
        ) {
            let table: Vec<Vec<f64>> = cells.chunks(3).map(|r| r.iter().map(|&c| f64::from(c)).collect()).collect();
            let r = chi_square_test(&table).unwrap();
            proptest::prop_assert_eq!(r.dof, 2);
            let closed = (-r.statistic / 2.0).exp();
            proptest::prop_assert!((r.p_value - closed).abs() <= 1e-12 * closed.max(1e-300) + 1e-15, "{} vs {}", r.p_value, closed);
            let scaled: Vec<Vec<f64>> = table.iter().map(|row| row.iter().map(|c| c * f64::from(k)).collect()).collect();
            let s = chi_square_test(&scaled).unwrap();
            proptest::prop_assert!((s.statistic - f64::from(k) * r.statistic).abs() <= 1e-9 * (1.0 + s.statistic));
        }
    }

    #[test]
    fn malformed_tables_are_refused() {
        assert!(chi_square_test(&[vec![1.0, 2.0]]).is_err());
        assert!(chi_square_test(&[vec![1.0, 2.0], vec![1.0]]).is_err());
        assert!(chi_square_test(&[vec![0.0, 2.0], vec![0.0, 3.0]]).is_err());
        assert!(chi_square_test(&[vec![-1.0, 2.0], vec![1.0, 3.0]]).is_err());
    }
}
