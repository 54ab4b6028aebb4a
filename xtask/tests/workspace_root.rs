//! The xtask binary checks the checkout it is run in, not the one it was compiled in: a
//! shared target directory reuses one binary across checkouts.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of what `codegen --check` reads: specs, overlays, fixtures and both generated trees.
fn other_checkout(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let copy = std::env::temp_dir().join(format!("ppio-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    for dir in [
        "specs",
        "overlays",
        "generator/tests/fixtures",
        "generator/tests/overlays",
        "generated/src/api",
        "tests/src/golden",
    ] {
        copy_tree(&root.join(dir), &copy.join(dir));
    }
    std::fs::create_dir_all(copy.join("xtask")).unwrap();
    std::fs::copy(root.join("xtask/Cargo.toml"), copy.join("xtask/Cargo.toml")).unwrap();
    copy
}

fn check(manifest_dir: Option<&Path>, cwd: &Path) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["codegen", "--check"]).current_dir(cwd);
    command.env_remove("CARGO_MANIFEST_DIR");
    if let Some(dir) = manifest_dir {
        command.env("CARGO_MANIFEST_DIR", dir);
    }
    command.output().unwrap()
}

#[test]
fn the_check_reads_the_checkout_named_at_run_time() {
    let copy = other_checkout("runtime-root");
    let xtask_dir = copy.join("xtask");
    let fresh = check(Some(&xtask_dir), &copy);
    assert!(
        fresh.status.success(),
        "an unchanged copy is current: {}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    // Commit the copy as it is, so the check can report changes since `HEAD` (when git is here).
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&copy)
            .output()
            .is_ok_and(|out| out.status.success())
    };
    let committed =
        git(&["init", "-q"]) && git(&["add", "-A"]) && git(&["commit", "-q", "-m", "base"]);
    let have_git = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    assert!(
        committed || !have_git,
        "git is here but committing the copy failed"
    );

    // A spec edited in the other checkout only: the check must see it there.
    let spec = copy.join("specs/v2/upgrade-instance.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replacen(
            "                save_data:\n",
            "                spot_fallback:\n                  type: boolean\n                save_data:\n",
            1,
        ),
    )
    .unwrap();
    let stale = check(Some(&xtask_dir), &copy);
    assert!(!stale.status.success(), "the edited copy must be stale");
    // With the copy committed before the edit, the report in API terms comes first, then the
    // file diff.
    if committed {
        let text = String::from_utf8_lossy(&stale.stderr);
        let report = text
            .find("API changes since the last commit")
            .unwrap_or_else(|| panic!("no change report in: {text}"));
        let line = text
            .find("`v2::UpgradeInstanceRequest.spot_fallback`")
            .unwrap_or_else(|| panic!("the new field is not reported: {text}"));
        let file_diff = text
            .find("--- generated/src/api/v2.rs")
            .unwrap_or_else(|| panic!("no file diff: {text}"));
        assert!(report < line && line < file_diff, "{text}");
        assert!(text.contains("Implied version bump"), "{text}");
    }
    // Found from the working directory as well, when cargo does not say.
    let stale = check(None, &copy);
    assert!(!stale.status.success(), "found by walking up from the cwd");
    std::fs::remove_dir_all(&copy).unwrap();
}
