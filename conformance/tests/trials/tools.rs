//! The kit with the tools its users already have: the shipped OpenAPI document (equal to
//! what `openapi` prints, valid by `openapi-spec-validator`, passing schemathesis with the
//! shipped configuration against the reference server), and README's local-emulator
//! snippets run as written against the reference server (curl, the AWS CLI, boto3, the JS
//! v3 client; the Rust one is in `server/tests/it/rust_sdk.rs`), and boto3, the AWS CLI
//! and PyJWT against a server that requires SigV4.
//!
//! Python tools come from the venv `.ci/run` makes (`.venv/`, or `IVS_PYTHON`); the JS
//! client from `target/js-clients` (or `IVS_JS_CLIENTS`), where `.ci/run` installs it with
//! npm. A test whose tool is missing is reported as ignored, with the reason, except under
//! CI, where it fails. A custom harness (libtest-mimic), because the standard one cannot
//! decide at run time to skip a test and say why.

use std::path::{Path, PathBuf};
use std::process::Command;

use ivs_reference_server::{spawn, RunningServer, ServerConfig};
use libtest_mimic::{Completion, Failed, Trial};

const README_ENDPOINT: &str = "http://localhost:4566";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn openapi_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi")
}

/// A missing tool: ignored with `why`, or a failure under CI.
pub(crate) fn missing(why: &str) -> Result<Completion, Failed> {
    if std::env::var_os("CI").is_some() {
        return Err(format!("CI must provide it: {why} (.ci/run installs it)").into());
    }
    Ok(Completion::ignored_with(why.to_owned()))
}

/// The venv's `bin` directory.
fn venv_bin() -> Option<PathBuf> {
    let python = match std::env::var_os("IVS_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => workspace().join(".venv/bin/python"),
    };
    python
        .exists()
        .then(|| python.parent().map(Path::to_path_buf))
        .flatten()
}

/// The venv's executable `name`, or why there is none: each optional test checks for
/// its own tool, so that a venv made for some of them (README's recipe for the server's
/// tests) does not fail the others.
pub(crate) fn venv_tool(name: &str) -> Result<PathBuf, String> {
    let bin = venv_bin().ok_or_else(|| format!("no Python venv with {name}"))?;
    let tool = bin.join(name);
    if tool.exists() {
        Ok(tool)
    } else {
        Err(format!(
            "the venv at {} has no {name} (pip install it there)",
            bin.display()
        ))
    }
}

fn js_clients() -> Option<PathBuf> {
    let dir = match std::env::var_os("IVS_JS_CLIENTS") {
        Some(p) => PathBuf::from(p),
        None => workspace().join("target/js-clients"),
    };
    dir.join("node_modules/@aws-sdk/client-ivs-realtime")
        .is_dir()
        .then_some(dir)
}

/// Runs `cmd`; its output is the failure's text when it fails.
fn run(cmd: &mut Command) -> Result<String, Failed> {
    let out = cmd
        .output()
        .map_err(|e| format!("{cmd:?} does not run: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{cmd:?} failed ({}):\n{text}", out.status).into())
    }
}

fn checked_in_document_is_the_generated_one() -> Result<Completion, Failed> {
    let path = openapi_dir().join("openapi.json");
    let shipped = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let generated = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_ivs-conformance"))
            .args(["openapi", "--server", README_ENDPOINT])
            .output()
            .map_err(|e| e.to_string())?
            .stdout,
    )
    .unwrap();
    if shipped != generated {
        return Err(format!(
            "{} is stale: run `cargo run -p ivs-conformance -- openapi > conformance/openapi/openapi.json`",
            path.display()
        )
        .into());
    }
    Ok(Completion::Completed)
}

fn document_validates() -> Result<Completion, Failed> {
    let tool = match venv_tool("openapi-spec-validator") {
        Ok(tool) => tool,
        Err(why) => return missing(&why),
    };
    let out = run(Command::new(tool).arg(openapi_dir().join("openapi.json")))?;
    if !out.contains(": OK") {
        return Err(out.into());
    }
    Ok(Completion::Completed)
}

fn schemathesis_passes() -> Result<Completion, Failed> {
    let tool = match venv_tool("schemathesis") {
        Ok(tool) => tool,
        Err(why) => return missing(&why),
    };
    let server = spawn(ServerConfig {
        any_stage: true,
        ..ServerConfig::default()
    })
    .map_err(|e| format!("the server does not start: {e}"))?;
    let scratch = std::env::temp_dir().join(format!("ivs-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let result = run(Command::new(tool)
        .current_dir(&scratch)
        .arg("--no-color")
        .arg("--config-file")
        .arg(openapi_dir().join("schemathesis.toml"))
        .arg("run")
        .arg(openapi_dir().join("openapi.json"))
        .args(["--url", server.url(), "--max-examples", "200"])
        .args(["--generation-database", "none"]));
    server.shutdown();
    let _ = std::fs::remove_dir_all(&scratch);
    let out = result?;
    if !out.contains(" passed") {
        return Err(out.into());
    }
    Ok(Completion::Completed)
}

/// README's snippet `name`, with the test server's endpoint for README's.
fn snippet(name: &str, server: &RunningServer) -> Result<String, Failed> {
    let readme =
        std::fs::read_to_string(workspace().join("README.md")).map_err(|e| e.to_string())?;
    let marker = format!("<!-- snippet: {name} -->\n```");
    let at = readme
        .find(&marker)
        .ok_or_else(|| format!("README has no snippet {name:?}"))?;
    let body = &readme[at + marker.len()..];
    let body = &body[body.find('\n').unwrap_or(0) + 1..];
    let end = body.find("```").ok_or("an unclosed block")?;
    let text = &body[..end];
    if !text.contains(README_ENDPOINT) {
        return Err(format!("snippet {name:?} does not use {README_ENDPOINT}").into());
    }
    Ok(text.replace(README_ENDPOINT, server.url()))
}

/// A README server: the defaults, so the README's stage exists.
fn readme_server() -> Result<RunningServer, Failed> {
    spawn(ServerConfig::default()).map_err(|e| format!("the server does not start: {e}").into())
}

/// Runs README's snippet `name` with `program` (the snippet written to `file` in `dir`),
/// and expects a 12-character participant id or a token response on stdout.
fn run_snippet(
    name: &str,
    dir: &Path,
    file: &str,
    program: &mut Command,
) -> Result<Completion, Failed> {
    let server = readme_server()?;
    let text = snippet(name, &server)?;
    let path = dir.join(file);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let result = run(program.arg(&path).current_dir(workspace()));
    let _ = std::fs::remove_file(&path);
    server.shutdown();
    let out = result?;
    let first = out.lines().next().unwrap_or_default().trim();
    let is_id = first.len() == 12 && first.bytes().all(|b| b.is_ascii_alphanumeric());
    if is_id || out.contains("\"participantToken\"") {
        Ok(Completion::Completed)
    } else {
        Err(format!("snippet {name:?} printed no participant token:\n{out}").into())
    }
}

/// Runs README's stage-flow snippet `name` as [`run_snippet`] does, and expects what the
/// flow prints: three participant ids (two from CreateStage, one minted after), then
/// `deleted` (GetStage after DeleteStage answered 404); and the server holding only its
/// configured stage afterwards.
fn run_stage_snippet(name: &str, file: &str, program: &mut Command) -> Result<Completion, Failed> {
    let server = readme_server()?;
    let text = snippet(name, &server)?;
    let path = std::env::temp_dir().join(file);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let result = run(program.arg(&path).current_dir(workspace()));
    let _ = std::fs::remove_file(&path);
    let held = server.stage_count();
    server.shutdown();
    let out = result?;
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let ids = lines
        .iter()
        .take(3)
        .filter(|l| l.len() == 12 && l.bytes().all(|b| b.is_ascii_alphanumeric()));
    if lines.len() == 4 && ids.count() == 3 && lines[3] == "deleted" && held == 1 {
        Ok(Completion::Completed)
    } else {
        Err(format!("snippet {name:?}: {held} stages left, printed:\n{out}").into())
    }
}

fn awscli_stage_snippet() -> Result<Completion, Failed> {
    let bin = match venv_tool("aws") {
        Ok(aws) => aws.parent().expect("the venv's bin").to_path_buf(),
        Err(why) => return missing(&why),
    };
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    run_stage_snippet(
        "awscli-stage",
        &format!("ivs-snippet-awscli-stage-{}.sh", std::process::id()),
        Command::new("bash").env("PATH", path),
    )
}

fn boto3_stage_snippet() -> Result<Completion, Failed> {
    let Some(bin) = venv_bin() else {
        return missing("no Python venv with boto3");
    };
    run_stage_snippet(
        "boto3-stage",
        &format!("ivs-snippet-boto3-stage-{}.py", std::process::id()),
        &mut Command::new(bin.join("python")),
    )
}

fn shell_snippet(name: &'static str) -> impl FnOnce() -> Result<Completion, Failed> {
    move || {
        let bin = match venv_tool("aws") {
            Ok(aws) => aws.parent().expect("the venv's bin").to_path_buf(),
            Err(why) => return missing(&why),
        };
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        run_snippet(
            name,
            &std::env::temp_dir(),
            &format!("ivs-snippet-{name}-{}.sh", std::process::id()),
            Command::new("bash").env("PATH", path),
        )
    }
}

fn boto3_snippet() -> Result<Completion, Failed> {
    let Some(bin) = venv_bin() else {
        return missing("no Python venv with boto3");
    };
    let has_boto3 = Command::new(bin.join("python"))
        .args(["-c", "import boto3"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_boto3 {
        return missing("the venv's python cannot import boto3");
    }
    run_snippet(
        "boto3",
        &std::env::temp_dir(),
        &format!("ivs-snippet-boto3-{}.py", std::process::id()),
        &mut Command::new(bin.join("python")),
    )
}

fn js_snippet() -> Result<Completion, Failed> {
    let Some(dir) = js_clients() else {
        return missing("no @aws-sdk/client-ivs-realtime under target/js-clients (npm install --prefix target/js-clients @aws-sdk/client-ivs-realtime)");
    };
    // An ES module finds its imports from where it lies: write it beside node_modules.
    run_snippet(
        "js",
        &dir,
        &format!("snippet-{}.mjs", std::process::id()),
        &mut Command::new("node"),
    )
}

/// README's key-generation snippet, as written, in a scratch folder
/// holding a copy of `examples/`, with the `ivs-conformance` just built on `PATH`.
fn keygen_snippet() -> Result<Completion, Failed> {
    if Command::new("openssl").arg("version").output().is_err() {
        return missing("no openssl");
    }
    let readme =
        std::fs::read_to_string(workspace().join("README.md")).map_err(|e| e.to_string())?;
    let marker = "<!-- snippet: keygen -->\n```sh\n";
    let at = readme.find(marker).ok_or("README has no keygen snippet")?;
    let body = &readme[at + marker.len()..];
    let text = &body[..body.find("```").ok_or("an unclosed block")?];
    let dir = std::env::temp_dir().join(format!("ivs-keygen-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("examples")).map_err(|e| e.to_string())?;
    std::fs::copy(
        workspace().join("examples/request.json"),
        dir.join("examples/request.json"),
    )
    .map_err(|e| e.to_string())?;
    let bin = Path::new(env!("CARGO_BIN_EXE_ivs-conformance"))
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let result = run(Command::new("bash")
        .args(["-euo", "pipefail", "-c", text])
        .env("PATH", path)
        .current_dir(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    let out = result?;
    if out.contains("\"participantToken\"") && out.contains("\"token\"") {
        Ok(Completion::Completed)
    } else {
        Err(format!("the keygen snippet minted no token:\n{out}").into())
    }
}

/// Both JSON Schemas (`ivs-conformance schema`, with and without
/// `--response`) compile with ajv 8's 2020-12 class and its defaults (strict mode, which
/// refuses unknown keywords and formats), from the `ajv` that CI installs with npm.
fn schemas_compile_with_ajv() -> Result<Completion, Failed> {
    let dir = match std::env::var_os("IVS_JS_CLIENTS") {
        Some(p) => PathBuf::from(p),
        None => workspace().join("target/js-clients"),
    };
    if !dir.join("node_modules/ajv/dist/2020.js").is_file() {
        return missing(
            "no ajv under target/js-clients (npm install --prefix target/js-clients ajv@8)",
        );
    }
    let bin = env!("CARGO_BIN_EXE_ivs-conformance");
    let script = dir.join(format!("ajv-check-{}.cjs", std::process::id()));
    let mut files = Vec::new();
    for (name, args) in [
        ("request", vec!["schema"]),
        ("response", vec!["schema", "--response"]),
    ] {
        let schema = run(Command::new(bin).args(&args))?;
        let file = dir.join(format!("schema-{name}-{}.json", std::process::id()));
        std::fs::write(&file, schema).map_err(|e| e.to_string())?;
        files.push(file);
    }
    std::fs::write(
        &script,
        "const Ajv2020 = require(\"ajv/dist/2020\");\n\
         for (const f of process.argv.slice(2)) {\n\
           new Ajv2020().compile(JSON.parse(require(\"fs\").readFileSync(f, \"utf8\")));\n\
           console.log(\"compiled\", f);\n\
         }\n",
    )
    .map_err(|e| e.to_string())?;
    let result = run(Command::new("node")
        .arg(&script)
        .args(&files)
        .current_dir(&dir));
    let _ = std::fs::remove_file(&script);
    for f in &files {
        let _ = std::fs::remove_file(f);
    }
    let out = result?;
    if out.matches("compiled").count() == 2 {
        Ok(Completion::Completed)
    } else {
        Err(out.into())
    }
}

/// The README snippets some test runs as written: README.md's `<!-- snippet: NAME -->`
/// blocks (curl, awscli, boto3, js and keygen here; rust in server/tests/it/rust_sdk.rs,
/// whose copy `the_readme_rust_snippet_is_this_one` keeps equal).
const RUN_SNIPPETS: [&str; 8] = [
    "curl",
    "awscli",
    "boto3",
    "js",
    "rust",
    "keygen",
    "awscli-stage",
    "boto3-stage",
];

/// Every command block of the READMEs either runs in a test as written or says
/// that it does not, and why: the line before each fenced block that is not data (`text`,
/// `json`, `toml`) is `<!-- snippet: NAME -->` (NAME run by a test), `<!-- runs: WHERE -->`,
/// `<!-- not run: WHY -->` or `<!-- not run as written: WHY -->`.
fn every_readme_block_is_run_or_marked() -> Result<Completion, Failed> {
    let mut problems = Vec::new();
    for file in [
        "README.md",
        "README.crate.md",
        "aws-sdk/README.md",
        "conformance/README.md",
        "fuzz/README.md",
        "js/README.md",
        "python/README.md",
        "runner-wheel/README.md",
        "server/README.md",
    ] {
        let text =
            std::fs::read_to_string(workspace().join(file)).map_err(|e| format!("{file}: {e}"))?;
        let lines: Vec<&str> = text.lines().collect();
        let mut inside = false;
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with("```") {
                continue;
            }
            if inside {
                inside = false;
                continue;
            }
            inside = true;
            let lang = line.trim_start_matches('`').trim();
            if matches!(lang, "text" | "json" | "toml") {
                continue;
            }
            let before = i.checked_sub(1).map_or("", |j| lines[j]);
            let ok = match before.strip_prefix("<!-- snippet: ") {
                Some(rest) => {
                    let name = rest.trim_end_matches(" -->");
                    file == "README.md" && RUN_SNIPPETS.contains(&name)
                }
                None => {
                    before.ends_with("-->")
                        && ["<!-- runs: ", "<!-- not run: ", "<!-- not run as written: "]
                            .iter()
                            .any(|p| before.starts_with(p))
                }
            };
            if !ok {
                problems.push(format!("{file}:{}: a ```{lang} block, unmarked", i + 1));
            }
        }
    }
    if problems.is_empty() {
        Ok(Completion::Completed)
    } else {
        Err(problems.join("\n").into())
    }
}

/// Every package's README (the crates', the wheels', the npm package's) opens with how to
/// install it and a first use that a test runs as written, and says what the package does
/// not do: its first `##` section is "Install and first use", holding an install block
/// and then a block marked `<!-- runs: … -->`, and a "What it does not do" section follows.
fn every_package_readme_opens_with_install_and_a_first_use() -> Result<Completion, Failed> {
    let mut problems = Vec::new();
    for file in [
        "README.crate.md",
        "aws-sdk/README.md",
        "conformance/README.md",
        "js/README.md",
        "python/README.md",
        "runner-wheel/README.md",
        "server/README.md",
    ] {
        let text =
            std::fs::read_to_string(workspace().join(file)).map_err(|e| format!("{file}: {e}"))?;
        let first_section = text.split("\n## ").nth(1).unwrap_or_default();
        let Some(section) = first_section.strip_prefix("Install and first use\n") else {
            problems.push(format!(
                "{file}: the first section is not \"Install and first use\""
            ));
            continue;
        };
        let markers: Vec<&str> = section.lines().filter(|l| l.starts_with("<!-- ")).collect();
        let install_first = section
            .split("```")
            .nth(1)
            .is_some_and(|block| block.contains(" install ") || block.contains("cargo add "));
        if !install_first {
            problems.push(format!(
                "{file}: the first block does not install the package"
            ));
        }
        if !markers.get(1).is_some_and(|m| m.starts_with("<!-- runs: ")) {
            problems.push(format!(
                "{file}: the second block is not marked as run by a test"
            ));
        }
        if !text.contains("\n## What it does not do\n") {
            problems.push(format!("{file}: no \"What it does not do\" section"));
        }
    }
    if problems.is_empty() {
        Ok(Completion::Completed)
    } else {
        Err(problems.join("\n").into())
    }
}

/// boto3, the AWS CLI and PyJWT against a reference server that requires SigV4: a token
/// minted, its claims verified with the published key, a ValidationException and a
/// refused signature read as those clients read them (`tests/clients/boto3_client.py`).
fn boto3_and_the_aws_cli() -> Result<Completion, Failed> {
    let python = match std::env::var_os("IVS_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => match venv_tool("python") {
            Ok(p) => p,
            Err(why) => return missing(&why),
        },
    };
    if let Err(why) = venv_tool("aws") {
        return missing(&why);
    }
    let imports = Command::new(&python)
        .args(["-c", "import boto3, jwt, cryptography"])
        .output()
        .map_err(|e| format!("{} does not run: {e}", python.display()))?;
    if !imports.status.success() {
        return missing(
            "the venv lacks boto3 or PyJWT with cryptography (pip install boto3 'pyjwt[crypto]')",
        );
    }
    const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
    let server = spawn(ServerConfig {
        stages: vec![ARN.to_owned()],
        access_keys: Some(vec![ivs_reference_server::AccessKey {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "secret".into(),
            allowed_stages: None,
        }]),
        ..ServerConfig::default()
    })
    .map_err(|e| format!("the server does not start: {e}"))?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_client.py");
    run(Command::new(python).arg(script).arg(server.url()).arg(ARN))?;
    Ok(Completion::Completed)
}

/// This module's tests.
pub fn trials() -> Vec<Trial> {
    vec![
        Trial::ignorable_test(
            "openapi::checked_in_document_is_the_generated_one",
            checked_in_document_is_the_generated_one,
        ),
        Trial::ignorable_test(
            "openapi::validates_with_openapi_spec_validator",
            document_validates,
        ),
        Trial::ignorable_test(
            "openapi::schemathesis_passes_against_the_reference_server",
            schemathesis_passes,
        ),
        Trial::ignorable_test("server::boto3_and_the_aws_cli", boto3_and_the_aws_cli),
        Trial::ignorable_test("readme::curl_snippet", shell_snippet("curl")),
        Trial::ignorable_test("readme::awscli_snippet", shell_snippet("awscli")),
        Trial::ignorable_test("readme::boto3_snippet", boto3_snippet),
        Trial::ignorable_test("readme::awscli_stage_snippet", awscli_stage_snippet),
        Trial::ignorable_test("readme::boto3_stage_snippet", boto3_stage_snippet),
        Trial::ignorable_test("readme::js_v3_snippet", js_snippet),
        Trial::ignorable_test("readme::keygen_snippet", keygen_snippet),
        Trial::ignorable_test("schema::compiles_with_ajv_strict", schemas_compile_with_ajv),
        Trial::ignorable_test(
            "readme::every_block_is_run_or_marked",
            every_readme_block_is_run_or_marked,
        ),
        Trial::ignorable_test(
            "readme::every_package_opens_with_install_and_a_first_use",
            every_package_readme_opens_with_install_and_a_first_use,
        ),
    ]
}
