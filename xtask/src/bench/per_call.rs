//! `cargo xtask bench --per-call`: runs the criterion benchmark `tests/benches/per_call.rs`
//! (`ppio`'s `create_instance` beside the same request made with plain reqwest, and a raw-socket
//! floor, against one loopback server), reads criterion's medians and writes them into their own
//! section of `docs/performance.md`, between markers, leaving the rest of the report alone.
//!
//! The benchmark binary runs pinned to one CPU (`taskset -c 0`) when `taskset` exists: with the
//! client and the server free to wake each other across cores, medians of the same code swing
//! by a factor of two from run to run on a busy two-core machine; on one core they repeat.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{Options, cargo, machine, shell_line};
use crate::codegen::workspace_root;

const BEGIN: &str = "<!-- per-call:begin -->";
const END: &str = "<!-- per-call:end -->";

/// The benchmark's ids in its criterion group `per_call`.
const IDS: [&str; 3] = ["ppio", "reqwest", "raw_tcp"];

/// Builds and runs the benchmark, writes its section and prints `per_call ratio: R`.
pub fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let binary = build(&root)?;
    let home = options.scratch.join("criterion");
    let mut command = if Path::new("/usr/bin/taskset").is_file() {
        let mut command = Command::new("taskset");
        command.args(["-c", "0"]).arg(&binary);
        command
    } else {
        Command::new(&binary)
    };
    let pinned = command.get_program() == "taskset";
    eprintln!(
        "running {}{}",
        binary.display(),
        if pinned { " on CPU 0" } else { "" }
    );
    let status = command
        .arg("--bench")
        .env("CRITERION_HOME", &home)
        .current_dir(root.join("tests"))
        .status()
        .context("running the per_call benchmark")?;
    if !status.success() {
        bail!("the per_call benchmark failed");
    }
    let mut medians = Vec::new();
    for id in IDS {
        medians.push(median_ns(&home, id)?);
    }
    let ratio = medians[0] / medians[1];
    let table = format!(
        "| | median, µs |\n|---|---:|\n\
         | `ppio::Client`: `v2().create_instance(&body).await` | {:.2} |\n\
         | plain `reqwest`: same bytes, same headers, `serde_json` decode | {:.2} |\n\
         | raw socket: the same request written by hand (the floor) | {:.2} |\n",
        medians[0] / 1000.0,
        medians[1] / 1000.0,
        medians[2] / 1000.0,
    );
    let section = format!(
        "{BEGIN}\n## Per-call overhead\n\n\
         Written by `{command}` on {date}; do not edit by hand, run it again.\n\n\
         The criterion benchmark `tests/benches/per_call.rs`: one `POST /gpus/v2/instances` with a\n\
         small body, answered by a keep-alive HTTP/1.1 server on 127.0.0.1 with a small JSON\n\
         document, measured side by side in one criterion group{pinned}. The raw socket row\n\
         shows what the server and loopback cost alone. Medians of criterion's samples; the\n\
         machine may be busy, so the ratio is the figure to quote.\n\n{machine}\n{table}\n\
         per_call ratio: {ratio:.3}\n{END}",
        command = options.command,
        date = shell_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        pinned = if pinned { " (pinned to one CPU)" } else { "" },
        machine = machine(),
    );
    let old = std::fs::read_to_string(&options.report).unwrap_or_default();
    let text = replace_section(&old, &section);
    std::fs::write(&options.report, text)
        .with_context(|| format!("writing {}", options.report.display()))?;
    eprintln!("wrote {}", options.report.display());
    println!("{table}");
    println!("per_call ratio: {ratio:.3}");
    Ok(())
}

/// The marked per-call section of a report, markers included, if it has one.
pub fn section(report: &str) -> Option<&str> {
    let start = report.find(BEGIN)?;
    let end = report[start..].find(END)? + start + END.len();
    Some(&report[start..end])
}

/// `report` with its per-call section replaced by `section`, or `section` appended.
fn replace_section(report: &str, section: &str) -> String {
    match self::section(report) {
        Some(old) => report.replacen(old, section, 1),
        None if report.is_empty() => format!("# Performance\n\n{section}\n"),
        None => format!("{}\n\n{section}\n", report.trim_end()),
    }
}

/// Builds the benchmark in the bench profile and returns its executable.
fn build(root: &Path) -> Result<PathBuf> {
    eprintln!("building the per_call benchmark");
    let output = cargo()
        .args([
            "bench",
            "-p",
            "ppio-tests",
            "--bench",
            "per_call",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .output()
        .context("running cargo bench --no-run")?;
    if !output.status.success() {
        bail!("building the per_call benchmark failed");
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "per_call")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo built no per_call executable")
}

/// Criterion's median for one benchmark, in nanoseconds.
fn median_ns(home: &Path, id: &str) -> Result<f64> {
    let path = home.join("per_call").join(id).join("new/estimates.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let estimates: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .with_context(|| format!("{} has no median", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_replaced_in_place_or_appended() {
        let first = format!("{BEGIN}\nold\n{END}");
        let second = format!("{BEGIN}\nnew\n{END}");
        let report = format!("# Performance\n\nratios: x\n\n{first}\n");
        assert_eq!(section(&report), Some(first.as_str()));
        let replaced = replace_section(&report, &second);
        assert_eq!(
            replaced,
            format!("# Performance\n\nratios: x\n\n{second}\n")
        );
        assert_eq!(
            replace_section("# Performance\n\nratios: x\n", &second),
            format!("# Performance\n\nratios: x\n\n{second}\n")
        );
        assert_eq!(section("no section"), None);
    }
}
