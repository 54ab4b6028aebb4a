//! What changed between two versions of an API, in API terms, with two verdicts per change:
//! what it means for Rust code using the generated crate (semver major, minor or patch, judged
//! on the generated shapes: `#[non_exhaustive]` structs and open enums, constructors taking the
//! required fields, `Option` for optional ones) and whether it breaks the wire (by direction: a
//! new required request field breaks old clients, a removed response field breaks readers).
//!
//! Both sides are compared as IR, after lowering, so the report speaks of exactly what the
//! generator publishes. Change kinds borrow oasdiff's check names where one fits.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::ir::{self, TypeKind, TypeRef};

/// What a change means for Rust callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    /// Nothing a caller can observe in the API (documentation, limits, servers).
    Patch,
    /// Additions callers cannot break on (new operations, optional fields, enum values).
    Minor,
    /// Code that compiled may stop compiling or change meaning.
    Major,
}

/// What a change means for requests and responses between old and new peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wire {
    /// Old clients keep working against the new server.
    Compatible,
    /// Some old client request or response reading fails.
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What is changed: `v2::create_instance`, `v2::CreateInstanceRequest.name`.
    pub subject: String,
    /// Kind, in oasdiff's vocabulary where one fits: `request-property-added`.
    pub kind: &'static str,
    /// Human detail: `required, string`.
    pub detail: String,
    /// Verdict for Rust callers.
    pub semver: Semver,
    /// Verdict on the wire.
    pub wire: Wire,
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        })
    }
}

impl fmt::Display for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Wire::Compatible => "compatible",
            Wire::Breaking => "breaking",
        })
    }
}

/// The version bump a set of changes needs (patch when there are none).
pub fn bump(changes: &[Change]) -> Semver {
    changes
        .iter()
        .map(|c| c.semver)
        .max()
        .unwrap_or(Semver::Patch)
}

/// The report as Markdown: one table row per change, then the bump.
pub fn markdown(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    out.push_str("| Change | Subject | Detail | Rust | Wire |\n|---|---|---|---|---|\n");
    for c in changes {
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} |\n",
            c.kind,
            c.subject,
            c.detail.replace('|', "\\|"),
            c.semver,
            c.wire
        ));
    }
    out.push_str(&format!(
        "\nImplied version bump of the generated crate: **{}**. Wire: {} breaking change(s).\n",
        bump(changes),
        changes.iter().filter(|c| c.wire == Wire::Breaking).count()
    ));
    out
}

/// Which way a type travels.
#[derive(Debug, Default)]
struct Directions {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

fn named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner, out),
        _ => {}
    }
}

fn closure(module: &ir::Module, roots: Vec<String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &ir::TypeDef> =
        module.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = by_name.get(name.as_str()) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    named(&f.ty, &mut stack);
                }
                if let Some(a) = &s.additional {
                    named(a, &mut stack);
                }
            }
            TypeKind::Union(u) => {
                for v in &u.variants {
                    named(&v.ty, &mut stack);
                }
            }
            TypeKind::Alias(ty) => named(ty, &mut stack),
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
        }
    }
    seen
}

fn directions(module: &ir::Module) -> Directions {
    let mut request = Vec::new();
    let mut response = Vec::new();
    for op in &module.operations {
        for p in op
            .path_params
            .iter()
            .chain(op.params.iter().flat_map(|p| &p.params))
        {
            named(&p.ty, &mut request);
        }
        if let Some(body) = &op.body {
            named(&body.ty, &mut request);
        }
        match &op.response {
            ir::Response::Json(ty) => named(ty, &mut response),
            ir::Response::Multi(m) => {
                for v in &m.variants {
                    if let Some(ty) = &v.ty {
                        named(ty, &mut response);
                    }
                }
            }
            ir::Response::Unit | ir::Response::Bytes => {}
        }
    }
    Directions {
        request: closure(module, request),
        response: closure(module, response),
    }
}

struct Diff<'a> {
    out: Vec<Change>,
    module: &'a str,
    /// Types renamed in this module: new name → old name.
    renamed: BTreeMap<String, String>,
}

impl Diff<'_> {
    /// Whether `new` is `old` with renamed types under their new names: the same wire shape.
    fn only_renamed(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(o), TypeRef::Named(n)) => {
                o == n || self.renamed.get(n).is_some_and(|from| from == o)
            }
            (TypeRef::Array(o), TypeRef::Array(n))
            | (TypeRef::Map(o), TypeRef::Map(n))
            | (TypeRef::Nullable(o), TypeRef::Nullable(n)) => self.only_renamed(o, n),
            (o, n) => o == n,
        }
    }

    /// The wire verdict of a changed type reference: compatible when the change is only a
    /// rename (the Rust signature changes, the JSON does not), breaking otherwise.
    fn retyped(&self, old: &TypeRef, new: &TypeRef) -> Wire {
        if self.only_renamed(old, new) {
            Wire::Compatible
        } else {
            Wire::Breaking
        }
    }

    /// Changed documentation: a patch, compatible.
    fn docs(&mut self, at: &str, old: &Option<String>, new: &Option<String>) {
        if old != new {
            self.push(
                at,
                "documentation-changed",
                String::new(),
                Semver::Patch,
                Wire::Compatible,
            );
        }
    }

    /// Changed limits: a patch for Rust; on the wire, a tighter limit on what clients send
    /// breaks the ones that sent what was allowed before.
    fn limits(
        &mut self,
        at: &str,
        kind: &'static str,
        old: &[ir::Rule],
        new: &[ir::Rule],
        sent: bool,
    ) {
        if old == new {
            return;
        }
        let wire = if sent && tightened(old, new) {
            Wire::Breaking
        } else {
            Wire::Compatible
        };
        let detail = format!("{} → {}", rules_text(old), rules_text(new));
        self.push(at, kind, detail, Semver::Patch, wire);
    }

    fn push(
        &mut self,
        subject: &str,
        kind: &'static str,
        detail: String,
        semver: Semver,
        wire: Wire,
    ) {
        self.out.push(Change {
            subject: format!("{}::{subject}", self.module),
            kind,
            detail,
            semver,
            wire,
        });
    }
}

fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Integer(w) => format!("{w:?}").to_lowercase(),
        TypeRef::Float(w) => format!("{w:?}").to_lowercase(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Json => "any JSON".to_owned(),
        TypeRef::JsonObject => "JSON object".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
        TypeRef::Array(inner) => format!("array of {}", type_text(inner)),
        TypeRef::Map(inner) => format!("map of {}", type_text(inner)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Nullable(inner) => format!("{} or null", type_text(inner)),
    }
}

fn rules_text(rules: &[ir::Rule]) -> String {
    if rules.is_empty() {
        "none".to_owned()
    } else {
        rules
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Tightened when the new side has a rule the old side did not.
fn tightened(old: &[ir::Rule], new: &[ir::Rule]) -> bool {
    new.iter().any(|r| !old.contains(r))
}

/// The completeness check of a report: every operation or type of `new` that differs from its
/// namesake in `old` in anything but documentation (or has none), and every one of `old` that is
/// gone, must be the subject of some change in `report` other than a documentation change (which
/// explains no change of shape); a type that was renamed (by [`renames`], as the report follows
/// it) must be the subject of a `type-renamed` change under its new name. Returns the items that
/// are not, as `module::item`; empty when the report accounts for every change of the generated
/// public API.
pub fn unreported(old: &ir::Api, new: &ir::Api, report: &[Change]) -> Vec<String> {
    let covered = |item: &str| {
        report.iter().any(|c| {
            c.kind != "documentation-changed"
                && (c.subject == item
                    || c.subject.strip_prefix(item).is_some_and(|rest| {
                        rest.starts_with('.') || rest.starts_with('(') || rest.starts_with("::")
                    }))
        })
    };
    let mut missing = Vec::new();
    let names: BTreeSet<&str> = old
        .modules
        .iter()
        .chain(&new.modules)
        .map(|m| m.name.as_str())
        .collect();
    for module in names {
        let old_module = old.modules.iter().find(|m| m.name == module);
        let new_module = new.modules.iter().find(|m| m.name == module);
        let (Some(old_module), Some(new_module)) = (old_module, new_module) else {
            // A whole module came or went: one module-level change covers it.
            if !covered(module) {
                missing.push(module.to_owned());
            }
            continue;
        };
        let old_types: BTreeMap<&str, &ir::TypeDef> = old_module
            .types
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let new_types: BTreeMap<&str, &ir::TypeDef> = new_module
            .types
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        // Old name → new name.
        let renamed_to: BTreeMap<&str, &str> = renames(&old_types, &new_types)
            .into_iter()
            .map(|(new_name, old_def)| (old_def.name.as_str(), new_name))
            .collect();
        let subject = |name: &str| format!("{module}::{name}");
        for t in &new_module.types {
            // Namesakes compare strictly: a field whose type was renamed is a change to report.
            let same = old_types
                .get(t.name.as_str())
                .is_some_and(|o| shape(o, &BTreeMap::new()) == shape(t, &BTreeMap::new()));
            if !same && !covered(&subject(&t.name)) {
                missing.push(subject(&t.name));
            }
        }
        for t in &old_module.types {
            if new_types.contains_key(t.name.as_str()) {
                continue;
            }
            let accounted = match renamed_to.get(t.name.as_str()) {
                Some(new_name) => report
                    .iter()
                    .any(|c| c.kind == "type-renamed" && c.subject == subject(new_name)),
                None => covered(&subject(&t.name)),
            };
            if !accounted {
                missing.push(subject(&t.name));
            }
        }
        let op_subject = |op: &ir::Operation| subject(crate::naming::unraw(&op.name));
        for op in &new_module.operations {
            let same = old_module
                .operations
                .iter()
                .any(|o| operation_shape(o) == operation_shape(op));
            if !same && !covered(&op_subject(op)) {
                missing.push(op_subject(op));
            }
        }
        for op in &old_module.operations {
            let gone = !new_module.operations.iter().any(|n| n.name == op.name);
            if gone && !covered(&op_subject(op)) {
                missing.push(op_subject(op));
            }
        }
    }
    missing
}

/// An operation without its documentation (its own and its parameters') and without where it
/// was read from: what the completeness check compares.
fn operation_shape(op: &ir::Operation) -> ir::Operation {
    let mut op = op.clone();
    op.doc = None;
    op.source.clear();
    for p in op
        .path_params
        .iter_mut()
        .chain(op.params.iter_mut().flat_map(|p| &mut p.params))
    {
        p.doc = None;
    }
    op
}

/// The changes from `old` to `new`, sorted by subject.
pub fn diff(old: &ir::Api, new: &ir::Api) -> Vec<Change> {
    let mut out = Vec::new();
    let old_modules: BTreeMap<&str, &ir::Module> =
        old.modules.iter().map(|m| (m.name.as_str(), m)).collect();
    let new_modules: BTreeMap<&str, &ir::Module> =
        new.modules.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, module) in &new_modules {
        match old_modules.get(name) {
            Some(old_module) => out.extend(diff_module(old_module, module)),
            None => out.push(Change {
                subject: (*name).to_owned(),
                kind: "module-added",
                detail: format!("{} operation(s)", module.operations.len()),
                semver: Semver::Minor,
                wire: Wire::Compatible,
            }),
        }
    }
    for name in old_modules.keys().filter(|n| !new_modules.contains_key(*n)) {
        out.push(Change {
            subject: (*name).to_owned(),
            kind: "module-removed",
            detail: String::new(),
            semver: Semver::Major,
            wire: Wire::Breaking,
        });
    }
    out.sort();
    out
}

fn diff_module(old: &ir::Module, new: &ir::Module) -> Vec<Change> {
    let mut d = Diff {
        out: Vec::new(),
        module: &new.name,
        renamed: BTreeMap::new(),
    };
    let old_dirs = directions(old);
    let new_dirs = directions(new);
    let old_types: BTreeMap<&str, &ir::TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &ir::TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let renamed = renames(&old_types, &new_types);
    d.renamed = renamed
        .iter()
        .map(|(new_name, old_def)| ((*new_name).to_owned(), old_def.name.clone()))
        .collect();
    diff_operations(&mut d, old, new);
    for (name, def) in &new_types {
        let request = new_dirs.request.contains(*name) || old_dirs.request.contains(*name);
        let response = new_dirs.response.contains(*name) || old_dirs.response.contains(*name);
        match old_types.get(name) {
            None => match renamed.get(name) {
                Some(old_def) => {
                    d.push(
                        name,
                        "type-renamed",
                        format!("`{}` → `{name}`", old_def.name),
                        Semver::Major,
                        Wire::Compatible,
                    );
                    diff_type(&mut d, old_def, def, request, response);
                }
                None => d.push(
                    name,
                    "type-added",
                    String::new(),
                    Semver::Minor,
                    Wire::Compatible,
                ),
            },
            Some(old_def) => diff_type(&mut d, old_def, def, request, response),
        }
    }
    let renamed_from: BTreeSet<&str> = renamed.values().map(|t| t.name.as_str()).collect();
    for name in old_types
        .keys()
        .filter(|n| !new_types.contains_key(*n) && !renamed_from.contains(*n))
    {
        d.push(
            name,
            "type-removed",
            String::new(),
            Semver::Major,
            Wire::Compatible,
        );
    }
    d.out
}

/// The place of an origin inside its file: the pointer after `#`. Files are left out so a type
/// is followed between two copies of a spec at different paths (`before.json`, `after.json`).
fn place(origin: &str) -> &str {
    origin
        .split_once('#')
        .map_or(origin, |(_, pointer)| pointer)
}

/// A type as far as its shape goes: what it is on the wire and what its fields are, without
/// the parts that carry its name (the builder is `{Name}Builder`; a reference to itself) or only
/// document it (docs of the type and its fields, the schema places it came from). Other named
/// types it refers to go under their old names per `renamed` (new name → old name), so that a
/// type whose field type was renamed with it still has its old shape.
fn shape(def: &ir::TypeDef, renamed: &BTreeMap<String, String>) -> ir::TypeDef {
    let mut def = def.clone();
    let own = std::mem::take(&mut def.name);
    let refs = |ty: &mut TypeRef| rename_back(ty, &own, renamed);
    def.doc = None;
    def.origins.clear();
    match &mut def.kind {
        TypeKind::Struct(s) => {
            // Whether there is a builder is shape (`builder()` or `new()`); its name is not.
            if let Some(builder) = &mut s.builder {
                builder.name.clear();
                builder.fields.clear();
            }
            for f in &mut s.fields {
                f.doc = None;
                refs(&mut f.ty);
            }
            if let Some(a) = &mut s.additional {
                refs(a);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                refs(&mut v.ty);
            }
        }
        TypeKind::Alias(ty) => refs(ty),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
    }
    def
}

/// Puts a reference under its old name per `renamed`; a reference to `own` (the type holding
/// it) loses its name, so a recursive type keeps its shape across its rename.
fn rename_back(ty: &mut TypeRef, own: &str, renamed: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) if name == own => name.clear(),
        TypeRef::Named(name) => {
            if let Some(old) = renamed.get(name) {
                name.clone_from(old);
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            rename_back(inner, own, renamed);
        }
        _ => {}
    }
}

/// New type names that an old type went by. A type only in `new` was renamed from a type only in
/// `old` when both were made from the same schema place (the name changed, the schema did not
/// move), or else when the schema moved too (a component renamed) but the two are the same
/// shape. Places are matched first; shapes are then matched again as long as a rename found
/// makes more of them equal (a struct whose field's inline type was named after it). Each old
/// type is claimed once, by the first new name in order.
fn renames<'a>(
    old: &BTreeMap<&'a str, &'a ir::TypeDef>,
    new: &BTreeMap<&'a str, &'a ir::TypeDef>,
) -> BTreeMap<&'a str, &'a ir::TypeDef> {
    let gone: Vec<&ir::TypeDef> = old
        .iter()
        .filter(|(name, _)| !new.contains_key(*name))
        .map(|(_, def)| *def)
        .collect();
    let added: Vec<(&'a str, &'a ir::TypeDef)> = new
        .iter()
        .filter(|(name, _)| !old.contains_key(*name))
        .map(|(name, def)| (*name, *def))
        .collect();
    let shares_place = |a: &ir::TypeDef, b: &ir::TypeDef| {
        a.origins
            .iter()
            .any(|x| b.origins.iter().any(|y| place(x) == place(y)))
    };
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut out: BTreeMap<&'a str, &'a ir::TypeDef> = BTreeMap::new();
    for (name, def) in &added {
        let found = gone
            .iter()
            .find(|o| !claimed.contains(o.name.as_str()) && shares_place(o, def));
        if let Some(old_def) = found {
            claimed.insert(old_def.name.as_str());
            out.insert(name, old_def);
        }
    }
    // The old side's shapes do not depend on the renames found: compute them once.
    let gone_shapes: Vec<ir::TypeDef> = gone.iter().map(|o| shape(o, &BTreeMap::new())).collect();
    loop {
        let back: BTreeMap<String, String> = out
            .iter()
            .map(|(new_name, old_def)| ((*new_name).to_owned(), old_def.name.clone()))
            .collect();
        let mut found_any = false;
        for (name, def) in &added {
            if out.contains_key(name) {
                continue;
            }
            let new_shape = shape(def, &back);
            let found = gone
                .iter()
                .zip(&gone_shapes)
                .find(|(o, old_shape)| {
                    !claimed.contains(o.name.as_str()) && **old_shape == new_shape
                })
                .map(|(o, _)| *o);
            if let Some(old_def) = found {
                claimed.insert(old_def.name.as_str());
                out.insert(name, old_def);
                found_any = true;
            }
        }
        if !found_any {
            return out;
        }
    }
}

fn op_key(op: &ir::Operation) -> (String, String) {
    (op.method.clone(), op.path.clone())
}

fn diff_operations(d: &mut Diff<'_>, old: &ir::Module, new: &ir::Module) {
    let old_ops: BTreeMap<(String, String), &ir::Operation> =
        old.operations.iter().map(|o| (op_key(o), o)).collect();
    let new_ops: BTreeMap<(String, String), &ir::Operation> =
        new.operations.iter().map(|o| (op_key(o), o)).collect();
    let old_by_name: BTreeMap<&str, &ir::Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let mut moved_from: BTreeSet<(String, String)> = BTreeSet::new();
    for (key, op) in &new_ops {
        let subject = crate::naming::unraw(&op.name).to_owned();
        let old_op = match old_ops.get(key) {
            Some(old_op) => *old_op,
            None => match old_by_name.get(op.name.as_str()) {
                // Same method name, another method or path: the operation moved.
                Some(old_op) if !new_ops.contains_key(&op_key(old_op)) => {
                    moved_from.insert(op_key(old_op));
                    d.push(
                        &subject,
                        "endpoint-moved",
                        format!(
                            "`{} {}` → `{} {}`",
                            old_op.method, old_op.path, op.method, op.path
                        ),
                        Semver::Patch,
                        Wire::Breaking,
                    );
                    old_op
                }
                _ => {
                    d.push(
                        &subject,
                        "endpoint-added",
                        format!("`{} {}`", op.method, op.path),
                        Semver::Minor,
                        Wire::Compatible,
                    );
                    continue;
                }
            },
        };
        diff_operation(d, &subject, old_op, op);
    }
    for (key, op) in &old_ops {
        if !new_ops.contains_key(key) && !moved_from.contains(key) {
            d.push(
                crate::naming::unraw(&op.name),
                "endpoint-removed",
                format!("`{} {}`", op.method, op.path),
                Semver::Major,
                Wire::Breaking,
            );
        }
    }
}

/// Documented error bodies. They only shape the operation's docs and `ApiError::json` targets
/// (every non-2xx status is `Error::Api` whatever the spec says), so Rust sees a patch; the
/// types they name are reported on their own. The server could send any status before, so the
/// wire is unaffected, whether the body's type changed or was only renamed.
fn diff_errors(d: &mut Diff<'_>, subject: &str, old: &[ir::ErrorBody], new: &[ir::ErrorBody]) {
    let old_by: BTreeMap<&str, &ir::ErrorBody> =
        old.iter().map(|e| (e.status.as_str(), e)).collect();
    let new_by: BTreeMap<&str, &ir::ErrorBody> =
        new.iter().map(|e| (e.status.as_str(), e)).collect();
    for (status, error) in &new_by {
        match old_by.get(status) {
            None => d.push(
                subject,
                "response-non-success-status-added",
                format!("`{status}`: {}", type_text(&error.ty)),
                Semver::Patch,
                Wire::Compatible,
            ),
            Some(old_error) if old_error.ty != error.ty => d.push(
                subject,
                "response-non-success-body-type-changed",
                format!(
                    "`{status}`: {} → {}",
                    type_text(&old_error.ty),
                    type_text(&error.ty)
                ),
                Semver::Patch,
                Wire::Compatible,
            ),
            Some(_) => {}
        }
    }
    for status in old_by.keys().filter(|s| !new_by.contains_key(*s)) {
        d.push(
            subject,
            "response-non-success-status-removed",
            format!("`{status}`"),
            Semver::Patch,
            Wire::Compatible,
        );
    }
}

/// An alternative as the sorted names of its schemes; `{}` (anonymous) for none.
fn alternative(requirement: &ir::SecurityRequirement) -> String {
    let mut names: Vec<&str> = requirement
        .schemes
        .iter()
        .map(|s| s.scheme.as_str())
        .collect();
    names.sort_unstable();
    format!("{{{}}}", names.join(", "))
}

/// Security requirements: the generated method does not change (credentials are client
/// configuration, the requirement is data), so every verdict is a patch for Rust. On the wire an
/// added alternative only widens what the server accepts, unless the operation needed no
/// credentials before; a removed alternative breaks callers that relied on it; a scheme that
/// now travels elsewhere (another header, the query, another kind) breaks every caller using it.
fn diff_security(
    d: &mut Diff<'_>,
    subject: &str,
    old: &[ir::SecurityRequirement],
    new: &[ir::SecurityRequirement],
) {
    let old_alts: BTreeSet<String> = old.iter().map(alternative).collect();
    let new_alts: BTreeSet<String> = new.iter().map(alternative).collect();
    for alt in new_alts.difference(&old_alts) {
        let wire = if old.is_empty() {
            Wire::Breaking
        } else {
            Wire::Compatible
        };
        d.push(
            subject,
            "api-security-added",
            format!("`{alt}`"),
            Semver::Patch,
            wire,
        );
    }
    for alt in old_alts.difference(&new_alts) {
        // Dropping the last requirement means no credentials are needed: nothing breaks.
        let wire = if new.is_empty() {
            Wire::Compatible
        } else {
            Wire::Breaking
        };
        d.push(
            subject,
            "api-security-removed",
            format!("`{alt}`"),
            Semver::Patch,
            wire,
        );
    }
    let kinds = |reqs: &[ir::SecurityRequirement]| -> BTreeMap<String, ir::SchemeKind> {
        reqs.iter()
            .flat_map(|r| &r.schemes)
            .map(|s| (s.scheme.clone(), s.kind.clone()))
            .collect()
    };
    let old_kinds = kinds(old);
    for (scheme, kind) in kinds(new) {
        if old_kinds
            .get(&scheme)
            .is_some_and(|old_kind| *old_kind != kind)
        {
            d.push(
                subject,
                "api-security-scheme-changed",
                format!("`{scheme}`: {:?} → {kind:?}", old_kinds[&scheme]),
                Semver::Patch,
                Wire::Breaking,
            );
        }
    }
}

fn all_params(op: &ir::Operation) -> Vec<&ir::Param> {
    op.path_params
        .iter()
        .chain(op.params.iter().flat_map(|p| &p.params))
        .collect()
}

fn diff_operation(d: &mut Diff<'_>, subject: &str, old: &ir::Operation, new: &ir::Operation) {
    if old.name != new.name {
        d.push(
            subject,
            "operation-renamed",
            format!("`{}` → `{}`", old.name, new.name),
            Semver::Major,
            Wire::Compatible,
        );
    }
    if old.server != new.server {
        d.push(
            subject,
            "api-server-changed",
            format!("`{}` → `{}`", old.server, new.server),
            Semver::Patch,
            Wire::Breaking,
        );
    }
    if !old.deprecated && new.deprecated {
        d.push(
            subject,
            "endpoint-deprecated",
            String::new(),
            Semver::Minor,
            Wire::Compatible,
        );
    }
    if old.deprecated && !new.deprecated {
        d.push(
            subject,
            "endpoint-reactivated",
            String::new(),
            Semver::Patch,
            Wire::Compatible,
        );
    }
    diff_security(d, subject, &old.security, &new.security);
    diff_errors(d, subject, &old.errors, &new.errors);
    d.docs(subject, &old.doc, &new.doc);
    let key = |p: &ir::Param| (format!("{:?}", p.location), p.api_name.clone());
    let old_params: BTreeMap<(String, String), &ir::Param> =
        all_params(old).into_iter().map(|p| (key(p), p)).collect();
    let new_params: BTreeMap<(String, String), &ir::Param> =
        all_params(new).into_iter().map(|p| (key(p), p)).collect();
    for (k, p) in &new_params {
        let at = format!("{subject}({} {})", k.0.to_lowercase(), k.1);
        match old_params.get(k) {
            None if p.required => d.push(
                &at,
                "new-required-request-parameter",
                type_text(&p.ty),
                Semver::Major,
                Wire::Breaking,
            ),
            None => d.push(
                &at,
                "new-optional-request-parameter",
                type_text(&p.ty),
                Semver::Minor,
                Wire::Compatible,
            ),
            Some(o) => {
                if o.ty != p.ty {
                    let wire = d.retyped(&o.ty, &p.ty);
                    d.push(
                        &at,
                        "request-parameter-type-changed",
                        format!("{} → {}", type_text(&o.ty), type_text(&p.ty)),
                        Semver::Major,
                        wire,
                    );
                }
                if o.required != p.required {
                    let (kind, wire) = if p.required {
                        ("request-parameter-became-required", Wire::Breaking)
                    } else {
                        ("request-parameter-became-optional", Wire::Compatible)
                    };
                    d.push(&at, kind, String::new(), Semver::Major, wire);
                }
                if o.name != p.name {
                    d.push(
                        &at,
                        "parameter-renamed-in-rust",
                        format!("`{}` → `{}`", o.name, p.name),
                        Semver::Major,
                        Wire::Compatible,
                    );
                }
                d.limits(
                    &at,
                    "request-parameter-limits-changed",
                    &o.rules,
                    &p.rules,
                    true,
                );
                if o.style != p.style {
                    d.push(
                        &at,
                        "request-parameter-style-changed",
                        format!("{:?} → {:?}", o.style, p.style),
                        Semver::Patch,
                        Wire::Breaking,
                    );
                }
                d.docs(&at, &o.doc, &p.doc);
            }
        }
    }
    for (k, p) in &old_params {
        if !new_params.contains_key(k) {
            d.push(
                &format!("{subject}({} {})", k.0.to_lowercase(), k.1),
                "request-parameter-removed",
                type_text(&p.ty),
                Semver::Major,
                Wire::Compatible,
            );
        }
    }
    match (&old.body, &new.body) {
        (None, Some(b)) => d.push(
            subject,
            "request-body-added",
            type_text(&b.ty),
            Semver::Major,
            if b.required {
                Wire::Breaking
            } else {
                Wire::Compatible
            },
        ),
        (Some(b), None) => d.push(
            subject,
            "request-body-removed",
            type_text(&b.ty),
            Semver::Major,
            Wire::Compatible,
        ),
        (Some(o), Some(n)) => {
            if o.ty != n.ty || o.encoding != n.encoding {
                let wire = if o.encoding == n.encoding {
                    d.retyped(&o.ty, &n.ty)
                } else {
                    Wire::Breaking
                };
                d.push(
                    subject,
                    "request-body-type-changed",
                    format!("{} → {}", type_text(&o.ty), type_text(&n.ty)),
                    Semver::Major,
                    wire,
                );
            }
            if o.required != n.required {
                let wire = if n.required {
                    Wire::Breaking
                } else {
                    Wire::Compatible
                };
                d.push(
                    subject,
                    "request-body-required-changed",
                    format!("required: {}", n.required),
                    Semver::Major,
                    wire,
                );
            }
        }
        (None, None) => {}
    }
    diff_response(d, subject, &old.response, &new.response);
}

fn statuses(response: &ir::Response) -> BTreeMap<u16, Option<TypeRef>> {
    match response {
        ir::Response::Multi(m) => m
            .variants
            .iter()
            .map(|v| (v.status, v.ty.clone()))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn diff_response(d: &mut Diff<'_>, subject: &str, old: &ir::Response, new: &ir::Response) {
    if old == new {
        return;
    }
    match (old, new) {
        (ir::Response::Multi(_), ir::Response::Multi(_)) => {
            let (o, n) = (statuses(old), statuses(new));
            for (status, ty) in &n {
                match o.get(status) {
                    None => d.push(
                        subject,
                        "response-success-status-added",
                        status.to_string(),
                        Semver::Major,
                        Wire::Breaking,
                    ),
                    Some(old_ty) if old_ty != ty => {
                        let wire = match (old_ty, ty) {
                            (Some(o), Some(n)) => d.retyped(o, n),
                            _ => Wire::Breaking,
                        };
                        d.push(
                            subject,
                            "response-body-type-changed",
                            format!("status {status}"),
                            Semver::Major,
                            wire,
                        );
                    }
                    _ => {}
                }
            }
            for status in o.keys().filter(|s| !n.contains_key(s)) {
                d.push(
                    subject,
                    "response-success-status-removed",
                    status.to_string(),
                    Semver::Major,
                    Wire::Compatible,
                );
            }
        }
        _ => {
            let wire = match (old, new) {
                (ir::Response::Json(o), ir::Response::Json(n)) => d.retyped(o, n),
                _ => Wire::Breaking,
            };
            d.push(
                subject,
                "response-body-type-changed",
                format!("{} → {}", response_text(old), response_text(new)),
                Semver::Major,
                wire,
            );
        }
    }
}

fn response_text(response: &ir::Response) -> String {
    match response {
        ir::Response::Unit => "nothing".to_owned(),
        ir::Response::Bytes => "bytes".to_owned(),
        ir::Response::Json(ty) => type_text(ty),
        ir::Response::Multi(m) => format!("{} (by status)", m.name),
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn diff_type(
    d: &mut Diff<'_>,
    old: &ir::TypeDef,
    new: &ir::TypeDef,
    request: bool,
    response: bool,
) {
    let name = new.name.as_str();
    d.docs(name, &old.doc, &new.doc);
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(o), TypeKind::Struct(n)) => {
            // A renamed type's builder is renamed with it, and the rename is reported; a builder
            // that took another name under the same type (its name went to a new type) is a
            // change of its own, which shape comparison does not see.
            match (&o.builder, &n.builder) {
                (Some(ob), Some(nb)) if old.name == new.name && ob.name != nb.name => d.push(
                    name,
                    "builder-renamed-in-rust",
                    format!("`{}` → `{}`", ob.name, nb.name),
                    Semver::Major,
                    Wire::Compatible,
                ),
                _ => {}
            }
            diff_struct(d, name, o, n, request, response);
        }
        (TypeKind::StringEnum(o), TypeKind::StringEnum(n)) => {
            let ov: Vec<&str> = o.variants.iter().map(|v| v.value.as_str()).collect();
            let nv: Vec<&str> = n.variants.iter().map(|v| v.value.as_str()).collect();
            diff_values(d, name, &ov, &nv, request, response);
        }
        (TypeKind::IntEnum(o), TypeKind::IntEnum(n)) => {
            let ov: Vec<String> = o.variants.iter().map(|v| v.1.to_string()).collect();
            let nv: Vec<String> = n.variants.iter().map(|v| v.1.to_string()).collect();
            let ov: Vec<&str> = ov.iter().map(String::as_str).collect();
            let nv: Vec<&str> = nv.iter().map(String::as_str).collect();
            diff_values(d, name, &ov, &nv, request, response);
        }
        (TypeKind::Union(o), TypeKind::Union(n)) => diff_union(d, name, o, n, request, response),
        (TypeKind::Alias(o), TypeKind::Alias(n)) => {
            if o != n {
                let wire = d.retyped(o, n);
                d.push(
                    name,
                    "type-changed",
                    format!("{} → {}", type_text(o), type_text(n)),
                    Semver::Major,
                    wire,
                );
            }
        }
        (o, n) => d.push(
            name,
            "type-changed",
            format!("{} → {}", kind_name(o), kind_name(n)),
            Semver::Major,
            Wire::Breaking,
        ),
    }
}

fn diff_union(
    d: &mut Diff<'_>,
    name: &str,
    old: &ir::Union,
    new: &ir::Union,
    request: bool,
    response: bool,
) {
    let ov: BTreeMap<&str, &ir::UnionVariant> =
        old.variants.iter().map(|v| (v.name.as_str(), v)).collect();
    let nv: BTreeMap<&str, &ir::UnionVariant> =
        new.variants.iter().map(|v| (v.name.as_str(), v)).collect();
    // A variant named after a type that was renamed is renamed with it: the same alternative on
    // the wire under another Rust name. New variant → old variant.
    let mut moved: BTreeMap<&str, &str> = BTreeMap::new();
    for (variant, v) in nv.iter().filter(|(v, _)| !ov.contains_key(*v)) {
        let found = ov.iter().find(|(old_variant, old_v)| {
            !nv.contains_key(*old_variant)
                && !moved.values().any(|m| m == *old_variant)
                && old_v.tag_value == v.tag_value
                && old_v.ty != v.ty
                && d.only_renamed(&old_v.ty, &v.ty)
        });
        if let Some((old_variant, _)) = found {
            moved.insert(variant, old_variant);
        }
    }
    for (variant, v) in &nv {
        let at = format!("{name}::{variant}");
        if let Some(old_variant) = moved.get(variant) {
            d.push(
                &at,
                "union-variant-renamed-in-rust",
                format!("`{old_variant}` → `{variant}`"),
                Semver::Major,
                Wire::Compatible,
            );
            continue;
        }
        match ov.get(variant) {
            None => d.push(
                &at,
                "union-variant-added",
                type_text(&v.ty),
                Semver::Major,
                if response {
                    Wire::Breaking
                } else {
                    Wire::Compatible
                },
            ),
            Some(old_v) if old_v.ty != v.ty || old_v.tag_value != v.tag_value => {
                let wire = if old_v.tag_value == v.tag_value {
                    d.retyped(&old_v.ty, &v.ty)
                } else {
                    Wire::Breaking
                };
                d.push(
                    &at,
                    "union-variant-changed",
                    format!("{} → {}", type_text(&old_v.ty), type_text(&v.ty)),
                    Semver::Major,
                    wire,
                );
            }
            _ => {}
        }
    }
    let moved_from: BTreeSet<&str> = moved.values().copied().collect();
    for variant in ov
        .keys()
        .filter(|v| !nv.contains_key(*v) && !moved_from.contains(*v))
    {
        d.push(
            &format!("{name}::{variant}"),
            "union-variant-removed",
            String::new(),
            Semver::Major,
            if request {
                Wire::Breaking
            } else {
                Wire::Compatible
            },
        );
    }
}

fn diff_values(
    d: &mut Diff<'_>,
    name: &str,
    old: &[&str],
    new: &[&str],
    request: bool,
    response: bool,
) {
    for value in new.iter().filter(|v| !old.contains(v)) {
        // Open enums keep unknown values, so Rust code keeps compiling; readers of a response
        // that did not expect the value break on the wire.
        d.push(
            name,
            if response {
                "response-property-enum-value-added"
            } else {
                "request-property-enum-value-added"
            },
            format!("`{value}`"),
            Semver::Minor,
            if response {
                Wire::Breaking
            } else {
                Wire::Compatible
            },
        );
    }
    for value in old.iter().filter(|v| !new.contains(v)) {
        d.push(
            name,
            if request {
                "request-property-enum-value-removed"
            } else {
                "response-property-enum-value-removed"
            },
            format!("`{value}`"),
            Semver::Major,
            if request {
                Wire::Breaking
            } else {
                Wire::Compatible
            },
        );
    }
}

fn diff_struct(
    d: &mut Diff<'_>,
    name: &str,
    old: &ir::Struct,
    new: &ir::Struct,
    request: bool,
    response: bool,
) {
    let of: BTreeMap<&str, &ir::Field> = old
        .fields
        .iter()
        .map(|f| (f.api_name.as_str(), f))
        .collect();
    let nf: BTreeMap<&str, &ir::Field> = new
        .fields
        .iter()
        .map(|f| (f.api_name.as_str(), f))
        .collect();
    let side = if request { "request" } else { "response" };
    for (field, f) in &nf {
        let at = format!("{name}.{field}");
        match of.get(field) {
            None if f.required => d.push(
                &at,
                if request {
                    "new-required-request-property"
                } else {
                    "response-required-property-added"
                },
                type_text(&f.ty),
                // `build` needs every required field.
                Semver::Major,
                if request {
                    Wire::Breaking
                } else {
                    Wire::Compatible
                },
            ),
            None => d.push(
                &at,
                if request {
                    "new-optional-request-property"
                } else {
                    "response-optional-property-added"
                },
                type_text(&f.ty),
                Semver::Minor,
                Wire::Compatible,
            ),
            Some(o) => {
                if o.ty != f.ty || o.boxed != f.boxed {
                    let wire = d.retyped(&o.ty, &f.ty);
                    d.push(
                        &at,
                        if request {
                            "request-property-type-changed"
                        } else {
                            "response-property-type-changed"
                        },
                        format!("{} → {}", type_text(&o.ty), type_text(&f.ty)),
                        Semver::Major,
                        wire,
                    );
                }
                if o.required != f.required {
                    let wire = if (request && f.required) || (response && !f.required) {
                        Wire::Breaking
                    } else {
                        Wire::Compatible
                    };
                    d.push(
                        &at,
                        if f.required {
                            "property-became-required"
                        } else {
                            "property-became-optional"
                        },
                        side.to_owned(),
                        Semver::Major,
                        wire,
                    );
                }
                if o.nullable != f.nullable {
                    let wire = if response && f.nullable {
                        Wire::Breaking
                    } else {
                        Wire::Compatible
                    };
                    d.push(
                        &at,
                        if f.nullable {
                            "property-became-nullable"
                        } else {
                            "property-became-not-nullable"
                        },
                        side.to_owned(),
                        Semver::Major,
                        wire,
                    );
                }
                if o.name != f.name || o.setter != f.setter {
                    d.push(
                        &at,
                        "field-renamed-in-rust",
                        format!("`{}` → `{}`", o.name, f.name),
                        Semver::Major,
                        Wire::Compatible,
                    );
                }
                d.limits(&at, "property-limits-changed", &o.rules, &f.rules, request);
                d.docs(&at, &o.doc, &f.doc);
            }
        }
    }
    for (field, f) in &of {
        if !nf.contains_key(field) {
            d.push(
                &format!("{name}.{field}"),
                if response {
                    "response-property-removed"
                } else {
                    "request-property-removed"
                },
                type_text(&f.ty),
                Semver::Major,
                if response {
                    Wire::Breaking
                } else {
                    Wire::Compatible
                },
            );
        }
    }
    if old.additional != new.additional {
        d.push(
            name,
            "additional-properties-changed",
            format!(
                "{} → {}",
                old.additional
                    .as_ref()
                    .map(type_text)
                    .unwrap_or_else(|| "none".to_owned()),
                new.additional
                    .as_ref()
                    .map(type_text)
                    .unwrap_or_else(|| "none".to_owned())
            ),
            Semver::Major,
            Wire::Compatible,
        );
    }
}
