//! The server's configuration: defaults, then `rehber.toml` (or `--config FILE`), then the
//! environment, then command-line flags, each layer overriding the one before.
//!
//! One [`Config`] is built at start-up and passed down; nothing here is global. The database
//! URL is a secret: its `Debug` and `Display` forms hide the password, so logging a config
//! never leaks it.

use serde::Deserialize;
use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./rehber-data";
/// `sqlx::query=error`: sqlx reports slow statements as warnings with their full text, which
/// for bulk inserts is hundreds of kilobytes. `sqlx::postgres::notice=warn`: PostgreSQL's
/// notices ("relation already exists, skipping" on every migration check) are not news.
pub const DEFAULT_LOG: &str = "info,sqlx::query=error,sqlx::postgres::notice=warn";
pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;
pub const DEFAULT_SESSION_HOURS: u32 = 12;
/// The configuration file read from the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "rehber.toml";
/// The SQLite file inside the data directory when no database URL is configured.
pub const SQLITE_FILE: &str = "rehber.db";
/// The sender of Rehber's e-mails unless configured.
pub const DEFAULT_MAIL_FROM: &str = "Rehber <rehber@localhost>";
/// Minutes a notification stays unread before it is e-mailed, unless configured.
pub const DEFAULT_EMAIL_UNREAD_MINUTES: u32 = 10;
/// Scheduled backups kept unless configured.
pub const DEFAULT_BACKUP_KEEP: u32 = 7;
/// The folder inside the data directory scheduled backups go to unless configured.
pub const BACKUP_FOLDER: &str = "backups";

/// Backups the server takes by itself (`[backup]` in the file). Off unless `every_hours`
/// is set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduledBackups {
    /// Hours between two backups; 0 (the default) takes none.
    pub every_hours: u32,
    /// Where they are written: `backups` in the data directory unless set.
    pub dir: Option<PathBuf>,
    /// How many of the newest are kept (7 unless set).
    pub keep: Option<u32>,
}

/// The `REHBER_*` variables Rehber reads; any other (except tooling's, below) is reported.
const KNOWN_VARIABLES: &[&str] = &[
    "REHBER_CONFIG",
    "REHBER_LISTEN",
    "REHBER_DATA_DIR",
    "REHBER_SECURE_COOKIES",
    "REHBER_TRUST_PROXY",
    "REHBER_MAX_CONNECTIONS",
    "REHBER_SESSION_HOURS",
    "REHBER_PUBLIC_URL",
    "REHBER_SMTP_URL",
    "REHBER_MAIL_FROM",
    "REHBER_EMAIL_UNREAD_MINUTES",
    "REHBER_FILES_URL",
    "REHBER_BACKUP_EVERY_HOURS",
    "REHBER_BACKUP_DIR",
    "REHBER_BACKUP_KEEP",
];
/// Variables of Rehber's test tooling, not of the server: never reported as unknown.
const TOOLING_VARIABLES: &[&str] = &["REHBER_URL"];
const TOOLING_PREFIX: &str = "REHBER_TEST_";

/// A database URL. Shown (`Debug`, `Display`) with its password replaced by `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        DatabaseUrl(url.into())
    }

    /// The URL with its password: only for connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }

    /// The SQLite file this URL names (`sqlite://path`, `sqlite:path` or a bare path).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.is_postgres() {
            return None;
        }
        let rest = self
            .0
            .strip_prefix("sqlite://")
            .or_else(|| self.0.strip_prefix("sqlite:"))
            .unwrap_or(&self.0);
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", redact_url(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

/// The URL with the password (after `user:` in the authority, or a `password=` query
/// parameter) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = out[authority_start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |i| authority_start + i);
        // The last `@` of the authority ends the credentials (passwords may contain `@`).
        if let Some(at) = out[authority_start..authority_end].rfind('@') {
            let credentials = &out[authority_start..authority_start + at];
            if let Some(colon) = credentials.find(':') {
                let start = authority_start + colon + 1;
                out.replace_range(start..authority_start + at, "***");
            }
        }
    }
    if let Some(query_start) = out.find('?') {
        let (head, query) = out.split_at(query_start + 1);
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{head}{}", redacted.join("&"));
    }
    out
}

/// Everything the server and the commands are configured by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where the HTTP server listens.
    pub listen: String,
    /// The database; `None` means the SQLite file in `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    /// Where Rehber keeps its files (the SQLite database by default).
    pub data_dir: PathBuf,
    /// Mark cookies `Secure` (serving over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    /// Database connections in the pool.
    pub max_connections: u32,
    /// How long a session lives without use, in hours.
    pub session_hours: u32,
    /// The log filter (`RUST_LOG` syntax).
    pub log: String,
    /// The address people reach Rehber at, for links in e-mails; `http://<listen>` when
    /// not set.
    pub public_url: Option<String>,
    /// The SMTP server e-mail goes through (`smtp://`, `smtps://`); no e-mail without it.
    /// A secret: shown with its password hidden.
    pub smtp_url: Option<DatabaseUrl>,
    /// The sender of Rehber's e-mails.
    pub mail_from: String,
    /// Minutes a notification stays unread before it is e-mailed.
    pub email_unread_minutes: u32,
    /// Where attachments are kept: `None` is the `files` folder in `data_dir`;
    /// `s3://bucket/prefix?endpoint=…` an S3-compatible bucket (keys from `AWS_*`).
    pub files_url: Option<String>,
    /// The seller printed on quotes (`[company]` in the file).
    pub company: rehber_app::Letterhead,
    /// Backups the server takes by itself.
    pub backup: ScheduledBackups,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: DEFAULT_LISTEN.into(),
            database_url: None,
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            secure_cookies: false,
            trust_proxy: false,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            session_hours: DEFAULT_SESSION_HOURS,
            log: DEFAULT_LOG.into(),
            public_url: None,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            email_unread_minutes: DEFAULT_EMAIL_UNREAD_MINUTES,
            files_url: None,
            company: rehber_app::Letterhead::default(),
            backup: ScheduledBackups::default(),
        }
    }
}

impl Config {
    /// The address for links in e-mails: the configured one, else the listen address.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The database to open: the configured URL, or the SQLite file in the data directory.
    pub fn database(&self) -> DatabaseUrl {
        match &self.database_url {
            Some(url) => url.clone(),
            None => DatabaseUrl::new(format!(
                "sqlite://{}",
                self.data_dir.join(SQLITE_FILE).display()
            )),
        }
    }

    /// The folder scheduled backups go to.
    pub fn backup_dir(&self) -> PathBuf {
        match &self.backup.dir {
            Some(dir) => dir.clone(),
            None => self.data_dir.join(BACKUP_FOLDER),
        }
    }

    /// How many scheduled backups are kept.
    pub fn backup_keep(&self) -> u32 {
        self.backup.keep.unwrap_or(DEFAULT_BACKUP_KEEP)
    }

    /// The listen address, resolved (`localhost:8080` is accepted).
    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        if let Ok(addr) = self.listen.parse::<SocketAddr>() {
            return Ok(addr);
        }
        self.listen
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                ConfigError(format!(
                    "listen address {:?} is not HOST:PORT (e.g. {DEFAULT_LISTEN})",
                    self.listen
                ))
            })
    }
}

/// A configuration problem, worded for the person starting Rehber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The configuration file's keys (all optional; unknown keys are refused, so typos show).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    max_connections: Option<u32>,
    session_hours: Option<u32>,
    log: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    email_unread_minutes: Option<u32>,
    files_url: Option<String>,
    company: Option<rehber_app::Letterhead>,
    backup: Option<ScheduledBackups>,
}

/// The settings given as command-line flags (the last layer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
}

/// A loaded configuration and the warnings met on the way (logged once logging is set up,
/// which itself depends on the configuration).
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
    /// The file read, if any.
    pub file: Option<PathBuf>,
}

/// Builds the configuration from the layers. `env` is the process environment (passed in so
/// tests need not touch the real one), `cwd` the directory `rehber.toml` is looked up in.
pub fn load(flags: &Flags, env: &[(String, String)], cwd: &Path) -> Result<Loaded, ConfigError> {
    let var = |name: &str| {
        env.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let mut config = Config::default();
    let mut warnings = Vec::new();

    // Layer 2: the configuration file.
    let explicit = flags
        .config
        .clone()
        .or_else(|| var("REHBER_CONFIG").map(PathBuf::from));
    let file = match explicit {
        Some(path) => Some(path),
        None => Some(cwd.join(DEFAULT_CONFIG_FILE)).filter(|p| p.is_file()),
    };
    if let Some(path) = &file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError(format!(
                "cannot read configuration file {}: {e}",
                path.display()
            ))
        })?;
        let parsed: FileConfig = toml::from_str(&text).map_err(|e| {
            ConfigError(format!(
                "configuration file {}: {}",
                path.display(),
                e.message()
            ))
        })?;
        apply_file(&mut config, parsed);
    }

    // Layer 3: the environment.
    if let Some(url) = var("DATABASE_URL").filter(|v| !v.trim().is_empty()) {
        config.database_url = Some(DatabaseUrl::new(url.trim()));
    }
    if let Some(v) = var("REHBER_LISTEN") {
        config.listen = v.trim().to_string();
    }
    if let Some(v) = var("REHBER_DATA_DIR") {
        config.data_dir = PathBuf::from(v.trim());
    }
    if let Some(v) = var("REHBER_SECURE_COOKIES") {
        config.secure_cookies = parse_bool("REHBER_SECURE_COOKIES", &v)?;
    }
    if let Some(v) = var("REHBER_TRUST_PROXY") {
        config.trust_proxy = parse_bool("REHBER_TRUST_PROXY", &v)?;
    }
    if let Some(v) = var("REHBER_MAX_CONNECTIONS") {
        config.max_connections = parse_number("REHBER_MAX_CONNECTIONS", &v)?;
    }
    if let Some(v) = var("REHBER_SESSION_HOURS") {
        config.session_hours = parse_number("REHBER_SESSION_HOURS", &v)?;
    }
    if let Some(v) = var("REHBER_PUBLIC_URL").filter(|v| !v.trim().is_empty()) {
        config.public_url = Some(v.trim().to_string());
    }
    if let Some(v) = var("REHBER_SMTP_URL").filter(|v| !v.trim().is_empty()) {
        config.smtp_url = Some(DatabaseUrl::new(v.trim()));
    }
    if let Some(v) = var("REHBER_MAIL_FROM").filter(|v| !v.trim().is_empty()) {
        config.mail_from = v.trim().to_string();
    }
    if let Some(v) = var("REHBER_EMAIL_UNREAD_MINUTES") {
        config.email_unread_minutes = parse_number("REHBER_EMAIL_UNREAD_MINUTES", &v)?;
    }
    if let Some(v) = var("REHBER_FILES_URL").filter(|v| !v.trim().is_empty()) {
        config.files_url = Some(v.trim().to_string());
    }
    if let Some(v) = var("REHBER_BACKUP_EVERY_HOURS") {
        config.backup.every_hours = parse_number("REHBER_BACKUP_EVERY_HOURS", &v)?;
    }
    if let Some(v) = var("REHBER_BACKUP_DIR").filter(|v| !v.trim().is_empty()) {
        config.backup.dir = Some(PathBuf::from(v.trim()));
    }
    if let Some(v) = var("REHBER_BACKUP_KEEP") {
        config.backup.keep = Some(parse_number("REHBER_BACKUP_KEEP", &v)?);
    }
    if let Some(v) = var("RUST_LOG").filter(|v| !v.trim().is_empty()) {
        config.log = v.trim().to_string();
    }
    for (key, _) in env {
        if key.starts_with("REHBER_")
            && !KNOWN_VARIABLES.contains(&key.as_str())
            && !TOOLING_VARIABLES.contains(&key.as_str())
            && !key.starts_with(TOOLING_PREFIX)
        {
            warnings.push(format!(
                "unknown environment variable {key} ignored (known: {})",
                KNOWN_VARIABLES.join(", ")
            ));
        }
    }

    // Layer 4: flags.
    if let Some(v) = &flags.listen {
        config.listen = v.trim().to_string();
    }
    if let Some(v) = &flags.database_url {
        config.database_url = Some(DatabaseUrl::new(v.trim()));
    }
    if let Some(v) = &flags.data_dir {
        config.data_dir = v.clone();
    }

    check(&config)?;
    Ok(Loaded {
        config,
        warnings,
        file,
    })
}

fn apply_file(config: &mut Config, file: FileConfig) {
    if let Some(v) = file.listen {
        config.listen = v;
    }
    if let Some(v) = file.database_url.filter(|v| !v.trim().is_empty()) {
        config.database_url = Some(DatabaseUrl::new(v.trim()));
    }
    if let Some(v) = file.data_dir {
        config.data_dir = v;
    }
    if let Some(v) = file.secure_cookies {
        config.secure_cookies = v;
    }
    if let Some(v) = file.trust_proxy {
        config.trust_proxy = v;
    }
    if let Some(v) = file.max_connections {
        config.max_connections = v;
    }
    if let Some(v) = file.session_hours {
        config.session_hours = v;
    }
    if let Some(v) = file.log {
        config.log = v;
    }
    if let Some(v) = file.public_url.filter(|v| !v.trim().is_empty()) {
        config.public_url = Some(v.trim().to_string());
    }
    if let Some(v) = file.smtp_url.filter(|v| !v.trim().is_empty()) {
        config.smtp_url = Some(DatabaseUrl::new(v.trim()));
    }
    if let Some(v) = file.mail_from.filter(|v| !v.trim().is_empty()) {
        config.mail_from = v.trim().to_string();
    }
    if let Some(v) = file.email_unread_minutes {
        config.email_unread_minutes = v;
    }
    if let Some(v) = file.files_url.filter(|v| !v.trim().is_empty()) {
        config.files_url = Some(v.trim().to_string());
    }
    if let Some(company) = file.company {
        config.company = company;
    }
    if let Some(backup) = file.backup {
        config.backup = backup;
    }
}

/// Ranges that keep Rehber usable; a value outside is a typo more often than a wish.
fn check(config: &Config) -> Result<(), ConfigError> {
    if !(1..=1000).contains(&config.max_connections) {
        return Err(ConfigError(format!(
            "max_connections must be between 1 and 1000 (got {})",
            config.max_connections
        )));
    }
    if !(1..=24 * 366).contains(&config.session_hours) {
        return Err(ConfigError(format!(
            "session_hours must be between 1 and 8784 (got {})",
            config.session_hours
        )));
    }
    if config.email_unread_minutes > 7 * 24 * 60 {
        return Err(ConfigError(format!(
            "email_unread_minutes must be at most 10080, a week (got {})",
            config.email_unread_minutes
        )));
    }
    if let Some(url) = &config.public_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(ConfigError(format!(
            "public_url must start with http:// or https:// (got {url:?})"
        )));
    }
    if let Some(url) = &config.smtp_url
        && !(url.expose().starts_with("smtp://") || url.expose().starts_with("smtps://"))
    {
        return Err(ConfigError(format!(
            "smtp_url {url} is neither smtp://… nor smtps://…"
        )));
    }
    if let Some(url) = &config.files_url
        && let Err(e) = rehber_files::S3Location::parse(url)
    {
        return Err(ConfigError(format!("files_url: {e}")));
    }
    if config.backup.every_hours > 24 * 366 {
        return Err(ConfigError(format!(
            "backup every_hours must be at most 8784, a year (got {})",
            config.backup.every_hours
        )));
    }
    if !(1..=1000).contains(&config.backup_keep()) {
        return Err(ConfigError(format!(
            "backup keep must be between 1 and 1000 (got {})",
            config.backup_keep()
        )));
    }
    if config.listen.is_empty() {
        return Err(ConfigError("listen address is empty".into()));
    }
    if config.data_dir.as_os_str().is_empty() {
        return Err(ConfigError("data directory is empty".into()));
    }
    if let Some(url) = &config.database_url {
        let known = url.is_postgres()
            || url.expose().starts_with("sqlite:")
            || !url.expose().contains("://");
        if !known {
            return Err(ConfigError(format!(
                "database URL {url} is neither postgres://… nor sqlite://…"
            )));
        }
    }
    Ok(())
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(ConfigError(format!(
            "{name} must be true or false (got {other:?})"
        ))),
    }
}

fn parse_number(name: &str, value: &str) -> Result<u32, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| ConfigError(format!("{name} must be a whole number (got {value:?})")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
