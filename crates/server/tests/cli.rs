//! The `rehber` binary as a user runs it: on a temporary SQLite database, with a clean
//! environment and working directory so no local configuration leaks in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn rehber(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rehber"));
    command.current_dir(dir).env("RUST_LOG", "warn");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("REHBER_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    rehber(dir).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn user_add_then_token_issue_prints_the_token_as_the_last_word() {
    let dir = tempfile::tempdir().unwrap();
    let added = run(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "ayse@ornek.com.tr",
            "--name",
            "Ayşe Yılmaz",
            "--role",
            "administrator",
            "--team",
            "Satış İstanbul",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let text = stdout(&added);
    assert!(text.contains("Ayşe Yılmaz <ayse@ornek.com.tr> as administrator, team Satış İstanbul"));
    let password = text.split_whitespace().last().unwrap();
    assert_eq!(
        password.len(),
        16,
        "a generated password is printed once: {text}"
    );
    assert!(dir.path().join("rehber-data/rehber.db").is_file());

    let issued = run(
        dir.path(),
        &[
            "token",
            "issue",
            "--email",
            "ayse@ornek.com.tr",
            "--name",
            "ERP",
        ],
    );
    assert!(issued.status.success(), "{}", stderr(&issued));
    let token = stdout(&issued)
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    assert!(token.starts_with("rhb_"), "{token}");
    assert_eq!(token.len(), 4 + 64);
    assert!(!stderr(&issued).contains(&token), "the token is not logged");
}

#[test]
fn a_password_can_be_given_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = rehber(dir.path())
        .args([
            "user",
            "add",
            "--email",
            "omer@ornek.com.tr",
            "--name",
            "Ömer",
            "--role",
            "sales_rep",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"uzun-bir-parola-2026\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stdout(&output).contains("Password"), "{}", stdout(&output));
}

#[test]
fn bad_input_exits_with_2_and_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = run(
        dir.path(),
        &[
            "user", "add", "--email", "not-mail", "--name", "X", "--role", "boss",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let message = stderr(&bad);
    assert!(
        message.contains("email is not a valid e-mail address"),
        "{message}"
    );
    assert!(
        message.contains("role must be one of administrator"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "{message}");

    let unknown = run(
        dir.path(),
        &["token", "issue", "--email", "nobody@ornek.com.tr"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no user with e-mail nobody@ornek.com.tr"));

    let config = rehber(dir.path())
        .args(["migrate"])
        .env("REHBER_MAX_CONNECTIONS", "many")
        .output()
        .unwrap();
    assert_eq!(config.status.code(), Some(2));
    assert!(stderr(&config).contains("REHBER_MAX_CONNECTIONS"));

    let url = run(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            "postgres://rehber:gizli@127.0.0.1:1/x",
        ],
    );
    assert_eq!(
        url.status.code(),
        Some(1),
        "an unreachable database is a failure"
    );
    assert!(
        stderr(&url).contains("rehber:***@127.0.0.1:1"),
        "{}",
        stderr(&url)
    );
    assert!(
        !stderr(&url).contains("gizli"),
        "the password is never shown"
    );
}

#[test]
fn demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let demo = run(dir.path(), &["demo", "--people", "500", "--seed", "7"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let text = stdout(&demo);
    assert!(
        text.contains("Demo company generated: 83 companies, 500 people"),
        "{text}"
    );
    assert!(text.contains("rows/s"));
    assert!(text.contains("admin@demo.rehber.local"));
    assert!(text.contains("rep1.ankara@demo.rehber.local"));
    assert!(text.contains("Password of the demo users (shown once): "));

    let again = run(dir.path(), &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already holds people or companies"));

    // The demo users can use the rest of the command line.
    let token = run(
        dir.path(),
        &["token", "issue", "--email", "admin@demo.rehber.local"],
    );
    assert!(token.status.success(), "{}", stderr(&token));

    // The demo was made with today's keys: a reindex finds nothing to rewrite.
    let reindex = run(dir.path(), &["reindex"]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));
    assert!(
        stdout(&reindex).contains("0 people and 0 companies rewritten"),
        "{}",
        stdout(&reindex)
    );
}

#[test]
fn serve_answers_health_checks_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = rehber(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = Instant::now();
    let url = loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no start-up line"
        );
        let line = lines.next().unwrap().unwrap();
        if let Some(at) = line.find("serving at http://") {
            let rest = &line[at + "serving at ".len()..];
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    // Requests the HTTP parser refuses before the router sees them still get a problem
    // document, in the language asked for: a 100 KB address, 150 headers, a bad line.
    let long_address = format!(
        "GET /api/v1/people?q={} HTTP/1.1\r\nHost: {address}\r\nAccept-Language: en\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    // More headers than the parser takes (a head it reads whole, so the connection closes
    // with nothing unread and the answer cannot be lost to a reset).
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: {address}\r\n{}\r\n",
        (0..150)
            .map(|i| format!("X-Filler-{i}: b\r\n"))
            .collect::<String>()
    );
    for (request, status, title) in [
        (long_address, 414, "The address is too long"),
        (many_headers, 431, "İstek başlıkları çok büyük"),
        ("NOT\0A REQUEST\r\n\r\n".to_string(), 400, "İstek okunamadı"),
    ] {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status} ")),
            "{response}"
        );
        assert!(
            response.contains("content-type: application/problem+json\r\n"),
            "{response}"
        );
        let body = response.split("\r\n\r\n").nth(1).unwrap();
        assert!(body.contains(&format!("\"status\":{status}")), "{body}");
        assert!(body.contains(title), "{body}");
    }

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "graceful shutdown exits 0");
    let text = stdout(&output);
    assert!(
        text.contains(&format!("create the first administrator at {url}/setup")),
        "{text}"
    );
}

#[test]
fn export_writes_the_list_a_user_sees_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for (email, name, role) in [
        ("ayse@ornek.com.tr", "Ayşe Yılmaz", "administrator"),
        ("omer@ornek.com.tr", "Ömer Kaya", "sales_rep"),
    ] {
        let added = run(
            dir.path(),
            &[
                "user", "add", "--email", email, "--name", name, "--role", role,
            ],
        );
        assert!(added.status.success(), "{}", stderr(&added));
    }
    let demo = run(dir.path(), &["demo", "--people", "60", "--seed", "7"]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    // By default as the first administrator: every person, Turkish headers.
    let people = dir.path().join("kisiler.csv");
    let out = run(
        dir.path(),
        &["export", "people", "--out", people.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Exported 60 rows") && stdout(&out).contains("ayse@ornek.com.tr"),
        "{}",
        stdout(&out)
    );
    let csv = std::fs::read_to_string(&people).unwrap();
    assert!(csv.starts_with("No,Ad,Soyad,"), "{csv}");
    assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), 61);

    let companies = dir.path().join("firmalar.xlsx");
    let out = run(
        dir.path(),
        &[
            "export",
            "companies",
            "--format",
            "xlsx",
            "--lang",
            "en",
            "--out",
            companies.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&companies).unwrap().starts_with(b"PK"));

    // A sales rep is refused (an administrator has not allowed reps to export), and so is
    // anything the command cannot read; no file is left behind.
    let refused = dir.path().join("refused.csv");
    for args in [
        vec!["export", "people", "--as", "omer@ornek.com.tr"],
        vec!["export", "people", "--as", "nobody@ornek.com.tr"],
        vec!["export", "people", "--format", "pdf"],
        vec!["export", "deals"],
        vec!["export", "people", "--lang", "de"],
    ] {
        let mut args = args.clone();
        args.extend(["--out", refused.to_str().unwrap()]);
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
        assert!(!refused.exists());
    }
}

#[test]
fn import_checks_without_writing_then_commits_all_rows_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let added = run(
        dir.path(),
        &[
            "user",
            "add",
            "--email",
            "ayse@ornek.com.tr",
            "--name",
            "Ayşe Yılmaz",
            "--role",
            "administrator",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let file = dir.path().join("kisiler.csv");
    // windows-1254, as Excel on a Turkish Windows saves it: Ş is 0xDE, ı 0xFD, İ 0xDD.
    let mut bytes = b"Ad;Soyad;E-posta;\xddl\r\n".to_vec();
    bytes.extend(b"\xdeule;Ayd\xfdn;sule@ornek.com.tr;\xddstanbul\r\n");
    bytes.extend(b"Can;Er;can@ornek;Ankara\r\n");
    bytes.extend(b"Naz;Ak;SULE@ornek.com.tr;Bursa\r\n");
    std::fs::write(&file, &bytes).unwrap();
    let file = file.to_str().unwrap();

    // A dry run with errors: the counts, each error with its line, exit 2, nothing written.
    for args in [
        vec!["import", file, "--kind", "people"],
        vec!["import", file, "--kind", "people", "--commit"],
    ] {
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("CSV, windows-1254, ';'"), "{text}");
        assert!(
            text.contains("Rows: 3 total, 1 ok, 0 with warnings, 2 with errors"),
            "{text}"
        );
        assert!(text.contains("Error on line 3: E-posta:"), "{text}");
        assert!(
            text.contains("Error on line 4: E-posta: repeats line 2 of the file."),
            "{text}"
        );
        assert!(
            stderr(&out).contains("Nothing was imported"),
            "{}",
            stderr(&out)
        );
    }
    let exported = dir.path().join("before.csv");
    let out = run(
        dir.path(),
        &["export", "people", "--out", exported.to_str().unwrap()],
    );
    assert!(stdout(&out).contains("Exported 0 rows"), "{}", stdout(&out));

    // Without the bad rows: a dry run says so and writes nothing; --commit imports them.
    let good = dir.path().join("iyi.csv");
    let header_and_first = bytes
        .split_inclusive(|b| *b == b'\n')
        .take(2)
        .collect::<Vec<_>>()
        .concat();
    std::fs::write(&good, &header_and_first).unwrap();
    let good = good.to_str().unwrap();
    let dry = run(
        dir.path(),
        &["import", good, "--kind", "people", "--lang", "tr"],
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("Satırlar: toplam 1, sorunsuz 1"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&dry).contains("Deneme: hiçbir şey yazılmadı"),
        "{}",
        stdout(&dry)
    );
    let done = run(
        dir.path(),
        &["import", good, "--kind", "people", "--commit"],
    );
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(
        stdout(&done).contains("Imported 1 records as ayse@ornek.com.tr"),
        "{}",
        stdout(&done)
    );
    let after = dir.path().join("after.csv");
    let out = run(
        dir.path(),
        &["export", "people", "--out", after.to_str().unwrap()],
    );
    assert!(stdout(&out).contains("Exported 1 rows"), "{}", stdout(&out));
    let csv = std::fs::read_to_string(&after).unwrap();
    assert!(csv.contains("Şule,Aydın,sule@ornek.com.tr"), "{csv}");
    assert!(csv.contains("İstanbul"), "{csv}");

    // The same person with another city updates her record when asked to.
    let moved = dir.path().join("tasindi.csv");
    std::fs::write(
        &moved,
        "Ad;Soyad;E-posta;İl\nŞule;Aydın;SULE@ornek.com.tr;İzmir\n",
    )
    .unwrap();
    let args = [
        "import",
        moved.to_str().unwrap(),
        "--kind",
        "people",
        "--on-match",
        "update",
    ];
    let dry = stdout(&run(dir.path(), &args));
    assert!(
        dry.contains("updating one: 1") && dry.contains("Line 2: Updates Şule Aydın"),
        "{dry}"
    );
    let done = run(dir.path(), &[&args[..], &["--commit"]].concat());
    assert!(
        stdout(&done).contains("Updated 1 records"),
        "{}",
        stdout(&done)
    );

    // Bad input is one clear line and exit 2.
    let empty = dir.path().join("bos.csv");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        vec!["import", empty.to_str().unwrap(), "--kind", "people"],
        vec!["import", good, "--kind", "deals"],
        vec!["import", good, "--kind", "people", "--on-match", "merge"],
        vec!["import", "/nonexistent.csv", "--kind", "people"],
        vec![
            "import",
            good,
            "--kind",
            "people",
            "--mapping",
            "/nonexistent.json",
        ],
    ] {
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    }
}

/// Starts `rehber serve` in `dir` and waits for its start-up line.
fn start_server(dir: &Path) -> std::process::Child {
    let mut child = rehber(dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no start-up line"
        );
        let line = lines.next().unwrap().unwrap();
        if line.contains("serving at http://") {
            break;
        }
    }
    // The rest of the log is not read: keep the pipe drained so the server never blocks.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

#[test]
fn backup_then_restore_while_serving_is_refused_and_after_it_brings_the_data_back() {
    let dir = tempfile::tempdir().unwrap();
    let demo = run(dir.path(), &["demo", "--people", "30"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let backup = run(dir.path(), &["backup", "--out", "yedek.rehber-backup"]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    assert!(
        stdout(&backup).contains("Backup written to yedek.rehber-backup"),
        "{}",
        stdout(&backup)
    );
    assert!(dir.path().join("yedek.rehber-backup").is_file());

    let mut server = start_server(dir.path());
    let refused = run(
        dir.path(),
        &["restore", "--from", "yedek.rehber-backup", "--force"],
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("is running on this database"),
        "{}",
        stderr(&refused)
    );

    let refused = run(dir.path(), &["restore", "--from", "yedek.rehber-backup"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));

    // A copy cut short is damaged (exit 1); a file of something else is not a backup (2).
    let damaged = dir.path().join("bozuk.rehber-backup");
    std::fs::write(&damaged, b"PK\x03\x04 kesik").unwrap();
    let refused = run(
        dir.path(),
        &["restore", "--from", "bozuk.rehber-backup", "--force"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("damaged"), "{}", stderr(&refused));
    std::fs::write(dir.path().join("notlar.txt"), "yedek değil").unwrap();
    let refused = run(dir.path(), &["restore", "--from", "notlar.txt", "--force"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("not a Rehber backup"),
        "{}",
        stderr(&refused)
    );

    let restored = run(
        dir.path(),
        &["restore", "--from", "yedek.rehber-backup", "--force"],
    );
    assert!(restored.status.success(), "{}", stderr(&restored));
    let text = stdout(&restored);
    assert!(
        text.contains("The database it replaced is kept at"),
        "{text}"
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path().join("rehber-data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("pre-restore-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(aside[0].path().join("rehber.db").is_file());

    // The restored database serves again.
    let mut server = start_server(dir.path());
    server.kill().unwrap();
    server.wait().unwrap();
}
