//! `cargo xtask corpus DIR...`: generates every spec into a scratch crate, type-checks them all
//! in one scratch workspace, and prints (or writes) a table of what generated and what compiled.
//!
//! The scratch crates live under `target/corpus/` and share `target/corpus-target/`, so a second
//! run only re-checks what changed. A spec the generator refuses as the wrong OpenAPI version is
//! reported but is not a failure; a panic, any other generation error, or any compile error
//! (warnings included: every scratch crate is `#![deny(warnings)]`) is.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use generator::{Settings, SpecFile, Stats, generate};

use crate::codegen::workspace_root;

/// The explanation at the top of the written report; the table follows it.
const REPORT_PREAMBLE: &str = "\
# Corpus report

The generator is run over public OpenAPI documents (`../shared/corpus/public` and
`../shared/corpus/large`: Stripe, GitHub, Kubernetes, Oxide, OpenAI, Twilio, Box and others;
`../shared/corpus/v3_1`: OpenAPI 3.1 documents from OpenAI, Discord, Lago, Figma, Resend, Xero
and the OAI examples) to show that it handles real specs, not only PPIO's.
For each spec, `cargo xtask corpus`:

1. generates a client into a scratch crate under `target/corpus/<spec>/` (depending on the
   vendor-neutral runtime `apiwire`, never on `ppio`), catching panics;
2. writes a scratch workspace over all of them and runs one
   `cargo check --workspace --keep-going` with a shared target directory
   (`target/corpus-target/`); every scratch crate is `#![deny(warnings)]`;
3. prints the table below. It exits non-zero on any panic, generation error or compile error.
   A Swagger 2.0 or OpenAPI 3.2 file is refused by design, which is not a failure.

Run it with `cargo xtask corpus ../shared/corpus/public ../shared/corpus/large ../shared/corpus/v3_1`; add
`--verbose` to print every warning (file, JSON pointer, reason) and `--report docs/corpus.md`
to rewrite this file. *Warnings* counts everything reported as skipped, left out, dropped or
approximated. A fast subset (the small OAI examples, 3.0 and 3.1, three mid-size specs and the
`generator/tests/corpus/` fixtures) runs as an ordinary test:
`cargo test -p xtask fast_corpus`.

## What an operation needs to be generated

Operations are skipped one by one, never whole files, with a warning naming the file, the
JSON pointer and the reason. What is skipped today:

- request bodies that are only `multipart/form-data` (or another media type the runtime cannot
  send);
- required cookie parameters, and required parameters of a type that cannot go in a URL or
  header (objects, `deepObject` objects); optional ones are left out of the operation with a
  warning instead, so the operation stays callable;
- several success responses that mix binary and JSON bodies;
- a path template naming a parameter the operation does not declare.

Callbacks and links are not generated (they describe requests the server makes); the operation
itself is. Path item `$ref`s are skipped with a warning.

## OpenAPI 3.1

A 3.1 document is rewritten into 3.0.3 in the load stage (`generator/src/load/v3_1.rs`), by
its structure, before it is parsed; examples, defaults and `x-` extensions are never touched.
What changes:

| 3.1 | read as |
|---|---|
| `type: [T, \"null\"]` | `type: T` + `nullable: true` |
| `type: [A, B]` | `anyOf` with one schema per type, each keeping its own keywords |
| `anyOf`/`oneOf` with a `{type: \"null\"}` member | the other member(s) + `nullable` (a lone `$ref` through `allOf`) |
| `oneOf` of titled `const`s (Discord) | one enum whose variants are named by the titles |
| `const: v` | a one-value `enum` (typed from the value when the schema has no type) |
| `$ref` beside `description`, `nullable` or constraints | `allOf: [$ref]` with the siblings |
| `examples: [a, …]`, numeric `exclusiveMinimum`/`Maximum` | `example: a`, `minimum`/`maximum` + flag |
| `contentEncoding: base64`, binary `contentMediaType` | `format: byte`, `format: binary` |
| `$defs` | hoisted to `components/schemas`, references rewritten |
| `true` schema; `components.pathItems` referenced from `paths` | `{}`; inlined |
| operations without `responses`, documents without `paths` | empty ones |

Dropped or approximated, each with a warning naming the file and JSON pointer: `webhooks`
(requests the API makes, not the client), `false` schemas (`not: {}`), `prefixItems` (items
that may be any of the positions), `patternProperties` (one pattern becomes
`additionalProperties`), `unevaluated*`, `dependent*`, `if`/`then`/`else`, `propertyNames`,
`$schema`/`$id`/`$anchor`/`$dynamicRef`, `mutualTLS` schemes, `info.summary`,
`license.identifier`, and a non-default `jsonSchemaDialect`. 3.0 leftovers in 3.1 documents
(`nullable`, boolean `exclusiveMinimum`) keep working. A 3.2 document is refused.

## How schemas map to Rust

| Schema | Rust |
|---|---|
| `integer` (`int32` / `int64` or none / `uint32` / `uint64`) | `i32` / `i64` / `u32` / `u64`, read leniently from strings too |
| `number` (`float` / `double`, `decimal` or none) | `f32` / `f64` |
| `string` with `date-time`, `date`, `uuid`, `uri`, `email`, `byte`, `binary` | `String` |
| a whole `application/octet-stream` (or image, PDF…) body | `apiwire::Bytes` |
| `enum` of strings / integers | an open enum with an `Unknown(..)` variant |
| `object` with `properties` | a struct; optional fields `Option<T>`, nullable optional fields `Option<Option<T>>` |
| `additionalProperties: {schema}` | `BTreeMap<String, T>` (flattened next to declared fields) |
| `allOf` | one struct with the members' properties merged |
| `oneOf` / `anyOf` with a `discriminator` | an enum deserialized by the tag's value |
| `oneOf` / `anyOf` without one | an untagged enum (variants named after the referenced schema, or `String`, `Integer`…) |
| a schema that refers back to itself | `Box<T>` where the cycle has no `Vec` or map |
| a documented error response body (`4XX`, `404`, `default`) | a type named in the *Errors* section of the operation's docs, decoded with `ApiError::json` |

Formatted strings stay `String` on purpose: a client must not reject a response because a
server writes a timestamp or UUID slightly differently from RFC 3339 or RFC 4122, and the
runtime stays free of `chrono`/`time`/`uuid`. Callers parse them with the library they already
use.
";

/// What `cargo xtask corpus` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Spec files, or directories whose `*.yaml`, `*.yml` and `*.json` files are taken.
    pub inputs: Vec<PathBuf>,
    /// Markdown file to write the table to.
    pub report: Option<PathBuf>,
    /// Print every warning (skipped operations, degraded schemas).
    pub verbose: bool,
    /// The runtime crate (`apiwire`) the scratch crates depend on; the workspace's `runtime/` by
    /// default.
    pub runtime: Option<PathBuf>,
    /// Directory for the scratch workspace.
    pub scratch: PathBuf,
}

/// How one spec fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated and compiled without warnings.
    Ok,
    /// Refused as a whole file, as designed (Swagger 2.0, OpenAPI 3.2).
    Refused(String),
    /// Generation returned an error other than a version refusal.
    Failed(String),
    /// Generation panicked.
    Panic(String),
    /// The generated crate did not compile (or compiled with warnings).
    CompileErrors(usize),
}

impl Outcome {
    /// Whether this outcome fails the run.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Outcome::Ok | Outcome::Refused(_))
    }

    fn cell(&self) -> String {
        match self {
            Outcome::Ok => "ok".to_owned(),
            Outcome::Refused(why) => format!("refused: {}", table_text(why)),
            Outcome::Failed(why) => format!("**error**: {}", table_text(why)),
            Outcome::Panic(why) => format!("**PANIC**: {}", table_text(why)),
            Outcome::CompileErrors(n) => format!("**compile errors: {n}**"),
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// The spec as shown, e.g. `public/oai-petstore.yaml`.
    pub spec: String,
    /// Scratch crate directory name, when one was written.
    pub member: Option<String>,
    /// Operation and type counts.
    pub stats: Stats,
    /// Time `generate` took.
    pub gen_time: Duration,
    /// Result.
    pub outcome: Outcome,
    /// Every warning, as `file#pointer: message`.
    pub warnings: Vec<String>,
}

/// Runs the corpus and fails when any spec panicked, failed to generate or failed to compile.
pub fn run(options: &Options) -> Result<()> {
    let specs = collect_specs(&options.inputs)?;
    if specs.is_empty() {
        bail!("no spec files (*.yaml, *.yml, *.json) under the given paths");
    }
    let runtime = match &options.runtime {
        Some(path) => path.clone(),
        None => workspace_root().join("runtime"),
    };
    let started = Instant::now();
    let mut rows = generate_all(&specs, &options.scratch)?;
    let gen_elapsed = started.elapsed();
    let check_started = Instant::now();
    check_all(&mut rows, &options.scratch, &runtime)?;
    let check_elapsed = check_started.elapsed();
    if options.verbose {
        for row in &rows {
            for warning in &row.warnings {
                eprintln!("warning: {warning}");
            }
        }
    }
    let table = report(&rows, gen_elapsed, check_elapsed);
    println!("{table}");
    if let Some(path) = &options.report {
        let command = format!(
            "cargo xtask corpus {} --report {}",
            options
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            path.display()
        );
        let text = format!(
            "{}\n## Results\n\nWritten by `{command}`.\n\n{table}",
            REPORT_PREAMBLE
        );
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let failures: Vec<&str> = rows
        .iter()
        .filter(|r| r.outcome.is_failure())
        .map(|r| r.spec.as_str())
        .collect();
    if !failures.is_empty() {
        bail!("{} spec(s) failed: {}", failures.len(), failures.join(", "));
    }
    Ok(())
}

/// Expands directories to their spec files (sorted); files are taken as given.
pub fn collect_specs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("reading {}", input.display()))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<_>>()?;
            entries.sort();
            // Subdirectories too (`specs/v1`, `specs/v2`), each in name order.
            let dirs: Vec<PathBuf> = entries.iter().filter(|p| p.is_dir()).cloned().collect();
            out.extend(entries.into_iter().filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
            }));
            out.extend(collect_specs(&dirs)?);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            bail!("{} is neither a file nor a directory", input.display());
        }
    }
    Ok(out)
}

/// The name a spec is shown under: its directory and file name, e.g. `public/openai.yaml`.
pub(crate) fn display_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.parent().and_then(Path::file_name) {
        Some(dir) => format!("{}/{file}", dir.to_string_lossy()),
        None => file,
    }
}

/// A crate-safe snake-case name for a spec, unique within the run.
pub(crate) fn member_name(path: &Path, taken: &[String]) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = generator::naming::sanitize(&stem, generator::naming::Case::Snake, "spec");
    let base = generator::naming::unraw(&base)
        .trim_end_matches('_')
        .to_owned();
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|n| !taken.contains(n))
        .unwrap_or(base)
}

fn generate_all(specs: &[PathBuf], scratch: &Path) -> Result<Vec<Row>> {
    let settings = Settings {
        runtime: "::apiwire::codegen".into(),
        client_type: None,
        command: "cargo xtask corpus".into(),
    };
    let mut rows = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for path in specs {
        let contents =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let member = member_name(path, &taken);
        taken.push(member.clone());
        let spec = SpecFile {
            path: display_name(path),
            module: member.clone(),
            contents,
            overlays: Vec::new(),
        };
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            generate(std::slice::from_ref(&spec), &settings)
        }));
        let gen_time = started.elapsed();
        let mut row = Row {
            spec: spec.path.clone(),
            member: None,
            stats: Stats::default(),
            gen_time,
            outcome: Outcome::Ok,
            warnings: Vec::new(),
        };
        match result {
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_owned());
                row.outcome = Outcome::Panic(message);
            }
            Ok(Err(generator::Error::UnsupportedVersion { found, .. })) => {
                row.outcome = Outcome::Refused(found);
            }
            Ok(Err(err)) => row.outcome = Outcome::Failed(err.to_string()),
            Ok(Ok(output)) => {
                write_member(scratch, &member, &output.files)?;
                row.member = Some(member);
                row.stats = output.stats;
                row.warnings = output.warnings.iter().map(ToString::to_string).collect();
            }
        }
        eprintln!("generated {} in {} ms", row.spec, row.gen_time.as_millis());
        rows.push(row);
    }
    Ok(rows)
}

/// Writes one scratch crate's `src/`: a `lib.rs` and `src/api/` holding the generated files.
pub(crate) fn write_member(
    scratch: &Path,
    member: &str,
    files: &[generator::GeneratedFile],
) -> Result<()> {
    let dir = scratch.join(member);
    let api = dir.join("src/api");
    if api.exists() {
        std::fs::remove_dir_all(&api).with_context(|| format!("clearing {}", api.display()))?;
    }
    std::fs::create_dir_all(&api).with_context(|| format!("creating {}", api.display()))?;
    write_if_changed(
        &dir.join("src/lib.rs"),
        "//! Scratch crate written by `cargo xtask corpus`.\n#![deny(warnings)]\n\npub mod api;\n",
    )?;
    for file in files {
        write_if_changed(&api.join(&file.path), &file.contents)?;
    }
    Ok(())
}

/// Writes a file unless it already holds exactly these bytes, so cargo's fingerprints survive.
pub(crate) fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// The scratch package name of a member.
pub(crate) fn package_name(member: &str) -> String {
    format!("corpus-{}", member.replace('_', "-"))
}

/// Writes the manifests of a scratch workspace whose members (written by [`write_member`])
/// depend on the runtime crate (`apiwire`) at `runtime` by path, and seeds its lock file from
/// the project's so the scratch crates build the same dependency versions.
/// How a scratch workspace builds: once, for a check or a run, or in the default dev profile
/// that a developer's repeated builds use (what the benchmark measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// Built once per run: neither debug info nor incremental state would be used again, and
    /// both take disk (gigabytes for the large specs).
    Once,
    /// Cargo's default dev profile, incremental included.
    Default,
}

/// Writes a scratch workspace over `members` (directories under `scratch`), each depending on
/// the runtime at `runtime`, serde and serde_json, plus the TOML lines of `extra_dependencies`.
pub(crate) fn write_workspace(
    scratch: &Path,
    members: &[String],
    runtime: &Path,
    extra_dependencies: &str,
    profile: Profile,
) -> Result<()> {
    let runtime = runtime
        .canonicalize()
        .with_context(|| format!("finding the runtime crate at {}", runtime.display()))?;
    for member in members {
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\napiwire = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n{extra_dependencies}",
            package_name(member),
            runtime.display().to_string(),
        );
        write_if_changed(&scratch.join(member).join("Cargo.toml"), &manifest)?;
    }
    let list: Vec<String> = members.iter().map(|m| format!("    {m:?},")).collect();
    let workspace = format!(
        "# Written by `cargo xtask`; not part of the project workspace.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n{}",
        list.join("\n"),
        match profile {
            Profile::Once =>
                "\n# Built once per run: neither debug info nor incremental state \
                              would be used again.\n[profile.dev]\ndebug = false\nincremental = false\n",
            Profile::Default => "",
        }
    );
    write_if_changed(&scratch.join("Cargo.toml"), &workspace)?;
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(workspace_root().join("Cargo.lock"), &lock);
    }
    Ok(())
}

/// Writes the scratch workspace over every generated member and runs one `cargo check` over it,
/// then records each member's error count.
fn check_all(rows: &mut [Row], scratch: &Path, runtime: &Path) -> Result<()> {
    let members: Vec<String> = rows.iter().filter_map(|r| r.member.clone()).collect();
    if members.is_empty() {
        return Ok(());
    }
    write_workspace(scratch, &members, runtime, "", Profile::Once)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = workspace_root().join("target/corpus-target");
    eprintln!(
        "checking {} scratch crate(s) in {}",
        members.len(),
        scratch.display()
    );
    let output = Command::new(cargo)
        .stdin(std::process::Stdio::null())
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        // Scratch crates are built once per run: incremental state would only fill the disk
        // (gigabytes for the large specs).
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .context("running cargo check")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors = error_counts(&stderr, &members);
    let mut unattributed = !output.status.success();
    for row in rows.iter_mut() {
        if let Some(member) = &row.member
            && let Some(&n) = errors.get(member)
            && n > 0
        {
            row.outcome = Outcome::CompileErrors(n);
            unattributed = false;
        }
    }
    if unattributed {
        eprintln!("{stderr}");
        bail!("cargo check failed for a reason no scratch crate accounts for (output above)");
    }
    if !output.status.success() {
        // Show the diagnostics so the failure can be fixed without re-running by hand.
        for line in stderr.lines().filter(|l| l.contains("error")) {
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// Counts errors per member from `cargo check --message-format short` output: diagnostics start
/// with a path inside the member's directory (`member/src/api/x.rs:1:2: error…`).
fn error_counts(stderr: &str, members: &[String]) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for line in stderr.lines() {
        let Some((location, rest)) = line.split_once(": ") else {
            continue;
        };
        if !rest.starts_with("error") {
            continue;
        }
        let member = location.split(['/', '\\']).next().unwrap_or_default();
        if members.iter().any(|m| m == member) {
            *counts.entry(member.to_owned()).or_default() += 1;
        }
    }
    counts
}

/// Keeps text from breaking a Markdown table cell.
pub(crate) fn table_text(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 140 {
        format!("{}…", line.chars().take(140).collect::<String>())
    } else {
        line
    }
}

/// The Markdown report: one row per spec, then totals.
pub fn report(rows: &[Row], gen_elapsed: Duration, check_elapsed: Duration) -> String {
    let mut out = String::new();
    out.push_str("| Spec | Operations | Skipped | Warnings | Types | Gen (ms) | Result |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---|\n");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.spec,
            row.stats.operations,
            row.stats.skipped,
            row.warnings.len(),
            row.stats.types,
            row.gen_time.as_millis(),
            row.outcome.cell()
        );
    }
    let operations: usize = rows.iter().map(|r| r.stats.operations).sum();
    let skipped: usize = rows.iter().map(|r| r.stats.skipped).sum();
    let types: usize = rows.iter().map(|r| r.stats.types).sum();
    let warnings: usize = rows.iter().map(|r| r.warnings.len()).sum();
    let failures = rows.iter().filter(|r| r.outcome.is_failure()).count();
    let refused = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Refused(_)))
        .count();
    let percent = if operations + skipped == 0 {
        0.0
    } else {
        100.0 * skipped as f64 / (operations + skipped) as f64
    };
    let _ = writeln!(
        out,
        "| **Total ({} specs)** | **{operations}** | **{skipped}** | **{warnings}** | **{types}** | **{}** | **{} failed, {refused} refused** |",
        rows.len(),
        gen_elapsed.as_millis(),
        failures,
    );
    let _ = writeln!(
        out,
        "\nSkipped: {skipped} of {} operations ({percent:.2}%). Generation took {:.1} s in all; `cargo check` of every scratch crate took {:.1} s.",
        operations + skipped,
        gen_elapsed.as_secs_f64(),
        check_elapsed.as_secs_f64(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_build_once_workspaces_turn_off_incremental_state() {
        let dir = std::env::temp_dir().join(format!("xtask-profile-{}", std::process::id()));
        let runtime = workspace_root().join("runtime");
        let manifest = |profile| {
            write_workspace(&dir, &["m".to_owned()], &runtime, "", profile).unwrap();
            std::fs::read_to_string(dir.join("Cargo.toml")).unwrap()
        };
        assert!(
            manifest(Profile::Once).contains("[profile.dev]\ndebug = false\nincremental = false\n")
        );
        // The benchmark's touched check measures incremental rebuilds, as the peer's does.
        assert!(!manifest(Profile::Default).contains("[profile"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn error_lines_are_attributed_to_members() {
        let stderr = "\
    Checking corpus-a v0.0.0 (/x/a)
a/src/api/a.rs:3:5: error[E0412]: cannot find type `X` in this scope
a/src/api/a.rs:9:1: error: unused import
b/src/lib.rs:1:1: warning: something
error: could not compile `corpus-a` (lib) due to 2 previous errors
";
        let counts = error_counts(stderr, &["a".to_owned(), "b".to_owned()]);
        assert_eq!(counts.get("a"), Some(&2));
        assert_eq!(counts.get("b"), None);
    }

    #[test]
    fn member_names_are_snake_case_and_unique() {
        let taken = vec!["oai_petstore".to_owned()];
        assert_eq!(
            member_name(Path::new("x/oai-petstore.yaml"), &taken),
            "oai_petstore_2"
        );
        assert_eq!(
            member_name(Path::new("x/github-api.github.com.json"), &[]),
            "github_api_github_com"
        );
        assert_eq!(member_name(Path::new("x/type.yaml"), &[]), "type");
    }

    /// The small OAI examples, the hostile-names fixture and a few mid-size specs, through the
    /// whole pipeline including `cargo check`. The full corpus stays a command.
    #[test]
    fn fast_corpus_generates_and_compiles() {
        if std::env::var_os("CARGO").is_none() {
            eprintln!("skipping: CARGO is not set, so this is not running under cargo");
            return;
        }
        let root = workspace_root();
        let corpus = root.join("../shared/corpus/public");
        let mut inputs: Vec<PathBuf> = [
            "oai-api-with-examples.yaml",
            "oai-callback-example.yaml",
            "oai-link-example.yaml",
            "oai-petstore-expanded.yaml",
            "oai-petstore.yaml",
            "oai-uspto.yaml",
            "pagerduty-events-v2.json",
            // An API key in a header (`api_key`), beside OAuth 2.
            "swagger-petstore-3.0.4.yaml",
            "oxide-propolis-server.json",
            "twilio-oauth-v1.yaml",
        ]
        .iter()
        .map(|name| corpus.join(name))
        .chain(
            ["oai-tictactoe-3.1.yaml", "oai-webhook-example-3.1.yaml"]
                .iter()
                .map(|name| root.join("../shared/corpus/v3_1").join(name)),
        )
        .filter(|path| path.exists())
        .collect();
        if inputs.is_empty() {
            eprintln!("note: ../shared/corpus is not present; checking the local fixtures only");
        }
        inputs.push(root.join("generator/tests/corpus/hostile.yaml"));
        inputs.push(root.join("generator/tests/corpus/features.yaml"));
        let options = Options {
            inputs,
            report: None,
            verbose: true,
            runtime: None,
            scratch: root.join("target/corpus-fast"),
        };
        run(&options).unwrap();

        // A client generated for another vendor's spec needs the neutral runtime, never `ppio`.
        let tree = Command::new(std::env::var_os("CARGO").unwrap())
            .stdin(std::process::Stdio::null())
            .args([
                "tree",
                "--workspace",
                "--edges",
                "normal",
                "--prefix",
                "none",
            ])
            .arg("--manifest-path")
            .arg(options.scratch.join("Cargo.toml"))
            .output()
            .unwrap();
        assert!(
            tree.status.success(),
            "{}",
            String::from_utf8_lossy(&tree.stderr)
        );
        let tree = String::from_utf8(tree.stdout).unwrap();
        assert!(
            tree.lines().any(|line| line.starts_with("apiwire ")),
            "{tree}"
        );
        assert!(!tree.lines().any(|line| line.starts_with("ppio")), "{tree}");
    }
}
