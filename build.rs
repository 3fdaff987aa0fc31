//! Copies pinned front-end packages from node_modules into OUT_DIR so the binary embeds
//! them. Runs `npm ci` first when node_modules is missing (fresh clone).

use std::path::Path;
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let htmx = root.join("node_modules/htmx.org/dist/htmx.min.js");
    println!("cargo:rerun-if-changed=package-lock.json");
    println!("cargo:rerun-if-changed=node_modules/htmx.org/dist/htmx.min.js");
    if !htmx.exists() {
        let status =
            Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(root).status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!("front-end packages missing and `npm ci` failed ({other:?}); install Node.js and npm, then run `npm ci`"),
        }
    }
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::copy(&htmx, Path::new(&out).join("htmx.min.js")).expect("copy htmx.min.js");
}
