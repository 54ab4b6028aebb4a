//! Tokens → source text: `syn` parses, `prettyplease` prints, and a header says where it came from.

use proc_macro2::TokenStream;

use crate::Timings;
use crate::error::{Error, Warning};

/// Formats tokens as a Rust file with the generated-file header, adding each step's time to
/// `timings`.
pub fn format_file(
    tokens: TokenStream,
    header: &str,
    what: &str,
    timings: &mut Timings,
) -> Result<String, Error> {
    let file = parse(tokens, what, timings)?;
    let printed = crate::timed(&mut timings.print, || prettyplease::unparse(&file));
    let started = std::time::Instant::now();
    let out = with_header(header, &space_items(&printed));
    timings.space += started.elapsed();
    Ok(out)
}

/// Formats a file made of parts on every available core, with the generated-file header. Parts
/// are cut into contiguous chunks; each chunk's tokens are made, parsed and printed on one
/// thread (tokens cannot cross threads, text can), and the texts are joined in order.
/// `prettyplease` prints top-level items one after another with nothing between them, so the
/// joined text is byte for byte what printing the whole file at once gives. Stage times are
/// summed over threads.
pub fn format_parts<P: Sync>(
    parts: &[P],
    tokens: impl Fn(&[P]) -> Result<TokenStream, Error> + Sync,
    header: &str,
    what: &str,
    timings: &mut Timings,
) -> Result<String, Error> {
    // Small chunks keep the cores busy to the end; each costs one `syn::File`.
    const CHUNKS_PER_THREAD: usize = 8;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let size = parts.len().div_ceil(threads * CHUNKS_PER_THREAD).max(1);
    let chunks: Vec<&[P]> = parts.chunks(size).collect();
    let print_chunk = |chunk: &[P], timings: &mut Timings| -> Result<String, Error> {
        let tokens = crate::timed(&mut timings.emit, || tokens(chunk))?;
        let file = parse(tokens, what, timings)?;
        Ok(crate::timed(&mut timings.print, || {
            prettyplease::unparse(&file)
        }))
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        let mut timings = Timings::default();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = chunks.get(i) else { break };
            done.push((i, print_chunk(chunk, &mut timings)));
        }
        (done, timings)
    };
    let results: Vec<_> = if threads.min(chunks.len()) <= 1 {
        vec![worker()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.min(chunks.len()))
                .map(|_| scope.spawn(worker))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    let mut texts: Vec<(usize, Result<String, Error>)> = Vec::with_capacity(chunks.len());
    for (done, spent) in results {
        texts.extend(done);
        timings.emit += spent.emit;
        timings.parse += spent.parse;
        timings.print += spent.print;
    }
    texts.sort_by_key(|(i, _)| *i);
    let mut printed = String::new();
    for (_, text) in texts {
        printed.push_str(&text?);
    }
    let started = std::time::Instant::now();
    let out = with_header(header, &space_items(&printed));
    timings.space += started.elapsed();
    Ok(out)
}

/// Parses tokens as a file; failure is a generator bug, reported against the file `what`.
fn parse(tokens: TokenStream, what: &str, timings: &mut Timings) -> Result<syn::File, Error> {
    let parsed = crate::timed(&mut timings.parse, || syn::parse2::<syn::File>(tokens));
    parsed.map_err(|err| {
        Error::Unsupported(Warning {
            file: what.to_owned(),
            pointer: String::new(),
            message: format!("generated code did not parse (a generator bug): {err}"),
        })
    })
}

/// The header as `//` comments, a blank line, then the body.
fn with_header(header: &str, body: &str) -> String {
    let mut out = String::with_capacity(header.len() + body.len() + 1);
    for line in header.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(body);
    out
}

/// Puts a blank line between consecutive items, as a person would; `prettyplease` packs them.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "impl", "fn ", "const ", "type ", "enum ", "struct ", "mod ",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { break };
        let indent = |l: &str| l.len() - l.trim_start().len();
        let item_ends = line.trim() == "}" || (line.trim_end().ends_with(';') && indent(line) == 0);
        let ends_inner_doc = line.starts_with("//!") && !next.starts_with("//!");
        let next_starts_item = ITEM_STARTS.iter().any(|s| next.trim_start().starts_with(s));
        if (item_ends && indent(line) == indent(next) && next_starts_item) || ends_inner_doc {
            out.push('\n');
        }
    }
    out
}

/// The header of a generated file: what generated it, from which specs, and not to edit it.
pub fn header(command: &str, sources: &[String]) -> String {
    let mut text = format!(
        "@generated by `{command}`. Do not edit by hand; change the specs and regenerate.\n"
    );
    text.push_str("Sources:\n");
    for source in sources {
        text.push_str("- ");
        text.push_str(source);
        text.push('\n');
    }
    text
}
