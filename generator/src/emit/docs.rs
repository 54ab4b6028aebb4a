//! Spec prose → rustdoc. Descriptions are untrusted text: they must not become doctests, broken
//! intra-doc links, HTML tags or bare-URL warnings.

/// Turns prose into doc lines (each starting with a space, ready for `#[doc = …]`).
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                // Every fence becomes `text`, so rustdoc never compiles spec examples.
                out.push("```text".to_owned());
                fence = Some(m);
            }
            (Some(open), Some(m)) if open == m => {
                out.push("```".to_owned());
                fence = None;
            }
            (Some(_), _) => out.push(line.replace('\t', "    ")),
            (None, None) => out.push(escape_line(trimmed)),
        }
    }
    if fence.is_some() {
        out.push("```".to_owned());
    }
    // Runs of blank lines outside fences say nothing more than one.
    out.dedup_by(|next, prev| next.is_empty() && prev.is_empty());
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// Escapes one line of prose outside code fences. Leading whitespace was already removed, so an
/// indented line cannot become a code block.
fn escape_line(line: &str) -> String {
    let ticks = line.matches('`').count();
    if ticks > 0 && ticks % 2 == 0 {
        // Balanced inline code spans stay verbatim; text between them is escaped.
        return line
            .split('`')
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    part.to_owned()
                } else {
                    escape_text(part)
                }
            })
            .collect::<Vec<_>>()
            .join("`");
    }
    escape_text(line).replace('`', "\\`")
}

/// Escapes Markdown and HTML that rustdoc would act on, and wraps bare URLs in `<…>`.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        out.push_str(&escape_plain(&rest[..start]));
        let url_len = rest[start..]
            .find(|c: char| c.is_whitespace() || !c.is_ascii() || "<>\"'()[]{}`|\\".contains(c))
            .unwrap_or(rest.len() - start);
        let mut url = &rest[start..start + url_len];
        url = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &rest[start + url.len()..];
    }
    out.push_str(&escape_plain(rest));
    out
}

fn find_url(text: &str) -> Option<usize> {
    ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text.find(scheme))
        .min()
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("\\*"),
            '_' => out.push_str("\\_"),
            '#' if out.is_empty() => out.push_str("\\#"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_urls_and_escapes_brackets_and_html() {
        assert_eq!(
            doc_lines("See https://ppio.com/docs. [x] <b>bold</b>"),
            [" See <https://ppio.com/docs>. \\[x\\] &lt;b&gt;bold&lt;/b&gt;"]
        );
    }

    #[test]
    fn fences_become_text_and_indentation_is_dropped() {
        let lines = doc_lines("Example:\n```\nlet x = {{API}};\n```\n\n    indented\n");
        assert_eq!(
            lines,
            [
                " Example:",
                " ```text",
                " let x = {{API}};",
                " ```",
                "",
                " indented"
            ]
        );
    }

    #[test]
    fn inline_code_is_kept_and_unbalanced_ticks_escaped() {
        assert_eq!(
            doc_lines("Bearer `{{API 密钥}}`。"),
            [" Bearer `{{API 密钥}}`。"]
        );
        assert_eq!(doc_lines("a ` b"), [" a \\` b"]);
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(doc_lines("a\n\n\n\nb\n\n"), [" a", "", " b"]);
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(doc_lines("```json\n{}"), [" ```text", " {}", " ```"]);
    }
}
