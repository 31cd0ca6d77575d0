//! Embeds the golden cases in the crate, so that an installed or copied `ivs-conformance`
//! runs the suite from any directory (`--cases DIR` still reads other files). Writes
//! `$OUT_DIR/embedded_cases.rs`: a slice of (file name, contents) for every
//! `cases/*.json`, sorted by name, each through `include_str!` so Cargo tracks it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for name in names {
        let path = dir.join(&name);
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push(']');
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("Cargo sets OUT_DIR")).join("embedded_cases.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
