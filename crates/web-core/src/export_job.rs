//! The job that writes a list exported in the background (`rehber_app::list_exports`):
//! the same file a download would be, read as the requester's list shows it when the job
//! runs, kept in the file store and announced by a notification.

use crate::export::{ExportFormat, ExportKind, export_list};
use crate::i18n::Lang;
use crate::list_params::{self, Reading};
use crate::query::QueryErrors;
use rehber_app::App;
use rehber_app::jobs::{JobFailure, JobHandlers};
use rehber_app::list_exports::{LIST_EXPORT, WrittenList, failure_code};
use serde_json::Value;

/// A format as the audit log names it (`csv`, `csv excel-tr`, `xlsx`), read back.
pub fn format_of_label(label: &str) -> Option<ExportFormat> {
    match label.split_once(' ') {
        Some((format, profile)) => ExportFormat::parse(format, Some(profile)),
        None => ExportFormat::parse(label, None),
    }
}

/// The export job added to `handlers`.
pub fn register(handlers: JobHandlers) -> JobHandlers {
    handlers.with(LIST_EXPORT, |app, payload| async move {
        list_export_job(&app, &payload).await
    })
}

async fn list_export_job(app: &App, payload: &Value) -> Result<(), JobFailure> {
    let Some(id) = payload["export_id"].as_i64() else {
        return Err(JobFailure::Permanent(format!(
            "a list export needs export_id: {payload}"
        )));
    };
    let (export, actor) = app.start_list_export(id).await?;
    let lang = Lang::parse(&export.lang).unwrap_or_default();
    let kind = match export.record_type.as_str() {
        "company" => ExportKind::Companies,
        _ => ExportKind::People,
    };
    let Some(format) = format_of_label(&export.format) else {
        app.finish_list_export(&export, Err("invalid-export-format".into()))
            .await?;
        return Ok(());
    };
    // The parameters were read strictly when the export was asked for.
    let mut errors = QueryErrors::default();
    let request = list_params::read(Some(&export.query), Reading::Lenient, &mut errors);
    let written = export_list(app, lang, &actor, kind, &request, format, &export.query)
        .await
        .map(|file| WrittenList {
            bytes: file.bytes,
            file_name: file.file_name,
            rows: file.rows,
        });
    match written {
        Ok(list) => app.finish_list_export(&export, Ok(list)).await,
        // A database that is away is tried again; a refusal is the answer.
        Err(rehber_app::AppError::Internal(message)) => Err(JobFailure::Retry(message)),
        Err(refused) => {
            app.finish_list_export(&export, Err(failure_code(&refused)))
                .await
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rehber_sheets::CsvProfile;

    #[test]
    fn a_format_is_read_back_from_its_label() {
        for format in [
            ExportFormat::Csv(CsvProfile::Standard),
            ExportFormat::Csv(CsvProfile::ExcelTurkish),
            ExportFormat::Xlsx,
        ] {
            assert_eq!(format_of_label(format.label()), Some(format));
        }
        assert_eq!(format_of_label("pdf"), None);
    }
}
