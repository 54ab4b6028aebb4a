//! Request values built from a spec's own schemas, for the conformance driver.
//!
//! The values are made from the JSON tree of the document, not from the generator's IR, so a
//! value that is valid for the spec but does not fit the generated Rust types shows up as a
//! generator bug instead of being shaped to fit. Two flavours are built for every operation:
//! one that prefers the spec's examples wherever it gives them, and one built from the schema
//! keywords alone (types, formats, enums, bounds, lengths, patterns, required properties),
//! because real specs carry examples that contradict their own schemas.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Map, Value, json};

/// How deep nested objects and arrays are filled before only required properties are.
const FULL_DEPTH: usize = 4;
/// Below this depth nothing optional is produced at all, and cycles are cut.
const MAX_DEPTH: usize = 12;

/// Which way a value travels: `readOnly` properties are left out of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client.
    Request,
}

/// Builds values from the schemas of one document.
pub struct Sampler<'a> {
    root: &'a Value,
    use_examples: bool,
    /// Takes the last non-null member of a `oneOf`/`anyOf` instead of the first.
    last_member: bool,
    rng: StdRng,
}

impl<'a> Sampler<'a> {
    /// A sampler over `root`; `use_examples` prefers `example`/`examples`/`default` values.
    pub fn new(root: &'a Value, use_examples: bool) -> Self {
        Sampler {
            root,
            use_examples,
            last_member: false,
            rng: StdRng::seed_from_u64(7),
        }
    }

    /// The same sampler taking each union's last member: a value the first member also
    /// accepts (`"1"` for `oneOf: [integer, string]` in a path) breaks `oneOf`.
    pub fn last_members(mut self) -> Self {
        self.last_member = true;
        self
    }

    /// Follows `$ref`s (local ones) to the value they name; see [`resolve_local`].
    pub fn resolve(&self, value: &'a Value) -> &'a Value {
        resolve_local(self.root, value)
    }

    /// An example the spec gives for a parameter, media type or schema holder (`example`, or
    /// the first of `examples`, whose entries may be `$ref`s to `components/examples`).
    pub fn example_of(&self, holder: &'a Value) -> Option<Value> {
        if !self.use_examples {
            return None;
        }
        if let Some(example) = holder.get("example") {
            return Some(example.clone());
        }
        match holder.get("examples")? {
            Value::Object(map) => map.values().find_map(|entry| {
                let entry = self.resolve(entry);
                entry.get("value").cloned()
            }),
            Value::Array(items) => items.first().cloned(),
            _ => None,
        }
    }

    /// A value valid for `schema`.
    pub fn sample(&mut self, schema: &'a Value, direction: Direction) -> Value {
        let mut stack = Vec::new();
        self.value(schema, direction, 0, &mut stack)
    }

    fn value(
        &mut self,
        schema: &'a Value,
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if stack.contains(&reference) && depth > 1 {
                return self.cut_cycle(self.resolve(schema));
            }
            stack.push(reference);
            let target = self.resolve(schema);
            let out = if std::ptr::eq(target, schema) {
                json!("sample")
            } else {
                self.value(target, direction, depth, stack)
            };
            stack.pop();
            return out;
        }
        let schema_obj = match schema {
            Value::Object(map) => map,
            // `true` (anything) or `false` (nothing); there is no valid value for `false`.
            _ => return json!("sample"),
        };
        if let Some(value) = schema_obj.get("const") {
            return value.clone();
        }
        if let Some(Value::Array(values)) = schema_obj.get("enum")
            && let Some(value) = values.iter().find(|v| !v.is_null()).or(values.first())
        {
            return value.clone();
        }
        if self.use_examples {
            if let Some(example) = schema_obj.get("example") {
                return example.clone();
            }
            if let Some(Value::Array(examples)) = schema_obj.get("examples")
                && let Some(first) = examples.first()
            {
                return first.clone();
            }
            if let Some(default) = schema_obj.get("default") {
                return default.clone();
            }
        }
        if let Some(Value::Array(members)) = schema_obj.get("allOf") {
            return self.all_of(schema_obj, members, direction, depth, stack);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema_obj.get(key) {
                let member = self.one_of(schema_obj, members, direction, depth, stack);
                // Properties beside the union hold too (`properties` with `anyOf: [{required:
                // [a]}, {required: [b]}]`): the member's values go onto the schema's own.
                if schema_type(schema_obj).is_none() && !schema_obj.contains_key("properties") {
                    return member;
                }
                return match (self.typed(schema_obj, direction, depth, stack), member) {
                    (Value::Object(mut own), Value::Object(member)) => {
                        merge(&mut own, member, true);
                        Value::Object(own)
                    }
                    (own @ Value::Object(_), _) => own,
                    (_, member) => member,
                };
            }
        }
        self.typed(schema_obj, direction, depth, stack)
    }

    /// A value of the schema's own type, whatever composition keywords it also has.
    fn typed(
        &mut self,
        schema_obj: &'a Map<String, Value>,
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        match schema_type(schema_obj) {
            Some("object") => self.object(schema_obj, direction, depth, stack),
            Some("array") => self.array(schema_obj, direction, depth, stack),
            Some("string") => self.string(schema_obj),
            Some("integer") => integer(schema_obj),
            Some("number") => number(schema_obj),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if schema_obj.contains_key("properties")
                || schema_obj.contains_key("additionalProperties") =>
            {
                self.object(schema_obj, direction, depth, stack)
            }
            _ if schema_obj.contains_key("items") => {
                self.array(schema_obj, direction, depth, stack)
            }
            _ => json!("sample"),
        }
    }

    /// The smallest value for a schema met again inside itself.
    fn cut_cycle(&self, schema: &Value) -> Value {
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            return Value::Null;
        }
        match schema.as_object().and_then(schema_type) {
            Some("array") => json!([]),
            _ => json!({}),
        }
    }

    fn all_of(
        &mut self,
        schema: &'a Map<String, Value>,
        members: &'a [Value],
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        let mut merged = Map::new();
        let mut scalar = None;
        for member in members {
            match self.value(member, direction, depth, stack) {
                Value::Object(map) => merge(&mut merged, map, true),
                other => scalar = scalar.or(Some(other)),
            }
        }
        // Properties written beside `allOf` belong to the same object. They often only add
        // keywords to a member's property (`rules: {required: […]}`), so a member's value for
        // a property is kept and only objects are merged into.
        if schema.contains_key("properties")
            && let Value::Object(map) = self.object(schema, direction, depth, stack)
        {
            merge(&mut merged, map, false);
        }
        match scalar {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        }
    }

    fn one_of(
        &mut self,
        schema: &'a Map<String, Value>,
        members: &'a [Value],
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        let not_null = |m: &&'a Value| self.resolve(m).get("type") != Some(&json!("null"));
        let member = if self.last_member {
            members.iter().rfind(not_null).or(members.last())
        } else {
            members.iter().find(not_null).or(members.first())
        };
        let Some(member) = member else {
            return json!("sample");
        };
        let mut value = self.value(member, direction, depth, stack);
        // A discriminator names the member by the mapping key that points at it, or by the
        // schema name of its `$ref`.
        if let Some(discriminator) = schema.get("discriminator")
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
            && let Value::Object(map) = &mut value
        {
            let reference = member.get("$ref").and_then(Value::as_str);
            let schema_name = reference.and_then(|r| r.rsplit('/').next());
            let mapped = discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .and_then(|mapping| {
                    mapping.iter().find_map(|(key, target)| {
                        let target = target.as_str()?;
                        (Some(target) == reference || Some(target) == schema_name)
                            .then(|| key.clone())
                    })
                });
            // Without a mapping, a value the member itself fixes (`type: {const: function}`)
            // is the tag; the schema name only fills a property the member leaves open.
            let fixed = mapped.is_none() && self.fixes(member, property);
            if let Some(tag) = mapped.or(schema_name.map(str::to_owned))
                && !fixed
            {
                map.insert(property.to_owned(), Value::String(tag));
            }
        }
        value
    }

    /// Whether a union member's own schema fixes `property` to listed values (`enum` or
    /// `const`).
    fn fixes(&self, member: &'a Value, property: &str) -> bool {
        let schema = self.resolve(member);
        let direct = schema.get("properties").and_then(|p| p.get(property));
        let in_all_of = schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|m| self.resolve(m).get("properties")?.get(property));
        direct.or(in_all_of).is_some_and(|p| {
            let p = self.resolve(p);
            p.get("enum").is_some() || p.get("const").is_some()
        })
    }

    fn object(
        &mut self,
        schema: &'a Map<String, Value>,
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                let is_required = required.contains(&name.as_str());
                let resolved = self.resolve(property);
                if direction == Direction::Request
                    && resolved.get("readOnly") == Some(&Value::Bool(true))
                    && !is_required
                {
                    continue;
                }
                if !is_required && depth >= FULL_DEPTH {
                    continue;
                }
                if !is_required
                    && let Some(reference) = property.get("$ref").and_then(Value::as_str)
                    && stack.contains(&reference)
                {
                    continue;
                }
                if depth >= MAX_DEPTH {
                    out.insert(name.clone(), self.cut_cycle(resolved));
                    continue;
                }
                let value = self.value(property, direction, depth + 1, stack);
                out.insert(name.clone(), value);
            }
        }
        if out.is_empty()
            && depth < FULL_DEPTH
            && let Some(additional) = schema.get("additionalProperties")
            && additional.is_object()
        {
            let value = self.value(additional, direction, depth + 1, stack);
            out.insert("key".to_owned(), value);
        }
        Value::Object(out)
    }

    fn array(
        &mut self,
        schema: &'a Map<String, Value>,
        direction: Direction,
        depth: usize,
        stack: &mut Vec<&'a str>,
    ) -> Value {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = schema.get("maxItems").and_then(Value::as_u64);
        // Two items where the schema allows: one item of an exploded form or query array
        // (`tag=a`) cannot be told from a plain value, and Prism does not.
        let count = if max == Some(0) || (depth >= MAX_DEPTH && min == 0) {
            0
        } else {
            min.max(2).min(max.unwrap_or(u64::MAX))
        };
        let Some(items) = schema.get("items") else {
            return Value::Array(vec![json!("sample"); count as usize]);
        };
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        let mut out = Vec::new();
        for i in 0..count {
            let mut value = self.value(items, direction, depth + 1, stack);
            if unique && out.contains(&value) {
                // An item beyond what the schema asks for is left out rather than bent, which
                // could break its pattern (`"0"` made `"01"`).
                if i >= min.max(1) {
                    break;
                }
                value = distinct(value, i);
            }
            out.push(value);
        }
        Value::Array(out)
    }

    fn string(&mut self, schema: &Map<String, Value>) -> Value {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        // A known format wins over a pattern: a random match of `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
        // is rarely a real date, and specs pair the two to say the same thing.
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
            && format_sample(format).is_none()
            && let Some(text) = self.matching(pattern, min, max)
        {
            return Value::String(text);
        }
        Value::String(fit_length(
            format_sample(format).unwrap_or("sample"),
            min,
            max,
        ))
    }

    /// A string matching an ECMAScript pattern, when the pattern is one `regex-syntax` reads.
    fn matching(&mut self, pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        use rand::RngExt as _;
        // `\d`, `\w` and classes stay ASCII, as in ECMAScript without the `u` flag.
        let mut parser = regex_syntax::ParserBuilder::new().unicode(false).build();
        // Generation cannot honour anchors; a string made from the rest matches the whole
        // pattern anyway.
        let original = pattern;
        let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
        let pattern = match pattern.strip_suffix('$') {
            Some(rest) if !rest.ends_with('\\') => rest,
            _ => pattern,
        };
        // Without Unicode, `.` can match bytes that are no UTF-8 and the ASCII parser refuses
        // it: it is read as printable ASCII, which ECMAScript's `.` matches too. A pattern the
        // ASCII parser still refuses is read with Unicode; the check below keeps what
        // ECMAScript accepts.
        let ascii = printable_dots(pattern);
        let hir = parser
            .parse(&ascii)
            .ok()
            .or_else(|| regex_syntax::Parser::new().parse(pattern).ok())?;
        let generator = rand_regex::Regex::with_hir(hir, 8).ok()?;
        // The generator reads the pattern with Rust's syntax; the client validates with
        // ECMAScript's (`regress`), where `.` matches no `\r`: keep what both accept.
        let ecmascript = regress::Regex::new(original).ok();
        (0..32).find_map(|_| {
            let text: String = self.rng.sample(&generator);
            let len = text.chars().count();
            let matches = ecmascript
                .as_ref()
                .is_none_or(|re| re.find(&text).is_some());
            (len >= min && max.is_none_or(|m| len <= m) && matches).then_some(text)
        })
    }
}

/// The schema's single type: `type: T`, or the first non-null entry of a 3.1 type list.
/// The pattern with each `.` outside a class and not escaped written `[ -~]`.
fn printable_dots(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let (mut escaped, mut in_class) = (false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '.' if !in_class => {
                out.push_str("[ -~]");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Follows local `$ref`s from `value` to what they name in `root`; gives up on cycles of pure
/// references and stops at a reference that names nothing.
pub fn resolve_local<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..64 {
        let target = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer));
        match target {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn schema_type(schema: &Map<String, Value>) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or(Some("null")),
        _ => None,
    }
}

/// A value for a string format a validator checks (`date`, `uuid`, `email`…).
fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" => "https://example.com/path",
        "uri-reference" | "iri-reference" => "/path",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "aGVsbG8=",
        "int32" | "int64" | "integer" => "1",
        "float" | "double" | "decimal" | "number" => "1.5",
        _ => return None,
    })
}

/// Pads or cuts a string to a length range.
fn fit_length(text: &str, min: usize, max: Option<usize>) -> String {
    let mut out: String = text.to_owned();
    while out.chars().count() < min {
        out.push('x');
    }
    if let Some(max) = max
        && out.chars().count() > max
    {
        out = out.chars().take(max).collect();
    }
    out
}

/// A bound from `minimum`/`maximum`, and whether it is exclusive (3.0 boolean or 3.1 number).
fn bound(schema: &Map<String, Value>, inclusive: &str, exclusive: &str) -> Option<(f64, bool)> {
    match (schema.get(inclusive), schema.get(exclusive)) {
        (_, Some(Value::Number(n))) => Some((n.as_f64()?, true)),
        (Some(Value::Number(n)), flag) => Some((n.as_f64()?, flag == Some(&Value::Bool(true)))),
        _ => None,
    }
}

fn integer(schema: &Map<String, Value>) -> Value {
    let low = bound(schema, "minimum", "exclusiveMinimum").map(|(v, ex)| {
        if ex {
            v.floor() as i64 + 1
        } else {
            v.ceil() as i64
        }
    });
    let high = bound(schema, "maximum", "exclusiveMaximum").map(|(v, ex)| {
        if ex {
            v.ceil() as i64 - 1
        } else {
            v.floor() as i64
        }
    });
    let mut value: i64 = 1;
    if let Some(low) = low {
        value = value.max(low);
    }
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64)
        && step > 0
        && value % step != 0
    {
        value = (value / step + 1) * step;
        if high.is_some_and(|h| value > h) {
            value -= step;
        }
    }
    json!(value)
}

fn number(schema: &Map<String, Value>) -> Value {
    if schema.contains_key("multipleOf") {
        return integer(schema);
    }
    let low = bound(schema, "minimum", "exclusiveMinimum");
    let high = bound(schema, "maximum", "exclusiveMaximum");
    let mut value = 1.5;
    if let Some((low, exclusive)) = low
        && (value < low || (exclusive && value <= low))
    {
        value = if exclusive { low + 0.5 } else { low };
    }
    if let Some((high, exclusive)) = high
        && (value > high || (exclusive && value >= high))
    {
        value = if exclusive { high - 0.5 } else { high };
        if let Some((low, _)) = low {
            value = value.max(low);
        }
    }
    json!(value)
}

/// Makes the `i`-th item of a `uniqueItems` array differ from the first.
fn distinct(value: Value, i: u64) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}{i}")),
        Value::Number(n) => n
            .as_i64()
            .map(|n| json!(n + i as i64))
            .unwrap_or(Value::Number(n)),
        other => other,
    }
}

/// Merges `from` into `into`: objects on both sides merge recursively; otherwise `from`'s value
/// replaces `into`'s when `replace` is set.
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>, replace: bool) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(map)) => merge(existing, map, replace),
            (Some(existing), value) => {
                if replace {
                    *existing = value;
                }
            }
            (None, value) => {
                into.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(root: Value, pointer: &str, examples: bool) -> Value {
        let schema = root.pointer(pointer).unwrap().clone();
        let mut sampler = Sampler::new(&root, examples);
        sampler.sample(&schema, Direction::Request)
    }

    #[test]
    fn properties_beside_a_union_of_constraints_are_sampled() {
        let root = json!({"s": {"type": "object", "nullable": true,
            "properties": {"title": {"type": "string"}},
            "anyOf": [{"required": ["title"]}, {"required": ["files"]}]}});
        assert_eq!(sample(root, "/s", false), json!({"title": "sample"}));
    }

    #[test]
    fn unique_items_beyond_the_minimum_are_left_out_rather_than_bent() {
        let root = json!({"s": {"type": "array", "uniqueItems": true,
            "items": {"type": "string", "enum": ["0"]}}});
        assert_eq!(sample(root, "/s", false), json!(["0"]));
        let root = json!({"s": {"type": "array", "uniqueItems": true, "minItems": 2,
            "items": {"type": "integer", "minimum": 3}}});
        assert_eq!(sample(root, "/s", false), json!([3, 4]));
    }

    #[test]
    fn a_tag_the_member_fixes_wins_over_its_schema_name() {
        let root = json!({
            "components": {"schemas": {
                "FunctionTool": {"type": "object", "required": ["type"],
                    "properties": {"type": {"type": "string", "enum": ["function"]}}}
            }},
            "s": {"oneOf": [{"$ref": "#/components/schemas/FunctionTool"}],
                  "discriminator": {"propertyName": "type"}}
        });
        assert_eq!(sample(root, "/s", false), json!({"type": "function"}));
    }

    #[test]
    fn unions_take_their_first_or_last_member_that_is_not_null() {
        let root = json!({"s": {"oneOf": [{"type": "null"}, {"type": "integer"}, {"type": "string"}, {"type": "null"}]}});
        assert!(sample(root.clone(), "/s", false).is_i64());
        let schema = root["s"].clone();
        let mut last = Sampler::new(&root, false).last_members();
        assert!(last.sample(&schema, Direction::Request).is_string());
    }

    #[test]
    fn objects_take_required_and_optional_fields_and_skip_read_only() {
        let root = json!({"s": {"type": "object", "required": ["a"], "properties": {
            "a": {"type": "integer", "minimum": 5},
            "b": {"type": "string", "format": "date-time"},
            "c": {"type": "string", "readOnly": true},
            "d": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}, "minItems": 2}
        }}});
        assert_eq!(
            sample(root, "/s", false),
            json!({"a": 5, "b": "2024-01-02T03:04:05Z", "d": ["x", "x"]})
        );
    }

    #[test]
    fn properties_beside_all_of_only_add_to_a_members_values() {
        let root = json!({
            "components": {"schemas": {"Firewall": {"type": "object", "properties": {
                "label": {"type": "string"},
                "rules": {"type": "object", "properties": {
                    "inbound": {"type": "array", "minItems": 1, "items": {"type": "string"}}
                }}
            }}}},
            "s": {
                "allOf": [{"$ref": "#/components/schemas/Firewall"}],
                "properties": {
                    "rules": {"required": ["inbound"], "properties": {"inbound": {"minItems": 1}}},
                    "devices": {"type": "integer"}
                }
            }
        });
        assert_eq!(
            sample(root, "/s", false),
            json!({"label": "sample", "rules": {"inbound": ["sample", "sample"]}, "devices": 1})
        );
    }

    #[test]
    fn examples_are_preferred_only_when_asked() {
        let root = json!({"s": {"type": "string", "example": "hello", "maxLength": 3}});
        assert_eq!(sample(root.clone(), "/s", true), json!("hello"));
        assert_eq!(sample(root, "/s", false), json!("sam"));
    }

    #[test]
    fn bounds_exclusive_and_multiples() {
        let root = json!({
            "a": {"type": "integer", "minimum": 10, "exclusiveMinimum": true},
            "b": {"type": "integer", "exclusiveMaximum": 0},
            "c": {"type": "integer", "minimum": 3, "multipleOf": 4},
            "d": {"type": "number", "maximum": 1, "exclusiveMaximum": true}
        });
        assert_eq!(sample(root.clone(), "/a", false), json!(11));
        assert_eq!(sample(root.clone(), "/b", false), json!(-1));
        assert_eq!(sample(root.clone(), "/c", false), json!(4));
        assert_eq!(sample(root, "/d", false), json!(0.5));
    }

    #[test]
    fn discriminators_name_the_member_by_mapping_or_schema_name() {
        let root = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["petType"], "properties": {"petType": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "petType", "mapping": {"cat": "Cat"}}},
            "Pet2": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "petType"}}
        }}});
        assert_eq!(
            sample(root.clone(), "/components/schemas/Pet", false),
            json!({"petType": "cat"})
        );
        assert_eq!(
            sample(root, "/components/schemas/Pet2", false),
            json!({"petType": "Cat"})
        );
    }

    #[test]
    fn cycles_end_and_patterns_match() {
        let root = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["next"], "properties": {
                "next": {"$ref": "#/components/schemas/Node"},
                "id": {"type": "string", "pattern": "^[a-z]{3}-[0-9]{2}$"}
            }}
        }}});
        let value = sample(root, "/components/schemas/Node", false);
        let id = value["id"].as_str().unwrap();
        assert_eq!(id.len(), 6, "{id}");
        assert!(id.as_bytes()[3] == b'-', "{id}");
        assert!(value["next"].is_object());
    }

    #[test]
    fn dots_outside_classes_become_printable_ascii() {
        assert_eq!(printable_dots(r"^a.b\.[.]$"), r"^a[ -~]b\.[.]$");
        // Oxide's version pattern: `\d` stays ASCII.
        let root = json!({"s": {"type": "string", "pattern": r"^\d+\.\d+\.\d+([\-\+].+)?$"}});
        let check = regress::Regex::new(r"^\d+\.\d+\.\d+([\-\+].+)?$").unwrap();
        let value = sample(root, "/s", false);
        assert!(check.find(value.as_str().unwrap()).is_some(), "{value}");
    }

    #[test]
    fn pattern_samples_match_under_ecmascript_rules() {
        // Lago's rate pattern: Rust's `.` takes `\r`, ECMAScript's does not.
        let root = json!({"s": {"type": "string", "pattern": "^[0-9]+.?[0-9]*$"}});
        let check = regress::Regex::new("^[0-9]+.?[0-9]*$").unwrap();
        let mut sampler = Sampler::new(&root, false);
        for _ in 0..200 {
            let value = sampler.sample(&root["s"], Direction::Request);
            let text = value.as_str().unwrap();
            assert!(check.find(text).is_some(), "{text:?}");
        }
    }
}
