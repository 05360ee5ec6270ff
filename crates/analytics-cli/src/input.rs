//! Reading the CSV inputs (transactions, baskets, contingency tables) into the analytics
//! crate's plain types, with errors that name the file, line and column.
//!
//! Owns parsing and validation of user files; it computes nothing.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rehber_analytics::Transaction;

use crate::intern::Ids;

/// A problem with an input file, located as precisely as known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct InputError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line, if the problem is on one line.
    pub line: Option<u64>,
    /// Column name, if the problem is in one column.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    pub(crate) fn new(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(file: &Path, line: u64, column: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column.to_owned()),
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(": ");
        if let Some(column) = &self.column {
            s.push_str(&format!("column '{column}': "));
        }
        s.push_str(&self.message);
        s
    }
}

fn open(file: &Path) -> Result<csv::Reader<std::fs::File>, InputError> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_path(file)
        .map_err(|e| InputError::new(file, format!("cannot open: {}", io_message(&e))))
}

fn io_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

/// Positions of the named columns in the header, or an error naming the missing one.
fn columns<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    file: &Path,
    names: &[&str],
) -> Result<Vec<usize>, InputError> {
    let header = reader
        .byte_headers()
        .map_err(|e| InputError::new(file, format!("cannot read the header: {e}")))?
        .clone();
    if header.is_empty() || header.iter().all(<[u8]>::is_empty) {
        return Err(InputError::new(
            file,
            "the file is empty (a header line is required)",
        ));
    }
    names
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| strip_bom(h).trim_ascii() == name.as_bytes())
                .ok_or_else(|| InputError {
                    line: Some(1),
                    ..InputError::new(file, format!("missing column '{name}' in the header"))
                })
        })
        .collect()
}

/// Spreadsheet exports often start with a UTF-8 byte-order mark; it is not part of the name.
fn strip_bom(header: &[u8]) -> &[u8] {
    header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header)
}

fn field<'r>(
    record: &'r csv::ByteRecord,
    index: usize,
    file: &Path,
    line: u64,
    column: &str,
) -> Result<&'r str, InputError> {
    let raw = record.get(index).ok_or_else(|| {
        InputError::at(file, line, column, "missing value (the row is too short)")
    })?;
    let text = std::str::from_utf8(raw)
        .map_err(|_| InputError::at(file, line, column, "not valid UTF-8"))?
        .trim();
    if text.is_empty() {
        return Err(InputError::at(file, line, column, "empty value"));
    }
    Ok(text)
}

/// Parses exactly `YYYY-MM-DD` into a calendar date (jiff validates the day of the month).
///
/// Read by hand rather than by jiff's general ISO 8601 parser: it accepts only the contract's
/// form and is several times faster on files of millions of rows.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || format!("bad date '{text}' (expected YYYY-MM-DD)");
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| -> Result<i16, String> {
        b[range].iter().try_fold(0i16, |n, &c| {
            if c.is_ascii_digit() {
                Ok(n * 10 + i16::from(c - b'0'))
            } else {
                Err(bad())
            }
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    Date::new(year, month as i8, day as i8).map_err(|_| bad())
}

/// Transactions with customer ids interned in order of first appearance.
pub struct TransactionFile {
    /// Rows with dense customer indices.
    pub transactions: Vec<Transaction>,
    /// Original id of each customer index.
    pub customer_ids: Ids,
}

/// Reads `customer_id,date,amount` (any column order, extra columns ignored). Amounts must be
/// finite; negative amounts are refused when `amounts_matter`.
pub fn read_transactions(file: &Path, amounts_matter: bool) -> Result<TransactionFile, InputError> {
    let mut reader = open(file)?;
    let idx = columns(&mut reader, file, &["customer_id", "date", "amount"])?;
    // About 24 bytes a row and a few rows a customer: reserve once instead of regrowing.
    let size = std::fs::metadata(file).map_or(0, |m| m.len() as usize);
    let mut customer_ids = Ids::with_capacity(size / 96);
    let mut transactions = Vec::with_capacity(size / 24);
    let mut record = csv::ByteRecord::new();
    // Id and index of the previous row's customer (the buffer is reused, not reallocated).
    let mut last_id: Vec<u8> = Vec::new();
    let mut last_customer: Option<u32> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(InputError {
                    line: Some(line),
                    ..InputError::new(file, format!("unreadable CSV: {e}"))
                });
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue; // blank line
        }
        let id = field(&record, idx[0], file, line, "customer_id")?;
        let customer = match last_customer {
            // Files are usually grouped by customer: skip the hash lookup for repeats.
            Some(c) if last_id == id.as_bytes() => c,
            _ => {
                let c = customer_ids.intern(id);
                last_id.clear();
                last_id.extend_from_slice(id.as_bytes());
                last_customer = Some(c);
                c
            }
        };
        let date = parse_date(field(&record, idx[1], file, line, "date")?)
            .map_err(|m| InputError::at(file, line, "date", m))?;
        let text = field(&record, idx[2], file, line, "amount")?;
        let amount: f64 = text.parse().map_err(|_| {
            InputError::at(
                file,
                line,
                "amount",
                format!("bad amount '{text}' (expected a number)"),
            )
        })?;
        if !amount.is_finite() {
            return Err(InputError::at(
                file,
                line,
                "amount",
                format!("bad amount '{text}' (expected a finite number)"),
            ));
        }
        if amounts_matter && amount < 0.0 {
            return Err(InputError::at(
                file,
                line,
                "amount",
                format!("negative amount {text} (refunds must be netted before analysis)"),
            ));
        }
        transactions.push(Transaction {
            customer,
            date,
            amount: if amounts_matter {
                amount
            } else {
                amount.max(0.0)
            },
        });
    }
    if transactions.is_empty() {
        return Err(InputError::new(file, "no data rows after the header"));
    }
    Ok(TransactionFile {
        transactions,
        customer_ids,
    })
}

/// Baskets with product ids mapped to indices in ascending id order.
pub struct BasketFile {
    /// Items of each order, in order of the orders' first appearance.
    pub baskets: Vec<Vec<u32>>,
    /// Product id of each item index, ascending.
    pub product_ids: Vec<String>,
}

/// Order of product ids in output: all-digit ids numerically (shorter first, then by digits)
/// before any other id, which compare as strings. This makes `2` precede `10`.
pub fn product_order(a: &str, b: &str) -> std::cmp::Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        (true, true) => {
            let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        }
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => a.cmp(b),
    }
    .then_with(|| a.cmp(b))
}

/// Reads `order_id,product_id`; rows of one order need not be adjacent.
pub fn read_baskets(file: &Path) -> Result<BasketFile, InputError> {
    let mut reader = open(file)?;
    let idx = columns(&mut reader, file, &["order_id", "product_id"])?;
    let size = std::fs::metadata(file).map_or(0, |m| m.len() as usize);
    let mut orders = Ids::with_capacity(size / 30);
    let mut products = Ids::default();
    let mut baskets: Vec<Vec<u32>> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut last_order_id: Vec<u8> = Vec::new();
    let mut last_order: Option<u32> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(InputError {
                    line: Some(line),
                    ..InputError::new(file, format!("unreadable CSV: {e}"))
                });
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let order_id = field(&record, idx[0], file, line, "order_id")?;
        let product_id = field(&record, idx[1], file, line, "product_id")?;
        let order = match last_order {
            // Rows of one order are usually adjacent: skip the hash lookup for them.
            Some(o) if last_order_id == order_id.as_bytes() => o,
            _ => {
                let o = orders.intern(order_id);
                if o as usize == baskets.len() {
                    baskets.push(Vec::new());
                }
                last_order_id.clear();
                last_order_id.extend_from_slice(order_id.as_bytes());
                last_order = Some(o);
                o
            }
        };
        let product = products.intern(product_id);
        baskets[order as usize].push(product);
    }
    if baskets.is_empty() {
        return Err(InputError::new(file, "no data rows after the header"));
    }
    // Renumber products so that index order is output order.
    let mut sorted: Vec<u32> = (0..products.len() as u32).collect();
    sorted.sort_by(|&a, &b| product_order(products.get(a), products.get(b)));
    let mut new_index = vec![0u32; products.len()];
    for (position, &old) in sorted.iter().enumerate() {
        new_index[old as usize] = position as u32;
    }
    for basket in &mut baskets {
        for item in basket.iter_mut() {
            *item = new_index[*item as usize];
        }
        basket.sort_unstable();
        basket.dedup();
    }
    let product_ids = sorted
        .iter()
        .map(|&old| products.get(old).to_owned())
        .collect();
    Ok(BasketFile {
        baskets,
        product_ids,
    })
}

/// A contingency table: column labels, row labels and counts.
pub struct TableFile {
    /// Labels of the count columns (header without its first cell).
    pub column_labels: Vec<String>,
    /// First cell of each row.
    pub row_labels: Vec<String>,
    /// Counts, row by row.
    pub counts: Vec<Vec<f64>>,
}

/// Reads a CSV of counts whose first column holds row labels.
pub fn read_table(file: &Path) -> Result<TableFile, InputError> {
    let mut reader = open(file)?;
    let header = reader
        .headers()
        .map_err(|e| InputError::new(file, format!("cannot read the header: {e}")))?
        .clone();
    if header.len() < 3 {
        return Err(InputError {
            line: Some(1),
            ..InputError::new(
                file,
                "the header needs a label column and at least two count columns",
            )
        });
    }
    let column_labels: Vec<String> = header.iter().skip(1).map(|h| h.trim().to_owned()).collect();
    let mut row_labels = Vec::new();
    let mut counts = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| InputError {
            line: e.position().map(csv::Position::line),
            ..InputError::new(file, format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != header.len() {
            return Err(InputError {
                line: Some(line),
                ..InputError::new(
                    file,
                    format!("expected {} fields, found {}", header.len(), record.len()),
                )
            });
        }
        row_labels.push(record.get(0).unwrap_or_default().trim().to_owned());
        let mut row = Vec::with_capacity(column_labels.len());
        for (label, text) in column_labels.iter().zip(record.iter().skip(1)) {
            let text = text.trim();
            let v: f64 = text.parse().map_err(|_| {
                InputError::at(
                    file,
                    line,
                    label,
                    format!("bad count '{text}' (expected a number)"),
                )
            })?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(InputError::at(
                    file,
                    line,
                    label,
                    format!("bad count '{text}' (expected a non-negative number)"),
                ));
            }
            row.push(v);
        }
        counts.push(row);
    }
    if counts.is_empty() {
        return Err(InputError::new(file, "no data rows after the header"));
    }
    Ok(TableFile {
        column_labels,
        row_labels,
        counts,
    })
}
