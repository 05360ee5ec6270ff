//! Rehber's spreadsheets. A [`Table`] holds cells already worded (the web layer knows the
//! languages); [`to_xlsx`] writes it as one worksheet with a bold header row frozen at the
//! top and a filter on it, amounts as numbers with two decimals (so a spreadsheet can add
//! them up), dates as dates, and column widths that fit their text; [`to_csv`] writes it as
//! CSV in one of two profiles. [`read_table`] reads a CSV file or a workbook back as text
//! rows, for imports.

mod csv_file;
mod read;

pub use csv_file::{CsvProfile, neutralised, to_csv};
pub use read::{ReadError, ReadLimits, SourceFormat, SourceRow, SourceTable, read_table};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Why a workbook could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the spreadsheet could not be written: {0}")]
pub struct SheetError(pub(crate) String);

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(error: rust_xlsxwriter::XlsxError) -> Self {
        SheetError(error.to_string())
    }
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Free text: written as text, never as a formula (a leading `=` stays text; CSV
    /// prefixes it with an apostrophe).
    Text(String),
    /// Text checked to be what it says (a validated phone number, `+90…`): CSV keeps it as
    /// it is.
    Verbatim(String),
    /// A whole number (an id, a score).
    Integer(i64),
    /// An amount in minor units, shown with two decimals.
    Amount(i64),
    /// A calendar date (year, month, day).
    Date(i16, i8, i8),
}

/// A worksheet: its name, header and rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// At most 31 characters (Excel's limit); longer names are cut.
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows written in bold (an opening or closing line), by index into `rows`.
    pub bold_rows: Vec<usize>,
}

/// The workbook of `table` as XLSX bytes.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let name: String = table.name.chars().take(31).collect();
    if !name.is_empty() {
        sheet.set_name(&name)?;
    }
    let header = Format::new().set_bold();
    let amount = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let bold_amount = Format::new().set_bold().set_num_format("#,##0.00");
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for (column, text) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col(column)?, text, &header)?;
    }
    for (index, cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(index + 1).map_err(|_| SheetError("too many rows".into()))?;
        let strong = table.bold_rows.contains(&index);
        for (column, cell) in cells.iter().enumerate() {
            let c = col(column)?;
            let width = match cell {
                Cell::Empty => 0,
                Cell::Text(text) | Cell::Verbatim(text) => {
                    if strong {
                        sheet.write_string_with_format(row, c, text, &bold)?;
                    } else {
                        sheet.write_string(row, c, text)?;
                    }
                    text.chars().count()
                }
                Cell::Integer(n) => {
                    // Exact below 2^53, which every id and count is.
                    sheet.write_number(row, c, *n as f64)?;
                    n.to_string().len()
                }
                Cell::Amount(minor) => {
                    // Minor units to the major unit: exact for every amount below 2^53.
                    let value = *minor as f64 / 100.0;
                    let format = if strong { &bold_amount } else { &amount };
                    sheet.write_number_with_format(row, c, value, format)?;
                    14
                }
                Cell::Date(year, month, day) => {
                    // Excel's calendar starts in 1900: an earlier (or impossible) date is
                    // written as its text rather than refused.
                    let when = match (
                        u16::try_from(*year),
                        u8::try_from(*month),
                        u8::try_from(*day),
                    ) {
                        (Ok(y), Ok(m), Ok(d)) => ExcelDateTime::from_ymd(y, m, d).ok(),
                        _ => None,
                    };
                    match when {
                        Some(when) => {
                            sheet.write_datetime_with_format(row, c, &when, &date)?;
                        }
                        None => {
                            sheet.write_string(row, c, format!("{year:04}-{month:02}-{day:02}"))?;
                        }
                    }
                    10
                }
            };
            if widths.len() <= column {
                widths.resize(column + 1, 0);
            }
            widths[column] = widths[column].max(width);
        }
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(col(column)?, (*width).clamp(6, 60) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.header.is_empty() {
        let last_row =
            u32::try_from(table.rows.len()).map_err(|_| SheetError("too many rows".into()))?;
        sheet.autofilter(0, 0, last_row, col(table.header.len() - 1)?)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn col(index: usize) -> Result<u16, SheetError> {
    u16::try_from(index).map_err(|_| SheetError("too many columns".into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_table_becomes_a_zip_of_a_workbook() {
        let table = Table {
            name: "Ekstre".into(),
            header: vec!["Tarih".into(), "Açıklama".into(), "Borç".into()],
            rows: vec![
                vec![
                    Cell::Date(2026, 3, 1),
                    Cell::Text("=Fatura".into()),
                    Cell::Amount(120_050),
                ],
                vec![Cell::Empty, Cell::Text("Kapanış".into()), Cell::Amount(-5)],
            ],
            bold_rows: vec![1],
        };
        let bytes = to_xlsx(&table).unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a ZIP archive");
        assert!(bytes.len() > 1_000);
    }

    #[test]
    fn a_date_excel_cannot_hold_is_written_as_text() {
        let table = Table {
            rows: vec![vec![Cell::Date(1, 1, 1)], vec![Cell::Date(-50, 2, 3)]],
            ..Table::default()
        };
        assert!(to_xlsx(&table).unwrap().starts_with(b"PK"));
    }
}
