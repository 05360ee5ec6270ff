//! The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting Your Customers the
//! Easy Way", Marketing Science 24(2)): maximum-likelihood fit of r, α, a, b with standard
//! errors, the log-likelihood, P(alive) and expected purchases, conditional and unconditional.
//!
//! Owns the model's formulas. The fit compresses customers with identical (x, t_x, T) into
//! weighted groups and tabulates every term that depends on one coordinate only, so one
//! likelihood evaluation costs two transcendental calls per distinct repeat customer group.

use rayon::prelude::*;
use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::optimize::{self, FitDiagnostics, Objective};
use crate::{AnalyticsError, hypergeometric::hyp2f1, summary::CustomerSummary};

/// Groups per parallel work item; fixed so partial sums (and so results) do not depend on the
/// number of threads.
const CHUNK: usize = 4096;

/// A customer as the BG/NBD sees them: repeat purchases x, recency t_x and age T (weeks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// x: repeat purchases in the calibration period.
    pub frequency: u32,
    /// t_x: time of the last purchase since the first one.
    pub recency: f64,
    /// T: time since the first purchase at the end of calibration.
    pub age: f64,
}

impl From<&CustomerSummary> for Observation {
    fn from(s: &CustomerSummary) -> Self {
        Self {
            frequency: s.frequency,
            recency: s.recency,
            age: s.age,
        }
    }
}

/// BG/NBD parameters: purchase rates λ ~ Gamma(r, α), dropout probabilities p ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbdParams {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution (in the time unit of t_x and T).
    pub alpha: f64,
    /// First shape of the dropout distribution.
    pub a: f64,
    /// Second shape of the dropout distribution.
    pub b: f64,
}

/// A maximum-likelihood fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbdFit {
    /// Customers fitted.
    pub customers: usize,
    /// The estimates.
    pub params: BgNbdParams,
    /// Asymptotic standard errors (inverse Hessian of the negative log-likelihood).
    pub standard_errors: BgNbdParams,
    /// Log-likelihood at the estimates (sum over customers, natural log).
    pub log_likelihood: f64,
    /// How the optimiser got there.
    pub diagnostics: FitDiagnostics,
}

fn check(o: &Observation) -> Result<(), AnalyticsError> {
    let ok = o.age.is_finite() && o.recency.is_finite() && o.recency >= 0.0 && o.recency <= o.age;
    if ok {
        Ok(())
    } else {
        Err(AnalyticsError::invalid(
            "observation",
            format!(
                "needs 0 <= t_x <= T, got t_x = {}, T = {}",
                o.recency, o.age
            ),
        ))
    }
}

/// Customers with identical (x, t_x, T) merged into weighted groups, time values tabulated.
struct Compressed {
    /// Distinct values taken by t_x or T.
    times: Vec<f64>,
    /// Distinct positive x, with the total weight of their groups.
    xs: Vec<(f64, f64)>,
    /// x = 0 groups: (index of T, weight).
    zero: Vec<(u32, f64)>,
    /// x > 0 groups: (index into xs, index of t_x, index of T, weight), sorted.
    groups: Vec<(u32, u32, u32, f64)>,
    customers: f64,
}

impl Compressed {
    fn new(observations: &[Observation]) -> Result<Self, AnalyticsError> {
        // Sorting rather than hashing: faster on millions of customers, and every sum then
        // runs in one fixed order. Non-negative floats order like their bit patterns.
        let mut bits: Vec<u64> = Vec::with_capacity(2 * observations.len());
        for o in observations {
            check(o)?;
            bits.push(o.age.to_bits());
            if o.frequency > 0 {
                bits.push(o.recency.to_bits());
            }
        }
        bits.sort_unstable();
        bits.dedup();
        let index = |v: f64| bits.binary_search(&v.to_bits()).unwrap_or_else(|i| i) as u32;
        let mut zero_keys: Vec<u32> = Vec::new();
        let mut keys: Vec<(u32, u32, u32)> = Vec::new();
        for o in observations {
            if o.frequency == 0 {
                zero_keys.push(index(o.age));
            } else {
                keys.push((o.frequency, index(o.recency), index(o.age)));
            }
        }
        zero_keys.sort_unstable();
        keys.sort_unstable();
        let mut zero: Vec<(u32, f64)> = Vec::new();
        for t in zero_keys {
            match zero.last_mut() {
                Some(last) if last.0 == t => last.1 += 1.0,
                _ => zero.push((t, 1.0)),
            }
        }
        let mut xs: Vec<(f64, f64)> = Vec::new();
        let mut groups: Vec<(u32, u32, u32, f64)> = Vec::new();
        let mut last_key = None;
        for key in keys {
            let x = f64::from(key.0);
            if xs.last().is_none_or(|last| last.0 != x) {
                xs.push((x, 0.0));
            }
            let xi = xs.len() as u32 - 1;
            if let Some(last) = xs.last_mut() {
                last.1 += 1.0;
            }
            match groups.last_mut() {
                Some(g) if last_key == Some(key) => g.3 += 1.0,
                _ => groups.push((xi, key.1, key.2, 1.0)),
            }
            last_key = Some(key);
        }
        let times = bits.into_iter().map(f64::from_bits).collect();
        Ok(Self {
            times,
            xs,
            zero,
            groups,
            customers: observations.len() as f64,
        })
    }

    /// Log-likelihood and its gradient in (r, α, a, b).
    fn log_likelihood(&self, p: &BgNbdParams, grad: &mut [f64; 4]) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *p;
        let ln_alpha = alpha.ln();
        let log_t: Vec<f64> = self.times.iter().map(|t| (alpha + t).ln()).collect();
        let inv_t: Vec<f64> = self.times.iter().map(|t| 1.0 / (alpha + t)).collect();
        // Terms that depend on x only: [c, dc/da, dc/db] per distinct x; the rest summed now.
        let mut per_x = Vec::with_capacity(self.xs.len());
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        let (ln_gamma_r, psi_r, psi_b, psi_ab, ln_gamma_b, ln_gamma_ab) = (
            ln_gamma(r),
            digamma(r),
            digamma(b),
            digamma(a + b),
            ln_gamma(b),
            ln_gamma(a + b),
        );
        for &(x, w) in &self.xs {
            let lg = ln_gamma(r + x) - ln_gamma_r;
            let lb = ln_gamma(b + x) - ln_gamma(a + b + x) - ln_gamma_b + ln_gamma_ab;
            let psi_abx = digamma(a + b + x);
            ll += w * (lg + lb + r * ln_alpha);
            g[0] += w * (digamma(r + x) - psi_r + ln_alpha);
            g[1] += w * r / alpha;
            g[2] += w * (psi_ab - psi_abx);
            g[3] += w * (digamma(b + x) - psi_abx - psi_b + psi_ab);
            let d = b + x - 1.0;
            per_x.push([a / d, 1.0 / d, -a / (d * d), x]);
        }
        for &(t, w) in &self.zero {
            let t = t as usize;
            ll += w * r * (ln_alpha - log_t[t]);
            g[0] += w * (ln_alpha - log_t[t]);
            g[1] += w * r * (1.0 / alpha - inv_t[t]);
        }
        let chunk = |groups: &[(u32, u32, u32, f64)]| -> [f64; 5] {
            let mut s = [0.0; 5];
            for &(xi, tx, t, w) in groups {
                let [c, dc_a, dc_b, x] = per_x[xi as usize];
                let (l1, l2, i1, i2) = (
                    log_t[tx as usize],
                    log_t[t as usize],
                    inv_t[tx as usize],
                    inv_t[t as usize],
                );
                let rx = r + x;
                let big_r = (rx * (l1 - l2)).exp();
                let inv_s = 1.0 / (big_r + c);
                s[0] += w * (-rx * l1 - inv_s.ln());
                s[1] += w * (-l1 + big_r * (l1 - l2) * inv_s);
                s[2] += w * (-rx * i1 + big_r * rx * (i1 - i2) * inv_s);
                s[3] += w * dc_a * inv_s;
                s[4] += w * dc_b * inv_s;
            }
            s
        };
        let partial: Vec<[f64; 5]> = if self.groups.len() > 4 * CHUNK {
            self.groups.par_chunks(CHUNK).map(chunk).collect()
        } else {
            self.groups.chunks(CHUNK).map(chunk).collect()
        };
        for s in partial {
            ll += s[0];
            for k in 0..4 {
                g[k] += s[k + 1];
            }
        }
        *grad = g;
        ll
    }
}

impl Compressed {
    /// Mean negative log-likelihood on log-parameters and its gradient: well scaled for any
    /// number of customers, and every point of R⁴ is a valid parameter vector.
    fn objective(&self) -> impl Fn(&[f64], &mut [f64]) -> f64 + '_ {
        move |x: &[f64], grad: &mut [f64]| -> f64 {
            let p = params_from_log(x);
            let mut g = [0.0; 4];
            let ll = self.log_likelihood(&p, &mut g);
            let theta = [p.r, p.alpha, p.a, p.b];
            for k in 0..4 {
                grad[k] = -g[k] * theta[k] / self.customers;
            }
            -ll / self.customers
        }
    }
}

fn params_from_log(x: &[f64]) -> BgNbdParams {
    BgNbdParams {
        r: x[0].exp(),
        alpha: x[1].exp(),
        a: x[2].exp(),
        b: x[3].exp(),
    }
}

/// Fits the model by maximum likelihood: BFGS on log-parameters from r = α = a = b = 1 (on
/// large data from a subsample's optimum, see `warm_start`), with Nelder-Mead as a fallback
/// when BFGS fails; standard errors from a finite-difference Hessian of the analytic gradient.
pub fn fit(observations: &[Observation]) -> Result<BgNbdFit, AnalyticsError> {
    fit_with(observations, true)
}

/// [`fit`], optionally without the subsample warm start (to test that it changes nothing).
fn fit_with(
    observations: &[Observation],
    allow_warm_start: bool,
) -> Result<BgNbdFit, AnalyticsError> {
    if observations.is_empty() {
        return Err(AnalyticsError::Empty("no customers to fit"));
    }
    let data = Compressed::new(observations)?;
    if data.groups.is_empty() {
        return Err(AnalyticsError::NotConverged {
            model: "BG/NBD",
            reason: "no customer made a repeat purchase".into(),
        });
    }
    let objective = data.objective();
    // On large data, fit a systematic subsample first: its optimum and curvature are close to
    // the full data's, so the full fit needs only a few evaluations. The optimum reached is
    // the full data's either way (same gradient tolerance).
    let (start, inverse_hessian) = warm_start(
        observations,
        if allow_warm_start {
            data.groups.len()
        } else {
            0
        },
    )
    .unwrap_or_else(|| (vec![0.0; 4], None));
    let (minimum, used_fallback) =
        optimize::minimize(&objective, &start, inverse_hessian, "BG/NBD")?;
    let params = params_from_log(&minimum.x);
    let mut grad = [0.0; 4];
    let gradient_max = {
        let mut g = [0.0; 4];
        objective(&minimum.x, &mut g);
        g.iter().fold(0.0_f64, |m, v| m.max(v.abs()))
    };
    let log_likelihood = data.log_likelihood(&params, &mut grad);
    let natural = |x: &[f64], grad: &mut [f64]| -> f64 {
        let mut g = [0.0; 4];
        let ll = data.log_likelihood(
            &BgNbdParams {
                r: x[0],
                alpha: x[1],
                a: x[2],
                b: x[3],
            },
            &mut g,
        );
        for k in 0..4 {
            grad[k] = -g[k];
        }
        -ll
    };
    let theta = [params.r, params.alpha, params.a, params.b];
    let steps: Vec<f64> = theta.iter().map(|t| t * 1e-5).collect();
    let se = optimize::standard_errors(
        &optimize::hessian(&natural as &dyn Objective, &theta, &steps),
        4,
    );
    Ok(BgNbdFit {
        customers: observations.len(),
        params,
        standard_errors: BgNbdParams {
            r: se[0],
            alpha: se[1],
            a: se[2],
            b: se[3],
        },
        log_likelihood,
        diagnostics: FitDiagnostics {
            evaluations: minimum.evaluations,
            gradient_max,
            used_fallback,
        },
    })
}

/// Above this many repeat-customer groups the fit starts from a subsample's optimum.
const SUBSAMPLE_ABOVE: usize = 50_000;
/// Customers in that subsample.
const SUBSAMPLE_CUSTOMERS: usize = 40_000;

/// Optimum (log-parameters) and inverse Hessian of a systematic subsample, for large data.
fn warm_start(observations: &[Observation], groups: usize) -> Option<(Vec<f64>, Option<Vec<f64>>)> {
    if groups <= SUBSAMPLE_ABOVE {
        return None;
    }
    let stride = observations.len().div_ceil(SUBSAMPLE_CUSTOMERS);
    let sample: Vec<Observation> = observations.iter().step_by(stride).copied().collect();
    let data = Compressed::new(&sample).ok()?;
    let objective = data.objective();
    let (m, _) = optimize::minimize(&objective, &[0.0; 4], None, "BG/NBD").ok()?;
    let h = optimize::inverse_hessian_at(&objective, &m.x);
    Some((m.x, h))
}

/// Log-likelihood of `params` on `observations` (FHL 2005, eq. 6, summed over customers).
pub fn log_likelihood(
    params: &BgNbdParams,
    observations: &[Observation],
) -> Result<f64, AnalyticsError> {
    let mut grad = [0.0; 4];
    Ok(Compressed::new(observations)?.log_likelihood(params, &mut grad))
}

impl BgNbdParams {
    /// P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) (FHL 2005, eq. 11).
    pub fn p_alive(&self, o: &Observation) -> f64 {
        if o.frequency == 0 {
            return 1.0;
        }
        let x = f64::from(o.frequency);
        let odds = self.a / (self.b + x - 1.0)
            * ((self.r + x) * ((self.alpha + o.age).ln() - (self.alpha + o.recency).ln())).exp();
        1.0 / (1.0 + odds)
    }

    /// The expectations divide by a − 1; at a = 1 exactly they need a limit this crate does
    /// not implement (a fitted a lands there with probability zero).
    fn check_a(&self) -> Result<(), AnalyticsError> {
        if (self.a - 1.0).abs() < 1e-12 {
            return Err(AnalyticsError::invalid(
                "a",
                "expected purchases are not defined by this formula at a = 1",
            ));
        }
        Ok(())
    }

    /// E[X(t)]: expected purchases of a new customer in t time units after the first
    /// (FHL 2005, eq. 7). Needs a ≠ 1.
    pub fn expected_purchases(&self, t: f64) -> Result<f64, AnalyticsError> {
        self.check_a()?;
        let BgNbdParams { r, alpha, a, b } = *self;
        if t < 0.0 || !t.is_finite() {
            return Err(AnalyticsError::invalid(
                "t",
                "must be a non-negative number",
            ));
        }
        let f = hyp2f1(r, b, a + b - 1.0, t / (alpha + t))?;
        Ok((a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)).powf(r) * f))
    }

    /// E[Y(t) | x, t_x, T]: expected purchases of this customer in the next t time units
    /// (FHL 2005, eq. 10), i.e. the alive-customer expectation times P(alive).
    pub fn conditional_expected_purchases(
        &self,
        o: &Observation,
        t: f64,
    ) -> Result<f64, AnalyticsError> {
        check(o)?;
        self.check_a()?;
        let BgNbdParams { r, alpha, a, b } = *self;
        if t < 0.0 || !t.is_finite() {
            return Err(AnalyticsError::invalid(
                "t",
                "must be a non-negative number",
            ));
        }
        let x = f64::from(o.frequency);
        let z = t / (alpha + o.age + t);
        let f = hyp2f1(r + x, b + x, a + b + x - 1.0, z)?;
        let ratio = ((r + x) * ((alpha + o.age).ln() - (alpha + o.age + t).ln())).exp();
        Ok((a + b + x - 1.0) / (a - 1.0) * (1.0 - ratio * f) * self.p_alive(o))
    }
}

/// Expected purchases of the whole population in the next t time units: the sum of each
/// customer's conditional expectation (computed in parallel, summed in input order).
pub fn population_expected_purchases(
    params: &BgNbdParams,
    observations: &[Observation],
    t: f64,
) -> Result<f64, AnalyticsError> {
    let each: Result<Vec<f64>, AnalyticsError> = observations
        .par_iter()
        .map(|o| params.conditional_expected_purchases(o, t))
        .collect();
    Ok(each?.iter().sum())
}

#[cfg(test)]
#[path = "bgnbd_tests.rs"]
mod tests;
