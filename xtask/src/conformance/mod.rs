//! `cargo xtask conformance SPEC_OR_DIR...`: every generated operation, called against Prism.
//!
//! For each spec: generate the client into a driver crate under `target/conformance/<spec>/`,
//! with a plan of argument sets built from the spec's own examples and schemas; build all
//! driver crates in one cargo workspace; then start Prism on the spec, run the driver (every
//! operation, in Prism's static and dynamic modes) and judge each result. Prism's request
//! validation decides whether a request was right; the client's decoder decides whether a
//! response was read.

mod driver;
mod prism;
mod sample;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use generator::{Settings, SpecFile};
use serde_json::Value;

use crate::codegen::workspace_root;
use crate::corpus::{collect_specs, display_name, member_name, table_text, write_if_changed};

/// What `cargo xtask conformance` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Spec files, or directories of them.
    pub inputs: Vec<PathBuf>,
    /// Markdown file to write the report to.
    pub report: Option<PathBuf>,
    /// Directory for the driver crates.
    pub scratch: PathBuf,
    /// How long Prism may take to start on one spec.
    pub startup: Duration,
}

/// How one operation fared in one of Prism's modes, or overall.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Prism accepted the request and the client decoded its response.
    Conformant,
    /// Prism refused only the credentials: the client sent none (or the wrong ones) for the
    /// schemes the operation declares.
    Security(String),
    /// Prism found the request invalid.
    Rejected(String),
    /// The success response did not decode.
    Decode(String),
    /// The response did not decode and Prism itself says, at that place, that the response it
    /// sent breaks the spec (an example contradicting its own schema).
    InvalidResponse(String),
    /// No argument set built from the spec fits the generated types.
    Args(String),
    /// Anything else: a refused request, a transport failure, an unexpected status.
    Other(String),
}

impl Verdict {
    fn column(&self) -> usize {
        match self {
            Verdict::Conformant => 0,
            Verdict::InvalidResponse(_) => 1,
            Verdict::Security(_) => 2,
            Verdict::Rejected(_) => 3,
            Verdict::Decode(_) => 4,
            Verdict::Args(_) | Verdict::Other(_) => 5,
        }
    }

    fn reason(&self) -> &str {
        match self {
            Verdict::Conformant => "",
            Verdict::Security(r)
            | Verdict::InvalidResponse(r)
            | Verdict::Rejected(r)
            | Verdict::Decode(r)
            | Verdict::Args(r)
            | Verdict::Other(r) => r,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::Security(_) => "security",
            Verdict::InvalidResponse(_) => "spec's response invalid",
            Verdict::Rejected(_) => "request rejected",
            Verdict::Decode(_) => "response not decoded",
            Verdict::Args(_) => "arguments do not fit",
            Verdict::Other(_) => "other",
        }
    }
}

/// One spec's results.
#[derive(Debug, Clone)]
pub struct SpecResult {
    /// The spec as shown, e.g. `public/oai-petstore.yaml`.
    pub spec: String,
    /// Operations the generator skipped (documented as unsupported).
    pub skipped: usize,
    /// Per generated operation: `METHOD path` (name) and its verdict.
    pub operations: Vec<(String, Verdict)>,
    /// Why the spec could not be run at all, if so.
    pub failure: Option<String>,
    /// Whether that failure is the generator's (generation or compilation), which fails the run.
    pub fatal: bool,
    /// Operations where one mode got a response Prism flags as breaking the spec.
    pub invalid_examples: usize,
}

/// Runs the conformance check and prints (and optionally writes) the report.
pub fn run(options: &Options) -> Result<Run> {
    let specs = collect_specs(&options.inputs)?;
    if specs.is_empty() {
        bail!("no spec files (*.yaml, *.yml, *.json) under the given paths");
    }
    let root = workspace_root();
    let started = Instant::now();
    let prism_bin = prism::ensure_installed(&root.join("target/prism"))?;
    let mut results = Vec::new();
    let mut members: Vec<Member> = Vec::new();
    let mut taken = Vec::new();
    for path in &specs {
        let member = member_name(path, &taken);
        taken.push(member.clone());
        match prepare_member(path, &member, &options.scratch) {
            Ok(m) => members.push(m),
            Err(failure) => results.push(SpecResult {
                spec: display_name(path),
                skipped: 0,
                operations: Vec::new(),
                failure: Some(failure.message),
                fatal: failure.fatal,
                invalid_examples: 0,
            }),
        }
    }
    let built = build_all(&members, &options.scratch)?;
    for member in &members {
        let result = match built.get(&member.name) {
            Some(Err(errors)) => SpecResult {
                spec: member.spec.clone(),
                skipped: member.skipped,
                operations: Vec::new(),
                failure: Some(format!("driver crate did not compile: {errors}")),
                fatal: true,
                invalid_examples: 0,
            },
            _ => run_member(member, &prism_bin, &options.scratch, options.startup),
        };
        eprintln!(
            "{}: {}/{} conformant{}",
            result.spec,
            result
                .operations
                .iter()
                .filter(|(_, v)| *v == Verdict::Conformant)
                .count(),
            result.operations.len(),
            result
                .failure
                .as_ref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default()
        );
        results.push(result);
    }
    results.sort_by(|a, b| a.spec.cmp(&b.spec));
    let summary = Summary::of(&results);
    let text = report(&results, &summary);
    println!("{text}");
    eprintln!("took {:.0} s", started.elapsed().as_secs_f64());
    if let Some(path) = &options.report {
        let command = format!(
            "cargo xtask conformance --report {} {}",
            path.display(),
            options
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
        write_report(path, &command, &text)?;
    }
    let fatal: Vec<&str> = results
        .iter()
        .filter(|r| r.fatal)
        .map(|r| r.spec.as_str())
        .collect();
    if !fatal.is_empty() {
        bail!(
            "{} spec(s) failed to generate or compile: {}",
            fatal.len(),
            fatal.join(", ")
        );
    }
    Ok(Run { summary, results })
}

/// What a run found.
#[derive(Debug)]
pub struct Run {
    /// Totals.
    pub summary: Summary,
    /// Per spec, sorted.
    pub results: Vec<SpecResult>,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Operations generated (and so called).
    pub operations: usize,
    /// Operations that conform.
    pub conformant: usize,
    /// Operations the generator skipped.
    pub skipped: usize,
    /// Operations refused only for their credentials.
    pub security: usize,
    /// Operations whose every answer Prism flags as breaking the spec where decoding failed.
    pub invalid_response: usize,
}

impl Summary {
    fn of(results: &[SpecResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.operations += r.operations.len();
            s.skipped += r.skipped;
            for (_, v) in &r.operations {
                match v {
                    Verdict::Conformant => s.conformant += 1,
                    Verdict::Security(_) => s.security += 1,
                    Verdict::InvalidResponse(_) => s.invalid_response += 1,
                    _ => {}
                }
            }
        }
        s
    }

    /// `conformant: N/M operations (P%)`.
    pub fn line(&self) -> String {
        let percent = if self.operations == 0 {
            100.0
        } else {
            100.0 * self.conformant as f64 / self.operations as f64
        };
        format!(
            "conformant: {}/{} operations ({percent:.2}%)",
            self.conformant, self.operations
        )
    }
}

struct Member {
    name: String,
    spec: String,
    dir: PathBuf,
    skipped: usize,
    operations: Vec<String>,
}

struct MemberFailure {
    message: String,
    fatal: bool,
}

/// Generates the client and writes the driver crate and its plan.
fn prepare_member(
    path: &Path,
    member: &str,
    scratch: &Path,
) -> std::result::Result<Member, MemberFailure> {
    let fail = |message: String, fatal: bool| MemberFailure { message, fatal };
    let contents = std::fs::read_to_string(path)
        .map_err(|e| fail(format!("reading {}: {e}", path.display()), true))?;
    let spec = SpecFile {
        path: display_name(path),
        module: member.to_owned(),
        contents,
        overlays: crate::codegen::overlays_for(path).map_err(|e| fail(format!("{e:#}"), true))?,
    };
    let settings = Settings {
        runtime: "::apiwire::codegen".into(),
        client_type: None,
        command: "cargo xtask conformance".into(),
    };
    let output = match generator::generate(std::slice::from_ref(&spec), &settings) {
        Ok(output) => output,
        Err(generator::Error::UnsupportedVersion { found, .. }) => {
            return Err(fail(format!("refused: {found}"), false));
        }
        Err(err) => return Err(fail(format!("generation failed: {err}"), true)),
    };
    let loaded = generator::load::load(&spec).map_err(|e| fail(e.to_string(), true))?;
    let lowered = generator::lower::lower(std::slice::from_ref(&loaded))
        .map_err(|e| fail(e.to_string(), true))?;
    let module = lowered
        .api
        .modules
        .first()
        .ok_or_else(|| fail("no module generated".to_owned(), true))?;
    // Prism and the samples see the document the client was generated from: overlays applied.
    let mut document = generator::load::document(&spec).map_err(|e| fail(e.to_string(), true))?;
    for overlay in &spec.overlays {
        generator::overlay::apply(&mut document, overlay).map_err(|e| fail(e.to_string(), true))?;
    }

    let io = |e: anyhow::Error| fail(format!("{e:#}"), true);
    let dir = scratch.join(member);
    let api = dir.join("src/api");
    if api.exists() {
        std::fs::remove_dir_all(&api).map_err(|e| fail(e.to_string(), true))?;
    }
    for file in &output.files {
        write_if_changed(&api.join(&file.path), &file.contents).map_err(io)?;
    }
    write_if_changed(&dir.join("src/main.rs"), driver::MAIN).map_err(io)?;
    write_if_changed(&dir.join("src/support.rs"), driver::SUPPORT).map_err(io)?;
    write_if_changed(&dir.join("src/driver.rs"), &driver::source(module)).map_err(io)?;
    let operations: Vec<Value> = module
        .operations
        .iter()
        .map(|op| {
            serde_json::json!({
                "name": op.name.trim_start_matches("r#"),
                "candidates": driver::candidates(&document, op),
            })
        })
        .collect();
    let plan = serde_json::json!({ "base_url": "", "operations": operations });
    write_if_changed(
        &dir.join("plan.json"),
        &serde_json::to_string_pretty(&plan).unwrap_or_default(),
    )
    .map_err(io)?;
    // Prism matches paths only, so a relative server's path goes onto the paths of its copy.
    let prefix = module
        .operations
        .first()
        .map(|op| op.server.as_str())
        .filter(|server| server.starts_with('/'));
    let prepared = prism::prepare(&document, prefix);
    write_if_changed(
        &dir.join(PRISM_SPEC),
        &serde_json::to_string(&prepared).unwrap_or_default(),
    )
    .map_err(io)?;
    write_if_changed(
        &dir.join(LEAN_SPEC),
        &serde_json::to_string(&prism::lean(prepared)).unwrap_or_default(),
    )
    .map_err(io)?;
    Ok(Member {
        name: member.to_owned(),
        spec: spec.path,
        dir,
        skipped: output.stats.skipped,
        operations: module
            .operations
            .iter()
            .map(|op| {
                format!(
                    "`{} {}` ({})",
                    op.method,
                    op.path,
                    op.name.trim_start_matches("r#")
                )
            })
            .collect(),
    })
}

/// Builds every driver crate in one workspace; per member, `Err(summary)` when it did not build.
fn build_all(
    members: &[Member],
    scratch: &Path,
) -> Result<BTreeMap<String, std::result::Result<(), String>>> {
    let mut out = BTreeMap::new();
    if members.is_empty() {
        return Ok(out);
    }
    let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
    // A binary left from an earlier run must not stand in for one this build failed to make.
    for member in members {
        let binary = binary_path(scratch, &member.name);
        if binary.exists() {
            std::fs::remove_file(&binary)
                .with_context(|| format!("removing the old driver {}", binary.display()))?;
        }
    }
    crate::corpus::write_workspace(
        scratch,
        &names,
        &workspace_root().join("runtime"),
        "tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
        crate::corpus::Profile::Once,
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("building {} driver crate(s)", members.len());
    let output = Command::new(cargo)
        .stdin(std::process::Stdio::null())
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir(scratch))
        .env_remove("RUSTFLAGS")
        // Scratch crates are built once per run: incremental state would only fill the disk
        // (gigabytes for the large specs).
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .context("running cargo build")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for member in members {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with(&format!("{}/", member.name)) && l.contains(": error"))
            .collect();
        let binary = binary_path(scratch, &member.name);
        let result = if errors.is_empty() && binary.exists() {
            Ok(())
        } else {
            Err(errors
                .first()
                .map(|e| table_text(e))
                .unwrap_or_else(|| "no binary was built".to_owned()))
        };
        out.insert(member.name.clone(), result);
    }
    if !output.status.success() {
        for line in stderr.lines().filter(|l| l.contains("error")).take(40) {
            eprintln!("{line}");
        }
    }
    Ok(out)
}

/// Each scratch workspace builds into its own target directory, so the fast test and a full
/// run can go at once.
fn target_dir(scratch: &Path) -> PathBuf {
    scratch.join("target")
}

fn binary_path(scratch: &Path, member: &str) -> PathBuf {
    target_dir(scratch)
        .join("debug")
        .join(crate::corpus::package_name(member))
}

/// Results of one driver run: per (operation, mode), the attempts in order.
type Lines = BTreeMap<(String, String), Vec<Value>>;

/// Starts Prism on one spec, runs the driver over `operations` in `modes`, stops Prism.
fn drive(
    member: &Member,
    prism_bin: &Path,
    scratch: &Path,
    startup: Duration,
    operations: &[Value],
    modes: &[&str],
    spec: &Path,
) -> std::result::Result<(Lines, Option<String>), String> {
    let log = scratch.join(format!("{}.prism.log", member.name));
    let server = prism::Prism::start(prism_bin, spec, &log, startup)
        .map_err(|err| format!("Prism could not serve the spec: {err:#}"))?;
    let plan = serde_json::json!({
        "base_url": server.base_url,
        "prism_log": log,
        "modes": modes,
        "operations": operations,
    });
    let run_plan = member.dir.join("plan.run.json");
    std::fs::write(&run_plan, plan.to_string())
        .map_err(|err| format!("writing {}: {err}", run_plan.display()))?;
    let output = Command::new(binary_path(scratch, &member.name))
        .stdin(std::process::Stdio::null())
        .arg(&run_plan)
        .output()
        .map_err(|err| format!("running the driver: {err}"));
    drop(server);
    let output = output?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = Lines::new();
    for line in stdout.lines() {
        if let Ok(value) = serde_json::from_str::<Value>(line) {
            let key = (
                value["operation"].as_str().unwrap_or_default().to_owned(),
                value["mode"].as_str().unwrap_or_default().to_owned(),
            );
            lines.entry(key).or_default().push(value);
        }
    }
    let failure = (!output.status.success()).then(|| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        format!(
            "the driver stopped early: {}",
            table_text(stderr.lines().last().unwrap_or_default())
        )
    });
    Ok((lines, failure))
}

/// Prism's copy of a spec, in its driver's directory.
const PRISM_SPEC: &str = "prism-spec.json";

/// The same copy with leaner dynamic answers ([`prism::lean`]), for what Prism stopped
/// answering on.
const LEAN_SPEC: &str = "prism-spec-lean.json";

/// How many times Prism is started again, per mode, for the operations after one it stopped
/// answering on.
const MAX_PRISM_RESTARTS: usize = 24;

/// Whether the last attempt found nobody listening, or nobody answering in time: Prism died
/// under it or was still making its answer (some specs' dynamic answers grow until Node runs
/// out of heap). The driver's `Outcome::prism_gone` is the same test.
fn prism_gone(attempts: &[Value]) -> bool {
    attempts.last().is_some_and(|a| {
        a["result"]["outcome"] == "error"
            && a["result"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("could not connect") || m.contains("timed out"))
    })
}

/// Starts Prism on one spec, runs its driver and judges every operation. Operations Prism
/// dropped by dying are run again against a fresh Prism, while each restart gets further.
fn run_member(member: &Member, prism_bin: &Path, scratch: &Path, startup: Duration) -> SpecResult {
    let mut result = SpecResult {
        spec: member.spec.clone(),
        skipped: member.skipped,
        operations: Vec::new(),
        failure: None,
        fatal: false,
        invalid_examples: 0,
    };
    let plan_path = member.dir.join("plan.json");
    let Some(plan) = std::fs::read_to_string(&plan_path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    else {
        result.failure = Some("plan.json is unreadable".to_owned());
        result.fatal = true;
        return result;
    };
    let operations = plan["operations"].as_array().cloned().unwrap_or_default();
    if operations.is_empty() {
        // Prism refuses a document without operations; there is nothing to call anyway.
        return result;
    }
    let modes = ["static", "dynamic"];
    // A finished run is kept with the fingerprint of everything it depended on, so an
    // interrupted full run resumes where it stopped instead of calling Prism again.
    let key = run_key(member, scratch);
    let key_path = member.dir.join("results.key");
    let results_path = member.dir.join("results.jsonl");
    if key.is_some() && std::fs::read_to_string(&key_path).ok() == key {
        let mut lines = Lines::new();
        for line in std::fs::read_to_string(&results_path)
            .unwrap_or_default()
            .lines()
        {
            if let Ok(value) = serde_json::from_str::<Value>(line) {
                let k = (
                    value["operation"].as_str().unwrap_or_default().to_owned(),
                    value["mode"].as_str().unwrap_or_default().to_owned(),
                );
                lines.entry(k).or_default().push(value);
            }
        }
        eprintln!("{}: results of an identical earlier run", member.spec);
        return judge_all(member, &operations, &modes, &lines, result);
    }
    let _ = std::fs::remove_file(&key_path);
    let spec = member.dir.join(PRISM_SPEC);
    let mut lines = match drive(
        member,
        prism_bin,
        scratch,
        startup,
        &operations,
        &modes,
        &spec,
    ) {
        Ok((lines, failure)) => {
            result.failure = failure;
            lines
        }
        Err(failure) => {
            // Every generated operation still counts, as not run: a spec Prism cannot serve
            // must not shrink the total the conformance figure is taken over.
            result.operations = member
                .operations
                .iter()
                .map(|label| (label.clone(), Verdict::Other(format!("not run: {failure}"))))
                .collect();
            result.failure = Some(failure);
            return result;
        }
    };
    // The driver stops where Prism stopped answering (it died, or was still busy making an
    // answer when the call timed out). A fresh Prism then answers what is left from the lean
    // copy (half the optional properties in dynamic answers); an operation it stops on there
    // too is given up.
    let mut lean: BTreeSet<(String, String)> = BTreeSet::new();
    for mode in modes {
        for _ in 0..MAX_PRISM_RESTARTS {
            let mut again: Vec<Value> = Vec::new();
            let mut given_up = 0;
            // Whether Prism stopped answering in this mode, rather than only in the other one
            // (the driver then never reached this mode).
            let mut stopped = false;
            for op in &operations {
                let key = (
                    op["name"].as_str().unwrap_or_default().to_owned(),
                    mode.to_owned(),
                );
                match lines.get(&key) {
                    Some(attempts) if !prism_gone(attempts) => {}
                    Some(_) if lean.contains(&key) => given_up += 1,
                    Some(_) => {
                        stopped = true;
                        again.push(op.clone());
                    }
                    None => again.push(op.clone()),
                }
            }
            if again.is_empty() {
                break;
            }
            let spec = if stopped || lean.iter().any(|(_, m)| m == mode) {
                eprintln!(
                    "{}: Prism stopped answering; {} operation(s) again in {mode} mode from the lean copy ({given_up} given up)",
                    member.spec,
                    again.len(),
                );
                lean.extend(again.iter().map(|op| {
                    (
                        op["name"].as_str().unwrap_or_default().to_owned(),
                        mode.to_owned(),
                    )
                }));
                member.dir.join(LEAN_SPEC)
            } else {
                member.dir.join(PRISM_SPEC)
            };
            match drive(member, prism_bin, scratch, startup, &again, &[mode], &spec) {
                Ok((retried, _)) => lines.extend(retried),
                Err(_) => break,
            }
        }
    }
    let all: Vec<&Value> = lines.values().flatten().collect();
    let text: String = all.iter().map(|v| format!("{v}\n")).collect();
    if std::fs::write(&results_path, text).is_ok()
        && result.failure.is_none()
        && let Some(key) = key
    {
        let _ = std::fs::write(&key_path, key);
    }
    judge_all(member, &operations, &modes, &lines, result)
}

/// A fingerprint of one spec's run: its plan, Prism's copy of the spec, the driver binary and
/// Prism's version. `None` when one of them cannot be read.
fn run_key(member: &Member, scratch: &Path) -> Option<String> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(member.dir.join("plan.json"))
        .ok()?
        .hash(&mut hasher);
    std::fs::read(member.dir.join(PRISM_SPEC))
        .ok()?
        .hash(&mut hasher);
    std::fs::read(binary_path(scratch, &member.name))
        .ok()?
        .hash(&mut hasher);
    prism::VERSION.hash(&mut hasher);
    Some(format!("{:016x}", hasher.finish()))
}

/// Every operation's verdict from the recorded attempts.
fn judge_all(
    member: &Member,
    operations: &[Value],
    modes: &[&str],
    lines: &Lines,
    mut result: SpecResult,
) -> SpecResult {
    for (label, op) in member.operations.iter().zip(operations) {
        let name = op["name"].as_str().unwrap_or_default().to_owned();
        let verdicts: Vec<Verdict> = modes
            .iter()
            .map(|mode| {
                let attempts: Vec<Value> = lines
                    .get(&(name.clone(), (*mode).to_owned()))
                    .map(|a| a.iter().map(|v| v["result"].clone()).collect())
                    .unwrap_or_default();
                judge(mode, &attempts)
            })
            .collect();
        if verdicts
            .iter()
            .any(|v| matches!(v, Verdict::InvalidResponse(_)))
        {
            result.invalid_examples += 1;
        }
        result.operations.push((label.clone(), combine(verdicts)));
    }
    result
}

/// One operation's verdict from its modes. A mode whose response Prism itself flags as
/// breaking the spec (an example that contradicts its schema) does not count against the
/// client when another mode was decoded; otherwise the worst verdict stands.
fn combine(verdicts: Vec<Verdict>) -> Verdict {
    let real: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| !matches!(v, Verdict::InvalidResponse(_)))
        .collect();
    match real.iter().max_by_key(|v| v.column()) {
        Some(worst) => (*worst).clone(),
        None => verdicts
            .into_iter()
            .next()
            .unwrap_or(Verdict::Other("not run".to_owned())),
    }
}

/// `data[0].created_at` → `data.0.created_at`; the root `.` → empty.
fn decode_location(path: &str) -> String {
    path.trim_start_matches('.')
        .replace('[', ".")
        .replace(']', "")
        .trim_start_matches('.')
        .to_owned()
}

/// Whether one dotted location lies inside the other (or they are equal).
fn overlaps(a: &str, b: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}."))
    };
    inside(a, b) || inside(b, a)
}

/// The verdict of one mode from its attempts (one per argument set tried, in order).
fn judge(mode: &str, attempts: &[Value]) -> Verdict {
    let Some(last) = attempts.last() else {
        return Verdict::Other(format!("{mode}: not run"));
    };
    // Prefer the most telling result: a success, then a decode failure, then a status.
    let best = attempts
        .iter()
        .find(|a| a["outcome"] == "ok")
        .or_else(|| attempts.iter().find(|a| a["outcome"] == "decode"))
        .or_else(|| attempts.iter().find(|a| a["outcome"] == "status"))
        .unwrap_or(last);
    let text = |key: &str| best[key].as_str().unwrap_or_default().to_owned();
    match best["outcome"].as_str().unwrap_or_default() {
        "ok" => Verdict::Conformant,
        "status" => {
            let status = best["status"].as_u64().unwrap_or(0);
            let violations = request_violations(&best["violations"]);
            if status == 401 && violations.iter().all(|v| v.contains("security")) {
                Verdict::Security(format!("{mode}: HTTP 401 {}", violations.join("; ")))
            } else if !violations.is_empty() {
                Verdict::Rejected(format!("{mode}: HTTP {status} {}", violations.join("; ")))
            } else {
                Verdict::Other(format!(
                    "{mode}: HTTP {status} without request violations: {}",
                    table_text(&text("body"))
                ))
            }
        }
        "decode" => {
            let at = decode_location(&text("path"));
            let flagged: Vec<&Value> = best["violations"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter(|v| {
                            v["location"].get(0).and_then(Value::as_str) == Some("response")
                        })
                        .filter(|v| {
                            let location = v["location"]
                                .as_array()
                                .map(|l| {
                                    l.iter()
                                        .skip(2)
                                        .map(|p| {
                                            p.as_str().map(str::to_owned).unwrap_or(p.to_string())
                                        })
                                        .collect::<Vec<_>>()
                                        .join(".")
                                })
                                .unwrap_or_default();
                            overlaps(&location, &at)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let reason = format!("{mode}: {}", text("message"));
            if flagged.is_empty() {
                Verdict::Decode(reason)
            } else {
                let said: Vec<String> = flagged.iter().map(|v| violation_text(v)).collect();
                Verdict::InvalidResponse(format!("{reason} (Prism: {})", said.join("; ")))
            }
        }
        "args" => Verdict::Args(format!("{mode}: {}", text("message"))),
        _ => Verdict::Other(format!(
            "{mode}: {}",
            best["message"].as_str().unwrap_or("unknown operation")
        )),
    }
}

fn violation_text(v: &Value) -> String {
    let location: Vec<String> = v["location"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let message = v["message"].as_str().unwrap_or_default();
    if v["code"] == 401 || message.contains("security scheme") {
        return format!("security: {message}");
    }
    format!("{}: {message}", location.join("."))
}

fn violations_at(violations: &Value, side: &str) -> Vec<String> {
    violations
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|v| v["location"].get(0).and_then(Value::as_str) == Some(side))
                .filter(|v| v["severity"] != "Warning" && v["severity"] != "Information")
                .map(violation_text)
                .collect()
        })
        .unwrap_or_default()
}

fn request_violations(violations: &Value) -> Vec<String> {
    violations_at(violations, "request")
}

/// The report: a table per spec, failures with their reasons, then the totals line.
pub fn report(results: &[SpecResult], summary: &Summary) -> String {
    let mut out = String::new();
    out.push_str(
        "| Spec | Operations | Skipped | Conformant | Spec's response invalid | Security only | Request rejected | Response not decoded | Other |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in results {
        let mut counts = [0usize; 6];
        for (_, v) in &r.operations {
            counts[v.column()] += 1;
        }
        let note = match &r.failure {
            Some(f) => format!(" ({})", table_text(f)),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {}{note} |",
            r.spec,
            r.operations.len(),
            r.skipped,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5]
        );
    }
    let failures: Vec<(&str, &str, &Verdict)> = results
        .iter()
        .flat_map(|r| {
            r.operations
                .iter()
                .filter(|(_, v)| *v != Verdict::Conformant)
                .map(move |(op, v)| (r.spec.as_str(), op.as_str(), v))
        })
        .collect();
    if !failures.is_empty() {
        out.push_str("\n### Operations that do not conform\n\n| Spec | Operation | Verdict | Reason |\n|---|---|---|---|\n");
        for (spec, op, verdict) in failures {
            let _ = writeln!(
                out,
                "| {spec} | {} | {} | {} |",
                table_text(op),
                verdict.label(),
                reason_text(verdict.reason())
            );
        }
    }
    let invalid: usize = results.iter().map(|r| r.invalid_examples).sum();
    let _ = writeln!(
        out,
        "\nSkipped by the generator (not called, not counted as conformant): {}. Refused only for credentials: {}. \
         Operations where one of Prism's answers broke the spec at the place decoding failed (counted by the other mode): {invalid}.\n\n{}",
        summary.skipped,
        summary.security,
        summary.line()
    );
    out
}

/// A failure reason for a table cell: one line, pipes escaped, at most 400 characters.
fn reason_text(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 400 {
        format!("{}…", line.chars().take(400).collect::<String>())
    } else {
        line
    }
}

/// Writes the report into `path` between the markers, keeping the hand-written text around it.
fn write_report(path: &Path, command: &str, table: &str) -> Result<()> {
    const BEGIN: &str = "<!-- conformance:begin -->";
    const END: &str = "<!-- conformance:end -->";
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let body = format!("{BEGIN}\nWritten by `{command}`.\n\n{table}{END}");
    let text = match (old.find(BEGIN), old.find(END)) {
        (Some(start), Some(end)) if end > start => {
            format!("{}{body}{}", &old[..start], &old[end + END.len()..])
        }
        _ => format!("{old}\n{body}\n"),
    };
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn security_only_rejections_are_told_apart() {
        let security = json!([{"outcome": "status", "status": 401, "body": "", "violations": [
            {"location": ["request"], "severity": "Error", "code": 401, "message": "Invalid security scheme used"}
        ]}]);
        assert!(matches!(
            judge("static", security.as_array().unwrap()),
            Verdict::Security(_)
        ));
        let both = json!([{"outcome": "status", "status": 401, "body": "", "violations": [
            {"location": ["request"], "severity": "Error", "code": 401, "message": "Invalid security scheme used"},
            {"location": ["request", "query", "limit"], "severity": "Error", "code": "type", "message": "must be integer"}
        ]}]);
        assert!(matches!(
            judge("static", both.as_array().unwrap()),
            Verdict::Rejected(_)
        ));
    }

    #[test]
    fn a_later_argument_set_that_works_wins_and_response_violations_are_named() {
        let attempts = json!([
            {"outcome": "status", "status": 422, "body": "", "violations": [
                {"location": ["request", "body"], "severity": "Error", "code": "x", "message": "bad"}]},
            {"outcome": "ok"}
        ]);
        assert_eq!(
            judge("static", attempts.as_array().unwrap()),
            Verdict::Conformant
        );
        let decode = |path: &str| {
            json!([{"outcome": "decode", "status": 200, "message": "expected i64", "path": path,
                "violations": [{"location": ["response", "body", "data", "0", "id"], "severity": "Error", "code": "type", "message": "must be integer"}],
                "content_type": "application/json", "body": "{}"}])
        };
        let Verdict::InvalidResponse(reason) =
            judge("static", decode("data[0].id").as_array().unwrap())
        else {
            panic!("a decode failure where Prism flags its own response is the spec's");
        };
        assert!(
            reason.contains("response.body.data.0.id: must be integer"),
            "{reason}"
        );
        assert!(matches!(
            judge("static", decode("data[0].name").as_array().unwrap()),
            Verdict::Decode(_)
        ));
        // A mode with an invalid example does not count when the other mode decoded.
        assert_eq!(
            combine(vec![
                Verdict::InvalidResponse("x".into()),
                Verdict::Conformant
            ]),
            Verdict::Conformant
        );
        assert!(matches!(
            combine(vec![
                Verdict::InvalidResponse("x".into()),
                Verdict::Decode("y".into())
            ]),
            Verdict::Decode(_)
        ));
    }

    /// Fixture operations that cannot conform, and why. Each is a spec mistake the fixture
    /// carries on purpose to test the generator's handling of it.
    const KNOWN_NOT_CONFORMING: &[(&str, &str)] = &[
        (
            "fixtures/params.yaml list_pets",
            "declares path parameter `petId` that its template lacks; Prism requires it anyway",
        ),
        (
            "fixtures/self_ref.yaml get_holder",
            "`thing` refers to a schema that is only a reference to itself; Prism answers `{}`",
        ),
    ];

    /// PPIO's specs and the generator's fixtures, called against Prism. Every operation must
    /// conform; the full corpus stays a command (`docs/conformance.md`).
    #[test]
    fn fast_subset_conforms() {
        if std::env::var_os("CARGO").is_none() {
            eprintln!("skipping: CARGO is not set, so this is not running under cargo");
            return;
        }
        let npm = Command::new("npm").arg("--version").output();
        if !npm.is_ok_and(|o| o.status.success()) {
            assert!(
                std::env::var_os("CI").is_none(),
                "npm is needed to install Prism for the conformance test"
            );
            eprintln!("skipping: npm is not installed, so Prism cannot be");
            return;
        }
        let root = workspace_root();
        let options = Options {
            inputs: vec![
                root.join("specs"),
                root.join("generator/tests/fixtures"),
                root.join("generator/tests/corpus"),
            ],
            report: None,
            scratch: root.join("target/conformance-fast"),
            startup: Duration::from_secs(120),
        };
        let outcome = run(&options).unwrap();
        let summary = outcome.summary;
        assert!(summary.operations >= 30, "{summary:?}");
        // Everything conforms except where Prism flags its own answer as breaking the spec, and
        // the fixtures that are spec mistakes on purpose (see docs/conformance.md).
        for result in &outcome.results {
            assert!(
                result.failure.is_none(),
                "{}: {:?}",
                result.spec,
                result.failure
            );
            for (operation, verdict) in &result.operations {
                if matches!(verdict, Verdict::Conformant | Verdict::InvalidResponse(_)) {
                    continue;
                }
                let known = KNOWN_NOT_CONFORMING.iter().any(|(id, _)| {
                    let (spec, name) = id.split_once(' ').unwrap_or_default();
                    result.spec == spec && operation.ends_with(&format!("({name})"))
                });
                assert!(known, "{} {operation}: {verdict:?}", result.spec);
            }
        }
    }
}
