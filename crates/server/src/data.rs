//! The data commands: `export` and `import` (backup and restore join them as they land).
//! They run the same services as the API, as a named user, so a file holds what that user
//! may see, an import creates what that user may create, and the audit log says who.

use crate::cli::{ExportArgs, ImportArgs};
use crate::commands::{CliError, CliResult, app_error, open_app, say};
use crate::config::Config;
use rehber_app::imports::{Checked, ImportOptions, Prepared};
use rehber_app::{App, AppError, User};
use rehber_domain::Role;
use rehber_domain::import::{ImportKind, ReportRow, RowStatus};
use rehber_domain::party::{Companies, People};
use rehber_web::export::{ExportFormat, ExportKind, export_list};
use rehber_web::i18n::Lang;
use rehber_web::imports::{describe_row, lexicon, matches_text};
use std::io::Write;

/// The user a command acts as: the one `email` names, or else the first active
/// administrator.
async fn acting_user(app: &App, email: Option<&str>) -> CliResult<User> {
    let found = match email {
        Some(email) => app
            .find_user_by_email(email)
            .await
            .map_err(|e| app_error(e, "cannot find the user"))?,
        None => app
            .list_users()
            .await
            .map_err(|e| app_error(e, "cannot list the users"))?
            .into_iter()
            .find(|u| u.active && u.role == Role::Administrator),
    };
    found.filter(|u| u.active).ok_or_else(|| match email {
        Some(email) => CliError::input(format!("no active user with e-mail {}", email.trim())),
        None => CliError::input("no active administrator; name the user with --as EMAIL"),
    })
}

pub async fn export(config: &Config, args: &ExportArgs, out: &mut dyn Write) -> CliResult {
    let kind = ExportKind::parse(&args.kind)
        .ok_or_else(|| CliError::input("export what? people or companies"))?;
    let format = ExportFormat::parse(&args.format, args.profile.as_deref()).ok_or_else(|| {
        CliError::input("--format is csv or xlsx; --profile (CSV only) is standard or excel-tr")
    })?;
    let chosen_lang = match args.lang.as_deref() {
        None => None,
        Some(code) => Some(Lang::parse(code).ok_or_else(|| CliError::input("--lang is tr or en"))?),
    };
    let app = open_app(config).await?;
    let result = async {
        let user = acting_user(&app, args.as_user.as_deref()).await?;
        let lang = chosen_lang
            .or_else(|| user.locale.as_deref().and_then(Lang::parse))
            .unwrap_or(Lang::Tr);
        let request = rehber_app::list::ListRequest::default();
        let query = format!("rehber export {}", args.kind);
        let file = export_list(&app, lang, &user.actor(), kind, &request, format, &query)
            .await
            .map_err(|e: AppError| app_error(e, "cannot export the list"))?;
        Ok::<_, CliError>((user, file))
    }
    .await;
    app.store.close().await;
    let (user, file) = result?;
    // Written beside the target first, so that a failure never leaves half a file under
    // the name asked for.
    let partial = args.out.with_extension("partial");
    std::fs::write(&partial, &file.bytes)
        .and_then(|()| std::fs::rename(&partial, &args.out))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            CliError::failure(format!("cannot write {}: {e}", args.out.display()))
        })?;
    say(
        out,
        &format!(
            "Exported {} rows to {}, as {} sees them.",
            file.rows,
            args.out.display(),
            user.email
        ),
    )
}

/// How many rows with errors a report prints (the API's error report has them all).
const PRINTED_ERRORS: usize = 20;

/// A refusal of the file or the mapping, in the report's language.
fn import_refusal(lang: Lang, error: AppError) -> CliError {
    match error {
        AppError::Domain(rehber_domain::Error::Validation(errors)) => {
            let text = errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, lang.t(&e.code)))
                .collect::<Vec<_>>()
                .join("; ");
            CliError::input(format!("cannot import the file: {text}"))
        }
        AppError::Domain(rehber_domain::Error::InvalidState(what))
        | AppError::Domain(rehber_domain::Error::Conflict(what)) => CliError::input(format!(
            "cannot import the file: {}",
            lang.t(&format!("invalid-state-{what}"))
        )),
        other => app_error(other, "cannot import the file"),
    }
}

/// The summary and the first rows with errors, as `rehber import` prints them.
fn print_report(
    lang: Lang,
    prepared: &Prepared,
    (counts, report): (rehber_domain::import::ImportCounts, &[ReportRow]),
    custom: &[rehber_domain::custom::CustomField],
    out: &mut dyn Write,
) -> CliResult {
    let table = &prepared.table;
    let read = match (table.encoding, table.delimiter, &table.sheet) {
        (Some(encoding), Some(delimiter), _) => {
            let delimiter = if delimiter == '\t' {
                "tab".to_string()
            } else {
                format!("'{delimiter}'")
            };
            format!("CSV, {encoding}, {delimiter}")
        }
        (_, _, Some(sheet)) => format!("workbook, sheet \"{sheet}\""),
        _ => "workbook".to_string(),
    };
    say(out, &format!("Read: {read}"))?;
    let columns: Vec<String> = table
        .header
        .iter()
        .zip(prepared.codes())
        .map(|(header, code)| format!("{header} → {}", code.as_deref().unwrap_or("-")))
        .collect();
    say(out, &format!("Columns: {}", columns.join(", ")))?;
    say(
        out,
        &lang.t_args(
            "import-cli-summary",
            &[
                ("total", counts.total.to_string()),
                ("ok", counts.ok.to_string()),
                ("warnings", counts.warnings.to_string()),
                ("errors", counts.errors.to_string()),
            ],
        ),
    )?;
    if prepared.on_match != rehber_domain::import::OnMatch::Refuse {
        say(out, &matches_text(lang, &counts))?;
    }
    let mut rows: Vec<&ReportRow> = report.iter().collect();
    rows.sort_by_key(|r| (r.status != RowStatus::Error, r.line));
    for row in rows.iter().take(PRINTED_ERRORS) {
        let label = match row.status {
            RowStatus::Error => lang.t("import-cli-error"),
            RowStatus::Warning => lang.t("import-cli-warning"),
            RowStatus::Ok => lang.t("import-cli-line"),
        };
        say(
            out,
            &format!(
                "  {label} {}: {}",
                row.line,
                describe_row(lang, row, custom)
            ),
        )?;
    }
    if rows.len() > PRINTED_ERRORS {
        say(
            out,
            &lang.t_args(
                "import-cli-more",
                &[("count", (rows.len() - PRINTED_ERRORS).to_string())],
            ),
        )?;
    }
    Ok(())
}

async fn dry_run(
    app: &App,
    user: &User,
    prepared: &Prepared,
) -> Result<(rehber_domain::import::ImportCounts, Vec<ReportRow>), AppError> {
    let actor = user.actor();
    Ok(match prepared.kind {
        ImportKind::People => {
            let Checked { counts, report, .. } = app
                .dry_run_import::<People>(&actor, prepared, lexicon())
                .await?;
            (counts, report)
        }
        ImportKind::Companies => {
            let Checked { counts, report, .. } = app
                .dry_run_import::<Companies>(&actor, prepared, lexicon())
                .await?;
            (counts, report)
        }
    })
}

pub async fn import(config: &Config, args: &ImportArgs, out: &mut dyn Write) -> CliResult {
    let kind = ImportKind::parse(&args.kind)
        .ok_or_else(|| CliError::input("--kind is people or companies"))?;
    let lang = match args.lang.as_deref() {
        None => Lang::En,
        Some(code) => Lang::parse(code).ok_or_else(|| CliError::input("--lang is tr or en"))?,
    };
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::input(format!("cannot read {}: {e}", args.file.display())))?;
    let mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Object(map)) => Some(map),
                _ => {
                    return Err(CliError::input(format!(
                        "{} is not a JSON object of columns to fields ({{\"E-posta\": \"emails\"}})",
                        path.display()
                    )));
                }
            }
        }
    };
    let on_match = rehber_domain::import::OnMatch::parse(&args.on_match)
        .ok_or_else(|| CliError::input("--on-match is refuse, update or skip"))?;
    let options = ImportOptions {
        encoding: args.encoding.clone(),
        mapping,
        on_match,
    };
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "import".into());
    let app = open_app(config).await?;
    let result = async {
        let user = acting_user(&app, args.as_user.as_deref()).await?;
        let bytes = bytes::Bytes::from(bytes);
        let prepared = app
            .prepare_import(kind, bytes.clone(), &options)
            .await
            .map_err(|e| import_refusal(lang, e))?;
        let (counts, report) = dry_run(&app, &user, &prepared)
            .await
            .map_err(|e| import_refusal(lang, e))?;
        let custom = app
            .custom_fields(Some(kind.record_type()), true)
            .await
            .map_err(|e| app_error(e, "cannot import the file"))?;
        print_report(lang, &prepared, (counts, &report), &custom, out)?;
        if counts.errors > 0 {
            return Err(CliError::input(lang.t("import-cli-refused")));
        }
        if !args.commit {
            return say(out, &lang.t("import-cli-dry-run"));
        }
        let actor = user.actor();
        let import = app
            .upload_import(&actor, kind, &file_name, bytes, &options)
            .await
            .map_err(|e| import_refusal(lang, e))?;
        app.check_import(&actor, import.id, lexicon())
            .await
            .map_err(|e| import_refusal(lang, e))?;
        let done = app
            .commit_import(&actor, import.id, lexicon(), false)
            .await
            .map_err(|e| import_refusal(lang, e))?;
        if done.rows_updated > 0 {
            let count = done.rows_updated.to_string();
            say(out, &lang.t_args("import-cli-updated", &[("count", count)]))?;
        }
        say(
            out,
            &lang.t_args(
                "import-cli-committed",
                &[
                    ("count", done.rows_created.to_string()),
                    ("id", done.id.to_string()),
                    ("user", user.email.clone()),
                ],
            ),
        )
    }
    .await;
    app.store.close().await;
    result
}
