//! `cargo xtask diff OLD NEW`: the API-level change report between two versions of the specs.
//!
//! Each side is a spec file, a workspace-like directory (its `specs/` and `overlays/`, and the
//! names lock in `generated/src/api/`), or a git revision of this repository (`HEAD`, `main`,
//! `v0.3.0`). Both sides are lowered with the old side's names lock, as codegen would, so a
//! rename the lock prevents is not reported and one it cannot prevent is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use generator::SpecFile;
use generator::diff::{self, Change};

use crate::codegen::{NAMES_LOCK, TARGETS, read_specs, workspace_root};

/// One side of a comparison, read into spec files and a names lock.
pub struct Side {
    /// The spec files, with overlays attached.
    pub specs: Vec<SpecFile>,
    /// The names lock of that side (empty for a lone file).
    pub lock: BTreeMap<String, String>,
}

/// Reads `source`: a spec file, a directory, or a git revision.
pub fn side(source: &str) -> Result<Side> {
    let path = Path::new(source);
    if path.is_file() {
        let contents =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        // Both files of a pair get the same display name, so schema origins match.
        let module = "api".to_owned();
        return Ok(Side {
            specs: vec![SpecFile {
                path: "spec".to_owned(),
                module,
                contents,
                overlays: Vec::new(),
            }],
            lock: BTreeMap::new(),
        });
    }
    if path.is_dir() {
        return workspace_side(path);
    }
    let root = workspace_root();
    let tree = root.join("target/diff").join(sanitize(source));
    let _ = std::fs::remove_dir_all(&tree);
    std::fs::create_dir_all(&tree)?;
    let archive = Command::new("git")
        .stdin(std::process::Stdio::null())
        .arg("-C")
        .arg(&root)
        .args(["archive", "--format=tar", source, "--", "specs"])
        .args(optional_paths(&root, source))
        .output()
        .context("running git archive")?;
    if !archive.status.success() {
        bail!(
            "{source} is neither a file, a directory nor a git revision: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        );
    }
    let mut tar = Command::new("tar")
        .stdin(std::process::Stdio::null())
        .arg("-x")
        .arg("-C")
        .arg(&tree)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .context("running tar")?;
    {
        use std::io::Write as _;
        let mut stdin = tar.stdin.take().context("tar's stdin")?;
        stdin.write_all(&archive.stdout)?;
    }
    if !tar.wait()?.success() {
        bail!("could not unpack the specs of {source}");
    }
    workspace_side(&tree)
}

/// `overlays/` and the names lock exist only from some revision on.
fn optional_paths(root: &Path, rev: &str) -> Vec<String> {
    ["overlays", &format!("{}/{NAMES_LOCK}", TARGETS[0].output)]
        .iter()
        .filter(|p| {
            Command::new("git")
                .stdin(std::process::Stdio::null())
                .arg("-C")
                .arg(root)
                .args(["cat-file", "-e", &format!("{rev}:{p}")])
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(|p| (*p).to_owned())
        .collect()
}

fn sanitize(rev: &str) -> String {
    rev.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn workspace_side(root: &Path) -> Result<Side> {
    let target = &TARGETS[0];
    let specs = read_specs(root, target)?;
    let lock = std::fs::read_to_string(root.join(target.output).join(NAMES_LOCK))
        .map(|text| generator::NamesLock::parse(&text))
        .unwrap_or_default();
    Ok(Side { specs, lock })
}

/// The changes from `old` to `new`, both lowered with the old names lock.
pub fn changes(old: &Side, new: &Side) -> Result<Vec<Change>> {
    let old_api = generator::api_of(&old.specs, &old.lock)?;
    let new_api = generator::api_of(&new.specs, &old.lock)?;
    Ok(diff::diff(&old_api, &new_api))
}

/// Prints (and with `report`, writes) the report between two sources.
pub fn run(old: &str, new: &str, report: Option<&PathBuf>) -> Result<()> {
    let changes = changes(&side(old)?, &side(new)?)?;
    let text = format!(
        "# API changes from `{old}` to `{new}`\n\nWritten by `cargo xtask diff {old} {new}`.\n\n{}",
        diff::markdown(&changes)
    );
    println!("{text}");
    if let Some(path) = report {
        std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The report `codegen` prints: from the committed specs (`HEAD`) to the working tree.
pub fn against_head() -> Result<String> {
    let root = workspace_root();
    let old = side("HEAD")?;
    let new = workspace_side(&root)?;
    let changes = changes(&old, &new)?;
    Ok(diff::markdown(&changes))
}
