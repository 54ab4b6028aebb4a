//! `cargo xtask bench [SPEC...]`: our generator beside progenitor on the same specs — generation
//! time of the whole process, lines of output, and `cargo check` of the generated crate from
//! clean and after a touch — and writes the table to `docs/performance.md`.
//!
//! Every measurement alternates sides (ours, peer, ours, peer…) within one run, so load from
//! other work on the machine falls on both; medians and ratios (ours / progenitor) are what to
//! quote, not absolute seconds. Both sides' checks run with the same `cargo` and `rustc`, the
//! default dev profile (incremental, as the peer's script leaves it) and dependencies built
//! beforehand. Our scratch files live under `target/bench/`, the peer's where its script puts
//! them; an interrupted run leaves the last report untouched.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use generator::GeneratedFile;

use crate::codegen::workspace_root;
use crate::corpus;

mod per_call;

/// The spec measured when none is given, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "../shared/corpus/large/oxide.json";

/// The peer's script, relative to the workspace root.
const PEER_SCRIPT: &str = "../shared/bench/progenitor.sh";

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Specs measured for generation and `cargo check`.
    pub specs: Vec<PathBuf>,
    /// Specs measured for generation only (too large to check in a benchmark run).
    pub gen_only: Vec<PathBuf>,
    /// Generation runs per side.
    pub runs: usize,
    /// `cargo check` runs per side, for each of clean and touched.
    pub check_runs: usize,
    /// Whether to measure progenitor too.
    pub peer: bool,
    /// Where to write the Markdown report.
    pub report: PathBuf,
    /// The command as typed, for the report.
    pub command: String,
    /// Scratch directory (`target/bench`).
    pub scratch: PathBuf,
    /// Run only the per-call benchmark and rewrite only its section of the report.
    pub per_call: bool,
}

/// One side's figures for one spec; `None` where it was not measured or failed.
#[derive(Debug, Clone, Default)]
struct Side {
    /// Whole-process generation seconds, one per run.
    generate: Vec<f64>,
    /// Lines of generated Rust.
    lines: Option<usize>,
    /// Seconds the generator itself reports per stage, one list per stage.
    stages: BTreeMap<String, Vec<f64>>,
    /// Clean `cargo check` seconds.
    check_clean: Vec<f64>,
    /// `cargo check` seconds after touching the crate root.
    check_touch: Vec<f64>,
    /// Why this side stopped, if it failed.
    failure: Option<String>,
}

/// Both sides for one spec.
#[derive(Debug, Clone)]
struct SpecResult {
    spec: String,
    checked: bool,
    ours: Side,
    peer: Option<Side>,
}

/// Runs the benchmark and writes the report.
pub fn run(options: &Options) -> Result<()> {
    if options.per_call {
        return per_call::run(options);
    }
    if options.runs == 0 || options.check_runs == 0 {
        bail!("--runs and --check-runs must be at least 1");
    }
    let root = workspace_root();
    let specs: Vec<(PathBuf, bool)> = if options.specs.is_empty() && options.gen_only.is_empty() {
        vec![(root.join(DEFAULT_SPEC), true)]
    } else {
        let checked = options.specs.iter().map(|p| (p.clone(), true));
        checked
            .chain(options.gen_only.iter().map(|p| (p.clone(), false)))
            .collect()
    };
    for (spec, _) in &specs {
        if !spec.is_file() {
            bail!("{} is not a file", spec.display());
        }
    }
    let ours = build_ours(&root)?;
    let peer = if options.peer {
        Some(Peer::new(&root)?)
    } else {
        None
    };
    let mut results = Vec::new();
    let mut taken = Vec::new();
    for (spec, checked) in &specs {
        let member = corpus::member_name(spec, &taken);
        taken.push(member.clone());
        eprintln!("== {}", corpus::display_name(spec));
        results.push(bench_spec(
            options,
            &ours,
            peer.as_ref(),
            spec,
            &member,
            *checked,
        )?);
    }
    let table = table(&results, options);
    let ratios = ratios_line(&results);
    let machine = machine();
    let report = format!(
        "# Performance\n\n\
         Written by `{command}` on {date}; do not edit by hand, run it again.\n\n\
         Our generator (`ppio-codegen`, release build) beside progenitor (crates.io\n\
         `progenitor-impl` 0.15.1 through `../shared/bench/progenitor.sh`), each measurement taken\n\
         alternately (ours, peer, ours, peer…) in one run. *Generate* is the whole process,\n\
         spec file in to Rust files out. *Check* is `cargo check` of the generated crate alone with\n\
         its dependencies built beforehand (ours depends on the runtime crate `apiwire` by\n\
         path), from clean (`cargo clean -p`) and after touching\n\
         `src/lib.rs`; both in the default dev profile with the same toolchain. The machine may\n\
         have been busy with other work, so ratios (ours / progenitor, below 1 is faster) are the\n\
         figures to quote.\n\n\
         ## Machine\n\n{machine}\n\
         ## Results\n\n{table}\n{ratios}\n",
        command = options.command,
        date = shell_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
    );
    println!("{table}");
    // The per-call section is measured by its own run; keep the last one.
    let old = std::fs::read_to_string(&options.report).unwrap_or_default();
    let report = match per_call::section(&old) {
        Some(section) => format!("{report}\n{section}\n"),
        None => report,
    };
    let tmp = options.report.with_extension("md.tmp");
    std::fs::write(&tmp, &report).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &options.report)
        .with_context(|| format!("writing {}", options.report.display()))?;
    eprintln!("wrote {}", options.report.display());
    println!("{ratios}");
    Ok(())
}

/// Builds the release `ppio-codegen` once and returns the binary's path.
fn build_ours(root: &Path) -> Result<PathBuf> {
    eprintln!("building the release ppio-codegen");
    let status = cargo()
        .args(["build", "--release", "--quiet", "-p", "ppio-codegen"])
        .current_dir(root)
        .status()
        .context("running cargo build --release -p ppio-codegen")?;
    if !status.success() {
        bail!("cargo build --release -p ppio-codegen failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"));
    let binary = target
        .join("release")
        .join(format!("ppio-codegen{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        bail!("built ppio-codegen, but {} is missing", binary.display());
    }
    Ok(binary)
}

/// progenitor through its script, and the directories the script builds in.
struct Peer {
    script: PathBuf,
    /// Where the script builds: `PEER_TARGET`, else its own default under `TMPDIR`, so a
    /// driver built by an earlier run (minutes of compiling) is reused.
    target: PathBuf,
}

impl Peer {
    fn new(root: &Path) -> Result<Peer> {
        let script = root.join(PEER_SCRIPT);
        if !script.is_file() {
            bail!(
                "the peer's script {} is missing (use --no-peer to measure ours alone)",
                script.display()
            );
        }
        let target = std::env::var_os("PEER_TARGET")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let tmp = std::env::var_os("TMPDIR").map_or_else(|| "/tmp".into(), PathBuf::from);
                tmp.join("peer-progenitor-target")
            });
        Ok(Peer { script, target })
    }

    fn driver(&self) -> PathBuf {
        self.target
            .join("driver/release/peer-progenitor-driver")
            .with_extension(std::env::consts::EXE_EXTENSION)
    }

    fn crate_dir(&self) -> PathBuf {
        self.target.join("crate")
    }

    fn script(&self) -> Command {
        let mut command = Command::new("bash");
        command.arg(&self.script).env("PEER_TARGET", &self.target);
        clean_env(&mut command);
        command
    }
}

fn bench_spec(
    options: &Options,
    ours_bin: &Path,
    peer: Option<&Peer>,
    spec: &Path,
    member: &str,
    checked: bool,
) -> Result<SpecResult> {
    let gen_dir = options.scratch.join("gen").join(member);
    let peer_out = options
        .scratch
        .join("peer-out")
        .join(format!("{member}.rs"));
    std::fs::create_dir_all(peer_out.parent().unwrap_or(&options.scratch))?;
    let mut ours = Side::default();
    let mut theirs = peer.map(|_| Side::default());

    // The first peer call goes through the script, which builds its driver (minutes, once).
    if let (Some(peer), Some(side)) = (peer, theirs.as_mut()) {
        eprintln!("progenitor: first generation through the script (builds its driver once)");
        let output = peer
            .script()
            .arg("gen")
            .arg(spec)
            .arg(&peer_out)
            .output()
            .context("running progenitor.sh gen")?;
        if !output.status.success() {
            side.failure = Some(format!("progenitor.sh gen failed: {}", last_line(&output)));
            eprintln!("{}", side.failure.as_deref().unwrap_or_default());
        }
    }

    for run in 1..=options.runs {
        let (seconds, output) = timed(
            Command::new(ours_bin)
                .stdin(std::process::Stdio::null())
                .arg(spec)
                .args(["--module", member, "--timings", "--out"])
                .arg(&gen_dir),
        )?;
        if !output.status.success() {
            bail!(
                "ppio-codegen failed on {}: {}",
                spec.display(),
                last_line(&output)
            );
        }
        ours.generate.push(seconds);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let Some(line) = stderr.lines().find_map(|l| l.strip_prefix("timings: ")) {
            add_stages(&mut ours.stages, line);
        }
        eprint!("gen {run}/{}: ours {seconds:.3} s", options.runs);
        if let (Some(peer), Some(side)) = (peer, theirs.as_mut())
            && side.failure.is_none()
        {
            let (seconds, output) = timed(Command::new(peer.driver()).arg(spec).arg(&peer_out))?;
            if output.status.success() {
                side.generate.push(seconds);
                let stdout = String::from_utf8_lossy(&output.stdout);
                add_stages(&mut side.stages, stdout.trim());
                eprint!(", progenitor {seconds:.3} s");
            } else {
                side.failure = Some(format!("progenitor failed: {}", last_line(&output)));
            }
        }
        eprintln!();
    }
    let files = read_generated(&gen_dir)?;
    ours.lines = Some(files.iter().map(|f| f.contents.lines().count()).sum());
    if let Some(side) = theirs.as_mut()
        && side.failure.is_none()
    {
        let text = std::fs::read_to_string(&peer_out)
            .with_context(|| format!("reading {}", peer_out.display()))?;
        side.lines = Some(text.lines().count());
        // The driver's `lines=` is a count, not a stage.
        side.stages.remove("lines");
    }

    if checked {
        check_spec(
            options,
            peer,
            member,
            &files,
            &peer_out,
            &mut ours,
            theirs.as_mut(),
        )?;
    }
    Ok(SpecResult {
        spec: corpus::display_name(spec),
        checked,
        ours,
        peer: theirs,
    })
}

/// Clean and touched `cargo check` of both generated crates, alternating sides.
fn check_spec(
    options: &Options,
    peer: Option<&Peer>,
    member: &str,
    files: &[GeneratedFile],
    peer_out: &Path,
    ours: &mut Side,
    mut theirs: Option<&mut Side>,
) -> Result<()> {
    let crates = options.scratch.join("crates");
    corpus::write_member(&crates, member, files)?;
    corpus::write_workspace(
        &crates,
        &[member.to_owned()],
        &workspace_root().join("runtime"),
        "",
        // The peer's crate builds in the default dev profile; so does ours.
        corpus::Profile::Default,
    )?;
    let manifest = crates.join("Cargo.toml");
    let package = corpus::package_name(member);
    let target = options.scratch.join("check-target");
    let ours_check = || {
        let mut command = cargo();
        command
            .args(["check", "--quiet", "-p", &package, "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target);
        command
    };
    eprintln!("ours: building the generated crate's dependencies (not timed)");
    let output = ours_check().output().context("running cargo check")?;
    if !output.status.success() {
        bail!(
            "our generated crate for {member} does not compile:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let our_root = crates.join(member).join("src/lib.rs");
    for run in 1..=options.check_runs {
        let clean = cargo()
            .args(["clean", "--quiet", "-p", &package, "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .context("running cargo clean")?;
        if !clean.success() {
            bail!("cargo clean -p {package} failed");
        }
        let (seconds, output) = timed(&mut ours_check())?;
        ensure_ok(&output, "cargo check of our generated crate")?;
        ours.check_clean.push(seconds);
        eprint!(
            "check {run}/{}: ours clean {seconds:.2} s",
            options.check_runs
        );

        if let (Some(peer), Some(side)) = (peer, theirs.as_deref_mut())
            && side.failure.is_none()
        {
            // The script times the clean check itself (after building dependencies untimed).
            let output = peer
                .script()
                .arg("check")
                .arg(peer_out)
                .output()
                .context("running progenitor.sh check")?;
            let seconds = String::from_utf8_lossy(&output.stdout)
                .lines()
                .find_map(|l| l.trim().strip_prefix("check_seconds=")?.parse::<f64>().ok());
            match seconds {
                Some(seconds) if output.status.success() => {
                    side.check_clean.push(seconds);
                    eprint!(", progenitor clean {seconds:.2} s");
                }
                _ => {
                    side.failure = Some(format!(
                        "progenitor.sh check failed: {}",
                        last_line(&output)
                    ))
                }
            }
        }

        touch(&our_root)?;
        let (seconds, output) = timed(&mut ours_check())?;
        ensure_ok(&output, "cargo check of our generated crate")?;
        ours.check_touch.push(seconds);
        eprint!(", ours touched {seconds:.2} s");

        if let (Some(peer), Some(side)) = (peer, theirs.as_deref_mut())
            && side.failure.is_none()
        {
            // The script has no touched check: the same as ours, on the crate it wrote.
            let crate_dir = peer.crate_dir();
            touch(&crate_dir.join("src/lib.rs"))?;
            let mut command = cargo();
            command
                .args(["check", "--quiet", "--manifest-path"])
                .arg(crate_dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", peer.target.join("check"));
            let (seconds, output) = timed(&mut command)?;
            if output.status.success() {
                side.check_touch.push(seconds);
                eprint!(", progenitor touched {seconds:.2} s");
            } else {
                side.failure = Some(format!("touched check failed: {}", last_line(&output)));
            }
        }
        eprintln!();
    }
    Ok(())
}

/// `cargo` with the environment both sides share: no inherited flags or target directory, the
/// dev profile's own incremental setting.
fn cargo() -> Command {
    let mut command = Command::new("cargo");
    clean_env(&mut command);
    command
}

fn clean_env(command: &mut Command) {
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_INCREMENTAL",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
    ] {
        command.env_remove(var);
    }
}

/// Runs a command to completion and returns its wall-clock seconds and output.
fn timed(command: &mut Command) -> Result<(f64, Output)> {
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("running {:?}", command.get_program()))?;
    Ok((started.elapsed().as_secs_f64(), output))
}

fn ensure_ok(output: &Output, what: &str) -> Result<()> {
    if output.status.success() {
        Ok(())
    } else {
        bail!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    }
}

/// Sets a file's modification time to now, as `touch` does, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}

/// The last non-empty line of a failed command's stderr (or stdout), for a one-line reason.
fn last_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    stderr
        .lines()
        .chain(stdout.lines())
        .rfind(|l| !l.trim().is_empty())
        .map_or_else(|| format!("exit {}", output.status), str::to_owned)
}

/// Adds `key=seconds` pairs (`load=0.12 lower=0.30 …`) to per-stage lists.
fn add_stages(stages: &mut BTreeMap<String, Vec<f64>>, line: &str) {
    for (key, value) in line
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
    {
        if let Ok(value) = value.parse::<f64>() {
            stages.entry(key.to_owned()).or_default().push(value);
        }
    }
}

/// The files `ppio-codegen` wrote, as `write_member` takes them.
fn read_generated(dir: &Path) -> Result<Vec<GeneratedFile>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            files.push(GeneratedFile {
                path: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                contents: std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The median of a sample (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn ratio(ours: Option<f64>, peer: Option<f64>) -> Option<f64> {
    match (ours, peer) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn cell(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.digits$}"))
}

/// The Markdown tables: one per spec, medians per side and the ratio.
fn table(results: &[SpecResult], options: &Options) -> String {
    let mut out = String::new();
    for result in results {
        let _ = writeln!(out, "### `{}`\n", result.spec);
        let peer = result.peer.clone().unwrap_or_default();
        let _ = writeln!(out, "| | ppio | progenitor | ppio / progenitor |");
        let _ = writeln!(out, "|---|---:|---:|---:|");
        let mut row = |name: String, ours: Option<f64>, theirs: Option<f64>, digits: usize| {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} |",
                cell(ours, digits),
                cell(theirs, digits),
                cell(ratio(ours, theirs), 2)
            );
        };
        row(
            format!("generate, s (median of {})", options.runs),
            median(&result.ours.generate),
            median(&peer.generate),
            3,
        );
        row(
            "lines of output".to_owned(),
            result.ours.lines.map(|n| n as f64),
            peer.lines.map(|n| n as f64),
            0,
        );
        if result.checked {
            row(
                format!("`cargo check` clean, s (median of {})", options.check_runs),
                median(&result.ours.check_clean),
                median(&peer.check_clean),
                2,
            );
            row(
                format!(
                    "`cargo check` after touch, s (median of {})",
                    options.check_runs
                ),
                median(&result.ours.check_touch),
                median(&peer.check_touch),
                2,
            );
        }
        out.push('\n');
        for (name, side) in [
            ("ppio", Some(&result.ours)),
            ("progenitor", result.peer.as_ref()),
        ] {
            let Some(side) = side else { continue };
            if let Some(failure) = &side.failure {
                let _ = writeln!(out, "- {name}: **{}**", corpus::table_text(failure));
            }
            if !side.stages.is_empty() {
                let stages: Vec<String> = side
                    .stages
                    .iter()
                    .filter_map(|(k, v)| Some(format!("{k}={:.3}", median(v)?)))
                    .collect();
                let _ = writeln!(
                    out,
                    "- {name}'s own stage seconds (medians): `{}`",
                    stages.join(" ")
                );
            }
        }
        if !result.checked {
            let _ = writeln!(out, "- generation only (`--gen-only`): not checked");
        }
        out.push('\n');
    }
    out
}

/// `ratios: generate=R check_clean=R check_touch=R`: the geometric mean over the specs where
/// both sides have the figure (the ratio itself for one spec), `n/a` where none has.
fn ratios_line(results: &[SpecResult]) -> String {
    let metric = |pick: fn(&Side) -> &Vec<f64>| {
        let ratios: Vec<f64> = results
            .iter()
            .filter_map(|r| {
                let peer = r.peer.as_ref()?;
                ratio(median(pick(&r.ours)), median(pick(peer)))
            })
            .collect();
        if ratios.is_empty() {
            "n/a".to_owned()
        } else {
            let mean = ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64;
            format!("{:.2}", mean.exp())
        }
    };
    format!(
        "ratios: generate={} check_clean={} check_touch={}",
        metric(|s| &s.generate),
        metric(|s| &s.check_clean),
        metric(|s| &s.check_touch)
    )
}

/// The machine, as a Markdown list: CPU, cores, OS and toolchain.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "- CPU: {cpu}, {cores} core(s) available\n- OS: {}\n- {}\n- {}\n",
        shell_line("uname", &["-srm"]),
        shell_line("rustc", &["-V"]),
        shell_line("cargo", &["-V"]),
    )
}

/// The first line a command prints, or `unknown`.
fn shell_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .stdin(std::process::Stdio::null())
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn stage_lines_are_read_by_key() {
        let mut stages = BTreeMap::new();
        add_stages(&mut stages, "parse_spec=0.100 total=1.5 lines=10");
        add_stages(&mut stages, "parse_spec=0.300 total=2.5 lines=10 junk");
        assert_eq!(stages["parse_spec"], vec![0.1, 0.3]);
        assert_eq!(median(&stages["total"]), Some(2.0));
    }

    #[test]
    fn the_ratios_line_is_a_geometric_mean_and_says_when_it_has_nothing() {
        let side = |generate: f64, check: Option<f64>| Side {
            generate: vec![generate],
            check_clean: check.into_iter().collect(),
            ..Side::default()
        };
        let result = |ours, peer| SpecResult {
            spec: String::new(),
            checked: true,
            ours,
            peer: Some(peer),
        };
        let results = vec![
            result(side(1.0, Some(2.0)), side(4.0, Some(4.0))),
            result(side(4.0, None), side(1.0, None)),
        ];
        assert_eq!(
            ratios_line(&results),
            "ratios: generate=1.00 check_clean=0.50 check_touch=n/a"
        );
    }
}
