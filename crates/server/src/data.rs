//! The data commands: `export` (import, backup and restore join it as they land). They run
//! the same services as the API, as a named user, so a file holds what that user may see
//! and the audit log says who took it.

use crate::cli::ExportArgs;
use crate::commands::{CliError, CliResult, app_error, open_app, say};
use crate::config::Config;
use rehber_app::{App, AppError, User};
use rehber_domain::Role;
use rehber_web::export::{ExportFormat, ExportKind, export_list};
use rehber_web::i18n::Lang;
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
