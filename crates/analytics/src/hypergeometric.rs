//! The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, which the BG/NBD
//! expectations need. Owns only this series; no special-function crate in the workspace offers
//! it (statrs has gamma, beta and digamma, which are used elsewhere).

use crate::AnalyticsError;

/// Terms allowed before giving up; at z = 0.999 the series needs a few tens of thousands.
const MAX_TERMS: usize = 1_000_000;

/// ₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until a term no longer changes the sum.
///
/// The BG/NBD uses it with z = t/(α+T+t) < 1 and positive a, b; c may be below 1 when the
/// fitted a is, which the series handles as long as c is not a non-positive integer.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64, AnalyticsError> {
    if !((0.0..1.0).contains(&z) && a.is_finite() && b.is_finite() && c.is_finite()) {
        return Err(AnalyticsError::invalid(
            "z",
            format!("2F1 series needs 0 <= z < 1 and finite parameters, got z = {z}"),
        ));
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return Err(AnalyticsError::invalid(
            "c",
            "2F1 is undefined at non-positive integer c",
        ));
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 0..MAX_TERMS {
        let k = n as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        let next = sum + term;
        // Two consecutive terms below rounding of the sum: the tail is geometric from here on
        // because the term ratio tends to z < 1.
        if next == sum && term.abs() <= f64::EPSILON * sum.abs() && k > a.abs() + b.abs() {
            return Ok(next);
        }
        sum = next;
        if !sum.is_finite() {
            break;
        }
    }
    Err(AnalyticsError::NotConverged {
        model: "2F1 series",
        reason: format!("no convergence at z = {z}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for z in [0.1, 0.5, 0.9, 0.99] {
            let got = hyp2f1(1.0, 1.0, 2.0, z);
            assert!(
                matches!(got, Ok(v) if close(v, -(1.0 - z).ln() / z)),
                "{z}: {got:?}"
            );
        }
        // 2F1(a, b; b; z) = (1 - z)^-a
        let got = hyp2f1(0.7, 2.5, 2.5, 0.6);
        assert!(
            matches!(got, Ok(v) if close(v, 0.4_f64.powf(-0.7))),
            "{got:?}"
        );
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 0.0), Ok(1.0));
    }

    #[test]
    fn hyp2f1_refuses_arguments_outside_the_series_domain() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_err());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_err());
    }
}
