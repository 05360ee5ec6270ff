//! `rehber serve`: open the store, optionally fill the demo company, serve the web router
//! until Ctrl-C or SIGTERM, and meanwhile run the background jobs and queue the periodic
//! housekeeping.

use crate::commands::{
    CliError, CliResult, Opening, generate_demo, open_app_as, print_demo_report, say,
};
use crate::config::Config;
use rehber_app::App;
use rehber_app::demo::DemoOptions;
use rehber_app::jobs::{work, worker_name};
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

/// How often the housekeeping job (expired sessions, old login attempts, finished jobs) is
/// queued.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(10 * 60);
/// How long a job in progress may take to finish once the server is asked to stop.
const FINISH_JOB_WITHIN: Duration = Duration::from_secs(10);

pub async fn run(config: &Config, demo: bool, out: &mut dyn Write) -> CliResult {
    let addr = config
        .listen_addr()
        .map_err(|e| CliError::input(e.to_string()))?;
    // The lock is held until the server stops: a restore refuses to replace the database
    // meanwhile.
    let (app, _lock) = open_app_as(config, Opening::Serve).await?;
    let result = serve(&app, config, addr, demo, out).await;
    app.store.close().await;
    result
}

async fn serve(
    app: &App,
    config: &Config,
    addr: SocketAddr,
    demo: bool,
    out: &mut dyn Write,
) -> CliResult {
    if demo {
        fill_demo(app, config, out).await?;
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::failure(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::failure(format!("cannot read the listening address: {e}")))?;
    let url = browser_url(local);
    let needs_setup = app
        .needs_setup()
        .await
        .map_err(|e| CliError::failure(format!("cannot read users: {e}")))?;
    if needs_setup {
        say(
            out,
            &format!(
                "No users yet: create the first administrator at {url}/setup \
                 (or run `rehber user add --role administrator …`)."
            ),
        )?;
    }
    tracing::info!(
        address = %local,
        database = %config.database(),
        secure_cookies = config.secure_cookies,
        trust_proxy = config.trust_proxy,
        "Rehber is serving at {url}"
    );

    let housekeeping = tokio::spawn(housekeeping(app.clone()));
    let backups = (config.backup.every_hours > 0)
        .then(|| tokio::spawn(scheduled_backups(app.clone(), config.clone())));
    // With PostgreSQL, changes made on any instance reach this one's event streams.
    let relay = tokio::spawn({
        let app = app.clone();
        async move { app.relay_events().await }
    });
    let (stop_worker, stopping) = tokio::sync::watch::channel(false);
    let mut worker = tokio::spawn(work(app.clone(), worker_name(), stopping));
    let web_config = rehber_web::WebConfig {
        secure_cookies: config.secure_cookies,
        trust_proxy: config.trust_proxy,
        ..rehber_web::WebConfig::default()
    };
    let router = rehber_web::router(app.clone(), web_config);
    let served = rehber_web::listener::serve(listener, router, shutdown_signal()).await;
    housekeeping.abort();
    if let Some(backups) = backups {
        backups.abort();
    }
    relay.abort();
    let _ = stop_worker.send(true);
    if tokio::time::timeout(FINISH_JOB_WITHIN, &mut worker)
        .await
        .is_err()
    {
        // The job's lease runs out and another worker (or the next start) runs it again.
        tracing::warn!("a background job was still running at shutdown; it will run again");
        worker.abort();
    }
    served.map_err(|e| CliError::failure(format!("the server stopped: {e}")))?;
    tracing::info!("Rehber stopped");
    Ok(())
}

/// `--demo`: fill the demo company when there are no people or companies yet.
async fn fill_demo(app: &App, config: &Config, out: &mut dyn Write) -> CliResult {
    let (people, companies) = app
        .store
        .count_all_parties()
        .await
        .map_err(|e| CliError::failure(format!("cannot read the database: {e}")))?;
    if people > 0 || companies > 0 {
        tracing::info!(
            "--demo: the database already holds people or companies; not adding the demo company"
        );
        return Ok(());
    }
    let report = generate_demo(app, &DemoOptions::default()).await?;
    print_demo_report(&report, config, out)
}

/// An address a browser on this machine can open (`0.0.0.0` is not one).
fn browser_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", addr.port())
}

/// Queues the housekeeping job every ten minutes (once per period across instances: see
/// [`App::queue_housekeeping`]).
async fn housekeeping(app: App) {
    let mut interval = tokio::time::interval(HOUSEKEEPING_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(e) = app.queue_housekeeping(HOUSEKEEPING_EVERY).await {
            tracing::warn!(error = %e, "queuing the housekeeping job failed");
        }
    }
}

/// Takes a backup every `backup.every_hours` into the backup folder and keeps the newest
/// ones; the first is due an interval after the newest already there, so a restart does
/// not put it off. A failure is logged and the next one is tried at its time.
async fn scheduled_backups(app: App, config: Config) {
    let every = Duration::from_secs(u64::from(config.backup.every_hours) * 3600);
    let dir = config.backup_dir();
    let keep = usize::try_from(config.backup_keep()).unwrap_or(usize::MAX);
    rehber_app::backup::remove_leftovers(&dir);
    let mut wait = rehber_app::backup::next_backup_in(&dir, every);
    tracing::info!(
        dir = %dir.display(),
        every_hours = config.backup.every_hours,
        keep,
        first_in_minutes = wait.as_secs() / 60,
        "scheduled backups are on"
    );
    loop {
        tokio::time::sleep(wait).await;
        wait = every;
        let started = std::time::Instant::now();
        match app
            .scheduled_backup(config.database().expose(), &dir, keep)
            .await
        {
            Ok(done) => tracing::info!(
                path = %done.report.path.display(),
                bytes = done.report.bytes,
                rows = done.report.rows,
                removed = done.removed.len(),
                seconds = started.elapsed().as_secs_f64(),
                "scheduled backup written"
            ),
            Err(e) => tracing::error!(
                error = %e,
                dir = %dir.display(),
                "the scheduled backup failed; the next one is tried at its time"
            ),
        }
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_urls_avoid_unspecified_addresses() {
        let url = |s: &str| browser_url(s.parse().unwrap_or(SocketAddr::from(([0, 0, 0, 0], 0))));
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080");
        assert_eq!(url("127.0.0.1:80"), "http://127.0.0.1:80");
        assert_eq!(url("[::]:8080"), "http://[::1]:8080");
        assert_eq!(url("[::1]:8080"), "http://[::1]:8080");
    }
}
