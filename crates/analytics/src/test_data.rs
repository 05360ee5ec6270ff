//! Test-only access to the CDNOW reference files, kept in the repository under `testdata/cdnow`.

use jiff::civil::Date;

use crate::{Transaction, summary::Periods};

/// Directory of the CDNOW reference files, relative to this crate.
pub(crate) const CDNOW_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/cdnow");

/// The calibration/holdout split of the literature.
pub(crate) fn cdnow_periods() -> Periods {
    Periods {
        calibration_end: jiff::civil::date(1997, 9, 30),
        holdout_end: Some(jiff::civil::date(1998, 6, 30)),
    }
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{CDNOW_DIR}/{name}"))
        .unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

/// `transactions.csv` with customer index = sample id.
pub(crate) fn cdnow_transactions() -> Vec<Transaction> {
    read("transactions.csv")
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Transaction {
                customer: f[0].parse().unwrap(),
                date: f[1].parse::<Date>().unwrap(),
                amount: f[2].parse().unwrap(),
            }
        })
        .collect()
}

/// `summary_full_precision.csv` as rows of strings.
pub(crate) fn cdnow_expected_summary() -> Vec<Vec<String>> {
    read("summary_full_precision.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}
