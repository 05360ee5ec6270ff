//! The `rehber analytics` commands through the library API, as the `rehber` binary calls
//! them: argv parsed by clap, then `run` with captured output.

// This whole file is test code: its helpers fail loudly like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use clap::Parser;
use rehber_analytics_cli::{AnalyticsCommand, run};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: AnalyticsCommand,
}

const CDNOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/cdnow/transactions.csv"
);
const CDNOW_SUMMARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/cdnow/summary_full_precision.csv"
);

struct Outcome {
    code: i32,
    out: String,
    err: String,
}

fn analytics(args: &[&str]) -> Outcome {
    let cli =
        Cli::try_parse_from(std::iter::once("analytics").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(cli.command, &mut out, &mut err);
    Outcome {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

/// A file under the system temporary directory, unique to this test process and name.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rehber-analytics-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

fn within(value: &serde_json::Value, want: f64, relative: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|v| ((v - want) / want).abs() <= relative)
}

#[test]
fn summary_command_reproduces_the_cdnow_reference_file_row_for_row() {
    let o = analytics(&[
        "summary",
        "--transactions",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let mut lines = o.out.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,first_purchase,frequency,recency,T,monetary_value")
    );
    let reference = std::fs::read_to_string(CDNOW_SUMMARY).unwrap();
    let mut count = 0;
    for (got, want) in lines.zip(reference.lines().skip(1)) {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.split(',').collect(), want.split(',').collect());
        assert_eq!(g[..3], w[..3]);
        for k in 3..6 {
            let (a, b): (f64, f64) = (g[k].parse().unwrap(), w[k].parse().unwrap());
            assert!((a - b).abs() <= 1e-6, "{got} vs {want}");
        }
        count += 1;
    }
    assert_eq!(count, 2357);
}

#[test]
fn bgnbd_command_prints_the_published_cdnow_estimates_as_json() {
    let o = analytics(&[
        "bgnbd",
        "--transactions",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let v = json(&o.out);
    assert_eq!(v["customers"], 2357);
    assert!(
        within(&v["r"], 0.242595, 0.005) && within(&v["alpha"], 4.413603, 0.005),
        "{v}"
    );
    assert!(
        within(&v["a"], 0.792922, 0.005) && within(&v["b"], 2.425906, 0.005),
        "{v}"
    );
    assert!(
        (v["log_likelihood"].as_f64().unwrap() + 9582.43).abs() < 0.05,
        "{v}"
    );
    assert!(v["standard_errors"]["r"].as_f64().unwrap() > 0.0);
}

#[test]
fn gamma_gamma_command_prints_the_published_cdnow_estimates_as_json() {
    let o = analytics(&[
        "gamma-gamma",
        "--transactions",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let v = json(&o.out);
    assert_eq!(v["customers"], 946);
    assert!(
        within(&v["p"], 6.24957, 0.005)
            && within(&v["q"], 3.74422, 0.005)
            && within(&v["gamma"], 15.44352, 0.005),
        "{v}"
    );
    assert!(v["log_likelihood"].as_f64().unwrap() < 0.0);
}

#[test]
fn clv_command_values_every_cdnow_customer() {
    let o = analytics(&[
        "clv",
        "--transactions",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
        "--horizon-weeks",
        "52",
        "--annual-discount-rate",
        "0.1",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let mut lines = o.out.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,p_alive,expected_purchases,expected_average_value,clv")
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|f| f.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 2357);
    assert!(
        rows.iter()
            .all(|r| (0.0..=1.0).contains(&r[1]) && r[2] >= 0.0 && r[3] > 0.0 && r[4] >= 0.0)
    );
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86) is alive with probability ≈ 0.73.
    assert!((rows[0][1] - 0.7266).abs() < 1e-3, "{:?}", rows[0]);
}

#[test]
fn rfm_command_scores_segments_and_uses_the_contract_columns() {
    let file = temp_file(
        "rfm.csv",
        "customer_id,date,amount\nann,2024-03-01,50\nann,2024-03-20,70\nbob,2023-06-01,10\ncem,2024-01-15,500\ncem,2024-02-15,300\ncem,2024-03-25,900\n",
    );
    let o = analytics(&[
        "rfm",
        "--transactions",
        file.to_str().unwrap(),
        "--as-of",
        "2024-03-31",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let lines: Vec<&str> = o.out.lines().collect();
    assert_eq!(
        lines[0],
        "customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment"
    );
    assert_eq!(lines[1], "ann,11,2,120,2,2,2,hibernating");
    assert_eq!(lines[2], "bob,304,1,10,1,1,1,lost");
    assert_eq!(lines[3], "cem,6,3,1700,4,4,4,loyal");
}

#[test]
fn rules_command_writes_sorted_rules_with_ids_in_ascending_order() {
    let file = temp_file(
        "baskets.csv",
        "order_id,product_id\n1,10\n1,2\n2,10\n2,2\n2,3\n3,2\n3,3\n4,10\n4,2\n",
    );
    let o = analytics(&[
        "rules",
        "--baskets",
        file.to_str().unwrap(),
        "--min-support",
        "0.5",
        "--min-confidence",
        "0.6",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let lines: Vec<&str> = o.out.lines().collect();
    assert_eq!(
        lines[0],
        "antecedents,consequents,support,confidence,lift,leverage,conviction"
    );
    // {2} in 4 orders, {10} in 3, {3} in 2; {2,10} in 3, {2,3} in 2.
    // Numeric ids sort numerically (2 < 3 < 10); with min confidence 0.6 the rule 2 → 3
    // (confidence 0.5) is left out.
    assert_eq!(
        lines[1..],
        [
            "2,10,0.75,0.75,1,0,1",
            "3,2,0.5,1,1,0,inf",
            "10,2,0.75,1,1,0,inf"
        ]
    );
}

#[test]
fn chi_square_command_reports_statistic_dof_and_p_value() {
    let file = temp_file(
        "table.csv",
        "channel,bought,did_not_buy\nemail,10,20\nsms,30,40\n",
    );
    let o = analytics(&["chi-square", "--table", file.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.err);
    let v = json(&o.out);
    assert_eq!(v["dof"], 1);
    assert!((v["statistic"].as_f64().unwrap() - 0.7936507936507936).abs() < 1e-12);
    assert!((v["p_value"].as_f64().unwrap() - 0.37299848361348686).abs() < 1e-12);
    let small = temp_file("small.csv", "g,x,y\na,1,2\nb,2,1\n");
    let o = analytics(&["chi-square", "--table", small.to_str().unwrap()]);
    assert_eq!(o.code, 0);
    assert!(
        o.err.contains("warning") && o.err.contains("below 5"),
        "{}",
        o.err
    );
}

#[test]
fn bad_input_names_the_file_line_and_column_and_exits_with_2() {
    let cases = [
        (
            "missing.csv",
            "customer_id,amount\n1,2\n",
            "missing column 'date'",
        ),
        (
            "bad_date.csv",
            "customer_id,date,amount\n1,2024-01-01,5\n1,2024-13-01,5\n",
            ":3: column 'date': bad date '2024-13-01'",
        ),
        (
            "negative.csv",
            "customer_id,date,amount\n1,2024-01-01,-5\n",
            ":2: column 'amount': negative amount",
        ),
        (
            "text_amount.csv",
            "customer_id,date,amount\n1,2024-01-01,five\n",
            ":2: column 'amount': bad amount 'five'",
        ),
        ("empty.csv", "", "empty"),
        (
            "header_only.csv",
            "customer_id,date,amount\n",
            "no data rows",
        ),
    ];
    for (name, contents, message) in cases {
        let file = temp_file(name, contents);
        let o = analytics(&[
            "summary",
            "--transactions",
            file.to_str().unwrap(),
            "--calibration-end",
            "2024-12-31",
        ]);
        assert_eq!(o.code, 2, "{name}: {}", o.out);
        assert!(
            o.err.contains(name) && o.err.contains(message),
            "{name}: {}",
            o.err
        );
        assert!(o.out.is_empty(), "{name}: {}", o.out);
    }
    let o = analytics(&[
        "bgnbd",
        "--transactions",
        "/nonexistent/rehber.csv",
        "--calibration-end",
        "2024-12-31",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.err.contains("/nonexistent/rehber.csv") && o.err.contains("cannot open"),
        "{}",
        o.err
    );
}

#[test]
fn a_model_that_cannot_be_fitted_is_bad_input_not_a_panic() {
    let file = temp_file(
        "one_time_buyers.csv",
        "customer_id,date,amount\n1,2024-01-01,5\n2,2024-01-02,5\n",
    );
    let o = analytics(&[
        "bgnbd",
        "--transactions",
        file.to_str().unwrap(),
        "--calibration-end",
        "2024-12-31",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.err.contains("one_time_buyers.csv") && o.err.contains("BG/NBD"),
        "{}",
        o.err
    );
    let baskets = temp_file("bad_support.csv", "order_id,product_id\n1,a\n");
    let o = analytics(&[
        "rules",
        "--baskets",
        baskets.to_str().unwrap(),
        "--min-support",
        "0",
        "--min-confidence",
        "0.5",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.err.contains("min_support"), "{}", o.err);
    let table = temp_file("ragged.csv", "g,x,y\na,1\n");
    let o = analytics(&["chi-square", "--table", table.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.err.contains("ragged.csv:2"), "{}", o.err);
}

#[test]
fn dates_other_than_year_month_day_are_refused_by_the_argument_parser() {
    assert!(
        Cli::try_parse_from([
            "analytics",
            "rfm",
            "--transactions",
            "x.csv",
            "--as-of",
            "2024-1-5"
        ])
        .is_err()
    );
    assert!(
        Cli::try_parse_from([
            "analytics",
            "rfm",
            "--transactions",
            "x.csv",
            "--as-of",
            "2024-01-05"
        ])
        .is_ok()
    );
}

#[test]
fn cohort_command_prints_retention_by_first_purchase_month() {
    let file = temp_file(
        "cohort.csv",
        "customer_id,date,amount\na,2024-01-05,1\na,2024-03-01,1\nb,2024-01-31,1\nb,2024-02-01,1\nc,2024-02-10,1\n",
    );
    let o = analytics(&["cohort", "--transactions", file.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.err);
    let lines: Vec<&str> = o.out.lines().collect();
    assert_eq!(
        lines,
        [
            "cohort,size,month_0,month_1,month_2",
            "2024-01,2,100,50,50",
            "2024-02,1,100,0,"
        ]
    );
}

#[test]
fn recommend_command_suggests_items_the_basket_lacks_by_lift() {
    let file = temp_file(
        "recommend.csv",
        "order_id,product_id\n1,milk\n1,bread\n2,milk\n2,bread\n3,milk\n3,eggs\n4,tea\n",
    );
    let args = [
        "recommend",
        "--baskets",
        file.to_str().unwrap(),
        "--min-support",
        "0.25",
        "--min-confidence",
        "0.5",
        "--items",
        "bread",
    ];
    let o = analytics(&args);
    assert_eq!(o.code, 0, "{}", o.err);
    let lines: Vec<&str> = o.out.lines().collect();
    // bread → milk: confidence 2/2 = 1, lift 1 / (3/4).
    assert_eq!(lines[0], "item,lift,confidence,because_of");
    assert_eq!(lines[1..], ["milk,1.3333333333333333,1,bread"]);
}

#[test]
fn a_byte_order_mark_before_the_header_is_ignored() {
    let file = temp_file(
        "bom.csv",
        "\u{feff}customer_id,date,amount\n7,2024-01-01,5\n7,2024-02-01,6\n",
    );
    let o = analytics(&[
        "summary",
        "--transactions",
        file.to_str().unwrap(),
        "--calibration-end",
        "2024-02-29",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    assert_eq!(
        o.out.lines().nth(1),
        Some("7,2024-01-01,1,4.428571428571429,8.428571428571429,6")
    );
}

#[test]
fn summary_with_a_holdout_end_adds_the_reference_holdout_columns() {
    let o = analytics(&[
        "summary",
        "--transactions",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
    ]);
    assert_eq!(o.code, 0, "{}", o.err);
    let mut lines = o.out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "customer_id,first_purchase,frequency,recency,T,monetary_value,frequency_holdout,monetary_holdout_total"
        )
    );
    let reference = std::fs::read_to_string(CDNOW_SUMMARY).unwrap();
    for (got, want) in lines.zip(reference.lines().skip(1)) {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.split(',').collect(), want.split(',').collect());
        assert_eq!(g[6], w[6], "{got} vs {want}");
        assert!(
            (g[7].parse::<f64>().unwrap() - w[7].parse::<f64>().unwrap()).abs() <= 1e-6,
            "{got} vs {want}"
        );
    }
}
