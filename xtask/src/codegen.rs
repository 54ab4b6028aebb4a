//! `cargo xtask codegen [--check]`: every generated tree in the repository, or a diff when one
//! disagrees with its inputs. Two trees are generated:
//! - `generated/src/api/` from `specs/` (the ppio client; must generate without warnings);
//! - `tests/src/golden/` from `generator/tests/fixtures/` (golden files, compiled by the tests crate).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use generator::{Settings, SpecFile};

const COMMAND: &str = "cargo xtask codegen";

/// The names lock's file name inside a target's output directory (see `Target::lock_names`).
pub const NAMES_LOCK: &str = "names.lock";

/// One generated tree: where its inputs are, where it goes, and how it is shaped.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Directory of spec files, relative to the workspace root.
    pub specs: &'static str,
    /// Output directory, relative to the workspace root.
    pub output: &'static str,
    /// How each spec's module is named.
    pub modules: ModuleNaming,
    /// The output crate's own client type that gets `client.v1()`-style accessors, if any.
    pub client_type: Option<&'static str>,
    /// A file (relative to the workspace root) listing the warnings generation must produce,
    /// one per line; `None` means there must be none.
    pub expected_warnings: Option<&'static str>,
    /// Whether published type names are kept in `<output>/names.lock`: a name, once committed,
    /// never shifts when unrelated schemas are added, removed or collide with it.
    pub lock_names: bool,
    /// Directory of Overlay documents mirroring `specs`: `overlays/v2/x.yaml` applies to
    /// `specs/v2/x.yaml`. Vendor files are never edited; corrections live here.
    pub overlays: &'static str,
}

/// How a spec file's module is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleNaming {
    /// After its directory: `specs/v2/x.yaml` → `v2`, so a version's files merge into one module.
    Directory,
    /// After the file: `fixtures/minimal.yaml` → `minimal`.
    FileStem,
}

/// Every generated tree, in the order they are checked.
pub const TARGETS: &[Target] = &[
    Target {
        specs: "specs",
        output: "generated/src/api",
        modules: ModuleNaming::Directory,
        client_type: Some("crate::Client"),
        expected_warnings: None,
        lock_names: true,
        overlays: "overlays",
    },
    Target {
        specs: "generator/tests/fixtures",
        output: "tests/src/golden",
        modules: ModuleNaming::FileStem,
        client_type: None,
        expected_warnings: Some("generator/tests/fixtures/expected-warnings.txt"),
        lock_names: false,
        overlays: "generator/tests/overlays",
    },
];

/// Regenerates every target, or with `check` compares and fails on any difference.
pub fn run(check: bool) -> Result<()> {
    let root = workspace_root();
    let mut stale = 0;
    let mut reported = false;
    for target in TARGETS {
        let expected = expected_files(&root, target)?;
        let actual = existing_files(&root.join(target.output))?;
        let diffs = differences(target.output, &expected, &actual);
        if diffs.is_empty() {
            println!("{} is up to date ({} files)", target.output, expected.len());
            continue;
        }
        // The client's API changes in API terms, before the file diff (the fixtures' goldens
        // are no published API).
        if target.lock_names && !reported {
            reported = true;
            match crate::diff::against_head() {
                Ok(report) => eprintln!("API changes since the last commit:\n\n{report}"),
                Err(err) => eprintln!("(no change report: {err:#})"),
            }
        }
        if check {
            for diff in &diffs {
                eprintln!("{diff}");
            }
            stale += diffs.len();
            continue;
        }
        write(&root.join(target.output), target.output, &expected, &actual)?;
    }
    if stale > 0 {
        bail!("{stale} generated file(s) are stale; run `{COMMAND}` and commit the result");
    }
    Ok(())
}

fn write(
    out: &Path,
    label: &str,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (name, contents) in expected {
        if actual.get(name) != Some(contents) {
            let path = out.join(name);
            std::fs::write(&path, contents)
                .with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {label}/{name}");
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        let path = out.join(name);
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        println!("removed stale {label}/{name}");
    }
    Ok(())
}

/// The workspace root this run works on: the parent of xtask's manifest directory as cargo
/// gives it *at run time* (`cargo xtask` and `cargo test` set `CARGO_MANIFEST_DIR`), else the
/// nearest directory above the current one holding `xtask/Cargo.toml`.
///
/// It is never the path the binary was compiled in: with a shared target directory, the
/// binary built in one checkout is reused by another, and must check that other one.
pub fn workspace_root() -> PathBuf {
    let from_cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|dir| dir.parent().map(Path::to_path_buf));
    from_cargo
        .or_else(|| {
            let cwd = std::env::current_dir().ok()?;
            cwd.ancestors()
                .find(|dir| dir.join("xtask/Cargo.toml").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every spec under a target's directory, sorted by path, each with its overlay.
pub fn read_specs(root: &Path, target: &Target) -> Result<Vec<SpecFile>> {
    let mut specs = read_spec_files(root, target)?;
    let overlays_dir = root.join(target.overlays);
    if !overlays_dir.is_dir() {
        return Ok(specs);
    }
    for path in spec_paths(&overlays_dir)? {
        let relative = path.strip_prefix(&overlays_dir).unwrap_or(&path);
        let display = display_path(root, &path);
        let spec_path = display_path(root, &root.join(target.specs).join(relative));
        let Some(spec) = specs.iter_mut().find(|s| s.path == spec_path) else {
            bail!(
                "{display}: an overlay applies to the spec at the same place under {}/, and there is no {spec_path}",
                target.specs
            );
        };
        let contents = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        spec.overlays.push(generator::overlay::OverlayFile {
            path: display,
            contents,
        });
    }
    Ok(specs)
}

/// The overlay of a spec file given by path, when the file lies under one of the targets' spec
/// directories and an overlay mirrors it (`specs/v2/x.yaml` → `overlays/v2/x.yaml`).
pub fn overlays_for(spec: &Path) -> Result<Vec<generator::overlay::OverlayFile>> {
    let root = workspace_root();
    let (Ok(spec), Ok(root)) = (spec.canonicalize(), root.canonicalize()) else {
        return Ok(Vec::new());
    };
    for target in TARGETS {
        if let Ok(relative) = spec.strip_prefix(root.join(target.specs)) {
            let overlay = root.join(target.overlays).join(relative);
            if overlay.is_file() {
                let contents = std::fs::read_to_string(&overlay)
                    .with_context(|| format!("reading {}", overlay.display()))?;
                return Ok(vec![generator::overlay::OverlayFile {
                    path: display_path(&root, &overlay),
                    contents,
                }]);
            }
        }
    }
    Ok(Vec::new())
}

/// A path relative to the workspace root with `/` separators.
fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `*.yaml`, `*.yml` and `*.json` file under `dir`, sorted.
fn spec_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

fn read_spec_files(root: &Path, target: &Target) -> Result<Vec<SpecFile>> {
    spec_paths(&root.join(target.specs))?
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let display = display_path(root, &path);
            let module = match target.modules {
                ModuleNaming::Directory => relative
                    .parent()
                    .filter(|p| p != &Path::new(target.specs))
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
                    .with_context(|| {
                        format!("{display}: spec files must sit in a version directory such as specs/v2/")
                    })?,
                ModuleNaming::FileStem => path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            };
            let contents = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(SpecFile {
                path: display,
                module,
                contents, overlays: Vec::new(), })
        })
        .collect()
}

/// How a target's code is shaped.
fn settings(target: &Target) -> Settings {
    Settings {
        runtime: "::apiwire::codegen".to_owned(),
        client_type: target.client_type.map(str::to_owned),
        command: COMMAND.to_owned(),
    }
}

/// What a target's output directory should contain. Generation must be complete: a skipped
/// operation or degraded schema in our own specs is an error, not a warning. Fixtures that
/// exercise a warning on purpose list it in the target's expected-warnings file; any warning not
/// listed there, or listed but no longer produced, is an error too.
pub fn expected_files(root: &Path, target: &Target) -> Result<BTreeMap<String, String>> {
    let specs = read_specs(root, target)?;
    let settings = settings(target);
    let lock_path = root.join(target.output).join(NAMES_LOCK);
    let locked = if target.lock_names {
        std::fs::read_to_string(&lock_path)
            .map(|text| generator::NamesLock::parse(&text))
            .unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    let output = generator::generate_with_names(&specs, &settings, &locked)?;
    let expected: Vec<String> = match target.expected_warnings {
        None => Vec::new(),
        Some(file) => {
            let path = root.join(file);
            std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("//"))
                .map(str::to_owned)
                .collect()
        }
    };
    let produced: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    let unexpected: Vec<&String> = produced.iter().filter(|w| !expected.contains(w)).collect();
    let missing: Vec<&String> = expected.iter().filter(|w| !produced.contains(w)).collect();
    if !unexpected.is_empty() {
        let list: Vec<&str> = unexpected.iter().map(|w| w.as_str()).collect();
        bail!(
            "{} must generate completely, but:\n{}",
            target.specs,
            list.join("\n")
        );
    }
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|w| w.as_str()).collect();
        bail!(
            "{} no longer produces these expected warnings:\n{}",
            target.specs,
            list.join("\n")
        );
    }
    let mut files: BTreeMap<String, String> = output
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    if target.lock_names {
        files.insert(
            NAMES_LOCK.to_owned(),
            generator::NamesLock::render(&output.names),
        );
    }
    Ok(files)
}

/// The `.rs` files currently in the output directory (line endings normalized).
pub fn existing_files(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let kept = matches!(path.extension().and_then(|e| e.to_str()), Some("rs"))
            || path.file_name().is_some_and(|n| n == NAMES_LOCK);
        if kept {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let contents = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .replace("\r\n", "\n");
            files.insert(name, contents);
        }
    }
    Ok(files)
}

/// One unified diff per file that differs, including files that should not exist.
pub fn differences(
    output: &str,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut names: Vec<&String> = expected.keys().chain(actual.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let want = expected.get(name).map_or("", String::as_str);
            let have = actual.get(name).map_or("", String::as_str);
            if expected.contains_key(name) && actual.contains_key(name) && want == have {
                return None;
            }
            let label = format!("{output}/{name}");
            let (old, new) = match (actual.contains_key(name), expected.contains_key(name)) {
                (true, true) => (
                    format!("{label} (committed)"),
                    format!("{label} (generated)"),
                ),
                (false, _) => ("/dev/null".to_owned(), format!("{label} (missing)")),
                (_, false) => (
                    format!("{label} (stale: no spec generates it)"),
                    "/dev/null".to_owned(),
                ),
            };
            Some(
                similar::TextDiff::from_lines(have, want)
                    .unified_diff()
                    .context_radius(3)
                    .header(&old, &new)
                    .to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_without_its_spec_is_an_error_naming_both() {
        let root = std::env::temp_dir().join(format!("ppio-overlay-orphan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("specs/v2")).unwrap();
        std::fs::create_dir_all(root.join("overlays/v2")).unwrap();
        std::fs::write(root.join("specs/v2/a.yaml"), "openapi: 3.0.3\n").unwrap();
        std::fs::write(
            root.join("overlays/v2/a.yaml"),
            "overlay: 1.0.0\nactions: []\n",
        )
        .unwrap();
        let specs = read_specs(&root, &TARGETS[0]).unwrap();
        assert_eq!(specs[0].overlays[0].path, "overlays/v2/a.yaml");
        std::fs::write(root.join("overlays/v2/renamed.yaml"), "overlay: 1.0.0\n").unwrap();
        let err = read_specs(&root, &TARGETS[0]).unwrap_err().to_string();
        assert!(
            err.contains("overlays/v2/renamed.yaml") && err.contains("specs/v2/renamed.yaml"),
            "{err}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// The same check CI runs, so plain `cargo test` catches a stale client or golden too.
    #[test]
    fn generated_trees_are_current() {
        let root = workspace_root();
        for target in TARGETS {
            let expected = expected_files(&root, target).unwrap();
            let actual = existing_files(&root.join(target.output)).unwrap();
            let diffs = differences(target.output, &expected, &actual);
            assert!(
                diffs.is_empty(),
                "generated code is stale; run `{COMMAND}`:\n{}",
                diffs.join("\n")
            );
        }
    }

    #[test]
    fn differences_report_changed_missing_and_stale_files() {
        let expected = BTreeMap::from([
            ("a.rs".to_owned(), "one\ntwo\n".to_owned()),
            ("b.rs".to_owned(), "new\n".to_owned()),
        ]);
        let actual = BTreeMap::from([
            ("a.rs".to_owned(), "one\n".to_owned()),
            ("old.rs".to_owned(), "gone\n".to_owned()),
        ]);
        let diffs = differences("out", &expected, &actual);
        assert_eq!(diffs.len(), 3);
        assert!(diffs[0].contains("+two"), "{}", diffs[0]);
        assert!(diffs[1].contains("b.rs (missing)") && diffs[1].contains("+new"));
        assert!(diffs[2].contains("old.rs (stale") && diffs[2].contains("-gone"));
        assert!(differences("out", &expected, &expected).is_empty());
    }
}

#[cfg(test)]
mod drift_tests {
    use super::*;

    /// Adding an optional property to a spec must make the check fail with a diff naming it.
    #[test]
    fn an_added_property_shows_up_in_the_diff() {
        let root = workspace_root();
        let target = &TARGETS[0];
        let mut specs = read_specs(&root, target).unwrap();
        let spec = specs
            .iter_mut()
            .find(|s| s.path.ends_with("upgrade-instance.yaml"))
            .unwrap();
        let anchor = "                save_data:\n";
        assert!(spec.contents.contains(anchor));
        spec.contents = spec.contents.replace(
            anchor,
            "                spot_fallback:\n                  type: boolean\n                  description: added\n                save_data:\n",
        );
        let settings = settings(target);
        let lock = std::fs::read_to_string(root.join(target.output).join(NAMES_LOCK)).unwrap();
        let output =
            generator::generate_with_names(&specs, &settings, &generator::NamesLock::parse(&lock))
                .unwrap();
        let mut expected: BTreeMap<String, String> = output
            .files
            .into_iter()
            .map(|f| (f.path, f.contents))
            .collect();
        expected.insert(
            NAMES_LOCK.to_owned(),
            generator::NamesLock::render(&output.names),
        );
        let actual = existing_files(&root.join(target.output)).unwrap();
        let diffs = differences(target.output, &expected, &actual);
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert!(diffs[0].contains("generated/src/api/v2.rs"), "{}", diffs[0]);
        assert!(diffs[0].contains("+    pub spot_fallback:"), "{}", diffs[0]);
    }
}
