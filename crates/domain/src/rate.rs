//! Exchange rates as Rehber keeps them: TRY per one unit of a currency, times 10^6, and the
//! conversion of an amount into TRY by such a rate (exact integer arithmetic, rounded half
//! away from zero to the kuruş; `None` when it does not fit).

/// The scale of a stored rate: six decimal places.
pub const RATE_SCALE: i64 = 1_000_000;

/// Reads a rate as typed (`34,5678`, `34.5678`, `1 234,5`), per `unit` units (the central
/// bank quotes some currencies per 100), into TRY per one unit times 10^6. `None` unless
/// it is a positive number with at most six decimals.
pub fn parse_rate(text: &str, unit: i64) -> Option<i64> {
    let text: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() || unit <= 0 {
        return None;
    }
    // The last separator is the decimal one; any other is grouping.
    let (whole, fraction) = match text.rfind([',', '.']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text.as_str(), ""),
    };
    let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 6
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<6}").parse().ok()?;
    let scaled = whole.checked_mul(RATE_SCALE)?.checked_add(fraction)?;
    // Per one unit, rounded half up (the value is positive).
    let per_unit = (i128::from(scaled) * 2 + i128::from(unit)) / (2 * i128::from(unit));
    i64::try_from(per_unit).ok().filter(|r| *r > 0)
}

/// A stored rate as a decimal text (`34.567800` → `34.5678`).
pub fn rate_text(rate_e6: i64) -> String {
    let whole = rate_e6 / RATE_SCALE;
    let fraction = format!("{:06}", rate_e6 % RATE_SCALE);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// An amount in minor units of a currency, in TRY minor units at `rate_e6`.
pub fn to_try(minor: i64, rate_e6: i64) -> Option<i64> {
    let product = i128::from(minor) * i128::from(rate_e6);
    let scale = i128::from(RATE_SCALE);
    let half = scale / 2;
    let rounded = if product >= 0 {
        (product + half) / scale
    } else {
        (product - half) / scale
    };
    i64::try_from(rounded).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_in_either_notation() {
        assert_eq!(parse_rate("34,5678", 1), Some(34_567_800));
        assert_eq!(parse_rate("34.5678", 1), Some(34_567_800));
        assert_eq!(parse_rate("1.234,5", 1), Some(1_234_500_000));
        assert_eq!(parse_rate("36", 1), Some(36_000_000));
        assert_eq!(parse_rate("23,4567", 100), Some(234_567));
        for bad in ["", "0", "-3", "abc", "1,2345678", "3,4,x"] {
            assert_eq!(parse_rate(bad, 1), None, "{bad}");
        }
    }

    #[test]
    fn a_rate_reads_back_as_typed() {
        assert_eq!(rate_text(34_567_800), "34.5678");
        assert_eq!(rate_text(36_000_000), "36");
        assert_eq!(rate_text(234_567), "0.234567");
    }

    #[test]
    fn conversion_rounds_half_away_from_zero_and_never_overflows() {
        // 100.00 USD at 34.5678 = 3456.78 TRY.
        assert_eq!(to_try(10_000, 34_567_800), Some(345_678));
        // 0.01 at 0.5 is half a kuruş: rounded up.
        assert_eq!(to_try(1, 500_000), Some(1));
        assert_eq!(to_try(-1, 500_000), Some(-1));
        assert_eq!(to_try(i64::MAX, i64::MAX), None);
    }
}
