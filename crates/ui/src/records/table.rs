//! A list page's table as data: a kind names its columns and the cells of a record, and one
//! template (`records/results.html`) draws every kind's table. The same cells make a record
//! page's header facts.

use super::list::SortHeader;

/// A column header: its label and width class, with a sort link when the column sorts.
#[derive(Debug, Clone)]
pub struct Column {
    /// What the column chooser remembers it by (`city`, `custom.sektor`).
    pub key: String,
    pub label: String,
    /// The width class its header and cells share (`col-sm`, `col-lg`, … or empty).
    pub class: &'static str,
    pub sort: Option<SortHeader>,
}

impl Column {
    pub fn plain(key: impl Into<String>, label: String, class: &'static str) -> Column {
        Column {
            key: key.into(),
            label,
            class,
            sort: None,
        }
    }

    pub fn sorted(key: impl Into<String>, header: SortHeader, class: &'static str) -> Column {
        Column {
            key: key.into(),
            label: header.label.clone(),
            class,
            sort: Some(header),
        }
    }

    /// The header's `aria-sort` value (`none` for columns that do not sort).
    pub fn aria(&self) -> &'static str {
        self.sort.as_ref().map_or("none", |s| s.aria)
    }
}

/// One value in a table cell or a header fact.
#[derive(Debug, Clone)]
pub enum Cell {
    /// The record's own link, with a second line (a job title).
    Name {
        href: String,
        text: String,
        sub: String,
    },
    /// A link to another record (a person's company).
    Link {
        href: String,
        text: String,
    },
    Mail(String),
    /// (E.164 for `tel:`, the number as read)
    Tel(String, String),
    /// A web address, opened in a new tab.
    Web(String),
    Text(String),
    /// A code-like value in a fixed-width font (a tax number).
    Mono(String),
    /// A date or time, muted and unbroken.
    When(String),
    /// A badge with its colour class suffix (`lead`) and label.
    Badge(&'static str, String),
    /// A muted label before a value ("Sorumlu: Ayşe Yılmaz · Satış").
    Labelled(String, String),
}

impl Cell {
    /// Text that is empty reads as "—" in tables and is left out of facts.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Name { text, .. } | Cell::Link { text, .. } => text.is_empty(),
            Cell::Mail(s) | Cell::Web(s) | Cell::Text(s) | Cell::Mono(s) | Cell::When(s) => {
                s.is_empty()
            }
            Cell::Tel(_, shown) => shown.is_empty(),
            Cell::Badge(_, label) => label.is_empty(),
            Cell::Labelled(_, value) => value.is_empty(),
        }
    }

    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }
}

/// One row: the record's id and name (for the selection box's label) and its cells, in the
/// order of the columns.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub cells: Vec<Cell>,
}

/// The columns and rows of one list page.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The width class of the `n`th column, for its cells.
    pub fn class(&self, n: &usize) -> &'static str {
        self.columns.get(*n).map_or("", |c| c.class)
    }

    /// The label of the `n`th column, for its cells on a phone (where the header is hidden).
    pub fn label(&self, n: &usize) -> &str {
        self.columns.get(*n).map_or("", |c| c.label.as_str())
    }

    /// The key of the `n`th column, for the column chooser.
    pub fn key(&self, n: &usize) -> &str {
        self.columns.get(*n).map_or("", |c| c.key.as_str())
    }
}
