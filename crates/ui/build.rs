//! Fetches the pinned front-end packages (htmx, and SortableJS for the deal board) with `npm ci` when they are missing and copies
//! the files the binary embeds into OUT_DIR. Versions are pinned by
//! `crates/ui/assets/package-lock.json`; nothing is downloaded at run time.

use std::path::{Path, PathBuf};
use std::process::Command;

const VENDORED: &[(&str, &str)] = &[
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("sortablejs/Sortable.min.js", "Sortable.min.js"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let assets = manifest.join("assets");
    let modules = assets.join("node_modules");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    println!("cargo:rerun-if-changed=assets/package.json");
    if VENDORED
        .iter()
        .any(|(from, _)| !modules.join(from).exists())
    {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&assets)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => {
                eprintln!(
                    "rehber-ui: `npm ci` in {} failed ({other:?}). Install Node.js and npm, then build again.",
                    assets.display()
                );
                std::process::exit(1);
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    for (from, to) in VENDORED {
        copy(&modules.join(from), &out.join(to));
    }
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = std::fs::copy(from, to) {
        eprintln!("rehber-ui: cannot copy {}: {e}", from.display());
        std::process::exit(1);
    }
}
