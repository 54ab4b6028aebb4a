//! Every identifier the generator writes goes through this module: case conversion, keyword
//! escaping, digits, empty and non-ASCII input, singular forms, and operation names from paths.

use heck::{ToPascalCase, ToSnakeCase};

/// The identifier style wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`, for functions, fields and modules.
    Snake,
    /// `PascalCase`, for types and variants.
    Pascal,
}

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Turns arbitrary spec text into a valid, readable Rust identifier in the given case.
///
/// Non-ASCII characters and punctuation separate words; digits that would start the identifier get
/// a prefix (`V` for types, `n` for snake case); digit groups stay apart (`12.4` → `V12_4`);
/// keywords are escaped (`type` → `r#type`, `self` → `self_`). Empty results become `fallback`.
pub fn sanitize(input: &str, case: Case, fallback: &str) -> String {
    let words = split_words(input);
    if words.is_empty() {
        return sanitize(fallback, case, "value");
    }
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let prev_digit = out.chars().last().is_some_and(|c| c.is_ascii_digit());
        let starts_digit = word.starts_with(|c: char| c.is_ascii_digit());
        match case {
            Case::Snake => {
                if i > 0 {
                    out.push('_');
                }
                out.push_str(&word.to_snake_case());
            }
            Case::Pascal => {
                if prev_digit && starts_digit {
                    out.push('_');
                }
                out.push_str(&word.to_pascal_case());
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, if case == Case::Pascal { "V" } else { "n" });
    }
    escape_keyword(out)
}

/// Splits on anything that is not an ASCII letter or digit, then on case changes.
fn split_words(input: &str) -> Vec<String> {
    let cleaned: String = input
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned
        .split(' ')
        .filter(|s| !s.is_empty())
        .flat_map(|chunk| {
            chunk
                .to_snake_case()
                .split('_')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn escape_keyword(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix, for building longer names from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Method names a setter must not take: the constructor, and trait methods clippy or readers
/// would confuse it with.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "default",
    "clone",
    "eq",
    "ne",
    "fmt",
    "hash",
    "cmp",
    "partial_cmp",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "next",
    "from_str",
    "from_iter",
    "into_iter",
    "borrow",
    "borrow_mut",
    "as_ref",
    "as_mut",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "serialize",
    "deserialize",
    "to_owned",
    "to_string",
    "into",
    "from",
    "try_from",
    "try_into",
];

/// Whether a method name is taken on every generated type (`new`) or would be confused with a
/// common trait method (`clone`, `from`…); such names are escaped for operations and setters.
pub fn is_reserved_method(name: &str) -> bool {
    RESERVED_METHODS.contains(&unraw(name))
}

/// Methods of generated structs and builders only (operations may take these names).
const BUILDER_METHODS: &[&str] = &["builder", "build"];

/// The setter method for a field: the field's own name, or `with_…` when that name is an
/// escaped keyword (`r#type`, `self_`) or would shadow the constructor, the builder's own
/// methods or a common trait method.
pub fn setter_name(field: &str) -> String {
    let bare = unraw(field).trim_end_matches('_');
    let escaped = field.starts_with("r#") || field.ends_with('_');
    if escaped || RESERVED_METHODS.contains(&bare) || BUILDER_METHODS.contains(&bare) {
        format!("with_{bare}")
    } else {
        field.to_owned()
    }
}

/// Number of words in a name, e.g. `min_cuda_version` → 3.
pub fn word_count(input: &str) -> usize {
    split_words(input).len()
}

/// English singular of a (usually plural) noun: `instances` → `instance`, `policies` → `policy`,
/// `statuses` → `status`, `boxes` → `box`. Words that are not plural come back unchanged.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let keep = |n: usize| word[..word.len() - n].to_owned();
    if lower.ends_with("ies") && word.len() > 4 {
        return format!("{}y", keep(3));
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes", "uses"] {
        if lower.ends_with(suffix) && word.len() > suffix.len() + 1 {
            return keep(2);
        }
    }
    if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && word.len() > 3
    {
        return keep(1);
    }
    word.to_owned()
}

/// Whether a word reads as a plural collection name.
fn is_plural(word: &str) -> bool {
    singular(word) != word
}

/// Literal path segments that read as actions on the resource before them
/// (`POST /servers/{id}/reboot`, `POST /instance/create`).
const ACTION_VERBS: &[&str] = &[
    "activate",
    "add",
    "approve",
    "archive",
    "assign",
    "attach",
    "cancel",
    "check",
    "clone",
    "close",
    "confirm",
    "copy",
    "create",
    "deactivate",
    "delete",
    "detach",
    "disable",
    "enable",
    "exec",
    "execute",
    "export",
    "finalize",
    "import",
    "invoke",
    "lock",
    "merge",
    "migrate",
    "move",
    "open",
    "pause",
    "publish",
    "reboot",
    "refresh",
    "reject",
    "release",
    "remove",
    "renew",
    "reopen",
    "reset",
    "resize",
    "restart",
    "restore",
    "resume",
    "retry",
    "revoke",
    "rollback",
    "run",
    "save",
    "search",
    "send",
    "start",
    "stop",
    "submit",
    "suspend",
    "sync",
    "test",
    "transfer",
    "trigger",
    "unarchive",
    "unassign",
    "unlock",
    "unpublish",
    "update",
    "upgrade",
    "upload",
    "validate",
    "verify",
    "void",
];

/// One path segment, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'a> {
    Literal(&'a str),
    Param,
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s)
            }
        })
        .collect()
}

/// Segments that only carry versioning or routing noise and name no resource.
fn is_noise(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let version = lower.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    version || matches!(lower.as_str(), "api" | "apis" | "openapi" | "rest")
}

/// What an operation does to what, read from its method and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationShape {
    /// The verb, e.g. `create`, `list`, `upgrade`.
    pub verb: String,
    /// The resource noun as written in the path, e.g. `instances`.
    pub resource: String,
    /// The noun to use in the name: singular except for lists.
    pub noun: String,
    /// Literal segments before the resource, nearest first, for disambiguation.
    pub context: Vec<String>,
}

/// Names an operation from its method and path by REST convention.
///
/// - `POST` on a collection → `create_<singular>`; `GET` on a collection → `list_<plural>`;
/// - `GET`/`PUT`/`PATCH`/`DELETE` on an item (`…/{id}`) → `get_`/`update_`/`update_`/`delete_<singular>`;
/// - `POST`/`PUT`/`PATCH`/`DELETE` on an action segment (`…/{id}/upgrade`, `…/instance/create`) →
///   `<action>_<singular resource>`;
/// - `GET` on a singular segment (`/repos/{o}/{r}/readme`) → `get_<segment>`.
pub fn operation_shape(method: &str, path: &str) -> OperationShape {
    let method = method.to_ascii_lowercase();
    let segs = segments(path);
    let literals: Vec<&str> = segs
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(l) if !is_noise(l) => Some(*l),
            _ => None,
        })
        .collect();
    let item = matches!(segs.last(), Some(Segment::Param));
    let Some(&last) = literals.last() else {
        return OperationShape {
            verb: method_verb(&method, item).to_owned(),
            resource: "root".to_owned(),
            noun: "root".to_owned(),
            context: Vec::new(),
        };
    };
    let last_snake = sanitize(last, Case::Snake, "root");
    let before: Vec<String> = literals[..literals.len() - 1]
        .iter()
        .rev()
        .map(|l| singular(&sanitize(l, Case::Snake, "root")))
        .collect();
    let after_param = segs.len() >= 2 && segs[segs.len() - 2] == Segment::Param;
    let is_action = !item
        && method != "get"
        && ACTION_VERBS.contains(&last_snake.as_str())
        && (after_param || literals.len() >= 2 || !is_plural(&last_snake));
    if is_action {
        // `/servers/{id}/actions/reboot` reboots the server, not the action.
        let mut owners = before.into_iter().filter(|w| w != "action");
        let resource = owners.next().unwrap_or_else(|| "root".to_owned());
        return OperationShape {
            verb: last_snake.clone(),
            noun: singular(&resource),
            resource,
            context: owners.collect(),
        };
    }
    let verb = if !item && method == "get" && !is_plural(&last_snake) && after_param {
        "get"
    } else {
        method_verb(&method, item)
    };
    let noun = if verb == "list" || verb == "replace" {
        last_snake.clone()
    } else {
        singular(&last_snake)
    };
    OperationShape {
        verb: verb.to_owned(),
        resource: last_snake,
        noun,
        context: before,
    }
}

fn method_verb(method: &str, item: bool) -> &'static str {
    match (method, item) {
        ("get", true) => "get",
        ("get", false) => "list",
        ("post", false) => "create",
        ("post", true) => "create",
        ("put", _) | ("patch", _) => "update",
        ("delete", _) => "delete",
        ("head", _) => "head",
        ("options", _) => "options",
        ("trace", _) => "trace",
        _ => "call",
    }
}

/// The operation name for a given amount of disambiguating context: 0 gives `create_instance`,
/// 1 gives `create_org_hook`, and so on.
pub fn operation_name(shape: &OperationShape, depth: usize) -> String {
    let mut words = vec![shape.verb.clone()];
    let context: Vec<&String> = shape.context.iter().take(depth).collect();
    words.extend(context.into_iter().rev().cloned());
    if shape.noun != shape.verb {
        words.push(shape.noun.clone());
    }
    sanitize(&words.join("_"), Case::Snake, "call")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_handles_keywords_digits_and_symbols() {
        assert_eq!(sanitize("type", Case::Snake, "x"), "r#type");
        assert_eq!(sanitize("self", Case::Snake, "x"), "self_");
        assert_eq!(sanitize("Self", Case::Pascal, "x"), "Self_");
        assert_eq!(sanitize("12.4", Case::Pascal, "x"), "V12_4");
        assert_eq!(sanitize("13.0", Case::Pascal, "x"), "V13_0");
        assert_eq!(sanitize("2fa", Case::Snake, "x"), "n2fa");
        assert_eq!(sanitize("x-rate.limit", Case::Snake, "x"), "x_rate_limit");
        assert_eq!(sanitize("productId", Case::Snake, "x"), "product_id");
        assert_eq!(
            sanitize("networkStorages", Case::Pascal, "x"),
            "NetworkStorages"
        );
        assert_eq!(sanitize("", Case::Pascal, "empty"), "Empty");
        assert_eq!(sanitize("北京", Case::Pascal, "value"), "Value");
        assert_eq!(sanitize("北京-east", Case::Pascal, "value"), "East");
        assert_eq!(sanitize("a-b", Case::Pascal, "x"), "AB");
        assert_eq!(sanitize("HTTPServer", Case::Snake, "x"), "http_server");
        assert_eq!(sanitize("match", Case::Pascal, "x"), "Match");
    }

    #[test]
    fn setter_names_avoid_keywords_and_trait_methods() {
        assert_eq!(setter_name("prepaid"), "prepaid");
        assert_eq!(setter_name("r#type"), "with_type");
        assert_eq!(setter_name("self_"), "with_self");
        assert_eq!(setter_name("new"), "with_new");
        assert_eq!(setter_name("build"), "with_build");
        assert_eq!(setter_name("builder"), "with_builder");
        assert_eq!(setter_name("default"), "with_default");
        assert_eq!(setter_name("from_str"), "with_from_str");
    }

    #[test]
    fn singular_forms() {
        for (plural, one) in [
            ("instances", "instance"),
            ("endpoints", "endpoint"),
            ("policies", "policy"),
            ("statuses", "status"),
            ("boxes", "box"),
            ("envs", "env"),
            ("status", "status"),
            ("address", "address"),
            ("analysis", "analysis"),
            ("gpu", "gpu"),
            ("pets", "pet"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    fn name(method: &str, path: &str) -> String {
        operation_name(&operation_shape(method, path), 0)
    }

    #[test]
    fn ppio_operations() {
        assert_eq!(name("POST", "/gpus/v2/instances"), "create_instance");
        assert_eq!(
            name("PUT", "/gpus/v2/instances/{instance_id}/upgrade"),
            "upgrade_instance"
        );
        assert_eq!(
            name("PUT", "/gpus/v2/endpoints/{endpoint_id}"),
            "update_endpoint"
        );
        assert_eq!(
            name("POST", "/gpu-instance/openapi/v1/gpu/instance/create"),
            "create_instance"
        );
        assert_eq!(name("GET", "/gpus/v2/instances"), "list_instances");
        assert_eq!(
            name("POST", "/gpus/v2/instances/{instance_id}/exec"),
            "exec_instance"
        );
        assert_eq!(
            name("GET", "/gpus/v2/instances/{instance_id}"),
            "get_instance"
        );
        assert_eq!(
            name("DELETE", "/gpus/v2/instances/{instance_id}"),
            "delete_instance"
        );
    }

    /// Paths taken from specs in ../shared/corpus.
    #[test]
    fn corpus_paths() {
        // oai-petstore.yaml
        assert_eq!(name("GET", "/pets"), "list_pets");
        assert_eq!(name("POST", "/pets"), "create_pet");
        assert_eq!(name("GET", "/pets/{petId}"), "get_pet");
        // hetzner-cloud.json
        assert_eq!(
            name("POST", "/servers/{id}/actions/reboot"),
            "reboot_server"
        );
        assert_eq!(name("GET", "/servers/{id}/actions"), "list_actions");
        // digitalocean.yaml
        assert_eq!(
            name("DELETE", "/v2/droplets/{droplet_id}"),
            "delete_droplet"
        );
        assert_eq!(name("GET", "/v2/account"), "list_account");
        // github: GET on a singular sub-resource of an item
        assert_eq!(name("GET", "/repos/{owner}/{repo}/readme"), "get_readme");
        // oxide: PUT on a collection-like singleton
        assert_eq!(name("PUT", "/v1/policy"), "update_policy");
        // typesense.yaml: action after a collection item
        assert_eq!(
            name("POST", "/collections/{collectionName}/documents/import"),
            "import_document"
        );
        // linode.yaml
        assert_eq!(
            name("POST", "/linode/instances/{linodeId}/reboot"),
            "reboot_instance"
        );
    }

    #[test]
    fn deeper_context_disambiguates() {
        let org = operation_shape("POST", "/orgs/{org}/hooks");
        let repo = operation_shape("POST", "/repos/{owner}/{repo}/hooks");
        assert_eq!(operation_name(&org, 0), operation_name(&repo, 0));
        assert_eq!(operation_name(&org, 1), "create_org_hook");
        assert_eq!(operation_name(&repo, 1), "create_repo_hook");
    }
}
