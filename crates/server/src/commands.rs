//! The one-shot commands (`migrate`, `user add`, `token issue`, `demo`, `reindex`) and what
//! they share: opening the store, turning service errors into one-line messages and exit
//! codes.
//!
//! Output meant for the user goes to the writer passed in (stdout); logs go to stderr.

use crate::cli::{DemoArgs, TokenIssueArgs, UserAddArgs};
use crate::config::Config;
use rehber_app::backup::ServeLock;
use rehber_app::demo::{DemoOptions, DemoProgress, DemoReport};
use rehber_app::users::UserInput;
use rehber_app::{App, AppError, Settings, Store};
use rehber_domain::{Error, FieldErrors, Role};
use std::io::{BufRead, IsTerminal, Write};

/// A command's failure: a message for the user and the process exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    /// 2: the input was wrong (fix the command line or configuration); 1: something failed.
    pub code: u8,
}

impl CliError {
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 2,
        }
    }

    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 1,
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// Writes a line of output; a closed stdout is a failure, not a panic.
pub fn say(out: &mut dyn Write, text: &str) -> CliResult {
    writeln!(out, "{text}").map_err(|e| CliError::failure(format!("cannot write output: {e}")))
}

/// Opens the configured database (creating the SQLite file and its directory when needed),
/// applies pending migrations and builds the services.
pub async fn open_app(config: &Config) -> CliResult<App> {
    open_app_as(config, Opening::Migrate)
        .await
        .map(|(app, _)| app)
}

/// How a command opens the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Migrate it (every command that works with records).
    Migrate,
    /// Migrate it holding the serving lock, taken before the database is touched (`serve`).
    Serve,
    /// Read it as it is, holding the serving lock, without migrating (`backup`: a newer
    /// binary taking a backup must not upgrade the schema under the running server).
    AsItIs,
}

/// [`open_app`], with the serving lock for `serve` and `backup` (a restore refuses to run
/// while it is held, and they refuse to start while a restore runs).
pub async fn open_app_as(config: &Config, opening: Opening) -> CliResult<(App, Option<ServeLock>)> {
    let database = config.database();
    let sqlite_dir = database
        .sqlite_path()
        .and_then(|path| path.parent().map(|d| d.to_path_buf()))
        .filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = sqlite_dir {
        std::fs::create_dir_all(&dir).map_err(|e| {
            CliError::failure(format!(
                "cannot create data directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut lock = match opening {
        Opening::Migrate => None,
        Opening::Serve | Opening::AsItIs => Some(
            ServeLock::for_serving(database.sqlite_path().as_deref())
                .map_err(crate::backup::cli_error)?,
        ),
    };
    tracing::debug!(database = %database, "opening database");
    let store = Store::connect(database.expose(), config.max_connections)
        .await
        .map_err(|e| CliError::failure(format!("cannot open database {database}: {e}")))?;
    if let Some(lock) = &mut lock
        && let Err(refused) = lock.hold(&store).await
    {
        store.close().await;
        return Err(crate::backup::cli_error(refused));
    }
    if opening == Opening::AsItIs {
        let found = store
            .schema_version()
            .await
            .map_err(|e| CliError::failure(format!("cannot read database {database}: {e}")))?;
        let known = Store::known_schema_version(store.backend());
        if found > known {
            store.close().await;
            return Err(CliError::input(format!(
                "the database is at schema version {found}, newer than this Rehber knows \
                 ({known}); use the Rehber that serves it"
            )));
        }
    } else {
        store
            .migrate()
            .await
            .map_err(|e| CliError::failure(format!("cannot migrate database {database}: {e}")))?;
    }
    let settings = Settings {
        session_ttl: jiff::SignedDuration::from_hours(i64::from(config.session_hours)),
        public_url: config.public_url(),
        email_unread_after: config
            .smtp_url
            .as_ref()
            .map(|_| jiff::SignedDuration::from_mins(i64::from(config.email_unread_minutes))),
        letterhead: config.company.clone(),
        ..Settings::default()
    };
    let mut app = App::new(store, settings);
    app.jobs = rehber_web::mail::register(app.jobs);
    app.files = open_files(config).await?;
    if let Some(url) = &config.smtp_url {
        let mailer = rehber_mail::SmtpMailer::new(url.expose(), &config.mail_from)
            .map_err(|e| CliError::failure(format!("cannot use the mail settings: {e}")))?;
        app.mailer = Some(std::sync::Arc::new(mailer));
    }
    Ok((app, lock))
}

/// Where attachments are kept: beside the database by default, or in an S3-compatible
/// bucket. A store that cannot be written stops the start rather than losing uploads later.
pub async fn open_files(config: &Config) -> Result<rehber_files::Files, CliError> {
    let Some(url) = &config.files_url else {
        let folder = config.data_dir.join("files");
        return rehber_files::Files::local(&folder)
            .map_err(|e| CliError::failure(format!("cannot use the files folder: {e}")));
    };
    let refuse = |e: rehber_files::FilesError| {
        CliError::failure(format!("cannot use the file store {url}: {e}"))
    };
    let location = rehber_files::S3Location::parse(url).map_err(refuse)?;
    let files = rehber_files::Files::s3(&location, None).map_err(refuse)?;
    files.check().await.map_err(refuse)?;
    tracing::info!(bucket = %location.bucket, prefix = %location.prefix, "attachments are kept in an S3-compatible bucket");
    Ok(files)
}

pub async fn migrate(config: &Config, out: &mut dyn Write) -> CliResult {
    let app = open_app(config).await?;
    app.store.close().await;
    say(
        out,
        &format!("Database {} is up to date.", config.database()),
    )
}

pub async fn user_add(config: &Config, args: &UserAddArgs, out: &mut dyn Write) -> CliResult {
    let password = if args.password_stdin {
        read_password()?
    } else {
        String::new()
    };
    let app = open_app(config).await?;
    let input = UserInput {
        email: args.email.clone(),
        name: args.name.clone(),
        role: args.role.clone(),
        team: args.team.clone().unwrap_or_default(),
        password,
    };
    let result = app.create_user(None, &input).await;
    app.store.close().await;
    let created = result.map_err(|e| app_error(e, "cannot create the user"))?;
    let user = &created.user;
    let team = user
        .team_name
        .as_deref()
        .map(|t| format!(", team {t}"))
        .unwrap_or_default();
    say(
        out,
        &format!(
            "Created {} <{}> as {}{team}.",
            user.name, user.email, user.role
        ),
    )?;
    if let Some(password) = created.generated_password {
        say(out, &format!("Password (shown once): {password}"))?;
    }
    Ok(())
}

pub async fn token_issue(config: &Config, args: &TokenIssueArgs, out: &mut dyn Write) -> CliResult {
    let app = open_app(config).await?;
    let result = async {
        let user = app.find_user_by_email(&args.email).await?;
        let Some(user) = user else {
            return Ok(None);
        };
        let token = app
            .issue_token(&user, args.name.as_deref().unwrap_or("CLI"))
            .await?;
        Ok::<_, AppError>(Some((user, token)))
    }
    .await;
    app.store.close().await;
    match result.map_err(|e| app_error(e, "cannot issue the token"))? {
        None => Err(CliError::input(format!(
            "no user with e-mail {}",
            args.email.trim()
        ))),
        Some((user, token)) => say(
            out,
            &format!(
                "API token for {} (shown once): {}",
                user.email, token.secret
            ),
        ),
    }
}

pub async fn reindex(config: &Config, out: &mut dyn Write) -> CliResult {
    let app = open_app(config).await?;
    let result = app.refresh_derived_keys().await;
    app.store.close().await;
    let (people, companies) = result.map_err(|e| app_error(e, "cannot refresh the search keys"))?;
    say(
        out,
        &format!(
            "Search, sort and name keys refreshed: {people} people and {companies} companies rewritten."
        ),
    )
}

pub async fn demo(config: &Config, args: &DemoArgs, out: &mut dyn Write) -> CliResult {
    let app = open_app(config).await?;
    let options = DemoOptions {
        people: args.people,
        seed: args.seed,
    };
    let result = generate_demo(&app, &options).await;
    app.store.close().await;
    let report = result?;
    print_demo_report(&report, config, out)
}

/// Generates the demo company, showing progress on a terminal.
pub async fn generate_demo(app: &App, options: &DemoOptions) -> CliResult<DemoReport> {
    let terminal = std::io::stderr().is_terminal();
    let mut progress = move |p: DemoProgress| {
        if terminal {
            eprint!("\rDemo: {} of {} records stored", p.stored, p.total);
            if p.stored == p.total {
                eprintln!();
            }
        }
    };
    app.generate_demo(options, &mut progress)
        .await
        .map_err(|e| app_error(e, "cannot generate the demo company"))
}

pub fn print_demo_report(report: &DemoReport, config: &Config, out: &mut dyn Write) -> CliResult {
    let seconds = report.load_time.as_secs_f64();
    say(
        out,
        &format!(
            "Demo company generated: {} companies, {} people, {} tag rows in {seconds:.2} s \
             ({:.0} rows/s, {:.0} people/s).",
            report.companies,
            report.people,
            report.tags,
            report.rows_per_second(),
            report.people as f64 / seconds.max(1e-9),
        ),
    )?;
    say(
        out,
        &format!(
            "Sign in at http://{}/ (rehber serve) as one of:",
            config.listen
        ),
    )?;
    for user in &report.users {
        let team = user.team.as_deref().unwrap_or("-");
        let note = if user.created {
            ""
        } else {
            " (existed already; password unchanged)"
        };
        say(
            out,
            &format!("  {:<36} {:<14} {team}{note}", user.email, user.role),
        )?;
    }
    if report.users.iter().any(|u| u.created) {
        say(
            out,
            &format!(
                "Password of the demo users (shown once): {}",
                report.password
            ),
        )?;
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password() -> CliResult<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::failure(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(CliError::input(
            "no password on standard input (--password-stdin reads its first line)",
        ));
    }
    Ok(password)
}

/// A service error as a one-line message: refusals are the user's to fix (exit 2),
/// anything else is a failure (exit 1).
pub fn app_error(error: AppError, context: &str) -> CliError {
    match error {
        AppError::Domain(Error::Validation(errors)) => {
            CliError::input(format!("{context}: {}", describe_fields(&errors)))
        }
        AppError::Domain(Error::Taken { field }) => {
            CliError::input(format!("{context}: this {field} is already taken"))
        }
        AppError::Domain(Error::InvalidState("demo-database-not-empty")) => CliError::input(
            "the database already holds people or companies; the demo company is only \
             generated into an empty database (use a new --data-dir or DATABASE_URL)",
        ),
        AppError::Domain(Error::NotFound) => CliError::input(format!("{context}: not found")),
        AppError::Domain(other) => CliError::input(format!("{context}: {other}")),
        AppError::Internal(message) => CliError::failure(format!("{context}: {message}")),
    }
}

/// `email: not a valid e-mail address; role: must be one of …`
fn describe_fields(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            let text = match (e.field.as_str(), e.code.as_str()) {
                ("role", "invalid-unknown-value") => {
                    format!("must be one of {}", Role::ALL.map(Role::as_str).join(", "))
                }
                (_, "invalid-required") => "is required".into(),
                (_, "invalid-email") => "is not a valid e-mail address".into(),
                (_, "invalid-too-long") => "is too long".into(),
                (_, "invalid-control-character") => {
                    "contains a control character (such as a tab, a line break or NUL)".into()
                }
                (_, "invalid-password-short") => format!(
                    "must be at least {} characters",
                    rehber_app::auth::MIN_PASSWORD_CHARS
                ),
                (_, code) => code.to_string(),
            };
            format!("{} {text}", e.field)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_read_as_sentences_and_exit_with_2() {
        let mut errors = FieldErrors::new();
        errors.add("email", "invalid-email");
        errors.add("role", "invalid-unknown-value");
        let err = app_error(
            AppError::Domain(Error::Validation(errors)),
            "cannot create the user",
        );
        assert_eq!(err.code, 2);
        assert!(err.message.contains("email is not a valid e-mail address"));
        assert!(
            err.message
                .contains("role must be one of administrator, sales_manager")
        );
        let err = app_error(AppError::Internal("disk full".into()), "x");
        assert_eq!(err.code, 1);
    }
}
