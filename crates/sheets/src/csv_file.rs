//! A [`Table`] as CSV, in one of two spellings: [`CsvProfile::Standard`] for programs
//! (RFC 4180: UTF-8, commas, CRLF, a decimal point, ISO dates), and
//! [`CsvProfile::ExcelTurkish`] for a spreadsheet set to Turkish (a byte-order mark so it
//! reads UTF-8, semicolons, a decimal comma, `31.12.2026` dates). Free text that a
//! spreadsheet would run as a formula is neutralised in both.

use crate::{Cell, SheetError, Table};

/// How a CSV file is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvProfile {
    Standard,
    ExcelTurkish,
}

impl CsvProfile {
    /// `standard` or `excel-tr`.
    pub fn parse(text: &str) -> Option<CsvProfile> {
        match text {
            "standard" => Some(CsvProfile::Standard),
            "excel-tr" => Some(CsvProfile::ExcelTurkish),
            _ => None,
        }
    }
}

/// A free-text cell that a spreadsheet would read as a formula gets a leading apostrophe.
pub fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn amount(minor: i64, decimal: char) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let units = minor.unsigned_abs();
    format!("{sign}{}{decimal}{:02}", units / 100, units % 100)
}

fn spelled(cell: &Cell, profile: CsvProfile) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => neutralised(text),
        Cell::Verbatim(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Amount(minor) => match profile {
            CsvProfile::Standard => amount(*minor, '.'),
            CsvProfile::ExcelTurkish => amount(*minor, ','),
        },
        Cell::Date(y, m, d) => match profile {
            CsvProfile::Standard => format!("{y:04}-{m:02}-{d:02}"),
            CsvProfile::ExcelTurkish => format!("{d:02}.{m:02}.{y:04}"),
        },
    }
}

/// The CSV bytes of `table` in `profile`.
pub fn to_csv(table: &Table, profile: CsvProfile) -> Result<Vec<u8>, SheetError> {
    let mut out = Vec::new();
    let delimiter = match profile {
        CsvProfile::Standard => b',',
        CsvProfile::ExcelTurkish => {
            out.extend_from_slice("\u{feff}".as_bytes());
            b';'
        }
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(table.header.iter().map(|h| neutralised(h)))?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| spelled(cell, profile)))?;
    }
    writer
        .into_inner()
        .map_err(|e| SheetError(e.error().to_string()))
}

impl From<csv::Error> for SheetError {
    fn from(error: csv::Error) -> Self {
        SheetError(error.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Kişiler".into(),
            header: vec![
                "Ad".into(),
                "Telefon".into(),
                "Bakiye".into(),
                "Doğum".into(),
            ],
            rows: vec![
                vec![
                    Cell::Text("=HYPERLINK(\"x\")".into()),
                    Cell::Verbatim("+905321112233".into()),
                    Cell::Amount(-125_050),
                    Cell::Date(1990, 4, 9),
                ],
                vec![
                    Cell::Text("Işıl; \"Çağlar\"".into()),
                    Cell::Text("+1 formula".into()),
                    Cell::Integer(7),
                    Cell::Empty,
                ],
            ],
            bold_rows: vec![],
        }
    }

    #[test]
    fn formulas_are_neutralised_but_validated_phones_keep_their_plus() {
        let text = String::from_utf8(to_csv(&table(), CsvProfile::Standard).unwrap()).unwrap();
        assert!(text.starts_with("Ad,Telefon,Bakiye,Doğum\r\n"), "{text}");
        assert!(
            text.contains("\"'=HYPERLINK(\"\"x\"\")\",+905321112233,-1250.50,1990-04-09\r\n"),
            "{text}"
        );
        assert!(
            text.contains("\"Işıl; \"\"Çağlar\"\"\",'+1 formula,7,\r\n"),
            "{text}"
        );
    }

    #[test]
    fn the_excel_turkish_profile_has_a_bom_semicolons_and_a_decimal_comma() {
        let bytes = to_csv(&table(), CsvProfile::ExcelTurkish).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("Ad;Telefon;Bakiye;Doğum\r\n"), "{text}");
        assert!(
            text.contains(";+905321112233;-1250,50;09.04.1990\r\n"),
            "{text}"
        );
        assert!(
            text.contains("\"Işıl; \"\"Çağlar\"\"\";'+1 formula;7;\r\n"),
            "{text}"
        );
        assert_eq!(
            CsvProfile::parse("excel-tr"),
            Some(CsvProfile::ExcelTurkish)
        );
        assert_eq!(CsvProfile::parse("excel"), None);
    }
}
