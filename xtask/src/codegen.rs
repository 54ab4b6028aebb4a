//! `cargo xtask codegen [--check]`: specs/ → generated/src/api/, or a diff when they disagree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use generator::{Settings, SpecFile, generate};

/// Where the specs live and where their client goes, relative to the workspace root.
const SPECS_DIR: &str = "specs";
const OUTPUT_DIR: &str = "generated/src/api";
const COMMAND: &str = "cargo xtask codegen";

/// Regenerates, or with `check` compares and fails on any difference.
pub fn run(check: bool) -> Result<()> {
    let root = workspace_root();
    let expected = expected_files(&root)?;
    let actual = existing_files(&root.join(OUTPUT_DIR))?;
    let diffs = differences(&expected, &actual);
    if diffs.is_empty() {
        println!("{OUTPUT_DIR} is up to date ({} files)", expected.len());
        return Ok(());
    }
    if check {
        for diff in &diffs {
            eprintln!("{diff}");
        }
        bail!(
            "{} generated file(s) in {OUTPUT_DIR} are stale; run `{COMMAND}` and commit the result",
            diffs.len()
        );
    }
    let out = root.join(OUTPUT_DIR);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for (name, contents) in &expected {
        if actual.get(name) != Some(contents) {
            let path = out.join(name);
            std::fs::write(&path, contents)
                .with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {OUTPUT_DIR}/{name}");
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        let path = out.join(name);
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        println!("removed stale {OUTPUT_DIR}/{name}");
    }
    Ok(())
}

/// The workspace root: xtask's manifest directory's parent.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every spec under `specs/`, sorted by path; each goes into the module named after its directory.
fn read_specs(root: &Path) -> Result<Vec<SpecFile>> {
    let mut paths = Vec::new();
    let mut stack = vec![root.join(SPECS_DIR)];
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
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let display = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let module = relative
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .context("spec files must sit in a version directory such as specs/v2/")?;
            let contents = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(SpecFile {
                path: display,
                module,
                contents,
            })
        })
        .collect()
}

/// What `generated/src/api/` should contain. The PPIO specs must generate without any warning.
pub fn expected_files(root: &Path) -> Result<BTreeMap<String, String>> {
    let specs = read_specs(root)?;
    let settings = Settings {
        command: COMMAND.to_owned(),
        ..Settings::default()
    };
    let output = generate(&specs, &settings)?;
    if !output.warnings.is_empty() {
        let list: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
        bail!(
            "the PPIO specs must generate completely, but:\n{}",
            list.join("\n")
        );
    }
    Ok(output
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect())
}

/// The `.rs` files currently in the output directory (line endings normalized).
pub fn existing_files(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("rs") {
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
            let label = format!("{OUTPUT_DIR}/{name}");
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

    /// The same check CI runs, so plain `cargo test` catches a stale client too.
    #[test]
    fn generated_client_is_current() {
        let root = workspace_root();
        let expected = expected_files(&root).unwrap();
        let actual = existing_files(&root.join(OUTPUT_DIR)).unwrap();
        let diffs = differences(&expected, &actual);
        assert!(
            diffs.is_empty(),
            "generated code is stale; run `{COMMAND}`:\n{}",
            diffs.join("\n")
        );
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
        let diffs = differences(&expected, &actual);
        assert_eq!(diffs.len(), 3);
        assert!(diffs[0].contains("+two"), "{}", diffs[0]);
        assert!(diffs[1].contains("b.rs (missing)") && diffs[1].contains("+new"));
        assert!(diffs[2].contains("old.rs (stale") && diffs[2].contains("-gone"));
        assert!(differences(&expected, &expected).is_empty());
    }
}
