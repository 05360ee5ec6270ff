//! Rehber's printed documents. A [`QuotePdf`] holds every text already worded and
//! formatted (the web layer knows the languages and number formats); [`render_quote`] lays
//! it out on A4 pages — letterhead, document details, customer, a table of lines whose
//! header repeats on every page, the KDV summary, totals, the total in words, terms, IBAN
//! and "page n / N" — in DejaVu Sans, embedded as a subset with its Unicode map, so every
//! Turkish letter prints and copies out exactly.

mod layout;

pub use layout::render_quote;

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// The seller as the letterhead prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// The company's name, printed large.
    pub name: String,
    /// Address, tax office and VKN, phone and e-mail: one printed line each.
    pub lines: Vec<String>,
}

/// One line of the table, every cell formatted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat_rate: String,
    pub net: String,
}

/// The table's column headings, in the order of [`TableLine`]'s cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub number: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount: String,
    pub vat_rate: String,
    pub net: String,
}

/// A quote to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotePdf {
    /// The document's name in the PDF's metadata and at the top right ("TEKLİF").
    pub title: String,
    pub letterhead: Letterhead,
    /// Label and value pairs at the top right: number, date, validity.
    pub details: Vec<(String, String)>,
    /// The heading of the customer block ("Sayın").
    pub customer_heading: String,
    /// The customer's name, address and VKN/TCKN, one printed line each.
    pub customer: Vec<String>,
    pub columns: Columns,
    pub lines: Vec<TableLine>,
    /// Label and amount rows under the table: totals and KDV per rate.
    pub totals: Vec<(String, String)>,
    /// The last totals row (the amount to pay), printed bold.
    pub grand_total: (String, String),
    /// "Yalnız bin iki yüz elli Türk lirası elli kuruş".
    pub in_words: String,
    /// Headed paragraphs after the totals: terms, bank account.
    pub sections: Vec<(String, String)>,
    /// "Sayfa {page} / {pages}" with those two placeholders.
    pub page_label: String,
}
