//! A statement (ekstre) as the skins show and download it: each entry's description in the
//! reader's language, and the statement as a CSV file (the API's and the pages' download).

use crate::i18n::Lang;
use rehber_domain::ledger::{Statement, balance_side};

/// What an entry's kind is called, and its own text after it.
pub fn entry_description(lang: Lang, kind: &str, text: &str) -> String {
    let label = lang.t(&format!("ledger-entry-{kind}"));
    if text.trim().is_empty() {
        label
    } else {
        format!("{label} — {}", text.trim())
    }
}

/// The statement as a CSV file in the caller's language: a header row, the balance
/// brought forward, each entry, the totals.
pub fn statement_csv(lang: Lang, s: &Statement) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let amount = |minor: i64| {
        rehber_domain::money::Money {
            minor,
            currency: s.currency.clone(),
        }
        .to_decimal_string()
    };
    out.write_record([
        lang.t("ledger-column-date"),
        lang.t("ledger-column-document"),
        lang.t("ledger-column-description"),
        lang.t("ledger-column-due-date"),
        lang.t("ledger-column-debit"),
        lang.t("ledger-column-credit"),
        lang.t("ledger-column-balance"),
        String::new(),
    ])?;
    out.write_record([
        s.from.to_string(),
        String::new(),
        lang.t("ledger-opening"),
        String::new(),
        String::new(),
        String::new(),
        amount(s.opening.abs()),
        balance_side(s.opening).into(),
    ])?;
    for line in &s.lines {
        let e = &line.entry;
        out.write_record([
            e.date.to_string(),
            neutralised(&e.document),
            neutralised(&entry_description(lang, e.kind.as_str(), &e.description)),
            e.due_date.map(|d| d.to_string()).unwrap_or_default(),
            amount(e.debit),
            amount(e.credit),
            amount(line.balance.abs()),
            balance_side(line.balance).into(),
        ])?;
    }
    out.write_record([
        s.to.to_string(),
        String::new(),
        lang.t("ledger-closing"),
        String::new(),
        amount(s.total_debit),
        amount(s.total_credit),
        amount(s.closing.abs()),
        balance_side(s.closing).into(),
    ])?;
    out.into_inner().map_err(|e| e.into_error().into())
}

/// A free-text cell that a spreadsheet would read as a formula gets a leading apostrophe.
pub fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_neutralised() {
        assert_eq!(neutralised("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(neutralised("+90 532"), "'+90 532");
        assert_eq!(neutralised("FTR-2026-000001"), "FTR-2026-000001");
    }
}
