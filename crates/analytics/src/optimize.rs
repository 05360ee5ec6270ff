//! Small unconstrained minimisers for maximum-likelihood fits of a handful of parameters:
//! BFGS with an analytic gradient, Nelder-Mead as a derivative-free fallback, and the
//! finite-difference Hessian and matrix inverse behind standard errors.
//!
//! Owns numerics only; models supply the objective (on log-parameters, so every point of
//! R^n is a valid parameter vector) and decide what convergence means for them.

use serde::Serialize;

use crate::AnalyticsError;

/// How a fit went: which optimiser finished it, how many objective evaluations it took and
/// the largest gradient component left at the optimum (of the mean negative log-likelihood
/// per customer on log-parameters).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FitDiagnostics {
    /// Objective evaluations (value and gradient count as one).
    pub evaluations: usize,
    /// Largest absolute gradient component at the optimum.
    pub gradient_max: f64,
    /// Whether the derivative-free fallback had to be used.
    pub used_fallback: bool,
}

/// A minimum found by [`bfgs`] or [`nelder_mead`].
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub evaluations: usize,
}

/// Value and gradient of an objective; non-finite values mark points outside its domain.
pub(crate) trait Objective {
    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64;
}

impl<F: Fn(&[f64], &mut [f64]) -> f64> Objective for F {
    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64 {
        self(x, gradient)
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, g| m.max(g.abs()))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// BFGS with a backtracking (Armijo) line search. Converged when the largest gradient
/// component is below `gradient_tolerance`, or below its square root once the value stops
/// changing; `None` when the start is not finite or neither happens.
pub(crate) fn bfgs(
    f: &dyn Objective,
    x0: &[f64],
    inverse_hessian: Option<Vec<f64>>,
    gradient_tolerance: f64,
    max_iterations: usize,
) -> Option<Minimum> {
    let warm = inverse_hessian.is_some();
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut value = f.value_and_gradient(&x, &mut g);
    let mut evaluations = 1;
    if !value.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Inverse Hessian approximation, row-major.
    let mut h = inverse_hessian
        .filter(|h| h.len() == n * n)
        .unwrap_or_else(|| identity(n));
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut stalled = 0;
    for iteration in 0..max_iterations {
        if max_abs(&g) < gradient_tolerance {
            return Some(Minimum { x, evaluations });
        }
        let mut d: Vec<f64> = (0..n).map(|i| -dot(&h[i * n..(i + 1) * n], &g)).collect();
        let mut slope = dot(&d, &g);
        if slope >= 0.0 {
            // The approximation lost positive definiteness: restart from steepest descent.
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
            slope = dot(&d, &g);
        }
        // Keep the first step modest in log-parameter space (a factor e^2 at most).
        let mut step = if iteration == 0 {
            (2.0 / max_abs(&d)).min(1.0)
        } else {
            1.0
        };
        let mut accepted = None;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * d[i];
            }
            let v = f.value_and_gradient(&x_new, &mut g_new);
            evaluations += 1;
            if v.is_finite()
                && g_new.iter().all(|v| v.is_finite())
                && v <= value + 1e-4 * step * slope
            {
                accepted = Some(v);
                break;
            }
            step *= 0.5;
        }
        let Some(v) = accepted else {
            // No decrease possible along a descent direction: we are at the optimum to
            // machine precision if the gradient is small, otherwise the fit failed.
            let ok = max_abs(&g) < gradient_tolerance.sqrt();
            return ok.then_some(Minimum { x, evaluations });
        };
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if iteration == 0 && !warm {
                // Scale the initial inverse Hessian to the observed curvature.
                let scale = sy / dot(&y, &y);
                h.iter_mut().for_each(|v| *v *= scale);
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        // Near the optimum, rounding in sums over many customers leaves a gradient floor a
        // little above a strict tolerance while the value no longer moves: accept three such
        // steps in a row as convergence when the gradient is already small.
        stalled = if value - v <= 1e-15 * (1.0 + v.abs()) {
            stalled + 1
        } else {
            0
        };
        value = v;
        if stalled >= 3 && max_abs(&g) < gradient_tolerance.sqrt() {
            return Some(Minimum { x, evaluations });
        }
    }
    (max_abs(&g) < gradient_tolerance.sqrt()).then_some(Minimum { x, evaluations })
}

fn identity(n: usize) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    h
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(sᵀy).
fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i * n..(i + 1) * n], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

/// Gradient tolerance of every fit: largest component of the gradient of the mean negative
/// log-likelihood per customer with respect to the log-parameters.
pub(crate) const GRADIENT_TOLERANCE: f64 = 1e-9;

/// Minimises a model's objective: BFGS from `start` (with `inverse_hessian` as its first
/// curvature estimate when given); if that fails, Nelder-Mead from `start` then BFGS. Returns
/// the minimum and whether the fallback was needed.
pub(crate) fn minimize(
    f: &dyn Objective,
    start: &[f64],
    inverse_hessian: Option<Vec<f64>>,
    model: &'static str,
) -> Result<(Minimum, bool), AnalyticsError> {
    if let Some(m) = bfgs(f, start, inverse_hessian, GRADIENT_TOLERANCE, 1000) {
        return Ok((m, false));
    }
    let failed = |reason: &str| AnalyticsError::NotConverged {
        model,
        reason: reason.into(),
    };
    let rough = nelder_mead(f, start, 4000).ok_or_else(|| failed("no finite likelihood found"))?;
    let polished = bfgs(f, &rough.x, None, GRADIENT_TOLERANCE, 1000)
        .ok_or_else(|| failed("the gradient did not vanish"))?;
    Ok((
        Minimum {
            evaluations: rough.evaluations + polished.evaluations,
            ..polished
        },
        true,
    ))
}

/// Inverse of the finite-difference Hessian of `f` at `x`, to warm-start BFGS from a nearby
/// optimum; `None` unless it looks positive definite.
pub(crate) fn inverse_hessian_at(f: &dyn Objective, x: &[f64]) -> Option<Vec<f64>> {
    let n = x.len();
    let h = hessian(f, x, &vec![1e-4; n]);
    let inv = invert(&h, n)?;
    (0..n)
        .all(|i| inv[i * n + i] > 0.0 && inv[i * n + i].is_finite())
        .then_some(inv)
}

/// Nelder-Mead simplex search on values only (gradients are ignored). Slower but indifferent
/// to a poor start; used when BFGS fails, and followed by BFGS to polish.
pub(crate) fn nelder_mead(
    f: &dyn Objective,
    x0: &[f64],
    max_evaluations: usize,
) -> Option<Minimum> {
    let n = x0.len();
    let mut scratch = vec![0.0; n];
    let mut eval = |x: &[f64], count: &mut usize| {
        *count += 1;
        let v = f.value_and_gradient(x, &mut scratch);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut evaluations = 0;
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((x0.to_vec(), eval(x0, &mut evaluations)));
    for i in 0..n {
        let mut x = x0.to_vec();
        x[i] += 0.5;
        let v = eval(&x, &mut evaluations);
        simplex.push((x, v));
    }
    while evaluations < max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[n].1);
        if best.is_finite() && (worst - best).abs() <= 1e-12 * (1.0 + best.abs()) {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|i| simplex[..n].iter().map(|p| p.0[i]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|i| centroid[i] + t * (simplex[n].0[i] - centroid[i]))
                .collect()
        };
        let reflected = along(-1.0);
        let fr = eval(&reflected, &mut evaluations);
        if fr < simplex[0].1 {
            let expanded = along(-2.0);
            let fe = eval(&expanded, &mut evaluations);
            simplex[n] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let contracted = if fr < simplex[n].1 {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = eval(&contracted, &mut evaluations);
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (contracted, fc);
            } else {
                let best_x = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    for (v, best) in p.0.iter_mut().zip(&best_x) {
                        *v = best + 0.5 * (*v - best);
                    }
                    p.1 = eval(&p.0, &mut evaluations);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    value.is_finite().then_some(Minimum { x, evaluations })
}

/// Hessian of `f` at `x` by central differences of its analytic gradient, symmetrised.
/// `steps[i]` is the difference step of coordinate i.
pub(crate) fn hessian(f: &dyn Objective, x: &[f64], steps: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    let mut plus = vec![0.0; n];
    let mut minus = vec![0.0; n];
    let mut point = x.to_vec();
    for j in 0..n {
        point[j] = x[j] + steps[j];
        f.value_and_gradient(&point, &mut plus);
        point[j] = x[j] - steps[j];
        f.value_and_gradient(&point, &mut minus);
        point[j] = x[j];
        for i in 0..n {
            h[i * n + j] = (plus[i] - minus[i]) / (2.0 * steps[j]);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (h[i * n + j] + h[j * n + i]);
            h[i * n + j] = m;
            h[j * n + i] = m;
        }
    }
    h
}

/// Inverse of a small square matrix by Gauss-Jordan elimination with partial pivoting;
/// `None` when it is singular to working precision.
pub(crate) fn invert(m: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut a = m.to_vec();
    let mut inv = identity(n);
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        let p = a[pivot * n + col];
        if !p.is_finite() || p.abs() < 1e-300 {
            return None;
        }
        for k in 0..n {
            a.swap(col * n + k, pivot * n + k);
            inv.swap(col * n + k, pivot * n + k);
        }
        for k in 0..n {
            a[col * n + k] /= p;
            inv[col * n + k] /= p;
        }
        for row in 0..n {
            if row != col {
                let factor = a[row * n + col];
                for k in 0..n {
                    a[row * n + k] -= factor * a[col * n + k];
                    inv[row * n + k] -= factor * inv[col * n + k];
                }
            }
        }
    }
    Some(inv)
}

/// Standard errors from the Hessian of the negative log-likelihood in natural parameters:
/// square roots of the diagonal of its inverse (NaN where that diagonal is not positive).
pub(crate) fn standard_errors(hessian: &[f64], n: usize) -> Vec<f64> {
    match invert(hessian, n) {
        Some(cov) => (0..n)
            .map(|i| {
                if cov[i * n + i] > 0.0 {
                    cov[i * n + i].sqrt()
                } else {
                    f64::NAN
                }
            })
            .collect(),
        None => vec![f64::NAN; n],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
        (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
    }

    #[test]
    fn bfgs_finds_the_rosenbrock_minimum() {
        let m = bfgs(&rosenbrock, &[-1.2, 1.0], None, 1e-10, 1000);
        let m = m.map(|m| m.x);
        assert!(
            matches!(m.as_deref(), Some([x, y]) if (x - 1.0).abs() < 1e-6 && (y - 1.0).abs() < 1e-6),
            "{m:?}"
        );
    }

    #[test]
    fn nelder_mead_gets_close_to_the_rosenbrock_minimum() {
        let m = nelder_mead(&rosenbrock, &[-1.2, 1.0], 5000).map(|m| m.x);
        assert!(
            matches!(m.as_deref(), Some([x, y]) if (x - 1.0).abs() < 1e-3 && (y - 1.0).abs() < 1e-3),
            "{m:?}"
        );
    }

    #[test]
    fn inverse_of_a_known_matrix_is_exact_and_singular_matrices_are_refused() {
        let inv = invert(&[4.0, 7.0, 2.0, 6.0], 2);
        let expected = [0.6, -0.7, -0.2, 0.4];
        assert!(
            matches!(inv, Some(v) if v.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-12))
        );
        assert_eq!(invert(&[1.0, 2.0, 2.0, 4.0], 2), None);
    }
}
