//! `cargo xtask …`: the only program in the workspace that writes generated files.

mod bench;
mod codegen;
mod conformance;
mod corpus;
mod diff;
mod import;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about = "Project automation for the ppio workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate `generated/src/api/` from `specs/`.
    Codegen {
        /// Write nothing; fail with a diff if the committed output is stale.
        #[arg(long)]
        check: bool,
    },
    /// Generate every spec into a scratch crate, `cargo check` them all, and report.
    Corpus {
        /// Spec files, or directories of them (`*.yaml`, `*.yml`, `*.json`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also write the table to this Markdown file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Print every warning (skipped operations, degraded schemas).
        #[arg(long)]
        verbose: bool,
        /// The runtime crate (`apiwire`) to compile against (default: the workspace's
        /// `runtime/`).
        #[arg(long)]
        runtime: Option<PathBuf>,
    },
    /// Report what changed in API terms between two versions of the specs, with a Rust semver
    /// and a wire verdict per change.
    Diff {
        /// The old side: a spec file, a directory holding `specs/`, or a git revision.
        old: String,
        /// The new side, in the same forms.
        new: String,
        /// Also write the Markdown report to this file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Write the OpenAPI block of vendor docs pages to `specs/<module>/<name>.yaml` byte for
    /// byte, then regenerate.
    Import {
        /// Docs pages (Markdown with a ````yaml block) or bare OpenAPI blocks.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// The module (`v2`); by default the version segment of the block's paths.
        #[arg(long)]
        module: Option<String>,
        /// Replace a spec file that exists with other contents.
        #[arg(long)]
        force: bool,
    },
    /// Time generation and `cargo check` of the generated crate against progenitor's, and
    /// write `docs/performance.md`.
    Bench {
        /// Specs to generate and check (default: `../shared/corpus/large/oxide.json`).
        specs: Vec<PathBuf>,
        /// Specs to measure generation only, e.g. ones too large to check in a benchmark run.
        #[arg(long = "gen-only", value_name = "SPEC")]
        gen_only: Vec<PathBuf>,
        /// Generation runs per side.
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// `cargo check` runs per side, clean and touched each.
        #[arg(long, default_value_t = 3)]
        check_runs: usize,
        /// Measure ours alone, without progenitor.
        #[arg(long)]
        no_peer: bool,
        /// Where to write the report (default: `docs/performance.md`).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Measure only the per-call overhead (`ppio` beside plain reqwest, the criterion
        /// benchmark `tests/benches/per_call.rs`) and rewrite only its section of the report.
        #[arg(long)]
        per_call: bool,
    },
    /// Call every generated operation of each spec against Prism, a mock server built from the
    /// same spec, and report which requests it accepts and which responses the client decodes.
    Conformance {
        /// Spec files, or directories of them (`*.yaml`, `*.yml`, `*.json`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also write the report into this Markdown file (between its conformance markers).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Seconds Prism may take to start on one spec.
        #[arg(long, default_value_t = 300)]
        startup_timeout: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(check),
        Command::Corpus {
            paths,
            report,
            verbose,
            runtime,
        } => corpus::run(&corpus::Options {
            inputs: paths,
            report,
            verbose,
            runtime,
            scratch: codegen::workspace_root().join("target/corpus"),
        }),
        Command::Diff { old, new, report } => diff::run(&old, &new, report.as_ref()),
        Command::Import {
            pages,
            module,
            force,
        } => import::run(&pages, module.as_deref(), force),
        Command::Bench {
            specs,
            gen_only,
            runs,
            check_runs,
            no_peer,
            report,
            per_call,
        } => bench::run(&bench::Options {
            per_call,
            specs,
            gen_only,
            runs,
            check_runs,
            peer: !no_peer,
            report: report.unwrap_or_else(|| codegen::workspace_root().join("docs/performance.md")),
            command: std::iter::once("cargo xtask".to_owned())
                .chain(std::env::args().skip(1))
                .collect::<Vec<_>>()
                .join(" "),
            scratch: codegen::workspace_root().join("target/bench"),
        }),
        Command::Conformance {
            paths,
            report,
            startup_timeout,
        } => conformance::run(&conformance::Options {
            inputs: paths,
            report,
            scratch: codegen::workspace_root().join("target/conformance"),
            startup: std::time::Duration::from_secs(startup_timeout),
        })
        .map(|run| eprintln!("{} spec(s); {}", run.results.len(), run.summary.line())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
