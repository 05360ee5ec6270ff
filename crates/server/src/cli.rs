//! The command line: `rehber [serve] | migrate | user add | token issue | demo | export |
//! import | backup | restore | reindex | analytics`.
//!
//! Only argument shapes live here; what each command does is in `commands` and `serve`.

use crate::config::Flags;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Rehber: a self-hostable CRM. Without a command, `rehber` serves the web application.
#[derive(Debug, Parser)]
#[command(name = "rehber", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Serve options when no command is given (`rehber --demo` = `rehber serve --demo`).
    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes: where the configuration and the database are.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Configuration file (default: rehber.toml in the working directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Database URL: postgres://… or sqlite://… (default: SQLite file in the data directory).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// Data directory (default: ./rehber-data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and the API (the default command).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fill an empty database with the demo company.
    Demo(DemoArgs),
    /// Write the people or company list a user sees to a CSV or XLSX file (written to the
    /// audit log like an export from the API).
    Export(ExportArgs),
    /// Import people or companies from a CSV, XLSX, XLS or ODS file. Without --commit, a
    /// dry run: every row is checked and nothing is written. With --commit, every row is
    /// created or none (exit 2 with the report when any row has an error).
    Import(ImportArgs),
    /// Write one verified archive of the database and the attachments' files; the server may
    /// keep serving meanwhile.
    Backup(BackupArgs),
    /// Put a backup in place of the database (and its files back). Refused while a server runs
    /// on the database; the database it replaces is kept aside.
    Restore(RestoreArgs),
    /// Recompute the search, sort and name keys of every person and company (after an upgrade
    /// whose notes ask for it).
    Reindex,
    /// Customer analytics over CSV files (RFM, CLV, churn, cohorts, rules…).
    #[command(subcommand)]
    Analytics(rehber_analytics_cli::AnalyticsCommand),
}

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on (default: 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,

    /// Fill the demo company first when the database holds no people or companies.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user (the team is created when missing).
    Add(UserAddArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub email: String,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// administrator, sales_manager, sales_rep, support_agent, marketer or read_only.
    #[arg(long)]
    pub role: String,
    /// Team name (created when missing).
    #[arg(long)]
    pub team: Option<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for a user; it is printed once, as the last word of the output.
    Issue(TokenIssueArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TokenIssueArgs {
    /// The user's e-mail.
    #[arg(long)]
    pub email: String,
    /// A name to recognize the token by (default: "CLI").
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// How many people (companies follow: one per six people, at least 50).
    #[arg(long, default_value_t = rehber_app::demo::DEFAULT_PEOPLE)]
    pub people: usize,
    /// Random seed: the same seed gives the same demo records.
    #[arg(long, default_value_t = rehber_app::demo::DEFAULT_SEED)]
    pub seed: u64,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// `people` or `companies`.
    pub kind: String,
    /// `csv` or `xlsx`.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// For CSV: `standard` or `excel-tr` (a byte-order mark, `;` and a decimal comma).
    #[arg(long)]
    pub profile: Option<String>,
    /// The file to write (replaced when it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Export what this user (by e-mail) may see; by default, as the first administrator:
    /// everything.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: Option<String>,
    /// Language of the header row: `tr` or `en` (default: the user's, else Turkish).
    #[arg(long)]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file: CSV (UTF-8, UTF-16 or windows-1254; `;`, `,`, tab or `|`), XLSX, XLS or ODS.
    pub file: PathBuf,
    /// `people` or `companies`.
    #[arg(long)]
    pub kind: String,
    /// A JSON object laid over the mapping the headers suggest: a header (or a column number
    /// counted from 1) → a field code (`first_name`, `emails`, `custom.<key>`…) or null.
    #[arg(long, value_name = "M.json")]
    pub mapping: Option<PathBuf>,
    /// Import as this user (by e-mail): the records are theirs and the check sees what they
    /// see; by default, as the first administrator.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: Option<String>,
    /// Create the records (all or none); without it, only check.
    #[arg(long)]
    pub commit: bool,
    /// A CSV file's encoding when the guess is wrong (`windows-1254`, `utf-8`, `utf-16le`).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Language of the report: `en` (the default) or `tr`.
    #[arg(long)]
    pub lang: Option<String>,
    /// What a row matching a kept record (same e-mail, phone, TCKN or VKN) does: `refuse`
    /// (an error; the default), `update` (the record takes the row's non-empty values) or
    /// `skip`.
    #[arg(long, value_name = "refuse|update|skip", default_value = "refuse")]
    pub on_match: String,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The archive to write (replaced when it exists; written beside it first, so a failed
    /// backup leaves nothing under this name).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The archive `rehber backup` wrote.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Replace a database that holds data (it is kept aside, not deleted).
    #[arg(long)]
    pub force: bool,
}

impl Cli {
    /// The configuration flags given on this command line (`--listen` from `serve` first).
    pub fn flags(&self) -> Flags {
        let listen = match &self.command {
            Some(Command::Serve(args)) => args.listen.clone().or(self.serve.listen.clone()),
            _ => self.serve.listen.clone(),
        };
        Flags {
            config: self.global.config.clone(),
            listen,
            database_url: self.global.database_url.clone(),
            data_dir: self.global.data_dir.clone(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_command_line_parses_every_documented_form() {
        Cli::command_for_tests().debug_assert();
        let cli = Cli::try_parse_from(["rehber", "--demo"]).unwrap();
        assert!(cli.command.is_none() && cli.serve.demo);
        let cli = Cli::try_parse_from([
            "rehber",
            "serve",
            "--listen",
            "0.0.0.0:1",
            "--data-dir",
            "/d",
        ])
        .unwrap();
        assert_eq!(cli.flags().listen.as_deref(), Some("0.0.0.0:1"));
        assert_eq!(cli.flags().data_dir, Some(PathBuf::from("/d")));
        let cli = Cli::try_parse_from([
            "rehber",
            "user",
            "add",
            "--email",
            "a@b.co",
            "--name",
            "A",
            "--role",
            "sales_rep",
            "--team",
            "Satış",
            "--password-stdin",
            "--database-url",
            "sqlite://x.db",
        ])
        .unwrap();
        assert!(
            matches!(cli.command, Some(Command::User(UserCommand::Add(ref a))) if a.password_stdin)
        );
        assert_eq!(cli.flags().database_url.as_deref(), Some("sqlite://x.db"));
        let cli = Cli::try_parse_from(["rehber", "demo", "--people", "10"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Demo(DemoArgs { people: 10, .. }))
        ));
        let cli = Cli::try_parse_from([
            "rehber",
            "import",
            "k.csv",
            "--kind",
            "people",
            "--mapping",
            "m.json",
            "--commit",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Import(ImportArgs { ref kind, commit: true, ref mapping, .. }))
                if kind == "people" && mapping.is_some()
        ));
        let cli = Cli::try_parse_from(["rehber", "restore", "--from", "y.zip", "--force"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Restore(RestoreArgs { ref from, force: true })) if from == Path::new("y.zip")
        ));
        let cli = Cli::try_parse_from(["rehber", "backup", "--out", "y.zip"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Backup(BackupArgs { .. }))
        ));
        let cli = Cli::try_parse_from([
            "rehber", "export", "people", "--out", "k.csv", "--as", "a@b.co",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Export(ExportArgs { ref kind, ref as_user, .. }))
                if kind == "people" && as_user.as_deref() == Some("a@b.co")
        ));
    }

    impl Cli {
        fn command_for_tests() -> clap::Command {
            <Cli as clap::CommandFactory>::command()
        }
    }
}
