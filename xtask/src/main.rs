//! `cargo xtask …`: the only program in the workspace that writes generated files.

mod codegen;
mod corpus;

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
        /// The `ppio` crate to compile against (default: the workspace's `generated/`).
        #[arg(long)]
        ppio: Option<PathBuf>,
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
            ppio,
        } => corpus::run(&corpus::Options {
            inputs: paths,
            report,
            verbose,
            ppio,
            scratch: codegen::workspace_root().join("target/corpus"),
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
