//! Spreadsheets read back, for imports: a file as its header and rows of text cells, each
//! row with the line (CSV) or row number (a workbook) the user sees in their program, so
//! that every message can point at it.
//!
//! CSV comes in whatever Excel wrote: UTF-8 (with or without a byte-order mark), UTF-16 with
//! its mark, or, from "Save as CSV" on a Turkish Windows, windows-1254 with semicolons. The
//! encoding is read from the mark, else strict UTF-8 is tried, else windows-1254 (which is
//! ISO-8859-9 plus typographic quotes) is taken; either way the choice is reported, and a
//! caller may name another. The delimiter is sniffed among `;`, `,`, tab and `|`.
//! Workbooks (XLSX, XLS, ODS) are read by calamine, first sheet; a date cell becomes an ISO
//! date, a whole number loses its `.0` (a phone typed as a number stays digits).

use calamine::{Data, Reader};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1254};
use std::io::Cursor;

/// How much a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Data rows (the header not counted).
    pub max_rows: usize,
    pub max_columns: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_rows: 200_000,
            max_columns: 200,
        }
    }
}

/// Why a file could not be read as a table; nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file holds no rows")]
    Empty,
    #[error("the workbook is protected by a password")]
    Password,
    #[error("the file cannot be read as CSV, XLSX, XLS or ODS: {0}")]
    Unreadable(String),
    #[error("the file has more than {limit} rows")]
    TooManyRows { limit: usize },
    #[error("the file has more than {limit} columns")]
    TooManyColumns { limit: usize },
    #[error("unknown encoding {0}")]
    UnknownEncoding(String),
}

impl ReadError {
    /// The message key of the refusal (`invalid-import-…`).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Empty => "invalid-import-empty",
            ReadError::Password => "invalid-import-password",
            ReadError::Unreadable(_) => "invalid-import-unreadable",
            ReadError::TooManyRows { .. } => "invalid-import-too-many-rows",
            ReadError::TooManyColumns { .. } => "invalid-import-too-many-columns",
            ReadError::UnknownEncoding(_) => "invalid-import-encoding",
        }
    }
}

/// What kind of file it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Csv,
    Workbook,
}

/// One data row: its cells as text, and where the user finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// The line of a CSV file, or the row number of a worksheet (1-based, as shown).
    pub line: usize,
    pub cells: Vec<String>,
}

/// A file read as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTable {
    pub format: SourceFormat,
    /// A CSV file's encoding, as its WHATWG name (`UTF-8`, `UTF-16LE`, `windows-1254`).
    pub encoding: Option<&'static str>,
    /// A CSV file's delimiter.
    pub delimiter: Option<char>,
    /// A workbook's sheet read.
    pub sheet: Option<String>,
    /// The first non-empty row, trimmed.
    pub header: Vec<String>,
    /// The non-empty rows after it.
    pub rows: Vec<SourceRow>,
}

/// Reads `bytes` as a table. `encoding` names a CSV file's encoding when the detected one
/// was wrong (a WHATWG label: `windows-1254`, `iso-8859-9`, `utf-8`, `utf-16le`).
pub fn read_table(
    bytes: &[u8],
    encoding: Option<&str>,
    limits: ReadLimits,
) -> Result<SourceTable, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let table = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(CFB_MAGIC) {
        read_workbook(bytes, limits)?
    } else {
        read_csv(bytes, encoding, limits)?
    };
    if table.header.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(table)
}

/// The start of an OLE compound file: an XLS workbook, or an XLSX encrypted with a password.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The text of `bytes` and the encoding it was read in.
fn decode(bytes: &[u8], chosen: Option<&str>) -> Result<(String, &'static Encoding), ReadError> {
    if let Some(label) = chosen.map(str::trim).filter(|l| !l.is_empty()) {
        let encoding = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| ReadError::UnknownEncoding(label.to_string()))?;
        let (text, used, _) = encoding.decode(bytes);
        return Ok((text.into_owned(), used));
    }
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        let (text, used, _) = encoding.decode(bytes);
        return Ok((text.into_owned(), used));
    }
    if let Some(encoding) = utf16_without_mark(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), encoding));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), UTF_8)),
        Err(_) => {
            let (text, _) = WINDOWS_1254.decode_without_bom_handling(bytes);
            Ok((text.into_owned(), WINDOWS_1254))
        }
    }
}

/// UTF-16 without its mark shows as a NUL beside almost every ASCII letter.
fn utf16_without_mark(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    if nul_at(1) * 10 >= pairs * 8 {
        Some(encoding_rs::UTF_16LE)
    } else if nul_at(0) * 10 >= pairs * 8 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The candidate that splits the first lines into the same number of fields, the most of
/// them; `,` when none does.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let count = |line: &str, delimiter: u8| {
        let mut quoted = false;
        line.bytes()
            .filter(|b| {
                if *b == b'"' {
                    quoted = !quoted;
                }
                !quoted && *b == delimiter
            })
            .count()
    };
    let mut best = (false, 0usize, b',');
    for delimiter in CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, delimiter)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let steady = counts.iter().all(|c| *c == first);
        let least = counts.iter().copied().min().unwrap_or(0);
        if least == 0 {
            continue;
        }
        if (steady, least) > (best.0, best.1) {
            best = (steady, least, delimiter);
        }
    }
    best.2
}

fn read_csv(
    bytes: &[u8],
    encoding: Option<&str>,
    limits: ReadLimits,
) -> Result<SourceTable, ReadError> {
    let (text, used) = decode(bytes, encoding)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut gathered = Gathered::new(limits);
    let mut record = csv::StringRecord::new();
    // The line a record starts on, counted from its byte offset (records come in order).
    let (mut line, mut counted_to) = (1usize, 0usize);
    let bytes = text.as_bytes();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // csv places a record after the previous one's last field, before the line
                // break (and any blank lines) that end it.
                let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
                start = start.clamp(counted_to, bytes.len());
                while bytes.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
                    start += 1;
                }
                line += line_breaks(&bytes[counted_to..start]);
                counted_to = start;
                gathered.push(line, record.iter().map(str::to_string).collect())?;
            }
            Err(e) => return Err(ReadError::Unreadable(e.to_string())),
        }
    }
    Ok(SourceTable {
        format: SourceFormat::Csv,
        encoding: Some(used.name()),
        delimiter: Some(char::from(delimiter)),
        sheet: None,
        header: gathered.header,
        rows: gathered.rows,
    })
}

/// Line breaks in `bytes`: `\r\n`, `\n`, or a lone `\r` (old Mac files), each once.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || **b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count()
}

/// Rows as they are read: the first non-empty one is the header; empty ones are skipped.
struct Gathered {
    limits: ReadLimits,
    header: Vec<String>,
    rows: Vec<SourceRow>,
}

impl Gathered {
    fn new(limits: ReadLimits) -> Self {
        Gathered {
            limits,
            header: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, line: usize, mut cells: Vec<String>) -> Result<(), ReadError> {
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() > self.limits.max_columns {
            return Err(ReadError::TooManyColumns {
                limit: self.limits.max_columns,
            });
        }
        if self.header.is_empty() {
            self.header = cells.iter().map(|c| c.trim().to_string()).collect();
            return Ok(());
        }
        if self.rows.len() >= self.limits.max_rows {
            return Err(ReadError::TooManyRows {
                limit: self.limits.max_rows,
            });
        }
        self.rows.push(SourceRow { line, cells });
        Ok(())
    }
}

fn read_workbook(bytes: &[u8], limits: ReadLimits) -> Result<SourceTable, ReadError> {
    if bytes.starts_with(CFB_MAGIC) && is_encrypted_package(bytes) {
        return Err(ReadError::Password);
    }
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::Error::Xls(calamine::XlsError::Password) => ReadError::Password,
            other => ReadError::Unreadable(other.to_string()),
        })?;
    let sheet = workbook.sheet_names().first().cloned();
    let range = match workbook.worksheet_range_at(0) {
        None => return Err(ReadError::Empty),
        Some(Err(calamine::Error::Xls(calamine::XlsError::Password))) => {
            return Err(ReadError::Password);
        }
        Some(Err(e)) => return Err(ReadError::Unreadable(e.to_string())),
        Some(Ok(range)) => range,
    };
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    let mut gathered = Gathered::new(limits);
    for (index, row) in range.rows().enumerate() {
        // Columns left of the range's first are empty: keep them, so that positions match
        // the sheet's letters.
        let mut cells = vec![String::new(); first_column];
        cells.extend(row.iter().map(cell_text));
        gathered.push(first_row + index + 1, cells)?;
    }
    Ok(SourceTable {
        format: SourceFormat::Workbook,
        encoding: None,
        delimiter: None,
        sheet,
        header: gathered.header,
        rows: gathered.rows,
    })
}

/// An encrypted OOXML file is a compound file holding a stream named `EncryptedPackage`.
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// A cell as the text an import parses.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(at) if at.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = at.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(at) => number_text(at.as_f64()),
    }
}

/// A whole number without its `.0` (Excel keeps every number as a double).
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::{Cell, Table, to_xlsx};

    fn read(bytes: &[u8]) -> SourceTable {
        read_table(bytes, None, ReadLimits::default()).unwrap()
    }

    #[test]
    fn windows_1254_with_semicolons_reads_turkish_letters_exactly() {
        let (bytes, _, _) = WINDOWS_1254.encode("Ad;Soyad;İl\r\nIşıl;Çağlar;İstanbul\r\n");
        let table = read(&bytes);
        assert_eq!(table.encoding, Some("windows-1254"));
        assert_eq!(table.delimiter, Some(';'));
        assert_eq!(table.header, ["Ad", "Soyad", "İl"]);
        assert_eq!(table.rows[0].cells, ["Işıl", "Çağlar", "İstanbul"]);
        assert_eq!(table.rows[0].line, 2);
    }

    #[test]
    fn byte_order_marks_name_utf8_and_utf16() {
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend("Ad,İl\nIşıl,İzmir\n".as_bytes());
        let table = read(&utf8);
        assert_eq!(
            (table.encoding, table.delimiter),
            (Some("UTF-8"), Some(','))
        );
        assert_eq!(
            table.header[0], "Ad",
            "the mark is not part of the first header"
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "Ad\tİl\r\nIşıl\tİzmir\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let table = read(&utf16);
        assert_eq!(
            (table.encoding, table.delimiter),
            (Some("UTF-16LE"), Some('\t'))
        );
        assert_eq!(table.rows[0].cells, ["Işıl", "İzmir"]);
    }

    #[test]
    fn a_named_encoding_overrides_the_guess() {
        let (bytes, _, _) = WINDOWS_1254.encode("Ad|Şehir\nAyşe|Muğla\n");
        let as_latin = read_table(&bytes, Some("windows-1252"), ReadLimits::default()).unwrap();
        assert_ne!(as_latin.rows[0].cells[1], "Muğla");
        assert_eq!(read(&bytes).rows[0].cells, ["Ayşe", "Muğla"]);
        assert_eq!(
            read_table(&bytes, Some("klingon"), ReadLimits::default()),
            Err(ReadError::UnknownEncoding("klingon".into()))
        );
    }

    #[test]
    fn quoted_delimiters_and_line_breaks_keep_their_lines() {
        let table = read(b"Ad,Not\n\"Ali\",\"bir, iki\nuc\"\n\nVeli,x\n");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells[1], "bir, iki\nuc");
        assert_eq!(
            table.rows[1].line, 5,
            "the blank line is skipped but counted"
        );
    }

    #[test]
    fn lines_are_counted_whatever_ends_them() {
        let table = read(b"Ad;Il\rAli;Izmir\rVeli;Bursa\r");
        assert_eq!(
            table.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3]
        );
        let table = read(b"Ad;Il\r\nAli;Izmir\r\n\r\nVeli;Bursa\r\n");
        assert_eq!(
            table.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 4]
        );
    }

    #[test]
    fn empty_files_and_caps_are_refused() {
        assert_eq!(
            read_table(b"", None, ReadLimits::default()),
            Err(ReadError::Empty)
        );
        assert_eq!(
            read_table(b" \n\r\n", None, ReadLimits::default()),
            Err(ReadError::Empty)
        );
        let limits = ReadLimits {
            max_rows: 2,
            max_columns: 3,
        };
        assert_eq!(
            read_table(b"a\n1\n2\n3\n", None, limits),
            Err(ReadError::TooManyRows { limit: 2 })
        );
        assert_eq!(
            read_table(b"a,b,c,d\n", None, limits),
            Err(ReadError::TooManyColumns { limit: 3 })
        );
        let zip_not_a_workbook = b"PK\x03\x04not really a zip";
        assert!(matches!(
            read_table(zip_not_a_workbook, None, limits),
            Err(ReadError::Unreadable(_))
        ));
    }

    #[test]
    fn an_encrypted_workbook_is_named_as_such() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend([0u8; 500]);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            read_table(&bytes, None, ReadLimits::default()),
            Err(ReadError::Password)
        );
    }

    #[test]
    fn a_workbook_reads_dates_as_iso_and_whole_numbers_as_digits() {
        let table = Table {
            name: "Kişiler".into(),
            header: vec![
                "Ad".into(),
                "Doğum tarihi".into(),
                "GSM".into(),
                "Oran".into(),
            ],
            rows: vec![vec![
                Cell::Text("Çağlar".into()),
                Cell::Date(1990, 4, 9),
                Cell::Integer(5_321_112_233),
                Cell::Amount(1250),
            ]],
            bold_rows: vec![],
        };
        let read = read(&to_xlsx(&table).unwrap());
        assert_eq!(read.format, SourceFormat::Workbook);
        assert_eq!(read.sheet.as_deref(), Some("Kişiler"));
        assert_eq!(read.header, ["Ad", "Doğum tarihi", "GSM", "Oran"]);
        assert_eq!(
            read.rows[0].cells,
            ["Çağlar", "1990-04-09", "5321112233", "12.5"]
        );
        assert_eq!(read.rows[0].line, 2);
    }
}
