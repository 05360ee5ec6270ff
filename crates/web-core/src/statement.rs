//! A statement (ekstre) as the skins show and download it: each entry's description in the
//! reader's language, and the statement as a file — CSV, XLSX (`rehber_sheets`) or a PDF laid
//! out by the quotes' renderer (`rehber_pdf`). The API and the pages download the same files.

use crate::i18n::Lang;
use rehber_domain::Actor;
use rehber_domain::ledger::{Account, Statement, balance_side};
use rehber_domain::party::{Companies, People};
use rehber_pdf::{Columns, QuotePdf, TableLine};

/// A statement file's kind, by the name asked for (`statement.pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementFile {
    Csv,
    Xlsx,
    Pdf,
}

impl StatementFile {
    /// The kind `statement.csv`, `statement.xlsx` or `statement.pdf` names.
    pub fn parse(name: &str) -> Option<StatementFile> {
        match name {
            "statement.csv" => Some(StatementFile::Csv),
            "statement.xlsx" => Some(StatementFile::Xlsx),
            "statement.pdf" => Some(StatementFile::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            StatementFile::Csv => "text/csv; charset=utf-8",
            StatementFile::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            StatementFile::Pdf => "application/pdf",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            StatementFile::Csv => "csv",
            StatementFile::Xlsx => "xlsx",
            StatementFile::Pdf => "pdf",
        }
    }
}

/// Why a statement file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StatementFileError {
    /// More entries than one printed statement holds.
    #[error("too many entries to print")]
    TooLong,
    #[error("{0}")]
    Write(String),
}

/// The customer block of a printed statement: the name, and a company's tax office and
/// number. Read through the actor's scope (a customer out of view is an error).
pub async fn statement_customer(
    app: &rehber_app::App,
    lang: Lang,
    actor: &Actor,
    account: Account,
) -> Result<Vec<String>, rehber_app::AppError> {
    Ok(match account {
        Account::Company(id) => {
            let company = app.get::<Companies>(actor, id).await?;
            let f = &company.fields;
            let mut lines = vec![f.name.clone()];
            if !f.address.city.trim().is_empty() {
                lines.push(f.address.city.clone());
            }
            if let Some(vkn) = &f.tax_number {
                lines.push(if f.tax_office.trim().is_empty() {
                    lang.t_args("quote-pdf-tax-number", &[("number", vkn.to_string())])
                } else {
                    lang.t_args(
                        "quote-pdf-tax",
                        &[
                            ("office", f.tax_office.clone()),
                            ("number", vkn.to_string()),
                        ],
                    )
                });
            }
            lines
        }
        Account::Person(id) => vec![app.get::<People>(actor, id).await?.fields.full_name()],
    })
}

/// The statement as `kind`: its bytes and the file's name (`ekstre-2026-01-01-2026-03-31.pdf`).
pub fn statement_file(
    app: &rehber_app::App,
    lang: Lang,
    customer: Vec<String>,
    statement: &Statement,
    kind: StatementFile,
) -> Result<(Vec<u8>, String), StatementFileError> {
    let bytes =
        match kind {
            StatementFile::Csv => statement_csv(lang, statement)
                .map_err(|e| StatementFileError::Write(e.to_string()))?,
            StatementFile::Xlsx => statement_xlsx(lang, statement)
                .map_err(|e| StatementFileError::Write(e.to_string()))?,
            StatementFile::Pdf => {
                if statement.lines.len() > MAX_PRINTED_ENTRIES {
                    return Err(StatementFileError::TooLong);
                }
                statement_pdf(app, lang, customer, statement)
                    .map_err(|e| StatementFileError::Write(e.to_string()))?
            }
        };
    let name = format!(
        "ekstre-{}-{}.{}",
        statement.from,
        statement.to,
        kind.extension()
    );
    Ok((bytes, name))
}

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
            rehber_sheets::neutralised(&e.document),
            rehber_sheets::neutralised(&entry_description(lang, e.kind.as_str(), &e.description)),
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

/// The most entries a printed statement holds; a longer period is printed in parts.
pub const MAX_PRINTED_ENTRIES: usize = 10_000;

/// The statement as printed, in `lang`: the letterhead, the customer, the period, the
/// balance brought forward, each entry with its running balance, and the closing balance.
pub fn statement_pdf_model(
    app: &rehber_app::App,
    lang: Lang,
    customer: Vec<String>,
    s: &Statement,
) -> QuotePdf {
    let amount = |minor: i64| {
        if minor == 0 {
            String::new()
        } else {
            lang.amount(minor)
        }
    };
    let side = |minor: i64| balance_side(minor).to_string();
    let mut lines = vec![TableLine {
        description: format!("{} · {}", lang.date(s.from), lang.t("ledger-opening")),
        quantity: String::new(),
        unit_price: String::new(),
        discount: String::new(),
        vat_rate: side(s.opening),
        net: lang.amount(s.opening.abs()),
    }];
    lines.extend(s.lines.iter().map(|l| {
        let e = &l.entry;
        TableLine {
            description: format!(
                "{} · {} · {}",
                lang.date(e.date),
                e.document,
                entry_description(lang, e.kind.as_str(), &e.description)
            ),
            quantity: e.due_date.map(|d| lang.date(d)).unwrap_or_default(),
            unit_price: amount(e.debit),
            discount: amount(e.credit),
            vat_rate: side(l.balance),
            net: lang.amount(l.balance.abs()),
        }
    }));
    let money = |minor: i64| format!("{} {}", lang.amount(minor), s.currency);
    let closing = match balance_side(s.closing) {
        "" => money(0),
        mark => format!("{} ({mark})", money(s.closing.abs())),
    };
    QuotePdf {
        title: lang.t("statement-pdf-title"),
        letterhead: crate::documents::letterhead(lang, app),
        details: vec![
            (lang.t("ledger-from"), lang.date(s.from)),
            (lang.t("ledger-to"), lang.date(s.to)),
            (lang.t("field-currency"), s.currency.clone()),
        ],
        customer_heading: lang.t("quote-pdf-customer"),
        customer,
        columns: Columns {
            number: lang.t("quote-pdf-col-number"),
            description: lang.t("statement-pdf-col-entry"),
            quantity: lang.t("ledger-column-due-date"),
            unit_price: lang.t("ledger-column-debit"),
            discount: lang.t("ledger-column-credit"),
            vat_rate: "B/A".into(),
            net: lang.t("ledger-column-balance"),
        },
        lines,
        totals: vec![
            (lang.t("statement-pdf-total-debit"), money(s.total_debit)),
            (lang.t("statement-pdf-total-credit"), money(s.total_credit)),
        ],
        grand_total: (lang.t("ledger-balance"), closing),
        in_words: String::new(),
        sections: vec![(String::new(), lang.t("ledger-sides-hint"))],
        page_label: lang.t("quote-pdf-page"),
    }
}

/// The statement's PDF in `lang` (the same renderer as quotes).
pub fn statement_pdf(
    app: &rehber_app::App,
    lang: Lang,
    customer: Vec<String>,
    s: &Statement,
) -> Result<Vec<u8>, rehber_pdf::PdfError> {
    rehber_pdf::render_quote(&statement_pdf_model(app, lang, customer, s))
}

/// The statement as an XLSX workbook in `lang`: amounts as numbers, dates as dates, the
/// header frozen, the balance brought forward and the closing line in bold.
pub fn statement_xlsx(lang: Lang, s: &Statement) -> Result<Vec<u8>, rehber_sheets::SheetError> {
    use rehber_sheets::{Cell, Table};
    let date = |d: jiff::civil::Date| Cell::Date(d.year(), d.month(), d.day());
    let amount = |minor: i64| {
        if minor == 0 {
            Cell::Empty
        } else {
            Cell::Amount(minor)
        }
    };
    let side = |minor: i64| Cell::Text(balance_side(minor).to_string());
    let mut rows = vec![vec![
        date(s.from),
        Cell::Empty,
        Cell::Text(lang.t("ledger-opening")),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Amount(s.opening.abs()),
        side(s.opening),
    ]];
    for line in &s.lines {
        let e = &line.entry;
        rows.push(vec![
            date(e.date),
            Cell::Text(e.document.clone()),
            Cell::Text(entry_description(lang, e.kind.as_str(), &e.description)),
            e.due_date.map_or(Cell::Empty, date),
            amount(e.debit),
            amount(e.credit),
            Cell::Amount(line.balance.abs()),
            side(line.balance),
        ]);
    }
    rows.push(vec![
        date(s.to),
        Cell::Empty,
        Cell::Text(lang.t("ledger-closing")),
        Cell::Empty,
        Cell::Amount(s.total_debit),
        Cell::Amount(s.total_credit),
        Cell::Amount(s.closing.abs()),
        side(s.closing),
    ]);
    let last = rows.len() - 1;
    rehber_sheets::to_xlsx(&Table {
        name: lang.t("ledger-statement"),
        header: vec![
            lang.t("ledger-column-date"),
            lang.t("ledger-column-document"),
            lang.t("ledger-column-description"),
            lang.t("ledger-column-due-date"),
            lang.t("ledger-column-debit"),
            lang.t("ledger-column-credit"),
            lang.t("ledger-column-balance"),
            "B/A".into(),
        ],
        rows,
        bold_rows: vec![0, last],
    })
}
