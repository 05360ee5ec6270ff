//! Fetches the pinned DejaVu fonts with `npm ci` when they are missing and copies the two
//! the PDFs embed into OUT_DIR. The version is pinned by `crates/pdf/assets/package-lock.json`;
//! nothing is downloaded at run time.

use std::path::PathBuf;
use std::process::Command;

const FONTS: &[&str] = &["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let assets = manifest.join("assets");
    let folder = assets.join("node_modules/dejavu-fonts-ttf/ttf");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    println!("cargo:rerun-if-changed=assets/package.json");
    if FONTS.iter().any(|font| !folder.join(font).exists()) {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&assets)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => {
                eprintln!(
                    "rehber-pdf: `npm ci` in {} failed ({other:?}). Install Node.js and npm, then build again.",
                    assets.display()
                );
                std::process::exit(1);
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    for font in FONTS {
        if let Err(e) = std::fs::copy(folder.join(font), out.join(font)) {
            eprintln!("rehber-pdf: cannot copy {font}: {e}");
            std::process::exit(1);
        }
    }
}
