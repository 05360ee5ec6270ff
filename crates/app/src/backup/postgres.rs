//! PostgreSQL's own tools, run as processes: `pg_dump` writes the dump, `pg_restore` checks
//! and reads it, `psql` loads it in one transaction. The password travels in the
//! environment (`PGPASSWORD`), never on a command line where `ps` would show it.

use super::{BackupError, BackupResult};
use std::path::Path;
use std::process::Stdio;
use tokio::process::Command;

/// Where the tools connect: the database URL without its password, and the password.
#[derive(Clone)]
pub struct Connection {
    uri: String,
    password: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("uri", &self.uri)
            .finish()
    }
}

impl Connection {
    /// Splits `postgres://user:password@host:port/db?…` into a URI the tools accept and the
    /// password (percent-decoded).
    pub fn from_url(url: &str) -> BackupResult<Connection> {
        let (url, query_password) = without_password_parameter(url);
        let mut connection = Connection::from_authority(&url)?;
        if connection.password.is_none() {
            connection.password = query_password;
        }
        Ok(connection)
    }

    fn from_authority(url: &str) -> BackupResult<Connection> {
        let refuse = || BackupError::Refused("the database URL is not a PostgreSQL URL".into());
        let scheme_end = url.find("://").ok_or_else(refuse)?;
        let authority_start = scheme_end + 3;
        let authority_end = url[authority_start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| authority_start + i);
        let authority = &url[authority_start..authority_end];
        let Some(at) = authority.rfind('@') else {
            return Ok(Connection {
                uri: url.to_string(),
                password: None,
            });
        };
        let credentials = &authority[..at];
        let Some((user, password)) = credentials.split_once(':') else {
            return Ok(Connection {
                uri: url.to_string(),
                password: None,
            });
        };
        let uri = format!(
            "{}{user}{}",
            &url[..authority_start],
            &url[authority_start + at..]
        );
        Ok(Connection {
            uri,
            password: Some(percent_decoded(password)),
        })
    }

    /// The URI without its password, for messages.
    pub fn shown(&self) -> String {
        self.uri.clone()
    }

    fn command(&self, tool: &str) -> Command {
        let mut command = Command::new(tool);
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command.kill_on_drop(true);
        command
    }

    /// `pg_dump` in the custom format (compressed, read back by `pg_restore`), as of an
    /// exported snapshot when one is given.
    pub async fn dump(&self, snapshot: Option<&str>, to: &Path) -> BackupResult<()> {
        let mut command = self.command("pg_dump");
        command
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--file")
            .arg(to);
        if let Some(snapshot) = snapshot {
            command.arg(format!("--snapshot={snapshot}"));
        }
        command.arg("--dbname").arg(&self.uri);
        run("pg_dump", command).await.map(|_| ())
    }

    /// Reads the whole dump back (`pg_restore` to nowhere: every table's data is read and
    /// decompressed, not only the table of contents).
    pub async fn check_dump(&self, dump: &Path) -> BackupResult<()> {
        let mut command = self.command("pg_restore");
        command.arg("--file=/dev/null").arg(dump);
        run("pg_restore", command).await.map_err(|e| match e {
            BackupError::Failed(why) => {
                BackupError::Damaged(format!("the database dump does not read back: {why}"))
            }
            other => other,
        })?;
        Ok(())
    }

    /// Replaces the database's contents with the dump, in one transaction. `pg_restore` first
    /// writes the dump's SQL to `script` (its exit status is checked, so a dump that breaks
    /// off is never half loaded); then `psql` runs `prelude` (which empties the schema), the
    /// script and `check` (which raises unless every table holds the manifest's rows) as one
    /// transaction that stops at the first error: a failed load leaves the database as it was.
    pub async fn load(
        &self,
        dump: &Path,
        script: &Path,
        prelude: &str,
        check: &str,
    ) -> BackupResult<()> {
        let mut reader = self.command("pg_restore");
        reader
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--file")
            .arg(script)
            .arg(dump);
        run("pg_restore", reader).await?;
        let mut loader = self.command("psql");
        loader
            .arg("--no-psqlrc")
            .arg("--quiet")
            .arg("--set=ON_ERROR_STOP=1")
            .arg("--single-transaction")
            .arg("--command")
            .arg(prelude)
            .arg("--file")
            .arg(script)
            .arg("--command")
            .arg(check)
            .arg("--dbname")
            .arg(&self.uri);
        run("psql", loader).await.map(|_| ())
    }
}

/// Refuses a tool that is missing or older than the server (a dump by an older `pg_dump`
/// is refused by the tool itself, with a message that does not say what to install).
pub fn check_tool(tool: &str, server_major: u32) -> BackupResult<()> {
    let output = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .map_err(|e| missing_for(tool, Some(server_major), &e))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text
        .split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or_default();
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| {
            BackupError::Refused(format!(
                "cannot tell the version of {tool} from {:?}",
                text.trim()
            ))
        })?;
    if major < server_major {
        return Err(BackupError::Refused(format!(
            "{tool} {version} is older than the PostgreSQL {server_major} server and cannot \
             copy it; install postgresql-client-{server_major} (or put a {tool} of version \
             {server_major} or newer first on PATH)"
        )));
    }
    Ok(())
}

fn missing_for(tool: &str, major: Option<u32>, error: &std::io::Error) -> BackupError {
    if error.kind() != std::io::ErrorKind::NotFound {
        return BackupError::Failed(format!("cannot run {tool}: {error}"));
    }
    BackupError::Refused(match major {
        Some(major) => format!(
            "{tool} is not installed; install postgresql-client-{major}, whose version matches \
             the PostgreSQL {major} server"
        ),
        None => format!(
            "{tool} is not installed; install the postgresql-client package of the server's \
             version"
        ),
    })
}

async fn run(tool: &str, mut command: Command) -> BackupResult<std::process::Output> {
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    let output = finished(
        tool,
        command
            .spawn()
            .map_err(|e| missing_for(tool, None, &e))?
            .wait_with_output()
            .await,
    )?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(tool_failed(tool, &output))
    }
}

fn finished(
    tool: &str,
    output: std::io::Result<std::process::Output>,
) -> BackupResult<std::process::Output> {
    output.map_err(|e| BackupError::Failed(format!("{tool} did not finish: {e}")))
}

fn tool_failed(tool: &str, output: &std::process::Output) -> BackupError {
    let said = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
    // The errors say what went wrong; notices before them (a drop cascading) do not.
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("ERROR") || l.contains("error"))
        .collect();
    let said: Vec<&str> = if errors.is_empty() { lines } else { errors }
        .into_iter()
        .take(5)
        .collect();
    BackupError::Failed(format!(
        "{tool} failed ({}): {}",
        output.status,
        said.join(" / ")
    ))
}

/// The URL without a `password=` query parameter, and that parameter's value.
fn without_password_parameter(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut password = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("password") => {
                password = Some(percent_decoded(value));
                false
            }
            _ => true,
        })
        .collect();
    if kept.is_empty() {
        (base.to_string(), password)
    } else {
        (format!("{base}?{}", kept.join("&")), password)
    }
}

/// `%XX` sequences decoded (a password may hold `@`, `:` or `/` written so).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_uri_for_the_environment() {
        let c =
            Connection::from_url("postgres://rehber:p%40ss:w@db.local:5433/crm?sslmode=require")
                .unwrap();
        assert_eq!(c.uri, "postgres://rehber@db.local:5433/crm?sslmode=require");
        assert_eq!(c.password.as_deref(), Some("p@ss:w"));
        assert!(!format!("{c:?}").contains("p@ss"));
        let c = Connection::from_url("postgres://postgres@127.0.0.1:5432/test").unwrap();
        assert_eq!(c.uri, "postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(c.password, None);
        assert!(Connection::from_url("not a url").is_err());
        let c = Connection::from_url("postgres://rehber@db/crm?sslmode=require&password=gizli%21")
            .unwrap();
        assert_eq!(c.uri, "postgres://rehber@db/crm?sslmode=require");
        assert_eq!(c.password.as_deref(), Some("gizli!"));
        let c = Connection::from_url("postgres://rehber@db/crm?password=gizli").unwrap();
        assert_eq!(c.uri, "postgres://rehber@db/crm");
        assert_eq!(percent_decoded("a%2"), "a%2");
        assert_eq!(percent_decoded("%C5%9Fifre"), "şifre");
    }

    #[cfg(unix)]
    #[test]
    fn a_pg_dump_older_than_the_server_is_refused_naming_both_versions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("pg_dump");
        std::fs::write(&fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.0'\n").unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let tool = fake.to_string_lossy();
        let refused = check_tool(&tool, 15).unwrap_err();
        assert!(
            matches!(&refused, BackupError::Refused(m)
                if m.contains("14.0") && m.contains("PostgreSQL 15") && m.contains("postgresql-client-15")),
            "{refused:?}"
        );
        check_tool(&tool, 14).unwrap();
        check_tool(&tool, 13).unwrap();
    }

    #[test]
    fn a_missing_tool_names_the_package_to_install() {
        let refused = check_tool("rehber-no-such-pg-dump", 17).unwrap_err();
        assert!(
            matches!(&refused, BackupError::Refused(m) if m.contains("postgresql-client-17")),
            "{refused:?}"
        );
    }
}
