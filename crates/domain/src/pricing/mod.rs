//! The money rule of quotes, orders and invoices: one pure function from lines to amounts,
//! in integer minor units (kuruş), so every number on a document adds up by hand.
//!
//! For each line: `gross = round(quantity × unit_price)`,
//! `discount = round(gross × discount_percent / 100)`, `net = gross − discount`,
//! `vat = round(net × vat_rate / 100)`; every `round` is to the minor unit, half away from
//! zero. A document's totals are the sums of its rounded lines, and its KDV summary per rate
//! the sum of the lines at that rate. Arithmetic is exact (i128 in between) and anything
//! that does not fit an i64 is an [`Overflow`], never a panic.

use serde::Serialize;

mod lines;

pub use lines::{CheckedLine, LineDraft, MAX_DESCRIPTION, MAX_LINES, check_exemption, check_lines};

/// A quantity with up to three decimals, in thousandths (`2.5` is 2500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Quantity(i64);

/// A line discount in hundredths of a percent (`12.5` % is 1250), 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Discount(u32);

/// A KDV rate Rehber accepts, in hundredths of a percent: 20, 10, 1 or 0 % (the rates in
/// force since 10 July 2023).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct VatRate(u32);

/// Why a typed quantity, discount or rate was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PricingInvalid {
    #[error("not a number")]
    NotANumber,
    #[error("more than three decimals")]
    TooManyDecimals,
    #[error("zero or less")]
    NotPositive,
    #[error("over 100 percent")]
    OverHundred,
    #[error("not a KDV rate (20, 10, 1 or 0)")]
    UnknownRate,
    #[error("too large")]
    TooLarge,
}

/// An amount that does not fit: a 422 `amount_too_large`, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the amount is too large")]
pub struct Overflow;

/// Reads a non-negative decimal (`2.5`, `2,5`, `10`) with at most `places` decimals, scaled
/// by `10^places`.
fn parse_scaled(text: &str, places: u32) -> Result<i64, PricingInvalid> {
    let text = text.trim();
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(PricingInvalid::NotANumber);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > places as usize {
        return Err(PricingInvalid::TooManyDecimals);
    }
    let scale = 10_i64.pow(places);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| PricingInvalid::TooLarge)?
    };
    let padded = format!("{fraction:0<width$}", width = places as usize);
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| PricingInvalid::NotANumber)?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .ok_or(PricingInvalid::TooLarge)
}

impl Quantity {
    /// A typed quantity: above zero, at most three decimals.
    pub fn parse(text: &str) -> Result<Quantity, PricingInvalid> {
        let thousandths = parse_scaled(text, 3)?;
        if thousandths <= 0 {
            return Err(PricingInvalid::NotPositive);
        }
        Ok(Quantity(thousandths))
    }

    pub fn from_thousandths(thousandths: i64) -> Result<Quantity, PricingInvalid> {
        if thousandths <= 0 {
            return Err(PricingInvalid::NotPositive);
        }
        Ok(Quantity(thousandths))
    }

    pub fn thousandths(self) -> i64 {
        self.0
    }

    /// As written back (`2.5`, `3`).
    pub fn to_decimal_string(self) -> String {
        decimal_string(self.0, 3)
    }
}

impl Discount {
    pub const NONE: Discount = Discount(0);

    /// A typed percentage: 0 to 100, at most two decimals.
    pub fn parse(text: &str) -> Result<Discount, PricingInvalid> {
        let bp = parse_scaled(text, 2)?;
        if bp > 10_000 {
            return Err(PricingInvalid::OverHundred);
        }
        u32::try_from(bp)
            .map(Discount)
            .map_err(|_| PricingInvalid::OverHundred)
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// A stored discount: 0 to 10,000 basis points.
    pub fn from_basis_points(bp: i64) -> Result<Discount, PricingInvalid> {
        if !(0..=10_000).contains(&bp) {
            return Err(PricingInvalid::OverHundred);
        }
        u32::try_from(bp)
            .map(Discount)
            .map_err(|_| PricingInvalid::OverHundred)
    }

    pub fn to_decimal_string(self) -> String {
        decimal_string(i64::from(self.0), 2)
    }
}

impl VatRate {
    /// The rates in force, highest first.
    pub const ALL: [VatRate; 4] = [VatRate(2000), VatRate(1000), VatRate(100), VatRate(0)];
    pub const ZERO: VatRate = VatRate(0);

    /// A rate given in whole percent (20, 10, 1, 0).
    pub fn from_percent(percent: i64) -> Result<VatRate, PricingInvalid> {
        VatRate::ALL
            .into_iter()
            .find(|r| percent.checked_mul(100) == Some(i64::from(r.0)))
            .ok_or(PricingInvalid::UnknownRate)
    }

    pub fn from_basis_points(bp: i64) -> Result<VatRate, PricingInvalid> {
        VatRate::ALL
            .into_iter()
            .find(|r| i64::from(r.0) == bp)
            .ok_or(PricingInvalid::UnknownRate)
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// In whole percent, as the API and forms write it.
    pub fn percent(self) -> u32 {
        self.0 / 100
    }
}

fn decimal_string(scaled: i64, places: u32) -> String {
    let scale = 10_i64.pow(places);
    let whole = scaled / scale;
    let fraction = (scaled % scale).abs();
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = places as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// `numerator / denominator` rounded half away from zero; `denominator` is positive.
fn div_round(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if 2 * remainder.abs() >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

fn fit(value: i128) -> Result<i64, Overflow> {
    i64::try_from(value).map_err(|_| Overflow)
}

/// One line as priced: what the rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub quantity: Quantity,
    /// Per unit, net of KDV, in minor units (a credit line may be negative).
    pub unit_price: i64,
    pub discount: Discount,
    pub vat_rate: VatRate,
}

/// A line's amounts in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineAmounts {
    /// Quantity × unit price, before the discount.
    pub subtotal: i64,
    pub discount: i64,
    /// The tax base.
    pub net: i64,
    pub vat: i64,
    /// `net + vat`.
    pub gross: i64,
}

/// Prices one line by the money rule.
pub fn price_line(line: &LineInput) -> Result<LineAmounts, Overflow> {
    // Each step is brought back into an i64 before the next multiplies it, so no i128
    // product can overflow: i64 × i64 fits an i128.
    let subtotal = fit(div_round(
        i128::from(line.quantity.0) * i128::from(line.unit_price),
        1000,
    ))?;
    let discount = fit(div_round(
        i128::from(subtotal) * i128::from(line.discount.0),
        10_000,
    ))?;
    let net = fit(i128::from(subtotal) - i128::from(discount))?;
    let vat = fit(div_round(
        i128::from(net) * i128::from(line.vat_rate.0),
        10_000,
    ))?;
    Ok(LineAmounts {
        subtotal,
        discount,
        net,
        vat,
        gross: fit(i128::from(net) + i128::from(vat))?,
    })
}

/// The lines at one KDV rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VatSummary {
    pub rate: VatRate,
    pub net: i64,
    pub vat: i64,
}

/// A document's totals: sums of its rounded lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    /// One entry per rate that occurs, highest rate first.
    pub vat_summary: Vec<VatSummary>,
}

/// A priced document: each line's amounts and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    pub lines: Vec<LineAmounts>,
    pub totals: Totals,
}

/// Prices every line and adds them up. `Err` names the first line that does not fit (its
/// index), or `None` when only a total does not.
pub fn price(lines: &[LineInput]) -> Result<Priced, (Option<usize>, Overflow)> {
    let mut priced = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        priced.push(price_line(line).map_err(|e| (Some(index), e))?);
    }
    let sum = |part: fn(&LineAmounts) -> i64| -> Result<i64, (Option<usize>, Overflow)> {
        fit(priced.iter().map(|l| i128::from(part(l))).sum()).map_err(|e| (None, e))
    };
    let mut vat_summary: Vec<VatSummary> = Vec::new();
    for rate in VatRate::ALL {
        let at_rate: Vec<&LineAmounts> = lines
            .iter()
            .zip(&priced)
            .filter(|(input, _)| input.vat_rate == rate)
            .map(|(_, amounts)| amounts)
            .collect();
        if at_rate.is_empty() {
            continue;
        }
        let net = fit(at_rate.iter().map(|l| i128::from(l.net)).sum()).map_err(|e| (None, e))?;
        let vat = fit(at_rate.iter().map(|l| i128::from(l.vat)).sum()).map_err(|e| (None, e))?;
        vat_summary.push(VatSummary { rate, net, vat });
    }
    let totals = Totals {
        subtotal: sum(|l| l.subtotal)?,
        discount: sum(|l| l.discount)?,
        net: sum(|l| l.net)?,
        vat: sum(|l| l.vat)?,
        gross: sum(|l| l.gross)?,
        vat_summary,
    };
    Ok(Priced {
        lines: priced,
        totals,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(quantity: &str, unit_price: i64, discount: &str, vat: i64) -> LineInput {
        LineInput {
            quantity: Quantity::parse(quantity).unwrap(),
            unit_price,
            discount: Discount::parse(discount).unwrap(),
            vat_rate: VatRate::from_percent(vat).unwrap(),
        }
    }

    #[test]
    fn a_line_is_priced_by_the_rule_with_each_step_rounded() {
        // 2.5 × 123.45 = 308.625 → 308.63; 10 % → 30.863 → 30.86; net 277.77;
        // KDV 20 % → 55.554 → 55.55.
        let amounts = price_line(&line("2.5", 12_345, "10", 20)).unwrap();
        assert_eq!(
            amounts,
            LineAmounts {
                subtotal: 30_863,
                discount: 3_086,
                net: 27_777,
                vat: 5_555,
                gross: 33_332,
            }
        );
    }

    #[test]
    fn half_a_kurus_rounds_away_from_zero_both_ways() {
        assert_eq!(price_line(&line("0.5", 1, "0", 0)).unwrap().net, 1);
        assert_eq!(price_line(&line("0.5", -1, "0", 0)).unwrap().net, -1);
        assert_eq!(price_line(&line("0.001", 499, "0", 0)).unwrap().net, 0);
        assert_eq!(price_line(&line("1", 250, "0", 1)).unwrap().vat, 3);
    }

    #[test]
    fn totals_and_the_summary_per_rate_add_up_the_rounded_lines() {
        let priced = price(&[
            line("1", 10_000, "0", 20),
            line("3", 333, "0", 10),
            line("2", 5_000, "50", 20),
            line("1", 7_000, "0", 0),
        ])
        .unwrap();
        let t = &priced.totals;
        assert_eq!(
            (t.net, t.vat),
            (10_000 + 999 + 5_000 + 7_000, 2_000 + 100 + 1_000)
        );
        assert_eq!(t.gross, t.net + t.vat);
        let rates: Vec<(u32, i64, i64)> = t
            .vat_summary
            .iter()
            .map(|s| (s.rate.percent(), s.net, s.vat))
            .collect();
        assert_eq!(
            rates,
            vec![(20, 15_000, 3_000), (10, 999, 100), (0, 7_000, 0)]
        );
    }

    #[test]
    fn typed_quantities_discounts_and_rates_are_checked() {
        assert_eq!(Quantity::parse("2,5").unwrap().thousandths(), 2500);
        assert_eq!(
            Quantity::parse("1.250").unwrap().to_decimal_string(),
            "1.25"
        );
        assert_eq!(
            Quantity::parse("0.0005"),
            Err(PricingInvalid::TooManyDecimals)
        );
        assert_eq!(Quantity::parse("0"), Err(PricingInvalid::NotPositive));
        assert_eq!(Quantity::parse("-1"), Err(PricingInvalid::NotANumber));
        assert_eq!(Quantity::parse("iki"), Err(PricingInvalid::NotANumber));
        assert_eq!(
            Quantity::parse("99999999999999999999"),
            Err(PricingInvalid::TooLarge)
        );
        assert_eq!(Discount::parse("12,5").unwrap().basis_points(), 1250);
        assert_eq!(Discount::parse("100.01"), Err(PricingInvalid::OverHundred));
        assert_eq!(VatRate::from_percent(18), Err(PricingInvalid::UnknownRate));
        assert_eq!(
            VatRate::from_percent(i64::MAX - 1),
            Err(PricingInvalid::UnknownRate)
        );
        assert_eq!(
            VatRate::from_percent(i64::MIN),
            Err(PricingInvalid::UnknownRate)
        );
        assert_eq!(VatRate::from_percent(1).unwrap().basis_points(), 100);
    }

    #[test]
    fn an_amount_that_does_not_fit_is_an_overflow_not_a_panic() {
        let huge = line("999999999", i64::MAX, "0", 20);
        assert_eq!(price(&[huge]), Err((Some(0), Overflow)));
        let big = line("1", i64::MAX / 2, "0", 0);
        assert_eq!(price(&[big, big, big]), Err((None, Overflow)));
    }

    fn any_line() -> impl Strategy<Value = LineInput> {
        (
            1_i64..10_000_000,
            -1_000_000_000_i64..1_000_000_000,
            0_u32..=10_000,
            0_usize..4,
        )
            .prop_map(|(q, price, discount, rate)| LineInput {
                quantity: Quantity::from_thousandths(q).unwrap(),
                unit_price: price,
                discount: Discount(discount),
                vat_rate: VatRate::ALL[rate],
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn totals_equal_the_sum_of_the_lines(lines in proptest::collection::vec(any_line(), 0..12)) {
            let priced = price(&lines).unwrap();
            let t = &priced.totals;
            prop_assert_eq!(t.net, priced.lines.iter().map(|l| l.net).sum::<i64>());
            prop_assert_eq!(t.vat, priced.lines.iter().map(|l| l.vat).sum::<i64>());
            prop_assert_eq!(t.gross, t.net + t.vat);
            prop_assert_eq!(t.net, t.vat_summary.iter().map(|s| s.net).sum::<i64>());
            prop_assert_eq!(t.vat, t.vat_summary.iter().map(|s| s.vat).sum::<i64>());
            for l in &priced.lines {
                prop_assert_eq!(l.net, l.subtotal - l.discount);
            }
        }

        #[test]
        fn a_full_discount_gives_exactly_zero(mut l in any_line()) {
            l.discount = Discount(10_000);
            let amounts = price_line(&l).unwrap();
            prop_assert_eq!((amounts.net, amounts.vat, amounts.gross), (0, 0, 0));
        }

        #[test]
        fn each_rounding_is_within_half_a_kurus(l in any_line()) {
            let amounts = price_line(&l).unwrap();
            let exact = i128::from(l.quantity.0) * i128::from(l.unit_price);
            prop_assert!((i128::from(amounts.subtotal) * 1000 - exact).abs() * 2 <= 1000);
            let exact_vat = i128::from(amounts.net) * i128::from(l.vat_rate.0);
            prop_assert!((i128::from(amounts.vat) * 10_000 - exact_vat).abs() * 2 <= 10_000);
        }

        #[test]
        fn any_typed_quantity_never_panics(text in "\\PC{0,24}") {
            let _ = Quantity::parse(&text);
            let _ = Discount::parse(&text);
        }
    }
}
