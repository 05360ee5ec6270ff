//! Command-line front end for the analytics crate: reads CSV files, runs an algorithm,
//! writes CSV or JSON to standard output. The `rehber` binary mounts [`AnalyticsCommand`]
//! under `rehber analytics` and exits with the code [`run`] returns.
//!
//! Owns argument definitions, file formats and error messages; every computation is in
//! `rehber-analytics`. Bad input is reported on `err` naming the file, line and column, with
//! exit code 2; nothing here panics.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use jiff::civil::Date;

mod commands;
pub mod input;
mod intern;

use input::InputError;

/// Exit code of a successful command.
pub const EXIT_OK: i32 = 0;
/// Exit code when the output cannot be written.
pub const EXIT_OUTPUT: i32 = 1;
/// Exit code for bad input: unreadable file, missing column, bad value, a model that does not fit.
pub const EXIT_BAD_INPUT: i32 = 2;

/// `rehber analytics …` subcommands.
#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// Per-customer calibration summary: CSV `customer_id,first_purchase,frequency,recency,T,monetary_value`.
    Summary(SummaryArgs),
    /// Fit the BG/NBD model: JSON with r, alpha, a, b, log_likelihood and standard errors.
    Bgnbd(CalibrationArgs),
    /// Fit the Gamma-Gamma spend model on repeat customers: JSON with p, q, gamma, log_likelihood.
    GammaGamma(CalibrationArgs),
    /// Customer lifetime value from BG/NBD × Gamma-Gamma: CSV `customer_id,p_alive,expected_purchases,expected_average_value,clv`.
    Clv(ClvArgs),
    /// Churn risk 1 − P(alive) from the BG/NBD: CSV `customer_id,p_alive,risk,band`.
    Churn(CalibrationArgs),
    /// RFM scores and segments: CSV `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment`.
    Rfm(RfmArgs),
    /// ABC classes by revenue share: CSV `customer_id,revenue,cumulative_share,class`.
    Abc(AbcArgs),
    /// Association rules by FP-Growth: CSV `antecedents,consequents,support,confidence,lift,leverage,conviction`.
    Rules(RulesArgs),
    /// Chi-square test of independence on a table of counts: JSON `statistic, dof, p_value`.
    ChiSquare(ChiSquareArgs),
    /// Cohort retention by first-purchase month: CSV `cohort,size,month_0,month_1,…` (percent).
    Cohort(CohortArgs),
    /// Cross-sell suggestions for a basket from the mined rules: CSV `item,lift,confidence,because_of`.
    Recommend(RecommendArgs),
}

fn date_arg(text: &str) -> Result<Date, String> {
    input::parse_date(text)
}

/// A transactions file and the calibration end.
#[derive(Debug, Args)]
pub struct CalibrationArgs {
    /// CSV with header `customer_id,date,amount` (date YYYY-MM-DD).
    #[arg(long, value_name = "FILE")]
    pub transactions: PathBuf,
    /// Last day of the calibration period (inclusive), YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub calibration_end: Date,
}

/// Arguments of `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The transactions file and calibration end.
    #[command(flatten)]
    pub calibration: CalibrationArgs,
    /// Also count purchase days and spend after the calibration end up to this day
    /// (inclusive): adds the columns `frequency_holdout,monetary_holdout_total`.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub holdout_end: Option<Date>,
}

/// Discounting step for `clv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Step {
    /// Weekly cash flows.
    Weekly,
    /// Monthly cash flows (a twelfth of a year).
    Monthly,
}

/// Arguments of `clv`.
#[derive(Debug, Args)]
pub struct ClvArgs {
    /// The transactions file and calibration end.
    #[command(flatten)]
    pub calibration: CalibrationArgs,
    /// Horizon in weeks after the calibration end.
    #[arg(long, value_name = "N")]
    pub horizon_weeks: f64,
    /// Yearly discount rate, e.g. 0.1 for 10 %.
    #[arg(long, value_name = "R")]
    pub annual_discount_rate: f64,
    /// Cash-flow step of the discounting.
    #[arg(long, value_enum, default_value_t = Step::Weekly)]
    pub step: Step,
    /// Profit margin applied to revenue (1 = revenue CLV).
    #[arg(long, default_value_t = 1.0)]
    pub margin: f64,
}

/// Arguments of `rfm`.
#[derive(Debug, Args)]
pub struct RfmArgs {
    /// CSV with header `customer_id,date,amount`.
    #[arg(long, value_name = "FILE")]
    pub transactions: PathBuf,
    /// The day recency is measured to (inclusive); later purchases are ignored.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Date,
}

/// Arguments of `abc`.
#[derive(Debug, Args)]
pub struct AbcArgs {
    /// CSV with header `customer_id,date,amount`.
    #[arg(long, value_name = "FILE")]
    pub transactions: PathBuf,
    /// First day counted (inclusive); default: the beginning.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub from: Option<Date>,
    /// Last day counted (inclusive); default: the end.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub to: Option<Date>,
    /// Cumulative revenue share closing class A.
    #[arg(long, default_value_t = 0.8)]
    pub a: f64,
    /// Cumulative revenue share closing class B.
    #[arg(long, default_value_t = 0.95)]
    pub b: f64,
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// CSV with header `order_id,product_id`, one row per product in an order.
    #[arg(long, value_name = "FILE")]
    pub baskets: PathBuf,
    /// Minimum share of orders containing an itemset, in (0, 1].
    #[arg(long, value_name = "S")]
    pub min_support: f64,
    /// Minimum confidence of a rule, in [0, 1].
    #[arg(long, value_name = "C")]
    pub min_confidence: f64,
}

/// Arguments of `chi-square`.
#[derive(Debug, Args)]
pub struct ChiSquareArgs {
    /// CSV of counts with a header; the first column holds row labels.
    #[arg(long, value_name = "FILE")]
    pub table: PathBuf,
}

/// Arguments of `cohort`.
#[derive(Debug, Args)]
pub struct CohortArgs {
    /// CSV with header `customer_id,date,amount`.
    #[arg(long, value_name = "FILE")]
    pub transactions: PathBuf,
}

/// Arguments of `recommend`.
#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The baskets file and thresholds the rules are mined with.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Product ids already in the basket, separated by spaces.
    #[arg(long, value_name = "IDS")]
    pub items: String,
    /// Most suggestions to print.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write the output: {0}")]
    Output(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Output(e.to_string())
    }
}

impl From<csv::Error> for Failure {
    fn from(e: csv::Error) -> Self {
        Self::Output(e.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Self::Output(e.to_string())
    }
}

/// Runs one analytics command, writing its result to `out` and problems to `err`. Returns the
/// process exit code: 0 ok, 2 bad input, 1 when the output cannot be written.
pub fn run(command: AnalyticsCommand, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let result = match command {
        AnalyticsCommand::Summary(args) => commands::summary(&args, out),
        AnalyticsCommand::Bgnbd(args) => commands::bgnbd(&args, out),
        AnalyticsCommand::GammaGamma(args) => commands::gamma_gamma(&args, out),
        AnalyticsCommand::Clv(args) => commands::clv(&args, out),
        AnalyticsCommand::Churn(args) => commands::churn(&args, out),
        AnalyticsCommand::Rfm(args) => commands::rfm(&args, out),
        AnalyticsCommand::Abc(args) => commands::abc(&args, out),
        AnalyticsCommand::Rules(args) => commands::rules(&args, out),
        AnalyticsCommand::ChiSquare(args) => commands::chi_square(&args, out, err),
        AnalyticsCommand::Cohort(args) => commands::cohort(&args, out),
        AnalyticsCommand::Recommend(args) => commands::recommend(&args, out),
    };
    match result.and_then(|()| out.flush().map_err(Failure::from)) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            // Nothing sensible remains to do if stderr is gone too.
            let _ = writeln!(err, "error: {failure}");
            match failure {
                Failure::Input(_) => EXIT_BAD_INPUT,
                Failure::Output(_) => EXIT_OUTPUT,
            }
        }
    }
}
