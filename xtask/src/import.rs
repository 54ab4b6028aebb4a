//! `cargo xtask import PAGE...`: a vendor docs page (Markdown with a fenced ```` ```yaml ````
//! OpenAPI block) or a bare block → `specs/<module>/<name>.yaml`, byte for byte, then codegen.
//!
//! The module is the API version the block's paths carry (`/gpus/v2/…` → `v2`) unless
//! `--module` says otherwise; the name comes from the block's header line
//! (```` ```yaml gpus/v2-spec/update-endpoint.json PUT … ```` → `update-endpoint`), or, for a
//! bare block, from the operation the generator derives (`restart_instance` → `restart-instance`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A page's OpenAPI block and what its header line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'a> {
    /// The block text, exactly as on the page (every line up to the closing fence).
    pub text: &'a str,
    /// The header after ```` ```yaml ````, if any: `gpus/v2-spec/update-endpoint.json PUT /…`.
    pub header: Option<&'a str>,
}

/// Finds the OpenAPI block of a page: the first ```` ```yaml ```` fence's contents, or the whole
/// text when it is itself an OpenAPI document.
pub fn find_block(page: &str) -> Option<Block<'_>> {
    let fence = page
        .match_indices("````yaml")
        .find(|(i, _)| *i == 0 || page.as_bytes()[i - 1] == b'\n')
        .map(|(i, _)| i);
    if let Some(open) = fence {
        let line_end = open + page[open..].find('\n')?;
        let header = page[open + "````yaml".len()..line_end].trim();
        let body_start = line_end + 1;
        let close = page[body_start..]
            .match_indices("````")
            .find(|(i, _)| *i == 0 || page.as_bytes()[body_start + i - 1] == b'\n')
            .map(|(i, _)| body_start + i)?;
        let text = &page[body_start..close];
        return is_openapi(text).then_some(Block {
            text,
            header: (!header.is_empty()).then_some(header),
        });
    }
    is_openapi(page).then_some(Block {
        text: page,
        header: None,
    })
}

/// An OpenAPI document starts its top level with an `openapi:` key (YAML or JSON).
fn is_openapi(text: &str) -> bool {
    text.lines()
        .any(|line| line.starts_with("openapi:") || line.trim_start().starts_with("\"openapi\""))
}

/// The file name a block's header gives: `gpus/v2-spec/update-endpoint.json PUT …` →
/// `update-endpoint`.
fn name_from_header(header: &str) -> Option<String> {
    let file = header.split_whitespace().next()?;
    let stem = Path::new(file).file_stem()?.to_string_lossy().into_owned();
    (!stem.is_empty() && file.contains('.')).then_some(stem)
}

/// The API version segment of the block's first path (`/gpus/v2/instances` → `v2`).
fn module_from_paths(document: &serde_json::Value) -> Option<String> {
    let paths = document.get("paths")?.as_object()?;
    paths.keys().find_map(|path| {
        path.split('/')
            .find(|segment| {
                segment.len() > 1
                    && segment.starts_with('v')
                    && segment[1..].chars().all(|c| c.is_ascii_digit())
            })
            .map(str::to_owned)
    })
}

/// Where a page's block goes, and its text.
pub fn plan(page_path: &Path, page: &str, module: Option<&str>) -> Result<(PathBuf, String)> {
    let shown = page_path.display().to_string();
    let Some(block) = find_block(page) else {
        bail!(
            "{shown}: no OpenAPI block: expected a ````yaml fence holding an OpenAPI document, or a \
             bare document starting with `openapi:`. A rendered reference page (like the v1 \
             create-instance page) has to be written up by hand"
        );
    };
    let spec = generator::SpecFile {
        path: shown.clone(),
        module: module.unwrap_or("imported").to_owned(),
        contents: block.text.to_owned(),
        overlays: Vec::new(),
    };
    let document =
        generator::load::document(&spec).with_context(|| format!("{shown}: reading its block"))?;
    let module = match module {
        Some(module) => module.to_owned(),
        None => module_from_paths(&document).with_context(|| {
            format!("{shown}: its paths carry no version segment (`/v2/`); pass --module")
        })?,
    };
    let name = match block.header.and_then(name_from_header) {
        Some(name) => name,
        None => {
            let lowered = generator::load::load(&spec)
                .and_then(|loaded| generator::lower::lower(std::slice::from_ref(&loaded)))
                .with_context(|| format!("{shown}: generating from its block"))?;
            let operation = lowered
                .api
                .modules
                .first()
                .and_then(|m| m.operations.first())
                .with_context(|| format!("{shown}: the block has no operation to name it after"))?;
            generator::naming::unraw(&operation.name).replace('_', "-")
        }
    };
    Ok((
        PathBuf::from(format!("specs/{module}/{name}.yaml")),
        block.text.to_owned(),
    ))
}

/// Imports every page, then regenerates.
pub fn run(pages: &[PathBuf], module: Option<&str>, force: bool) -> Result<()> {
    let root = crate::codegen::workspace_root();
    for page_path in pages {
        let page = std::fs::read_to_string(page_path)
            .with_context(|| format!("reading {}", page_path.display()))?;
        let (relative, text) = plan(page_path, &page, module)?;
        let target = root.join(&relative);
        match std::fs::read_to_string(&target) {
            Ok(existing) if existing == text => {
                eprintln!("{} is already {}", relative.display(), page_path.display());
                continue;
            }
            Ok(_) if !force => bail!(
                "{} exists with other contents; pass --force to replace it with {}",
                relative.display(),
                page_path.display()
            ),
            _ => {}
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &text).with_context(|| format!("writing {}", target.display()))?;
        eprintln!("wrote {} from {}", relative.display(), page_path.display());
    }
    crate::codegen::run(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed pages' blocks are `specs/v2/*.yaml` byte for byte, under the same names.
    #[test]
    fn importing_the_seeds_reproduces_specs_v2() {
        let root = crate::codegen::workspace_root();
        let seeds = root.join("../shared/seeds");
        if !seeds.is_dir() {
            eprintln!("skipping: ../shared/seeds is not present");
            return;
        }
        let mut seen = 0;
        for entry in std::fs::read_dir(&seeds).unwrap() {
            let path = entry.unwrap().path();
            let page = std::fs::read_to_string(&path).unwrap();
            let Some(block) = find_block(&page) else {
                continue;
            };
            let _ = block;
            let (relative, text) = plan(&path, &page, None).unwrap();
            let committed = std::fs::read_to_string(root.join(&relative)).unwrap();
            assert!(
                committed == text,
                "{} differs from {}",
                relative.display(),
                path.display()
            );
            seen += 1;
        }
        assert_eq!(seen, 3, "the three seed pages with an OpenAPI block");
    }

    #[test]
    fn a_page_without_a_block_is_refused_with_a_reason() {
        let err = plan(
            Path::new("page.md"),
            "# 创建实例\n\ncurl -X POST https://api.ppinfra.com/...\n",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("page.md: no OpenAPI block"), "{err}");
    }

    #[test]
    fn a_bare_block_is_named_after_its_operation() {
        let block = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /gpus/v2/instances/{instance_id}/restart:\n    put:\n      parameters:\n        - {name: instance_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: OK}\n";
        let (path, text) = plan(Path::new("restart.yaml"), block, None).unwrap();
        assert_eq!(path, PathBuf::from("specs/v2/restart-instance.yaml"));
        assert_eq!(text, block);
    }
}
