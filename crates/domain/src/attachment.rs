//! Files attached to records: what a stored attachment is, the name it is shown and
//! downloaded under, and which kinds of file a browser may show inline.

use crate::activity::Link;
use crate::ids::UserId;

/// The longest file name kept, in characters (longer ones are cut, keeping the extension).
pub const MAX_FILENAME_CHARS: usize = 200;

/// A stored attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    /// The record it is attached to.
    pub record: Link,
    pub filename: String,
    /// As sniffed from the content (the name's extension only when the content says
    /// nothing).
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Where the bytes are in the file store.
    pub storage_key: String,
    pub uploaded_by: Option<UserId>,
    pub uploaded_by_name: Option<String>,
    pub created_at: jiff::Timestamp,
}

impl Attachment {
    /// Whether a browser may show it inline (a preview): pictures and PDFs. Anything else
    /// (HTML and SVG above all, which could run scripts) is only ever downloaded.
    pub fn previewable(&self) -> bool {
        previewable(&self.content_type)
    }

    pub fn is_image(&self) -> bool {
        matches!(
            self.content_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        )
    }
}

/// Whether files of this type may be shown inline.
pub fn previewable(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "application/pdf"
    )
}

/// A file name fit to keep and show: the last path segment, without control characters,
/// at most [`MAX_FILENAME_CHARS`] (cut before the extension); `dosya` when nothing is left.
pub fn clean_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .to_string();
    if cleaned.is_empty() {
        return "dosya".to_string();
    }
    if cleaned.chars().count() <= MAX_FILENAME_CHARS {
        return cleaned;
    }
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => (stem.to_string(), format!(".{ext}")),
        _ => (cleaned.clone(), String::new()),
    };
    let keep = MAX_FILENAME_CHARS - extension.chars().count();
    format!("{}{extension}", stem.chars().take(keep).collect::<String>())
}

/// The content type a file name suggests, for content that says nothing by itself.
pub fn type_from_name(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "svg" => "image/svg+xml",
        "md" => "text/markdown",
        "ics" => "text/calendar",
        "vcf" => "text/vcard",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_cleaned_and_cut_keeping_the_extension() {
        assert_eq!(
            clean_filename("C:\\\\Belgeler\\\\Teklif Şubat.pdf"),
            "Teklif Şubat.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(clean_filename("  ..  "), "dosya");
        let long = format!("{}.xlsx", "ç".repeat(300));
        let cut = clean_filename(&long);
        assert_eq!(cut.chars().count(), MAX_FILENAME_CHARS);
        assert!(cut.ends_with(".xlsx"));
    }

    #[test]
    fn only_pictures_and_pdfs_are_shown_inline() {
        assert!(previewable("image/png") && previewable("application/pdf"));
        assert!(!previewable("image/svg+xml") && !previewable("text/html"));
        assert_eq!(type_from_name("notlar.TXT"), "text/plain");
        assert_eq!(type_from_name("x"), "application/octet-stream");
    }
}
