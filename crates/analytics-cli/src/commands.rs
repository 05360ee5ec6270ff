//! One function per subcommand: read the input, call the analytics crate, write the output.
//! Owns the output formats (column names and order, JSON fields) of the contract.

use std::io::Write;
use std::path::Path;

use rehber_analytics::bgnbd::{self, Observation};
use rehber_analytics::clv::{CashFlowStep, ClvOptions};
use rehber_analytics::gamma_gamma::{self, SpendObservation};
use rehber_analytics::summary::{CustomerSummary, Periods, summarize};
use rehber_analytics::{
    AnalyticsError, abc as abc_model, chi_square as chi, churn as churn_model, rfm as rfm_model,
    rules as rules_model,
};
use serde_json::json;

use crate::SummaryArgs;
use crate::input::{self, InputError, TransactionFile};
use crate::{
    AbcArgs, CalibrationArgs, ChiSquareArgs, ClvArgs, CohortArgs, Failure, RecommendArgs, RfmArgs,
    RulesArgs, Step,
};

/// Attributes an analytics error to the input file it came from.
fn model_error(file: &Path, context: &str) -> impl Fn(AnalyticsError) -> Failure {
    move |e| Failure::Input(InputError::new(file, format!("{context}: {e}")))
}

fn calibration(
    args: &CalibrationArgs,
    amounts_matter: bool,
) -> Result<(TransactionFile, Vec<CustomerSummary>), Failure> {
    let data = input::read_transactions(&args.transactions, amounts_matter)?;
    let periods = Periods {
        calibration_end: args.calibration_end,
        holdout_end: None,
    };
    let summaries = summarize(&data.transactions, periods)
        .map_err(model_error(&args.transactions, "cannot summarise"))?;
    Ok((data, summaries))
}

fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().from_writer(out)
}

/// `summary`: one CSV row per customer of the calibration cohort, with holdout columns when
/// a holdout end is given.
pub(crate) fn summary(args: &SummaryArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let file = &args.calibration.transactions;
    let data = input::read_transactions(file, true)?;
    let periods = Periods {
        calibration_end: args.calibration.calibration_end,
        holdout_end: args.holdout_end,
    };
    let summaries =
        summarize(&data.transactions, periods).map_err(model_error(file, "cannot summarise"))?;
    let mut w = csv_writer(out);
    let mut header = vec![
        "customer_id",
        "first_purchase",
        "frequency",
        "recency",
        "T",
        "monetary_value",
    ];
    if args.holdout_end.is_some() {
        header.extend(["frequency_holdout", "monetary_holdout_total"]);
    }
    w.write_record(&header)?;
    for s in &summaries {
        let mut record = vec![
            data.customer_ids.get(s.customer).to_owned(),
            s.first_purchase.to_string(),
            s.frequency.to_string(),
            s.recency.to_string(),
            s.age.to_string(),
            s.monetary_value.to_string(),
        ];
        if args.holdout_end.is_some() {
            record.extend([
                s.frequency_holdout.to_string(),
                s.monetary_holdout_total.to_string(),
            ]);
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

fn fit_bgnbd(file: &Path, summaries: &[CustomerSummary]) -> Result<bgnbd::BgNbdFit, Failure> {
    let observations: Vec<Observation> = summaries.iter().map(Observation::from).collect();
    bgnbd::fit(&observations).map_err(model_error(file, "cannot fit the BG/NBD model"))
}

/// Refuses customers with repeat purchases worth nothing, naming the first, then fits.
fn fit_gamma_gamma(
    file: &Path,
    data: &TransactionFile,
    summaries: &[CustomerSummary],
) -> Result<gamma_gamma::GammaGammaFit, Failure> {
    if let Some(s) = summaries
        .iter()
        .find(|s| s.frequency > 0 && s.monetary_value <= 0.0)
    {
        return Err(Failure::Input(InputError::new(
            file,
            format!(
                "customer '{}' has repeat purchases worth 0 in calibration; the Gamma-Gamma model needs positive spend",
                data.customer_ids.get(s.customer)
            ),
        )));
    }
    let spend: Vec<SpendObservation> = summaries.iter().map(SpendObservation::from).collect();
    gamma_gamma::fit(&spend).map_err(model_error(file, "cannot fit the Gamma-Gamma model"))
}

fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> Result<(), Failure> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// `bgnbd`: the fit as one JSON object.
pub(crate) fn bgnbd(args: &CalibrationArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let (_, summaries) = calibration(args, false)?;
    let fit = fit_bgnbd(&args.transactions, &summaries)?;
    let p = fit.params;
    write_json(
        out,
        &json!({
            "customers": fit.customers,
            "r": p.r,
            "alpha": p.alpha,
            "a": p.a,
            "b": p.b,
            "log_likelihood": fit.log_likelihood,
            "standard_errors": fit.standard_errors,
            "evaluations": fit.diagnostics.evaluations,
        }),
    )
}

/// `gamma-gamma`: the fit as one JSON object.
pub(crate) fn gamma_gamma(args: &CalibrationArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let (data, summaries) = calibration(args, true)?;
    let fit = fit_gamma_gamma(&args.transactions, &data, &summaries)?;
    let p = fit.params;
    write_json(
        out,
        &json!({
            "customers": fit.customers,
            "p": p.p,
            "q": p.q,
            "gamma": p.gamma,
            "log_likelihood": fit.log_likelihood,
            "standard_errors": fit.standard_errors,
            "evaluations": fit.diagnostics.evaluations,
        }),
    )
}

/// `clv`: fits both models on the calibration period and values every customer.
pub(crate) fn clv(args: &ClvArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let file = &args.calibration.transactions;
    let (data, summaries) = calibration(&args.calibration, true)?;
    let purchases = fit_bgnbd(file, &summaries)?;
    let spend = fit_gamma_gamma(file, &data, &summaries)?;
    let options = ClvOptions {
        horizon_weeks: args.horizon_weeks,
        annual_discount_rate: args.annual_discount_rate,
        step: match args.step {
            Step::Weekly => CashFlowStep::Weekly,
            Step::Monthly => CashFlowStep::Monthly,
        },
        margin: args.margin,
    };
    let values = rehber_analytics::clv::customer_lifetime_values(
        &purchases.params,
        &spend.params,
        &summaries,
        &options,
    )
    .map_err(model_error(file, "cannot compute CLV"))?;
    let mut w = csv_writer(out);
    w.write_record([
        "customer_id",
        "p_alive",
        "expected_purchases",
        "expected_average_value",
        "clv",
    ])?;
    for v in &values {
        w.write_record([
            data.customer_ids.get(v.customer),
            &v.p_alive.to_string(),
            &v.expected_purchases.to_string(),
            &v.expected_average_value.to_string(),
            &v.clv.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `churn`: risk and band per customer.
pub(crate) fn churn(args: &CalibrationArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let (data, summaries) = calibration(args, false)?;
    let fit = fit_bgnbd(&args.transactions, &summaries)?;
    let risks =
        churn_model::churn_risks(&fit.params, &summaries, &churn_model::RiskBands::default())
            .map_err(model_error(&args.transactions, "cannot compute churn risk"))?;
    let mut w = csv_writer(out);
    w.write_record(["customer_id", "p_alive", "risk", "band"])?;
    for r in &risks {
        let band = match r.band {
            churn_model::RiskBand::Low => "low",
            churn_model::RiskBand::Medium => "medium",
            churn_model::RiskBand::High => "high",
        };
        w.write_record([
            data.customer_ids.get(r.customer),
            &r.p_alive.to_string(),
            &r.risk.to_string(),
            band,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `rfm`: scores and segment per customer.
pub(crate) fn rfm(args: &RfmArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let data = input::read_transactions(&args.transactions, true)?;
    let rows = rfm_model::rfm(&data.transactions, args.as_of)
        .map_err(model_error(&args.transactions, "cannot score RFM"))?;
    let mut w = csv_writer(out);
    w.write_record([
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "segment",
    ])?;
    for r in &rows {
        w.write_record([
            data.customer_ids.get(r.customer),
            &r.recency_days.to_string(),
            &r.frequency.to_string(),
            &r.monetary.to_string(),
            &r.r_score.to_string(),
            &r.f_score.to_string(),
            &r.m_score.to_string(),
            r.segment.name(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `abc`: class per customer, highest revenue first.
pub(crate) fn abc(args: &AbcArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let data = input::read_transactions(&args.transactions, true)?;
    let fail = model_error(&args.transactions, "cannot classify");
    let revenue =
        abc_model::revenue_by_customer(&data.transactions, args.from, args.to).map_err(&fail)?;
    let rows = abc_model::abc_classes(
        &revenue,
        abc_model::AbcThresholds {
            a: args.a,
            b: args.b,
        },
    )
    .map_err(&fail)?;
    let mut w = csv_writer(out);
    w.write_record(["customer_id", "revenue", "cumulative_share", "class"])?;
    for r in &rows {
        let class = match r.class {
            abc_model::AbcClass::A => "A",
            abc_model::AbcClass::B => "B",
            abc_model::AbcClass::C => "C",
        };
        w.write_record([
            data.customer_ids.get(r.customer),
            &r.revenue.to_string(),
            &r.cumulative_share.to_string(),
            class,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `rules`: every rule, sorted by antecedents then consequents.
pub(crate) fn rules(args: &RulesArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let data = input::read_baskets(&args.baskets)?;
    let fail = model_error(&args.baskets, "cannot mine rules");
    let itemsets =
        rules_model::frequent_itemsets(&data.baskets, args.min_support).map_err(&fail)?;
    let rules = rules_model::association_rules(&itemsets, data.baskets.len(), args.min_confidence)
        .map_err(&fail)?;
    let names = |items: &[u32]| {
        items
            .iter()
            .map(|&i| data.product_ids[i as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut w = csv_writer(out);
    w.write_record([
        "antecedents",
        "consequents",
        "support",
        "confidence",
        "lift",
        "leverage",
        "conviction",
    ])?;
    for r in &rules {
        w.write_record([
            names(&r.antecedents),
            names(&r.consequents),
            r.support.to_string(),
            r.confidence.to_string(),
            r.lift.to_string(),
            r.leverage.to_string(),
            r.conviction.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `chi-square`: the test as one JSON object; warnings also go to `err`.
pub(crate) fn chi_square(
    args: &ChiSquareArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let table = input::read_table(&args.table)?;
    let result =
        chi::chi_square_test(&table.counts).map_err(model_error(&args.table, "cannot test"))?;
    for warning in &result.warnings {
        writeln!(err, "warning: {}: {warning}", args.table.display())?;
    }
    write_json(
        out,
        &json!({
            "statistic": result.statistic,
            "dof": result.dof,
            "p_value": result.p_value,
            "rows": table.row_labels,
            "columns": table.column_labels,
            "expected": result.expected,
            "warnings": result.warnings,
        }),
    )
}

/// `cohort`: one row per first-purchase month, retention in percent per month since.
pub(crate) fn cohort(args: &CohortArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let data = input::read_transactions(&args.transactions, true)?;
    let rows = rehber_analytics::cohort::cohort_retention(&data.transactions)
        .map_err(model_error(&args.transactions, "cannot build cohorts"))?;
    let months = rows.iter().map(|r| r.retention.len()).max().unwrap_or(0);
    let mut w = csv_writer(out);
    let mut header = vec!["cohort".to_owned(), "size".to_owned()];
    header.extend((0..months).map(|k| format!("month_{k}")));
    w.write_record(&header)?;
    for r in &rows {
        let mut record = vec![r.cohort.clone(), r.size.to_string()];
        record.extend(r.retention.iter().map(f64::to_string));
        // Later cohorts have fewer months observed: their trailing cells stay empty.
        record.resize(header.len(), String::new());
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

/// `recommend`: items to suggest for a basket, best first.
pub(crate) fn recommend(args: &RecommendArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let file = &args.rules.baskets;
    let data = input::read_baskets(file)?;
    let fail = model_error(file, "cannot mine rules");
    let itemsets =
        rules_model::frequent_itemsets(&data.baskets, args.rules.min_support).map_err(&fail)?;
    let rules =
        rules_model::association_rules(&itemsets, data.baskets.len(), args.rules.min_confidence)
            .map_err(&fail)?;
    // Items never seen in the baskets cannot trigger a rule; they are simply ignored.
    let basket: Vec<u32> = args
        .items
        .split_whitespace()
        .filter_map(|id| {
            data.product_ids
                .iter()
                .position(|p| p == id)
                .map(|i| i as u32)
        })
        .collect();
    let names = |items: &[u32]| {
        items
            .iter()
            .map(|&i| data.product_ids[i as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut w = csv_writer(out);
    w.write_record(["item", "lift", "confidence", "because_of"])?;
    for r in rules_model::recommend(&rules, &basket, args.limit) {
        w.write_record([
            names(&[r.item]),
            r.lift.to_string(),
            r.confidence.to_string(),
            names(&r.because_of),
        ])?;
    }
    w.flush()?;
    Ok(())
}
