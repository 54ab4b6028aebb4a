//! Errors and warnings the generator reports: each names the spec file and the place in it.

use std::fmt;

/// A problem that stops generation of a whole spec file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not valid YAML or JSON.
    #[error("{file}: not valid YAML/JSON: {message}")]
    Syntax {
        /// Display path of the spec file.
        file: String,
        /// The parser's message, with line and column when known.
        message: String,
    },
    /// The document parsed but does not have the shape of an OpenAPI 3.0 document.
    #[error("{file}#{pointer}: invalid OpenAPI 3.0 document: {message}")]
    Invalid {
        /// Display path of the spec file.
        file: String,
        /// JSON pointer to the offending value.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The document is a version this generator refuses (Swagger 2.0, OpenAPI 3.2).
    #[error(
        "{file}: {found} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x documents"
    )]
    UnsupportedVersion {
        /// Display path of the spec file.
        file: String,
        /// What the document declares, e.g. `Swagger 2.0` or `OpenAPI 3.2.0`.
        found: String,
    },
    /// An overlay could not be read or one of its actions could not be applied.
    #[error("{file}: {action}{sep}{message}", sep = if .action.is_empty() { "" } else { ": " })]
    Overlay {
        /// Display path of the overlay file.
        file: String,
        /// The failing action, as `actions[2]`; empty for the document as a whole.
        action: String,
        /// What went wrong.
        message: String,
    },
    /// The settings are unusable (for example a runtime path that is not a Rust path).
    #[error("invalid settings: {0}")]
    Settings(String),
    /// Something the generator cannot represent, in strict mode or outside any single operation.
    #[error("{0}")]
    Unsupported(Warning),
}

/// Something skipped or degraded, with the place it happened.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Display path of the spec file.
    pub file: String,
    /// JSON pointer into the spec file.
    pub pointer: String,
    /// What was skipped and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}: {}", self.file, self.pointer, self.message)
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens
        .into_iter()
        .map(|t| format!("/{}", pointer_token(t.as_ref())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        assert_eq!(
            pointer(["paths", "/pets/{id}", "get"]),
            "/paths/~1pets~1{id}/get"
        );
        assert_eq!(pointer(["a~b"]), "/a~0b");
    }
}
