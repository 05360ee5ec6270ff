//! Calendar-day arithmetic: maps a civil date to a day number so that summaries can subtract
//! days with integer arithmetic (millions of rows) instead of building calendar spans.

use jiff::civil::Date;

/// Days since 1970-01-01 of a proleptic Gregorian calendar date (negative before 1970).
///
/// Integer arithmetic (the days-from-civil algorithm of H. Hinnant), exact for every date
/// `jiff` can represent; used because differences of calendar days are what the customer-base
/// literature counts.
pub fn day_number(date: Date) -> i32 {
    let (y, m, d) = (
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_number_agrees_with_jiff_spans_across_leap_years_and_centuries() {
        let epoch = date(1970, 1, 1);
        for d in [
            date(1970, 1, 1),
            date(1997, 9, 30),
            date(2000, 2, 29),
            date(1900, 3, 1),
            date(2400, 12, 31),
            date(1, 1, 1),
        ] {
            let days = epoch.until(d).map(|s| s.get_days());
            assert_eq!(Ok(day_number(d)), days.map_err(|_| ()), "{d}");
        }
    }
}
