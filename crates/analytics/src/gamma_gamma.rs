//! The Gamma-Gamma model of monetary value (Fader & Hardie 2013, "The Gamma-Gamma Model of
//! Monetary Value"; Colombo & Jiang 1999): maximum-likelihood fit of p, q, γ on repeat
//! customers and the expected average transaction value of a customer.
//!
//! Owns the model's formulas; the optimiser lives in `optimize`.

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::optimize::{self, FitDiagnostics, Minimum, Objective};
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

/// Log-likelihood of one customer's z̄ and its gradient in (p, q, γ):
/// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
fn customer_log_likelihood(
    params: &GammaGammaParams,
    x: f64,
    zbar: f64,
    grad: &mut [f64; 3],
) -> f64 {
    let GammaGammaParams { p, q, gamma } = *params;
    let px = p * x;
    let (ln_z, ln_x, ln_total) = (zbar.ln(), x.ln(), (gamma + x * zbar).ln());
    let psi_pxq = digamma(px + q);
    grad[0] += x * (psi_pxq - digamma(px) + ln_z + ln_x - ln_total);
    grad[1] += psi_pxq - digamma(q) + gamma.ln() - ln_total;
    grad[2] += q / gamma - (px + q) / (gamma + x * zbar);
    ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q) + q * gamma.ln() + (px - 1.0) * ln_z + px * ln_x
        - (px + q) * ln_total
}

/// Repeat customers merged by identical (x, z̄) with their weights, sorted for a fixed
/// summation order.
fn compress(observations: &[SpendObservation]) -> Result<Vec<(f64, f64, f64)>, AnalyticsError> {
    let mut groups: Vec<(u32, u64)> = Vec::with_capacity(observations.len());
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
        groups.push((o.frequency, o.monetary_value.to_bits()));
    }
    // Positive floats order like their bit patterns.
    groups.sort_unstable();
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    for (x, z) in groups {
        let (x, z) = (f64::from(x), f64::from_bits(z));
        match out.last_mut() {
            Some(last) if last.0 == x && last.1 == z => last.2 += 1.0,
            _ => out.push((x, z, 1.0)),
        }
    }
    Ok(out)
}

fn total_log_likelihood(
    params: &GammaGammaParams,
    data: &[(f64, f64, f64)],
    grad: &mut [f64; 3],
) -> f64 {
    let mut ll = 0.0;
    *grad = [0.0; 3];
    for &(x, z, w) in data {
        let mut g = [0.0; 3];
        ll += w * customer_log_likelihood(params, x, z, &mut g);
        for k in 0..3 {
            grad[k] += w * g[k];
        }
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

/// Fits p, q, γ by maximum likelihood on the customers with x > 0 (the others carry no
/// information about repeat spend): BFGS on log-parameters from p = q = γ = 1, Nelder-Mead
/// fallback, standard errors from the Hessian.
pub fn fit(observations: &[SpendObservation]) -> Result<GammaGammaFit, AnalyticsError> {
    let data = compress(observations)?;
    let n: f64 = data.iter().map(|g| g.2).sum();
    if data.is_empty() {
        return Err(AnalyticsError::Empty("no customer with a repeat purchase"));
    }
    let from_log = |x: &[f64]| GammaGammaParams {
        p: x[0].exp(),
        q: x[1].exp(),
        gamma: x[2].exp(),
    };
    let objective = |x: &[f64], grad: &mut [f64]| -> f64 {
        let params = from_log(x);
        let mut g = [0.0; 3];
        let ll = total_log_likelihood(&params, &data, &mut g);
        let theta = [params.p, params.q, params.gamma];
        for k in 0..3 {
            grad[k] = -g[k] * theta[k] / n;
        }
        -ll / n
    };
    let not_converged = |reason: &str| AnalyticsError::NotConverged {
        model: "Gamma-Gamma",
        reason: reason.into(),
    };
    let start = [0.0; 3];
    let tolerance = 1e-9;
    let (minimum, used_fallback) = match optimize::bfgs(&objective, &start, tolerance, 1000) {
        Some(m) => (m, false),
        None => {
            let rough = optimize::nelder_mead(&objective, &start, 4000)
                .ok_or_else(|| not_converged("no finite likelihood found"))?;
            let polished = optimize::bfgs(&objective, &rough.x, tolerance, 1000)
                .ok_or_else(|| not_converged("the gradient did not vanish"))?;
            (
                Minimum {
                    evaluations: rough.evaluations + polished.evaluations,
                    ..polished
                },
                true,
            )
        }
    };
    let params = from_log(&minimum.x);
    let mut g = [0.0; 3];
    objective(&minimum.x, &mut g);
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
