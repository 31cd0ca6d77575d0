//! A crate's public API as a listing, held to a committed file: a change to the surface
//! (an item added, removed, renamed or given another signature) fails until the listing
//! is written again, so that it shows in review. The core's test uses it, and the
//! conformance library's includes this file.
//!
//! The listing comes from rustdoc's JSON output of the crate with every feature (rustdoc
//! run by the stable toolchain with `RUSTC_BOOTSTRAP=1`, in the workspace's
//! `target/public-api`), walked from the crate root along public paths: `#[doc(hidden)]`
//! items are not in it, nor are blanket impls. One line per item, sorted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The auto traits listed (those of the standard library's stable API).
const AUTO_TRAITS: [&str; 5] = ["Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"];

/// Runs rustdoc for JSON on `package`, whose library is `krate`, from `dir`, and reads it.
fn rustdoc_json(package: &str, krate: &str, dir: &Path, target: &Path) -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTDOCFLAGS")
        .args([
            "rustdoc",
            "--quiet",
            "--lib",
            "-p",
            package,
            "--all-features",
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "rustdoc --output-format json failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = target.join("doc").join(format!("{krate}.json"));
    let text = std::fs::read_to_string(&path).expect("rustdoc wrote its JSON");
    serde_json::from_str(&text).expect("rustdoc's JSON parses")
}

/// The one key of an externally tagged value, and what it holds.
fn tagged(v: &Value) -> (&str, &Value) {
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, v) = m.iter().next().expect("one entry");
            (k.as_str(), v)
        }
        Value::String(s) => (s.as_str(), &Value::Null),
        _ => ("", v),
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

struct Listing<'a> {
    /// The crate's name, its root path.
    krate: &'a str,
    index: &'a serde_json::Map<String, Value>,
    /// The public path of each item reached, by id.
    paths: BTreeMap<String, String>,
    lines: BTreeSet<String>,
}

impl<'a> Listing<'a> {
    fn item(&self, id: &Value) -> Option<&'a Value> {
        self.index.get(&id.to_string())
    }

    fn args(&self, args: &Value) -> String {
        let (kind, a) = tagged(args);
        match kind {
            "angle_bracketed" => {
                let mut parts: Vec<String> = a["args"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|g| {
                        let (k, v) = tagged(g);
                        match k {
                            "type" => self.ty(v),
                            "lifetime" => v.as_str().unwrap_or("'_").to_owned(),
                            "const" => v["expr"].as_str().unwrap_or("_").to_owned(),
                            _ => "_".to_owned(),
                        }
                    })
                    .collect();
                for c in a["constraints"].as_array().into_iter().flatten() {
                    let name = c["name"].as_str().unwrap_or("_");
                    let (k, b) = tagged(&c["binding"]);
                    parts.push(match k {
                        "equality" => format!("{name} = {}", self.ty(&b["type"])),
                        _ => format!("{name}: {}", self.bounds(b)),
                    });
                }
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", parts.join(", "))
                }
            }
            "parenthesized" => {
                let inputs: Vec<String> = a["inputs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| self.ty(t))
                    .collect();
                let output = match &a["output"] {
                    Value::Null => String::new(),
                    t => format!(" -> {}", self.ty(t)),
                };
                format!("({}){output}", inputs.join(", "))
            }
            _ => String::new(),
        }
    }

    fn path(&self, p: &Value) -> String {
        let name = last_segment(p["path"].as_str().unwrap_or("_"));
        let args = match &p["args"] {
            Value::Null => String::new(),
            a => self.args(a),
        };
        format!("{name}{args}")
    }

    fn bounds(&self, bounds: &Value) -> String {
        let parts: Vec<String> = bounds
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| {
                let (k, v) = tagged(b);
                match k {
                    "trait_bound" => {
                        let modifier = match v["modifier"].as_str() {
                            Some("maybe") => "?",
                            _ => "",
                        };
                        format!("{modifier}{}", self.path(&v["trait"]))
                    }
                    "outlives" => v.as_str().unwrap_or("'_").to_owned(),
                    _ => "_".to_owned(),
                }
            })
            .collect();
        parts.join(" + ")
    }

    fn ty(&self, t: &Value) -> String {
        let (kind, v) = tagged(t);
        match kind {
            "primitive" | "generic" => v.as_str().unwrap_or("_").to_owned(),
            "resolved_path" => self.path(v),
            "borrowed_ref" => {
                let lifetime = v["lifetime"]
                    .as_str()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutable = if v["is_mutable"] == true { "mut " } else { "" };
                format!("&{lifetime}{mutable}{}", self.ty(&v["type"]))
            }
            "slice" => format!("[{}]", self.ty(v)),
            "array" => format!(
                "[{}; {}]",
                self.ty(&v["type"]),
                v["len"].as_str().unwrap_or("_")
            ),
            "tuple" => {
                let parts: Vec<String> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| self.ty(t))
                    .collect();
                format!("({})", parts.join(", "))
            }
            "impl_trait" => format!("impl {}", self.bounds(v)),
            "dyn_trait" => {
                let traits: Vec<String> = v["traits"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| self.path(&p["trait"]))
                    .collect();
                format!("dyn {}", traits.join(" + "))
            }
            "qualified_path" => format!(
                "<{} as {}>::{}",
                self.ty(&v["self_type"]),
                match &v["trait"] {
                    Value::Null => "_".to_owned(),
                    p => self.path(p),
                },
                v["name"].as_str().unwrap_or("_")
            ),
            "raw_pointer" => format!(
                "*{} {}",
                if v["is_mutable"] == true {
                    "mut"
                } else {
                    "const"
                },
                self.ty(&v["type"])
            ),
            "function_pointer" => {
                let inputs: Vec<String> = v["sig"]["inputs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|pair| self.ty(&pair[1]))
                    .collect();
                let output = match &v["sig"]["output"] {
                    Value::Null => String::new(),
                    t => format!(" -> {}", self.ty(t)),
                };
                format!("fn({}){output}", inputs.join(", "))
            }
            "infer" => "_".to_owned(),
            _ => format!("<{kind}>"),
        }
    }

    fn generics(&self, g: &Value) -> (String, String) {
        let params: Vec<String> = g["params"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let name = p["name"].as_str().unwrap_or("_");
                let (k, v) = tagged(&p["kind"]);
                match k {
                    "type" if v["is_synthetic"] == true => None,
                    "type" => {
                        let bounds = self.bounds(&v["bounds"]);
                        Some(if bounds.is_empty() {
                            name.to_owned()
                        } else {
                            format!("{name}: {bounds}")
                        })
                    }
                    "const" => Some(format!("const {name}: {}", self.ty(&v["type"]))),
                    _ => Some(name.to_owned()),
                }
            })
            .collect();
        let wheres: Vec<String> = g["where_predicates"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| {
                let (k, v) = tagged(w);
                match k {
                    "bound_predicate" => {
                        format!("{}: {}", self.ty(&v["type"]), self.bounds(&v["bounds"]))
                    }
                    _ => "_".to_owned(),
                }
            })
            .collect();
        let params = if params.is_empty() {
            String::new()
        } else {
            format!("<{}>", params.join(", "))
        };
        let wheres = if wheres.is_empty() {
            String::new()
        } else {
            format!(" where {}", wheres.join(", "))
        };
        (params, wheres)
    }

    fn function(&self, path: &str, f: &Value) -> String {
        let (params, wheres) = self.generics(&f["generics"]);
        let inputs: Vec<String> = f["sig"]["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| {
                let name = pair[0].as_str().unwrap_or("_");
                let ty = self.ty(&pair[1]);
                if name == "self" {
                    match ty.as_str() {
                        "Self" => "self".to_owned(),
                        "&Self" => "&self".to_owned(),
                        "&mut Self" => "&mut self".to_owned(),
                        _ => format!("self: {ty}"),
                    }
                } else {
                    format!("{name}: {ty}")
                }
            })
            .collect();
        let output = match &f["sig"]["output"] {
            Value::Null => String::new(),
            t => format!(" -> {}", self.ty(t)),
        };
        let konst = if f["header"]["is_const"] == true {
            "const "
        } else {
            ""
        };
        format!(
            "pub {konst}fn {path}{params}({}){output}{wheres}",
            inputs.join(", ")
        )
    }

    fn add(&mut self, line: String) {
        self.lines.insert(line);
    }

    /// Lists the item `item` under the public path `path`.
    fn walk(&mut self, path: &str, item: &'a Value) {
        if let Some(id) = item.get("id") {
            self.paths.insert(id.to_string(), path.to_owned());
        }
        let (kind, v) = tagged(&item["inner"]);
        match kind {
            "module" => {
                if path != self.krate {
                    self.add(format!("pub mod {path}"));
                }
                for id in v["items"].as_array().into_iter().flatten() {
                    let Some(child) = self.item(id) else { continue };
                    if child["visibility"] != "public" {
                        continue;
                    }
                    let (ck, cv) = tagged(&child["inner"]);
                    if ck == "use" {
                        let name = cv["name"].as_str().unwrap_or("_");
                        match self.item(&cv["id"]) {
                            Some(target) => self.walk(&format!("{path}::{name}"), target),
                            None => self.add(format!(
                                "pub use {path}::{name} = {}",
                                cv["source"].as_str().unwrap_or("_")
                            )),
                        }
                    } else if ck == "impl" {
                        continue;
                    } else {
                        let name = child["name"].as_str().unwrap_or("_");
                        self.walk(&format!("{path}::{name}"), child);
                    }
                }
            }
            "function" => {
                let line = self.function(path, v);
                self.add(line);
            }
            "constant" => {
                let line = format!("pub const {path}: {}", self.ty(&v["type"]));
                self.add(line);
            }
            "static" => {
                let line = format!("pub static {path}: {}", self.ty(&v["type"]));
                self.add(line);
            }
            "type_alias" => {
                let (params, _) = self.generics(&v["generics"]);
                let line = format!("pub type {path}{params} = {}", self.ty(&v["type"]));
                self.add(line);
            }
            "struct" => {
                let (params, wheres) = self.generics(&v["generics"]);
                self.add(format!("pub struct {path}{params}{wheres}"));
                let (sk, sv) = tagged(&v["kind"]);
                let fields: Vec<&Value> = match sk {
                    "plain" => sv["fields"].as_array().into_iter().flatten().collect(),
                    "tuple" => sv.as_array().into_iter().flatten().collect(),
                    _ => Vec::new(),
                };
                for (i, id) in fields.iter().enumerate() {
                    let Some(field) = self.item(id) else { continue };
                    if field["visibility"] != "public" {
                        continue;
                    }
                    let name = field["name"]
                        .as_str()
                        .map_or_else(|| i.to_string(), str::to_owned);
                    let ty = self.ty(&field["inner"]["struct_field"]);
                    self.add(format!("pub field {path}::{name}: {ty}"));
                }
                self.impls(path, &v["impls"]);
            }
            "enum" => {
                let (params, wheres) = self.generics(&v["generics"]);
                self.add(format!("pub enum {path}{params}{wheres}"));
                for id in v["variants"].as_array().into_iter().flatten() {
                    let Some(variant) = self.item(id) else {
                        continue;
                    };
                    let name = variant["name"].as_str().unwrap_or("_");
                    let (vk, vv) = tagged(&variant["inner"]["variant"]["kind"]);
                    let shape = match vk {
                        "tuple" => {
                            let tys: Vec<String> = vv
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|id| self.item(id))
                                .map(|f| self.ty(&f["inner"]["struct_field"]))
                                .collect();
                            format!("({})", tys.join(", "))
                        }
                        "struct" => {
                            let fields: Vec<String> = vv["fields"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|id| self.item(id))
                                .map(|f| {
                                    format!(
                                        "{}: {}",
                                        f["name"].as_str().unwrap_or("_"),
                                        self.ty(&f["inner"]["struct_field"])
                                    )
                                })
                                .collect();
                            format!(" {{ {} }}", fields.join(", "))
                        }
                        _ => String::new(),
                    };
                    self.add(format!("pub variant {path}::{name}{shape}"));
                }
                self.impls(path, &v["impls"]);
            }
            "trait" => {
                let (params, wheres) = self.generics(&v["generics"]);
                self.add(format!("pub trait {path}{params}{wheres}"));
            }
            "macro" => self.add(format!("pub macro {path}!")),
            other => self.add(format!("pub {other} {path}")),
        }
    }

    /// The impls of a type: inherent items one line each, trait impls one line each.
    fn impls(&mut self, path: &str, impls: &Value) {
        for id in impls.as_array().into_iter().flatten() {
            let Some(item) = self.item(id) else { continue };
            let imp = &item["inner"]["impl"];
            if !imp["blanket_impl"].is_null() {
                continue;
            }
            let (params, wheres) = self.generics(&imp["generics"]);
            let for_args = match &imp["for"]["resolved_path"]["args"] {
                Value::Null => String::new(),
                a => self.args(a),
            };
            // The type the impl is for, by its public path (an impl can be listed with
            // a type that only appears in it, such as a trait's argument).
            let for_id = imp["for"]["resolved_path"]["id"].to_string();
            let for_path = self.paths.get(&for_id).map_or(path, String::as_str);
            let own = format!("{for_path}{for_args}");
            match &imp["trait"] {
                Value::Null => {
                    for id in imp["items"].as_array().into_iter().flatten() {
                        let Some(member) = self.item(id) else {
                            continue;
                        };
                        if member["visibility"] != "public" {
                            continue;
                        }
                        let name = member["name"].as_str().unwrap_or("_");
                        let at = format!("{own}::{name}");
                        let (mk, mv) = tagged(&member["inner"]);
                        let line = match mk {
                            "function" => self.function(&at, mv),
                            "assoc_const" => format!("pub const {at}: {}", self.ty(&mv["type"])),
                            other => format!("pub {other} {at}"),
                        };
                        let line = if wheres.is_empty() && !params.contains(':') {
                            line
                        } else {
                            format!("{line} (in impl{params} …{wheres})")
                        };
                        self.add(line);
                    }
                }
                t => {
                    let name = last_segment(t["path"].as_str().unwrap_or("_"));
                    if imp["is_synthetic"] == true && !AUTO_TRAITS.contains(&name) {
                        continue;
                    }
                    if name == "StructuralPartialEq" {
                        continue;
                    }
                    let negative = if imp["is_negative"] == true { "!" } else { "" };
                    let line = format!("impl{params} {negative}{} for {own}{wheres}", self.path(t));
                    self.add(line);
                }
            }
        }
    }
}

fn listing(package: &str, krate: &str, dir: &Path, target: &Path) -> String {
    let doc = rustdoc_json(package, krate, dir, target);
    let index = doc["index"].as_object().expect("an index");
    let root = index
        .get(&doc["root"].to_string())
        .expect("the root module");
    let mut listing = Listing {
        krate,
        index,
        paths: BTreeMap::new(),
        lines: BTreeSet::new(),
    };
    // Twice: the first walk learns every item's public path, which the second uses.
    listing.walk(krate, root);
    listing.lines.clear();
    listing.walk(krate, root);
    let mut out = String::new();
    for line in &listing.lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Holds `package`'s public API (library `krate`, its manifest in `dir`) to `file`, the
/// listing committed beside its tests: the listing is written again with
/// `IVS_WRITE_PUBLIC_API=1` (`accept` says the command). At least `min_lines` items.
pub fn check(package: &str, krate: &str, dir: &Path, file: &Path, min_lines: usize, accept: &str) {
    let workspace = dir
        .ancestors()
        .find(|d| d.join("Cargo.lock").exists())
        .unwrap_or(dir);
    let now = listing(
        package,
        krate,
        dir,
        &workspace.join("target").join("public-api"),
    );
    assert!(
        now.lines().count() >= min_lines,
        "the listing is suspiciously short:\n{now}"
    );
    if std::env::var_os("IVS_WRITE_PUBLIC_API").is_some() {
        std::fs::write(file, &now).expect("the listing is written");
        return;
    }
    let listed = std::fs::read_to_string(file).unwrap_or_default();
    if listed == now {
        return;
    }
    let (old, new): (BTreeSet<&str>, BTreeSet<&str>) =
        (listed.lines().collect(), now.lines().collect());
    let mut diff = String::new();
    for gone in old.difference(&new) {
        diff.push_str(&format!("- {gone}\n"));
    }
    for added in new.difference(&old) {
        diff.push_str(&format!("+ {added}\n"));
    }
    panic!(
        "the public API differs from {}:\n{diff}\n\
         If the change is meant, write the listing again: IVS_WRITE_PUBLIC_API=1 {accept}",
        file.display()
    );
}
