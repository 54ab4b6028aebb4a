//! An OpenAPI 3.0 / 3.1 → Rust client generator (3.1 is converted to 3.0 by [`load`]).
//!
//! The pipeline has four stages, one module each: [`load`] parses spec files, [`lower`] turns them
//! into the [`ir`], `emit` turns the IR into tokens, and `format` prints them. [`generate`] runs
//! them all and returns file contents; it never touches the disk.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub mod diff;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod overlay;

mod emit;
mod format;

pub use error::{Error, Warning};
pub use load::SpecFile;

/// The version of the runtime's generated-code contract (`apiwire::codegen::CONTRACT`) this
/// generator writes for; generated code asserts it at compile time.
pub const RUNTIME_CONTRACT: u32 = 1;

/// How generated code is shaped.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Path generated code uses to reach the runtime's generated-code module
    /// (`::apiwire::codegen`).
    pub runtime: String,
    /// A client type of the output's own crate to give `client.v1()`-style accessors, such as
    /// `crate::Client` in the `ppio` crate; it must deref to the runtime's `Client`. `None`
    /// generates none: callers wrap a client with `v1::Api::new(&client)`.
    pub client_type: Option<String>,
    /// The command named in generated headers.
    pub command: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime: "::apiwire::codegen".to_owned(),
            client_type: None,
            command: "cargo xtask codegen".to_owned(),
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators, e.g. `v2.rs`.
    pub path: String,
    /// Full file contents.
    pub contents: String,
}

/// Counts for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations generated.
    pub operations: usize,
    /// Operations skipped with a warning.
    pub skipped: usize,
    /// Named types generated.
    pub types: usize,
}

/// Everything `generate` produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Files in a fixed order: `mod.rs`, then one per module in name order.
    pub files: Vec<GeneratedFile>,
    /// What was skipped or degraded, sorted.
    pub warnings: Vec<Warning>,
    /// Counts.
    pub stats: Stats,
    /// The names lock to commit: every schema's origin and its type name.
    pub names: BTreeMap<String, String>,
    /// Time spent in each stage, for `ppio-codegen --timings` and `cargo xtask bench`.
    pub timings: Timings,
}

/// Wall-clock time of each stage of one [`generate`] call. Reading the clock is the only thing
/// it adds; the output does not depend on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Spec text to `openapiv3` (YAML/JSON parsing, overlays, the 3.1 conversion).
    pub load: Duration,
    /// `openapiv3` to IR.
    pub lower: Duration,
    /// IR to tokens.
    pub emit: Duration,
    /// Tokens to a `syn::File` (`syn::parse2`).
    pub parse: Duration,
    /// `syn::File` to text (`prettyplease::unparse`).
    pub print: Duration,
    /// Blank lines between items and the header.
    pub space: Duration,
    /// The whole call. Emitting, parsing and printing run on several threads and their times
    /// are summed over threads, so the stages can add up to more than this.
    pub wall: Duration,
}

impl Timings {
    /// Every stage with its name, in pipeline order.
    pub fn stages(&self) -> [(&'static str, Duration); 6] {
        [
            ("load", self.load),
            ("lower", self.lower),
            ("emit", self.emit),
            ("parse", self.parse),
            ("print", self.print),
            ("space", self.space),
        ]
    }
}

/// Runs `f` and adds the time it took to `slot`.
fn timed<T>(slot: &mut Duration, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    *slot += started.elapsed();
    value
}

/// The names lock as a file: one `Name<TAB>origin` line per schema, sorted by origin.
pub struct NamesLock;

impl NamesLock {
    /// Renders a lock.
    pub fn render(names: &BTreeMap<String, String>) -> String {
        let mut out = String::from(
            "# Published type names, kept by `cargo xtask codegen`: a schema listed here keeps its\n\
             # name whatever else the specs gain or lose. Delete a line to let a name be settled again.\n",
        );
        for (origin, name) in names {
            out.push_str(name);
            out.push('\t');
            out.push_str(origin);
            out.push('\n');
        }
        out
    }

    /// Reads a lock written by [`NamesLock::render`]; comment and malformed lines are ignored.
    pub fn parse(text: &str) -> BTreeMap<String, String> {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once('\t'))
            .map(|(name, origin)| (origin.to_owned(), name.to_owned()))
            .collect()
    }
}

/// The IR of spec files, as [`generate_with_names`] would emit it (for change reports).
pub fn api_of(specs: &[SpecFile], locked: &BTreeMap<String, String>) -> Result<ir::Api, Error> {
    let loaded = specs
        .iter()
        .map(load::load)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lower::lower_with_names(&loaded, locked)?.api)
}

/// Generates a client from spec files. Pure: the same input gives the same bytes.
pub fn generate(specs: &[SpecFile], settings: &Settings) -> Result<Output, Error> {
    generate_with_names(specs, settings, &BTreeMap::new())
}

/// Generates with a names lock (schema origin → published type name; see [`NamesLock`]), so
/// names committed before never shift when unrelated schemas come, go or collide.
pub fn generate_with_names(
    specs: &[SpecFile],
    settings: &Settings,
    locked: &BTreeMap<String, String>,
) -> Result<Output, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let loaded = timed(&mut timings.load, || {
        specs.iter().map(load::load).collect::<Result<Vec<_>, _>>()
    })?;
    let lowered = timed(&mut timings.lower, || {
        lower::lower_with_names(&loaded, locked)
    })?;
    let all_sources: Vec<String> = specs.iter().map(|s| s.path.clone()).collect();
    let index = timed(&mut timings.emit, || emit::index(&lowered.api, settings))?;
    let mut files = vec![GeneratedFile {
        path: "mod.rs".to_owned(),
        contents: format::format_file(
            index,
            &format::header(&settings.command, &all_sources),
            "mod.rs",
            &mut timings,
        )?,
    }];
    for module in &lowered.api.modules {
        let path = format!("{}.rs", naming::unraw(&module.name));
        // The header names every input: the specs, then the overlays applied to them.
        let mut inputs = module.sources.clone();
        for spec in specs.iter().filter(|s| module.sources.contains(&s.path)) {
            inputs.extend(
                spec.overlays
                    .iter()
                    .map(|o| format!("{} (overlay)", o.path)),
            );
        }
        let contents = format::format_parts(
            &emit::parts(module),
            |parts| {
                let cx = emit::Cx::for_module(settings, module)?;
                Ok(parts.iter().map(|&p| emit::part(&cx, module, p)).collect())
            },
            &format::header(&settings.command, &inputs),
            &path,
            &mut timings,
        )?;
        files.push(GeneratedFile { path, contents });
    }
    let mut warnings = lowered.warnings;
    warnings.extend(loaded.iter().flat_map(|l| l.warnings.iter().cloned()));
    warnings.sort();
    warnings.dedup();
    let skipped = warnings
        .iter()
        .filter(|w| w.message.starts_with("skipped operation"))
        .count();
    let stats = Stats {
        operations: lowered.api.modules.iter().map(|m| m.operations.len()).sum(),
        skipped,
        types: lowered.api.modules.iter().map(|m| m.types.len()).sum(),
    };
    Ok(Output {
        files,
        names: lowered.names,
        warnings,
        stats,
        timings: Timings {
            wall: started.elapsed(),
            ..timings
        },
    })
}
