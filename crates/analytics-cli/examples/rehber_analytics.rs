//! Stand-in for `rehber analytics …` until the `rehber` binary mounts the commands: parses the
//! same arguments and calls [`rehber_analytics_cli::run`]. Used by the benchmarks.

use clap::Parser;
use rehber_analytics_cli::{AnalyticsCommand, run};

/// Analytics commands of Rehber.
#[derive(Parser)]
#[command(name = "rehber-analytics")]
struct Cli {
    #[command(subcommand)]
    command: AnalyticsCommand,
}

fn main() {
    let cli = Cli::parse();
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    let code = run(cli.command, &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code);
}
