//! The configuration's layers, checks and secrecy.

use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn dir_with_file(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DEFAULT_CONFIG_FILE), text).unwrap();
    dir
}

#[test]
fn defaults_apply_without_file_environment_or_flags() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    assert_eq!(loaded.config, Config::default());
    assert!(loaded.file.is_none());
    assert_eq!(
        loaded.config.database().expose(),
        "sqlite://./rehber-data/rehber.db"
    );
    assert_eq!(
        loaded.config.listen_addr().unwrap(),
        "127.0.0.1:8080".parse().unwrap()
    );
}

#[test]
fn file_overrides_defaults_environment_overrides_file_flags_override_environment() {
    let dir = dir_with_file(
        "listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/rehber\"\nmax_connections = 20\n\
         session_hours = 8\nsecure_cookies = true\nlog = \"debug\"\n",
    );
    let file_only = load(&Flags::default(), &[], dir.path()).unwrap().config;
    assert_eq!(file_only.listen, "0.0.0.0:9000");
    assert_eq!(file_only.data_dir, PathBuf::from("/srv/rehber"));
    assert_eq!(file_only.max_connections, 20);
    assert_eq!(file_only.session_hours, 8);
    assert!(file_only.secure_cookies);
    assert_eq!(file_only.log, "debug");

    let vars = env(&[
        ("REHBER_LISTEN", "127.0.0.1:9100"),
        ("REHBER_MAX_CONNECTIONS", "5"),
        ("REHBER_SECURE_COOKIES", "false"),
        ("REHBER_TRUST_PROXY", "yes"),
        ("DATABASE_URL", "postgres://rehber:gizli@db/rehber"),
        ("RUST_LOG", "warn"),
    ]);
    let with_env = load(&Flags::default(), &vars, dir.path()).unwrap().config;
    assert_eq!(with_env.listen, "127.0.0.1:9100");
    assert_eq!(with_env.max_connections, 5);
    assert!(!with_env.secure_cookies);
    assert!(with_env.trust_proxy);
    assert_eq!(with_env.session_hours, 8, "the file's value stays");
    assert_eq!(with_env.log, "warn");
    assert_eq!(
        with_env.database().expose(),
        "postgres://rehber:gizli@db/rehber"
    );

    let flags = Flags {
        listen: Some("127.0.0.1:9200".into()),
        database_url: Some("sqlite:///tmp/x.db".into()),
        data_dir: Some("/tmp/data".into()),
        config: None,
    };
    let with_flags = load(&flags, &vars, dir.path()).unwrap().config;
    assert_eq!(with_flags.listen, "127.0.0.1:9200");
    assert_eq!(with_flags.database().expose(), "sqlite:///tmp/x.db");
    assert_eq!(with_flags.data_dir, PathBuf::from("/tmp/data"));
    assert_eq!(
        with_flags.max_connections, 5,
        "the environment's value stays"
    );
}

#[test]
fn an_explicit_config_file_replaces_the_working_directory_one() {
    let cwd = dir_with_file("listen = \"127.0.0.1:1111\"\n");
    let other = tempfile::tempdir().unwrap();
    let path = other.path().join("other.toml");
    std::fs::write(&path, "listen = \"127.0.0.1:2222\"\n").unwrap();
    let flags = Flags {
        config: Some(path.clone()),
        ..Flags::default()
    };
    let loaded = load(&flags, &[], cwd.path()).unwrap();
    assert_eq!(loaded.config.listen, "127.0.0.1:2222");
    assert_eq!(loaded.file, Some(path));
}

#[test]
fn bad_values_and_unknown_keys_are_refused_with_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let err = load(
        &Flags::default(),
        &env(&[("REHBER_MAX_CONNECTIONS", "many")]),
        dir.path(),
    )
    .unwrap_err();
    assert!(err.0.contains("REHBER_MAX_CONNECTIONS"), "{err}");
    let err = load(
        &Flags::default(),
        &env(&[("REHBER_TRUST_PROXY", "perhaps")]),
        dir.path(),
    )
    .unwrap_err();
    assert!(err.0.contains("REHBER_TRUST_PROXY"), "{err}");
    let typo = dir_with_file("listne = \"127.0.0.1:1\"\n");
    let err = load(&Flags::default(), &[], typo.path()).unwrap_err();
    assert!(err.0.contains("listne"), "{err}");
    let missing = Flags {
        config: Some(dir.path().join("nowhere.toml")),
        ..Flags::default()
    };
    assert!(load(&missing, &[], dir.path()).is_err());
    let err = load(
        &Flags {
            database_url: Some("mysql://x@y/z".into()),
            ..Flags::default()
        },
        &[],
        dir.path(),
    )
    .unwrap_err();
    assert!(err.0.contains("mysql"), "{err}");
    let bad_listen = Config {
        listen: "not an address".into(),
        ..Config::default()
    };
    assert!(bad_listen.listen_addr().is_err());
}

#[test]
fn unknown_rehber_variables_are_reported_but_tooling_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let vars = env(&[
        ("REHBER_LISTN", "x"),
        ("REHBER_TEST_POSTGRES_URL", "postgres://x@y/z"),
        ("REHBER_URL", "http://127.0.0.1:1"),
        ("REHBER_LISTEN", "127.0.0.1:1"),
        ("HOME", "/root"),
    ]);
    let loaded = load(&Flags::default(), &vars, dir.path()).unwrap();
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("REHBER_LISTN"));
}

#[test]
fn database_urls_are_redacted_when_shown() {
    assert_eq!(
        redact_url("postgres://rehber:s3cr3t@db.example:5432/rehber"),
        "postgres://rehber:***@db.example:5432/rehber"
    );
    assert_eq!(
        redact_url("postgresql://u:p@ss:w@rd@host/db?sslmode=require"),
        "postgresql://u:***@host/db?sslmode=require"
    );
    assert_eq!(
        redact_url("postgres://u@host/db?password=s3cr3t&sslmode=require"),
        "postgres://u@host/db?password=***&sslmode=require"
    );
    assert_eq!(
        redact_url("postgres://postgres@127.0.0.1:5432/rehber"),
        "postgres://postgres@127.0.0.1:5432/rehber"
    );
    assert_eq!(
        redact_url("sqlite://./rehber-data/rehber.db"),
        "sqlite://./rehber-data/rehber.db"
    );
    let url = DatabaseUrl::new("postgres://rehber:s3cr3t@db/rehber");
    assert!(!format!("{url:?}").contains("s3cr3t"));
    assert!(!format!("{url}").contains("s3cr3t"));
    let config = Config {
        database_url: Some(url),
        ..Config::default()
    };
    assert!(!format!("{config:?}").contains("s3cr3t"));
}

#[test]
fn sqlite_paths_are_read_from_every_url_form() {
    let path = |u: &str| DatabaseUrl::new(u).sqlite_path();
    assert_eq!(path("sqlite://data/r.db"), Some(PathBuf::from("data/r.db")));
    assert_eq!(path("sqlite:///abs/r.db"), Some(PathBuf::from("/abs/r.db")));
    assert_eq!(path("sqlite:r.db?mode=rwc"), Some(PathBuf::from("r.db")));
    assert_eq!(path("plain/r.db"), Some(PathBuf::from("plain/r.db")));
    assert_eq!(path("postgres://x@y/z"), None);
    assert_eq!(path("sqlite::memory:"), None);
}

#[test]
fn mail_settings_come_from_file_and_environment_and_bad_ones_are_refused() {
    let dir = dir_with_file(
        "smtp_url = \"smtps://crm:dosya@mail.ornek.com.tr:465\"\nmail_from = \"Rehber <crm@ornek.com.tr>\"\nemail_unread_minutes = 15\n",
    );
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    assert_eq!(loaded.config.email_unread_minutes, 15);
    assert_eq!(loaded.config.mail_from, "Rehber <crm@ornek.com.tr>");
    assert!(
        !format!("{:?}", loaded.config).contains("dosya"),
        "the SMTP password is hidden"
    );
    assert_eq!(loaded.config.public_url(), "http://127.0.0.1:8080");
    let vars = env(&[
        ("REHBER_SMTP_URL", "smtp://127.0.0.1:2525"),
        ("REHBER_PUBLIC_URL", "https://crm.ornek.com.tr/"),
        ("REHBER_EMAIL_UNREAD_MINUTES", "0"),
    ]);
    let loaded = load(&Flags::default(), &vars, dir.path()).unwrap();
    assert_eq!(
        loaded.config.smtp_url.as_ref().unwrap().expose(),
        "smtp://127.0.0.1:2525"
    );
    assert_eq!(loaded.config.public_url(), "https://crm.ornek.com.tr");
    assert_eq!(loaded.config.email_unread_minutes, 0);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    for bad in [
        ("REHBER_SMTP_URL", "http://mail.ornek.com.tr"),
        ("REHBER_PUBLIC_URL", "crm.ornek.com.tr"),
        ("REHBER_EMAIL_UNREAD_MINUTES", "99999"),
    ] {
        assert!(
            load(&Flags::default(), &env(&[bad]), dir.path()).is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn a_file_store_location_comes_from_file_or_environment_and_a_bad_one_is_refused() {
    let dir = dir_with_file("files_url = \"s3://rehber-dosyalar/prod?region=tr-ist-1\"\n");
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    assert_eq!(
        loaded.config.files_url.as_deref(),
        Some("s3://rehber-dosyalar/prod?region=tr-ist-1")
    );
    let vars = env(&[("REHBER_FILES_URL", "s3://diger-kova")]);
    let loaded = load(&Flags::default(), &vars, dir.path()).unwrap();
    assert_eq!(loaded.config.files_url.as_deref(), Some("s3://diger-kova"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    for bad in ["/var/lib/rehber/files", "s3://kova?secret_access_key=gizli"] {
        let refused = load(
            &Flags::default(),
            &env(&[("REHBER_FILES_URL", bad)]),
            dir.path(),
        );
        let message = refused.expect_err(bad).0;
        assert!(message.starts_with("files_url:"), "{message}");
        assert!(!message.contains("gizli"), "{message}");
    }
}

#[test]
fn the_seller_printed_on_quotes_comes_from_the_company_table_and_a_misspelt_key_is_refused() {
    let dir = dir_with_file(
        "[company]\nname = \"Örnek Makina A.Ş.\"\ntax_office = \"Selçuklu\"\ntax_number = \"1234567890\"\niban = \"TR12 0006 4000 0011 2345 6789 01\"\n",
    );
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    let company = &loaded.config.company;
    assert_eq!(company.name, "Örnek Makina A.Ş.");
    assert_eq!(company.tax_office, "Selçuklu");
    assert_eq!(company.iban, "TR12 0006 4000 0011 2345 6789 01");
    assert_eq!(company.terms, "", "absent keys stay empty");
    let dir = dir_with_file("[company]\nibann = \"TR00\"\n");
    let refused = load(&Flags::default(), &[], dir.path()).unwrap_err();
    assert!(refused.0.contains("ibann"), "{}", refused.0);
}

#[test]
fn scheduled_backups_are_off_unless_asked_and_come_from_file_or_environment() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    assert_eq!(loaded.config.backup.every_hours, 0, "off by default");
    assert_eq!(
        loaded.config.backup_dir(),
        PathBuf::from("./rehber-data/backups")
    );
    assert_eq!(loaded.config.backup_keep(), DEFAULT_BACKUP_KEEP);

    let dir = dir_with_file("[backup]\nevery_hours = 24\ndir = \"/srv/yedek\"\nkeep = 14\n");
    let loaded = load(&Flags::default(), &[], dir.path()).unwrap();
    assert_eq!(loaded.config.backup.every_hours, 24);
    assert_eq!(loaded.config.backup_dir(), PathBuf::from("/srv/yedek"));
    assert_eq!(loaded.config.backup_keep(), 14);
    let vars = env(&[
        ("REHBER_BACKUP_EVERY_HOURS", "6"),
        ("REHBER_BACKUP_KEEP", "3"),
    ]);
    let loaded = load(&Flags::default(), &vars, dir.path()).unwrap();
    assert_eq!(
        (
            loaded.config.backup.every_hours,
            loaded.config.backup_keep()
        ),
        (6, 3)
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    for (vars, named) in [
        (env(&[("REHBER_BACKUP_KEEP", "0")]), "backup keep"),
        (
            env(&[("REHBER_BACKUP_EVERY_HOURS", "99999")]),
            "backup every_hours",
        ),
        (
            env(&[("REHBER_BACKUP_EVERY_HOURS", "günde bir")]),
            "REHBER_BACKUP_EVERY_HOURS",
        ),
    ] {
        let message = load(&Flags::default(), &vars, dir.path())
            .expect_err(named)
            .0;
        assert!(message.contains(named), "{message}");
    }
    let dir = dir_with_file("[backup]\nevery_hour = 24\n");
    let message = load(&Flags::default(), &[], dir.path()).unwrap_err().0;
    assert!(
        message.contains("every_hour"),
        "a misspelt key is named: {message}"
    );
}
