//! The Gamma-Gamma model of monetary value (Fader & Hardie 2013, "The Gamma-Gamma Model of
//! Monetary Value"; Colombo & Jiang 1999): maximum-likelihood fit of p, q, γ on repeat
//! customers and the expected average transaction value of a customer.
//!
//! Owns the model's formulas; the optimiser lives in `optimize`.

use rayon::prelude::*;
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::optimize::{self, FitDiagnostics, Objective};
use crate::{AnalyticsError, summary::CustomerSummary};

/// A repeat customer as the model sees them: x repeat transactions with mean value z̄.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendObservation {
    /// x: number of repeat transactions (must be positive to be fitted).
    pub frequency: u32,
    /// z̄: mean value of those transactions (must be positive to be fitted).
    pub monetary_value: f64,
}

impl From<&CustomerSummary> for SpendObservation {
    fn from(s: &CustomerSummary) -> Self {
        Self {
            frequency: s.frequency,
            monetary_value: s.monetary_value,
        }
    }
}

/// Gamma-Gamma parameters: transaction values ~ Gamma(p, ν), ν ~ Gamma(q, γ) across customers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGammaParams {
    /// Shape of a customer's transaction values.
    pub p: f64,
    /// Shape of the distribution of the customer rates ν.
    pub q: f64,
    /// Rate of the distribution of ν (in money units).
    pub gamma: f64,
}

/// A maximum-likelihood fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGammaFit {
    /// Customers fitted (those with x > 0).
    pub customers: usize,
    /// The estimates.
    pub params: GammaGammaParams,
    /// Asymptotic standard errors.
    pub standard_errors: GammaGammaParams,
    /// Log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// How the optimiser got there.
    pub diagnostics: FitDiagnostics,
}

/// Repeat customers grouped by x (every gamma-function term depends on x only), with the
/// constant Σ w ln z̄ of each group and its (x z̄, weight) pairs merged when identical.
struct SpendData {
    groups: Vec<XGroup>,
}

struct XGroup {
    x: f64,
    weight: f64,
    weighted_ln_z: f64,
    /// (x · z̄, number of customers with that z̄), sorted.
    totals: Vec<(f64, f64)>,
}

/// Pairs per parallel work item; fixed so results do not depend on the number of threads.
const CHUNK: usize = 8192;

fn compress(observations: &[SpendObservation]) -> Result<SpendData, AnalyticsError> {
    let mut pairs: Vec<(u32, u64)> = Vec::with_capacity(observations.len());
    for o in observations.iter().filter(|o| o.frequency > 0) {
        if !(o.monetary_value.is_finite() && o.monetary_value > 0.0) {
            return Err(AnalyticsError::invalid(
                "monetary_value",
                format!(
                    "Gamma-Gamma needs positive mean repeat spend, got {} for a customer with x = {}",
                    o.monetary_value, o.frequency
                ),
            ));
        }
        pairs.push((o.frequency, o.monetary_value.to_bits()));
    }
    // Positive floats order like their bit patterns.
    pairs.sort_unstable();
    let mut groups: Vec<XGroup> = Vec::new();
    for (x, z) in pairs {
        let (x, z) = (f64::from(x), f64::from_bits(z));
        if groups.last().is_none_or(|g| g.x != x) {
            groups.push(XGroup {
                x,
                weight: 0.0,
                weighted_ln_z: 0.0,
                totals: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.weight += 1.0;
            g.weighted_ln_z += z.ln();
            match g.totals.last_mut() {
                Some(last) if last.0 == x * z => last.1 += 1.0,
                _ => g.totals.push((x * z, 1.0)),
            }
        }
    }
    Ok(SpendData { groups })
}

/// Σ w ln(γ + x z̄) and Σ w / (γ + x z̄) over one group's pairs.
fn sums(totals: &[(f64, f64)], gamma: f64) -> (f64, f64) {
    let chunk = |c: &[(f64, f64)]| {
        c.iter().fold((0.0, 0.0), |(l, i), &(xz, w)| {
            (l + w * (gamma + xz).ln(), i + w / (gamma + xz))
        })
    };
    let partial: Vec<(f64, f64)> = if totals.len() > 4 * CHUNK {
        totals.par_chunks(CHUNK).map(chunk).collect()
    } else {
        totals.chunks(CHUNK).map(chunk).collect()
    };
    partial
        .iter()
        .fold((0.0, 0.0), |(l, i), &(pl, pi)| (l + pl, i + pi))
}

/// Log-likelihood and gradient in (p, q, γ); per customer
/// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
fn total_log_likelihood(params: &GammaGammaParams, data: &SpendData, grad: &mut [f64; 3]) -> f64 {
    let GammaGammaParams { p, q, gamma } = *params;
    let (ln_gamma_q, psi_q, ln_g) = (ln_gamma(q), digamma(q), gamma.ln());
    let mut ll = 0.0;
    *grad = [0.0; 3];
    for g in &data.groups {
        let (x, w) = (g.x, g.weight);
        let px = p * x;
        let ln_x = x.ln();
        let (sum_ln, sum_inv) = sums(&g.totals, gamma);
        let psi_pxq = digamma(px + q);
        ll += w * (ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_g + px * ln_x)
            + (px - 1.0) * g.weighted_ln_z
            - (px + q) * sum_ln;
        grad[0] += x * (w * (psi_pxq - digamma(px) + ln_x) + g.weighted_ln_z - sum_ln);
        grad[1] += w * (psi_pxq - psi_q + ln_g) - sum_ln;
        grad[2] += w * q / gamma - (px + q) * sum_inv;
    }
    ll
}

/// Log-likelihood of `params` over the repeat customers among `observations`.
pub fn log_likelihood(
    params: &GammaGammaParams,
    observations: &[SpendObservation],
) -> Result<f64, AnalyticsError> {
    Ok(total_log_likelihood(
        params,
        &compress(observations)?,
        &mut [0.0; 3],
    ))
}

/// Above this many repeat customers the fit starts from a subsample's optimum.
const SUBSAMPLE_ABOVE: usize = 50_000;
/// Customers in that subsample.
const SUBSAMPLE_CUSTOMERS: usize = 40_000;

fn from_log(x: &[f64]) -> GammaGammaParams {
    GammaGammaParams {
        p: x[0].exp(),
        q: x[1].exp(),
        gamma: x[2].exp(),
    }
}

/// Mean negative log-likelihood per repeat customer on log-parameters, with its gradient.
fn objective(data: &SpendData, n: f64) -> impl Fn(&[f64], &mut [f64]) -> f64 + '_ {
    move |x: &[f64], grad: &mut [f64]| -> f64 {
        let params = from_log(x);
        let mut g = [0.0; 3];
        let ll = total_log_likelihood(&params, data, &mut g);
        let theta = [params.p, params.q, params.gamma];
        for k in 0..3 {
            grad[k] = -g[k] * theta[k] / n;
        }
        -ll / n
    }
}

/// Fits p, q, γ by maximum likelihood on the customers with x > 0 (the others carry no
/// information about repeat spend): BFGS on log-parameters from p = q = γ = 1, Nelder-Mead
/// fallback, standard errors from the Hessian.
pub fn fit(observations: &[SpendObservation]) -> Result<GammaGammaFit, AnalyticsError> {
    let data = compress(observations)?;
    let n: f64 = data.groups.iter().map(|g| g.weight).sum();
    if data.groups.is_empty() {
        return Err(AnalyticsError::Empty("no customer with a repeat purchase"));
    }
    let full_objective = objective(&data, n);
    // Large data: start from a systematic subsample's optimum and curvature (see bgnbd::fit).
    let repeaters: Vec<SpendObservation> = observations
        .iter()
        .filter(|o| o.frequency > 0)
        .copied()
        .collect();
    let (start, inverse_hessian) = if repeaters.len() > SUBSAMPLE_ABOVE {
        let sample: Vec<SpendObservation> = repeaters
            .iter()
            .step_by(repeaters.len().div_ceil(SUBSAMPLE_CUSTOMERS))
            .copied()
            .collect();
        let sample_data = compress(&sample)?;
        let sample_objective = objective(&sample_data, sample.len() as f64);
        match optimize::minimize(&sample_objective, &[0.0; 3], None, "Gamma-Gamma") {
            Ok((m, _)) => {
                let h = optimize::inverse_hessian_at(&sample_objective, &m.x);
                (m.x, h)
            }
            Err(_) => (vec![0.0; 3], None),
        }
    } else {
        (vec![0.0; 3], None)
    };
    let (minimum, used_fallback) =
        optimize::minimize(&full_objective, &start, inverse_hessian, "Gamma-Gamma")?;
    let params = from_log(&minimum.x);
    let mut g = [0.0; 3];
    full_objective(&minimum.x, &mut g);
    let gradient_max = g.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let log_likelihood = total_log_likelihood(&params, &data, &mut [0.0; 3]);
    let natural = |x: &[f64], grad: &mut [f64]| -> f64 {
        let mut g = [0.0; 3];
        let ll = total_log_likelihood(
            &GammaGammaParams {
                p: x[0],
                q: x[1],
                gamma: x[2],
            },
            &data,
            &mut g,
        );
        for k in 0..3 {
            grad[k] = -g[k];
        }
        -ll
    };
    let theta = [params.p, params.q, params.gamma];
    let steps: Vec<f64> = theta.iter().map(|t| t * 1e-5).collect();
    let se = optimize::standard_errors(
        &optimize::hessian(&natural as &dyn Objective, &theta, &steps),
        3,
    );
    Ok(GammaGammaFit {
        customers: n as usize,
        params,
        standard_errors: GammaGammaParams {
            p: se[0],
            q: se[1],
            gamma: se[2],
        },
        log_likelihood,
        diagnostics: FitDiagnostics {
            evaluations: minimum.evaluations,
            gradient_max,
            used_fallback,
        },
    })
}

impl GammaGammaParams {
    /// Population mean transaction value E[Z] = pγ/(q−1); needs q > 1.
    pub fn mean_value(&self) -> Result<f64, AnalyticsError> {
        if self.q <= 1.0 {
            return Err(AnalyticsError::invalid(
                "q",
                "the mean transaction value is infinite when q <= 1",
            ));
        }
        Ok(self.p * self.gamma / (self.q - 1.0))
    }

    /// E[Z | x, z̄] = p(γ + x z̄)/(px + q − 1) (Fader & Hardie 2013, eq. 5): a weighted average of
    /// the population mean and the customer's own mean. For x = 0 it is the population mean.
    pub fn expected_average_value(&self, o: &SpendObservation) -> Result<f64, AnalyticsError> {
        self.mean_value()?;
        if o.frequency == 0 {
            return self.mean_value();
        }
        let x = f64::from(o.frequency);
        Ok(self.p * (self.gamma + x * o.monetary_value) / (self.p * x + self.q - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::summarize;
    use crate::test_data::{cdnow_periods, cdnow_transactions};

    fn cdnow() -> Vec<SpendObservation> {
        summarize(&cdnow_transactions(), cdnow_periods())
            .unwrap()
            .iter()
            .map(SpendObservation::from)
            .collect()
    }

    #[test]
    fn gamma_gamma_fit_reproduces_published_cdnow_parameters() {
        let fit = fit(&cdnow()).unwrap();
        let within = |got: f64, want: f64| ((got - want) / want).abs() <= 0.005;
        assert_eq!(fit.customers, 946);
        assert!(within(fit.params.p, 6.24957), "{:?}", fit.params);
        assert!(within(fit.params.q, 3.74422), "{:?}", fit.params);
        assert!(within(fit.params.gamma, 15.44352), "{:?}", fit.params);
        assert!(fit.standard_errors.p > 0.0, "{:?}", fit.standard_errors);
    }

    #[test]
    fn gamma_gamma_analytic_gradient_matches_finite_differences() {
        let data = compress(&cdnow()).unwrap();
        let theta = [4.0, 3.0, 12.0];
        let f = |t: [f64; 3]| {
            total_log_likelihood(
                &GammaGammaParams {
                    p: t[0],
                    q: t[1],
                    gamma: t[2],
                },
                &data,
                &mut [0.0; 3],
            )
        };
        let mut g = [0.0; 3];
        total_log_likelihood(
            &GammaGammaParams {
                p: theta[0],
                q: theta[1],
                gamma: theta[2],
            },
            &data,
            &mut g,
        );
        for k in 0..3 {
            let h = 1e-6 * theta[k];
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let numeric = (f(up) - f(down)) / (2.0 * h);
            assert!(
                (numeric - g[k]).abs() <= 1e-5 * numeric.abs().max(1.0),
                "param {k}: {numeric} vs {}",
                g[k]
            );
        }
    }

    #[test]
    fn expected_average_value_shrinks_a_customers_mean_towards_the_population_mean() {
        let params = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let population = params.mean_value().unwrap();
        let one = params
            .expected_average_value(&SpendObservation {
                frequency: 1,
                monetary_value: 100.0,
            })
            .unwrap();
        let many = params
            .expected_average_value(&SpendObservation {
                frequency: 50,
                monetary_value: 100.0,
            })
            .unwrap();
        assert!(
            population < one && one < many && many < 100.0,
            "{population} {one} {many}"
        );
        let none = params
            .expected_average_value(&SpendObservation {
                frequency: 0,
                monetary_value: 0.0,
            })
            .unwrap();
        assert_eq!(none, population);
    }

    #[test]
    fn zero_repeat_spend_is_refused_with_a_reason() {
        let bad = [SpendObservation {
            frequency: 2,
            monetary_value: 0.0,
        }];
        assert!(matches!(
            fit(&bad),
            Err(AnalyticsError::InvalidArgument {
                name: "monetary_value",
                ..
            })
        ));
        assert!(matches!(fit(&[]), Err(AnalyticsError::Empty(_))));
    }
}
