//! Schemas → draft types. Every schema that needs a named Rust type becomes a [`Site`] with a
//! base name taken from where it sits (property, array item, request body…) and a structural key;
//! the names are settled later by `names.rs`, once every site is known.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::error::pointer_token;
use crate::ir::{FloatWidth, IntWidth, TypeRef};
use crate::naming::{Case, sanitize, singular, word_count};

/// A type use before names are settled.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A type that needs no name (`String`, `i64`, JSON…).
    Plain(TypeRef),
    /// `Vec<T>`.
    Array(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`: an array item or map value the schema lets be `null`.
    Nullable(Box<Ty>),
    /// A named type, by site index.
    Site(usize),
}

/// One place that needs a named type.
#[derive(Debug, Clone)]
pub struct Site {
    /// Name candidate from the context, e.g. `Volume`.
    pub base: String,
    /// More specific prefixes, tried in order when bases collide, e.g. `["Instance", "CreateInstance"]`.
    pub qualifiers: Vec<String>,
    /// Structural identity: equal keys under equal bases share one type.
    pub key: String,
    /// Component schemas keep their own name ahead of inline schemas.
    pub component: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// The draft shape; `None` while a component is still being read (recursion).
    pub kind: Option<Kind>,
    /// Where the schema sits, as `file#pointer`: the identity the names lock remembers.
    pub origin: String,
}

/// The draft shape of a named type.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A struct.
    Struct {
        /// Fields in schema order.
        fields: Vec<DraftField>,
        /// Value type of additional properties kept in a flattened map.
        additional: Option<Ty>,
    },
    /// String enum values.
    StringEnum(Vec<String>),
    /// Integer enum values, with variant names when the spec gives them (`x-enum-varnames`,
    /// which the 3.1 converter writes for a `oneOf` of titled `const`s).
    IntEnum {
        /// Values in spec order.
        values: Vec<i64>,
        /// One name per value, or none.
        names: Option<Vec<String>>,
    },
    /// `oneOf`/`anyOf` alternatives: (variant name, tag value, type).
    Union {
        /// Discriminator property.
        tag: Option<String>,
        /// Alternatives.
        variants: Vec<(String, Option<String>, Ty)>,
    },
    /// A named alias for another type.
    Alias(Ty),
}

/// A struct field before names are settled.
#[derive(Debug, Clone)]
pub struct DraftField {
    /// JSON name.
    pub api_name: String,
    /// Documentation.
    pub doc: Option<String>,
    /// The value type.
    pub ty: Ty,
    /// Must be present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Limits on the value.
    pub rules: Vec<crate::ir::Rule>,
}

/// Where a schema sits, which decides the names of the types it produces.
#[derive(Debug, Clone)]
pub struct Hint {
    /// Base name for an object or union found here.
    pub object: String,
    /// Base name for an enum found here.
    pub enumeration: String,
    /// Prefix for enums nested one level down when their property name is a single word.
    pub enum_parent: Option<String>,
    /// Qualifiers inherited from the enclosing operation or component.
    pub qualifiers: Vec<String>,
    /// What the value is, for documentation when the schema has none, e.g. "the `billing` property".
    pub subject: String,
}

impl Hint {
    /// The hint for a property `prop` of an object whose base name is `parent`.
    pub fn property(&self, parent: &str, prop: &str) -> Hint {
        let object = sanitize(prop, Case::Pascal, "Value");
        let enum_parent = self
            .enum_parent
            .clone()
            .unwrap_or_else(|| parent.to_owned());
        let enumeration = if word_count(prop) >= 2 || object.starts_with(&enum_parent) {
            object.clone()
        } else {
            format!("{enum_parent}{object}")
        };
        Hint {
            object,
            enumeration,
            enum_parent: None,
            qualifiers: self.qualifiers.clone(),
            subject: format!("the `{prop}` property"),
        }
    }

    /// The hint for the items of an array found under this hint: `envs` → `Env`.
    pub fn items(&self) -> Hint {
        let item = |name: &str| {
            let one = singular(name);
            if one == name {
                format!("{name}Item")
            } else {
                one
            }
        };
        Hint {
            object: item(&self.object),
            enumeration: item(&self.enumeration),
            enum_parent: self.enum_parent.clone(),
            qualifiers: self.qualifiers.clone(),
            subject: format!("an item of {}", self.subject),
        }
    }

    /// The hint for values of a map found under this hint.
    pub fn values(&self) -> Hint {
        Hint {
            object: format!("{}Value", self.object),
            enumeration: format!("{}Value", self.enumeration),
            enum_parent: self.enum_parent.clone(),
            qualifiers: self.qualifiers.clone(),
            subject: format!("a value of {}", self.subject),
        }
    }
}

/// Something in a schema the generator cannot represent; the caller decides whether that skips
/// an operation or degrades a type to JSON.
#[derive(Debug, Clone)]
pub struct Unsupported {
    /// JSON pointer to the offending schema.
    pub pointer: String,
    /// Why.
    pub message: String,
}

/// Reads schemas of one spec file into sites.
pub struct SchemaReader<'a> {
    /// The spec's component schemas.
    pub components: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    /// Site index of each component schema, registered before any schema is read.
    pub component_sites: &'a IndexMap<String, usize>,
    /// Display path of the file, mixed into keys of schemas that contain references.
    pub file: &'a str,
    /// All sites of the module.
    pub sites: &'a mut Vec<Site>,
    /// Degradations met while reading (unsupported constructs replaced by JSON values).
    pub degraded: &'a mut Vec<Unsupported>,
    /// A registered component site that the next site created should fill instead of a new one.
    pub target: Option<usize>,
}

/// Normalized view of a schema's kind.
enum Shape<'s> {
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    String {
        values: Vec<String>,
    },
    Integer {
        format: Option<String>,
        values: Vec<i64>,
    },
    Number(Option<String>),
    Boolean,
    OneOf(&'s [ReferenceOr<Schema>]),
    AllOf(&'s [ReferenceOr<Schema>]),
    Any,
    Not,
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(a)) => Shape::Array(a.items.as_ref()),
        SchemaKind::Type(Type::String(s)) => Shape::String {
            values: s.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_name(&i.format),
            values: i.enumeration.iter().flatten().copied().collect(),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number(format_name(&n.format)),
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Shape::OneOf(any_of),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => {
            if !any.all_of.is_empty() {
                Shape::AllOf(&any.all_of)
            } else if !any.one_of.is_empty() && !only_constraints(any, &any.one_of) {
                Shape::OneOf(&any.one_of)
            } else if !any.any_of.is_empty() && !only_constraints(any, &any.any_of) {
                Shape::OneOf(&any.any_of)
            } else if says_object(any) {
                Shape::Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                }
            } else {
                match any.typ.as_deref() {
                    Some("array") => Shape::Array(any.items.as_ref()),
                    Some("string") => Shape::String {
                        values: any
                            .enumeration
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect(),
                    },
                    Some("integer") => Shape::Integer {
                        format: any.format.clone(),
                        values: any.enumeration.iter().filter_map(|v| v.as_i64()).collect(),
                    },
                    Some("number") => Shape::Number(any.format.clone()),
                    Some("boolean") => Shape::Boolean,
                    _ if any.items.is_some() => Shape::Array(any.items.as_ref()),
                    _ => Shape::Any,
                }
            }
        }
    }
}

fn format_name<T: std::fmt::Debug>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    use heck::ToKebabCase;
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_kebab_case()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// Whether a schema is an object that declares nothing: no properties, no additional-property
/// schema. Such bodies (`type: object` alone) carry no information a caller could rely on.
pub fn is_undescribed_object(schema: &Schema) -> bool {
    match shape(schema) {
        Shape::Object {
            properties,
            additional,
            ..
        } => properties.is_empty() && !matches!(additional, Some(AdditionalProperties::Schema(_))),
        _ => false,
    }
}

/// Builds the structural key of a schema: its JSON without documentation-only keywords.
fn structural_key(schema: &Schema, file: &str) -> String {
    fn strip(value: &mut serde_json::Value) -> bool {
        let mut has_ref = false;
        match value {
            serde_json::Value::Object(map) => {
                for key in [
                    "description",
                    "example",
                    "examples",
                    "title",
                    "externalDocs",
                ] {
                    // `title`/`description` may also be property names; only strip them where
                    // they are keywords (string or object values under a schema).
                    if map
                        .get(key)
                        .is_some_and(|v| !v.is_object() || key == "externalDocs")
                    {
                        map.remove(key);
                    }
                }
                for (k, v) in map.iter_mut() {
                    has_ref |= k == "$ref";
                    has_ref |= strip(v);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    has_ref |= strip(item);
                }
            }
            _ => {}
        }
        has_ref
    }
    let mut value = serde_json::to_value(schema).unwrap_or_default();
    let has_ref = strip(&mut value);
    if has_ref {
        format!("{file}:{value}")
    } else {
        value.to_string()
    }
}

impl<'a> SchemaReader<'a> {
    /// Adds a site, or fills `target` (a registered component) when the caller was reading one.
    fn add_site(
        &mut self,
        pointer: &str,
        target: Option<usize>,
        base: String,
        hint: &Hint,
        key: String,
        doc: Option<String>,
    ) -> usize {
        if let Some(site) = target {
            return site;
        }
        let doc = doc.or_else(|| Some(sentence(&hint.subject)));
        self.sites.push(Site {
            base,
            qualifiers: hint.qualifiers.clone(),
            key,
            component: false,
            doc,
            kind: None,
            origin: format!("{}#{pointer}", self.file),
        });
        self.sites.len() - 1
    }

    fn degrade(&mut self, pointer: &str, message: String) -> Ty {
        self.degraded.push(Unsupported {
            pointer: pointer.to_owned(),
            message,
        });
        Ty::Plain(TypeRef::Json)
    }

    /// Resolves a `$ref` to a component schema's site.
    pub fn reference(&mut self, reference: &str, pointer: &str) -> Ty {
        match reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.component_sites.get(&unescape(name)))
        {
            Some(&site) => Ty::Site(site),
            None => self.degrade(
                pointer,
                format!("reference `{reference}` does not point to a component schema of this file; using a JSON value"),
            ),
        }
    }

    /// Reads a component schema: an object, enum or union fills the component's own site;
    /// anything else comes back as a type the component aliases.
    pub fn read_component(
        &mut self,
        site: usize,
        schema: &Schema,
        hint: &Hint,
        pointer: &str,
    ) -> Ty {
        self.target = Some(site);
        let ty = self.read(schema, hint, pointer);
        self.target = None;
        ty
    }

    /// Reads a schema or reference.
    pub fn read_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &Hint,
        pointer: &str,
    ) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.read(schema.borrow(), hint, pointer),
        }
    }

    /// Reads a schema or reference that stands for the whole schema being read (the one member of
    /// an `allOf`, the one non-null alternative of a `oneOf`): an inline schema there may fill
    /// the component site being read, so a component does not become an alias of a twin type.
    fn read_ref_into(
        &mut self,
        target: Option<usize>,
        schema: &ReferenceOr<Schema>,
        hint: &Hint,
        pointer: &str,
    ) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => {
                self.target = target;
                self.read(schema, hint, pointer)
            }
        }
    }

    /// Reads an inline schema.
    pub fn read(&mut self, schema: &Schema, hint: &Hint, pointer: &str) -> Ty {
        // Only a site this schema creates itself may fill a component's registered site; a site
        // for an array item or map value inside it is a separate type.
        let target = self.target.take();
        let doc = schema_doc(schema);
        match shape(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                let additional_pointer = format!("{pointer}/additionalProperties");
                let additional_schema = match additional {
                    Some(AdditionalProperties::Schema(s)) => Some(s),
                    _ => None,
                };
                if properties.is_empty() {
                    return match additional_schema {
                        Some(s) => {
                            let values = self.read_ref(s, &hint.values(), &additional_pointer);
                            Ty::Map(Box::new(self.nullable_if(s, values)))
                        }
                        None => Ty::Plain(TypeRef::JsonObject),
                    };
                }
                let key = structural_key(schema, self.file);
                let site = self.add_site(pointer, target, hint.object.clone(), hint, key, doc);
                let additional_ty = additional_schema.map(|s| {
                    let values = self.read_ref(s, &hint.values(), &additional_pointer);
                    self.nullable_if(s, values)
                });
                let kind = self.read_struct(
                    properties,
                    required,
                    additional_ty,
                    hint,
                    &hint.object.clone(),
                    pointer,
                );
                self.sites[site].kind = Some(kind);
                Ty::Site(site)
            }
            Shape::Array(items) => match items {
                Some(items) => {
                    let inner = self.read_ref(items, &hint.items(), &format!("{pointer}/items"));
                    let inner = self.nullable_if(items, inner);
                    Ty::Array(Box::new(inner))
                }
                None => Ty::Array(Box::new(Ty::Plain(TypeRef::Json))),
            },
            Shape::String { values } => {
                if !values.is_empty() {
                    let key = structural_key(schema, self.file);
                    let site =
                        self.add_site(pointer, target, hint.enumeration.clone(), hint, key, doc);
                    self.sites[site].kind = Some(Kind::StringEnum(values));
                    return Ty::Site(site);
                }
                // Inside JSON even `format: binary` travels as a string; raw bytes only exist as
                // whole bodies, which operation.rs handles by media type.
                Ty::Plain(TypeRef::String)
            }
            Shape::Integer { format, values } => {
                if !values.is_empty() {
                    let key = structural_key(schema, self.file);
                    let site =
                        self.add_site(pointer, target, hint.enumeration.clone(), hint, key, doc);
                    let names = enum_varnames(schema, values.len());
                    self.sites[site].kind = Some(Kind::IntEnum { values, names });
                    return Ty::Site(site);
                }
                Ty::Plain(TypeRef::Integer(match format.as_deref() {
                    Some("int32") => IntWidth::I32,
                    Some("uint32") => IntWidth::U32,
                    Some("uint64") => IntWidth::U64,
                    _ => IntWidth::I64,
                }))
            }
            Shape::Number(format) => Ty::Plain(TypeRef::Float(match format.as_deref() {
                Some("float") => FloatWidth::F32,
                _ => FloatWidth::F64,
            })),
            Shape::Boolean => Ty::Plain(TypeRef::Boolean),
            Shape::Any => Ty::Plain(TypeRef::Json),
            Shape::Not => self.degrade(
                pointer,
                "`not` schemas are not supported; using a JSON value".to_owned(),
            ),
            Shape::AllOf(members) => self.read_all_of(target, schema, members, hint, pointer),
            Shape::OneOf(members) => self.read_one_of(target, schema, members, hint, pointer),
        }
    }

    fn read_struct(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<Ty>,
        hint: &Hint,
        parent: &str,
        pointer: &str,
    ) -> Kind {
        let mut fields = Vec::with_capacity(properties.len());
        for (name, prop) in properties {
            let prop_pointer = format!("{pointer}/properties/{}", pointer_token(name));
            let ty = self.read_ref(prop, &hint.property(parent, name), &prop_pointer);
            let doc = match prop {
                ReferenceOr::Item(s) => schema_doc(s),
                ReferenceOr::Reference { .. } => None,
            };
            let rules =
                super::rules::rules_of_boxed(self.components, prop, &prop_pointer, self.degraded);
            let nullable = allows_null(self.components, prop);
            fields.push(DraftField {
                api_name: name.clone(),
                doc,
                ty,
                required: required.contains(name),
                nullable,
                rules,
            });
        }
        Kind::Struct { fields, additional }
    }

    /// `allOf`: a single member is that member; otherwise the members' properties are merged
    /// into one struct (references to components contribute their properties).
    fn read_all_of(
        &mut self,
        target: Option<usize>,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &Hint,
        pointer: &str,
    ) -> Ty {
        // Properties beside the `allOf` (`allOf: [$ref: Firewall], properties: {devices: …}`)
        // are merged like another member's.
        let siblings =
            matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty());
        if let [only] = members
            && !siblings
        {
            return self.read_ref_into(target, only, hint, &format!("{pointer}/allOf/0"));
        }
        let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        let mut stack: Vec<(&Schema, String)> = Vec::new();
        // Whether anything says the value is an object; `allOf: [{}, {example: …}]` says nothing
        // and stays any JSON value.
        let mut object = false;
        if let SchemaKind::Any(any) = &schema.schema_kind {
            properties.extend(any.properties.clone());
            required.extend(any.required.iter().cloned());
            object = says_object(any);
        }
        // The stack is popped from the end: push in reverse so properties keep spec order.
        for (i, member) in members.iter().enumerate().rev() {
            let at = format!("{pointer}/allOf/{i}");
            match self.resolve(member) {
                Some(s) => stack.push((s, at)),
                None => {
                    return self.degrade(
                        &at,
                        "allOf member could not be resolved; using a JSON value".to_owned(),
                    );
                }
            }
        }
        let mut depth = 0;
        while let Some((member, at)) = stack.pop() {
            depth += 1;
            if depth > 64 {
                return self.degrade(
                    pointer,
                    "allOf nests too deeply; using a JSON value".to_owned(),
                );
            }
            match shape(member) {
                Shape::Object {
                    properties: p,
                    required: r,
                    additional: a,
                } => {
                    object = true;
                    for (k, v) in p {
                        // The first schema of a property wins, unless it only adds keywords
                        // to another's (`rules: {required: […]}` beside a member's typed
                        // `rules`): then the typed one carries the shape.
                        match properties.get_mut(k) {
                            Some(existing) if is_overlay(existing) && !is_overlay(v) => {
                                *existing = v.clone();
                            }
                            Some(_) => {}
                            None => {
                                properties.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    required.extend(r.iter().cloned());
                    if let Some(AdditionalProperties::Schema(s)) = a {
                        additional = Some((**s).clone());
                    }
                }
                Shape::AllOf(inner) => {
                    for (i, m) in inner.iter().enumerate().rev() {
                        match self.resolve(m) {
                            Some(s) => stack.push((s, format!("{at}/allOf/{i}"))),
                            None => {
                                return self.degrade(
                                    &at,
                                    "allOf member could not be resolved; using a JSON value"
                                        .to_owned(),
                                );
                            }
                        }
                    }
                }
                Shape::Any => {}
                _ => {
                    // allOf over non-objects (e.g. a string with extra constraints): use the
                    // first member's type, which carries the value's shape.
                    return self.read_ref_into(
                        target,
                        &members[0],
                        hint,
                        &format!("{pointer}/allOf/0"),
                    );
                }
            }
        }
        if properties.is_empty() {
            return match additional {
                Some(s) => {
                    let values = self.read_ref(&s, &hint.values(), pointer);
                    Ty::Map(Box::new(self.nullable_if(&s, values)))
                }
                None if object => Ty::Plain(TypeRef::JsonObject),
                None => Ty::Plain(TypeRef::Json),
            };
        }
        let key = structural_key(schema, self.file);
        let site = self.add_site(
            pointer,
            target,
            hint.object.clone(),
            hint,
            key,
            schema_doc(schema),
        );
        let additional_ty = additional.map(|s| {
            let values = self.read_ref(&s, &hint.values(), pointer);
            self.nullable_if(&s, values)
        });
        let kind = self.read_struct(
            &properties,
            &required,
            additional_ty,
            hint,
            &hint.object.clone(),
            pointer,
        );
        self.sites[site].kind = Some(kind);
        Ty::Site(site)
    }

    fn read_one_of(
        &mut self,
        target: Option<usize>,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &Hint,
        pointer: &str,
    ) -> Ty {
        let keyword = match &schema.schema_kind {
            SchemaKind::AnyOf { .. } => "anyOf",
            SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
            _ => "oneOf",
        };
        // `oneOf: [X, {nullable}]`-style wrappers of a single real alternative are just X.
        let real: Vec<(usize, &ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !matches!(m, ReferenceOr::Item(s) if is_null_schema(s)))
            .collect();
        if let [(i, only)] = real.as_slice() {
            return self.read_ref_into(target, only, hint, &format!("{pointer}/{keyword}/{i}"));
        }
        let key = structural_key(schema, self.file);
        let site = self.add_site(
            pointer,
            target,
            hint.object.clone(),
            hint,
            key,
            schema_doc(schema),
        );
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        let mapping: Vec<(String, String)> = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| {
                d.mapping
                    .iter()
                    .map(|(k, v)| (mapping_target(v), k.clone()))
                    .collect()
            })
            .unwrap_or_default();
        // A discriminator no variant declares as a property (Linode's `x-linode-ref-name`)
        // names nothing a payload carries.
        let declared = tag.as_ref().is_some_and(|tag| {
            real.iter()
                .all(|(_, m)| declares(self.components, m, tag, 0))
        });
        let mut variants = Vec::new();
        for (i, member) in real {
            let at = format!("{pointer}/{keyword}/{i}");
            let (name, tag_value) = match member {
                ReferenceOr::Reference { reference } => {
                    let component = unescape(reference.rsplit('/').next().unwrap_or(reference));
                    // Without a mapping entry the implicit value is the schema name, unless the
                    // variant pins its tag property to one value (`type: {enum: [track]}`):
                    // then no valid payload can carry the name, and that value is the tag.
                    let tag_value = mapping
                        .iter()
                        .find(|(target, _)| target == reference)
                        .map(|(_, value)| value.clone())
                        .or_else(|| {
                            let tag = tag.as_ref()?;
                            Some(
                                pinned_value(self.components, member, tag, 0)
                                    .unwrap_or_else(|| component.clone()),
                            )
                        });
                    (sanitize(&component, Case::Pascal, "Variant"), tag_value)
                }
                ReferenceOr::Item(s) => (
                    variant_name(s, i),
                    tag.as_ref()
                        .and_then(|tag| pinned_value(self.components, member, tag, 0)),
                ),
            };
            let variant_hint = Hint {
                object: format!("{}{}", hint.object, name),
                enumeration: format!("{}{}", hint.object, name),
                enum_parent: None,
                qualifiers: hint.qualifiers.clone(),
                subject: format!("the `{name}` alternative of {}", hint.subject),
            };
            let ty = self.read_ref(member, &variant_hint, &at);
            variants.push((name, tag_value, ty));
        }
        // Dispatch on the tag only when every variant declares the property and has its own
        // value; otherwise the union is read untagged, which still works, just less precisely.
        let mut values: Vec<&String> = variants.iter().filter_map(|(_, v, _)| v.as_ref()).collect();
        values.sort();
        values.dedup();
        let tag = tag.filter(|_| declared && values.len() == variants.len());
        self.sites[site].kind = Some(Kind::Union { tag, variants });
        Ty::Site(site)
    }

    /// Wraps an array item or map value in `Option` when its schema lets it be `null`. A JSON
    /// value already holds `null`.
    fn nullable_if<S: std::borrow::Borrow<Schema>>(&self, schema: &ReferenceOr<S>, ty: Ty) -> Ty {
        if ty != Ty::Plain(TypeRef::Json) && allows_null(self.components, schema) {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn resolve<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        resolve_schema(self.components, schema)
    }
}

/// The reference a discriminator `mapping` value stands for. OpenAPI allows a bare schema name
/// (`cat: Cat`) as well as a reference (`cat: '#/components/schemas/Cat'`); both become the
/// reference so they compare equal to a `oneOf` member's `$ref`.
fn mapping_target(value: &str) -> String {
    if value.contains('#') || value.contains('/') {
        value.to_owned()
    } else {
        format!("#/components/schemas/{value}")
    }
}

/// Whether a type is a single value a parameter can carry: a string, number or boolean, an open
/// enum, a union of those, or an alias of one.
pub fn is_scalar(ty: &Ty, sites: &[Site]) -> bool {
    fn go(ty: &Ty, sites: &[Site], depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        match ty {
            Ty::Plain(t) => matches!(
                t,
                TypeRef::String | TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean
            ),
            Ty::Site(i) => match &sites[*i].kind {
                Some(Kind::StringEnum(_) | Kind::IntEnum { .. }) => true,
                Some(Kind::Alias(inner)) => go(inner, sites, depth + 1),
                Some(Kind::Union { variants, .. }) => {
                    !variants.is_empty() && variants.iter().all(|(_, _, t)| go(t, sites, depth + 1))
                }
                _ => false,
            },
            _ => false,
        }
    }
    go(ty, sites, 0)
}

/// Whether a schema (or the component a reference names, through `$ref` chains) accepts `null`:
/// it is `nullable`, it is a `null` schema, a `oneOf`/`anyOf` alternative accepts `null`, or it is
/// an `allOf` whose every member does or constrains nothing (`allOf: [{type: string, nullable:
/// true}, {nullable: false}]`).
pub fn allows_null<S: std::borrow::Borrow<Schema>>(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &ReferenceOr<S>,
) -> bool {
    fn go(
        components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
        schema: &Schema,
        depth: usize,
    ) -> bool {
        if depth > 32 {
            return false;
        }
        if schema.schema_data.nullable || is_null_schema(schema) {
            return true;
        }
        let member = |m: &ReferenceOr<Schema>| {
            resolve_schema(components, m).is_some_and(|s| go(components, s, depth + 1))
        };
        let unconstrained = |m: &ReferenceOr<Schema>| matches!(m, ReferenceOr::Item(s) if matches!(shape(s), Shape::Any));
        match &schema.schema_kind {
            SchemaKind::Any(any) if any.typ.is_some() => false,
            _ => match shape(schema) {
                Shape::OneOf(members) => members.iter().any(member),
                Shape::AllOf(members) => {
                    members.iter().any(|m| !unconstrained(m))
                        && members.iter().all(|m| unconstrained(m) || member(m))
                }
                _ => false,
            },
        }
    }
    match schema {
        ReferenceOr::Item(s) => go(components, s.borrow(), 0),
        ReferenceOr::Reference { reference } => {
            let target = ReferenceOr::Reference {
                reference: reference.clone(),
            };
            resolve_schema(components, &target).is_some_and(|s| go(components, s, 0))
        }
    }
}

/// The one value a schema allows for its property `tag` (a single-value string `enum`), looking
/// through references and `allOf` members.
fn pinned_value(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &ReferenceOr<Schema>,
    tag: &str,
    depth: usize,
) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let schema = resolve_schema(components, schema)?;
    match shape(schema) {
        Shape::Object { properties, .. } => {
            let property = match properties.get(tag)? {
                ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            match shape(resolve_schema(components, &property)?) {
                Shape::String { values } if values.len() == 1 => values.into_iter().next(),
                _ => None,
            }
        }
        Shape::AllOf(members) => members
            .iter()
            .find_map(|m| pinned_value(components, m, tag, depth + 1)),
        _ => None,
    }
}

/// Whether an inline property schema states no type of its own (no `type`, `$ref` or
/// composition), so it only constrains a property another `allOf` member types.
fn is_overlay(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any)
        if any.typ.is_none()
            && any.all_of.is_empty()
            && any.one_of.is_empty()
            && any.any_of.is_empty()
            && any.items.is_none()))
}

/// Whether a schema declares the property `name`, looking through references and `allOf`.
fn declares(
    components: Option<&IndexMap<String, ReferenceOr<Schema>>>,
    schema: &ReferenceOr<Schema>,
    name: &str,
    depth: usize,
) -> bool {
    if depth > 16 {
        return false;
    }
    let Some(schema) = resolve_schema(components, schema) else {
        return false;
    };
    if let SchemaKind::Any(any) = &schema.schema_kind
        && any.properties.contains_key(name)
    {
        return true;
    }
    match shape(schema) {
        Shape::Object { properties, .. } => properties.contains_key(name),
        Shape::AllOf(members) => members
            .iter()
            .any(|m| declares(components, m, name, depth + 1)),
        _ => false,
    }
}

/// Resolves a schema reference within one file, following chains of references.
pub(crate) fn resolve_schema<'s>(
    components: Option<&'s IndexMap<String, ReferenceOr<Schema>>>,
    schema: &'s ReferenceOr<Schema>,
) -> Option<&'s Schema> {
    let mut current = schema;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference } => {
                let name = unescape(reference.strip_prefix("#/components/schemas/")?);
                current = components?.get(&name)?;
            }
        }
    }
    None
}

/// Variant names from `x-enum-varnames`, when it is a list of strings, one per value.
fn enum_varnames(schema: &Schema, count: usize) -> Option<Vec<String>> {
    let names: Vec<String> = schema
        .schema_data
        .extensions
        .get("x-enum-varnames")?
        .as_array()?
        .iter()
        .map(|n| n.as_str().map(str::to_owned))
        .collect::<Option<_>>()?;
    (names.len() == count).then_some(names)
}

fn is_null_schema(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if any.typ.as_deref() == Some("null"))
        || (schema.schema_data.nullable
            && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()))
}

fn variant_name(schema: &Schema, index: usize) -> String {
    if let Some(title) = &schema.schema_data.title {
        return sanitize(title, Case::Pascal, "Variant");
    }
    match shape(schema) {
        Shape::String { .. } => "String".to_owned(),
        Shape::Integer { .. } => "Integer".to_owned(),
        Shape::Number(_) => "Number".to_owned(),
        Shape::Boolean => "Boolean".to_owned(),
        Shape::Array(_) => "Array".to_owned(),
        _ => format!("Variant{index}"),
    }
}

/// Capitalizes a phrase and ends it with a full stop.
pub fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// Unescapes one JSON pointer token.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Title and description joined into documentation.
pub fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(t), Some(d)) if !d.trim().is_empty() => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) if !d.trim().is_empty() => Some(d.clone()),
        (Some(t), _) if !t.trim().is_empty() => Some(t.clone()),
        _ => None,
    }
}

/// Whether every member of a typed schema's `oneOf`/`anyOf` only constrains the value the
/// schema already describes (GitHub's gist update: properties beside `anyOf: [{required:
/// [description]}, {required: [files]}]`): such a union adds no type, so the schema's own
/// shape stands and the server checks the constraint.
fn only_constraints(parent: &openapiv3::AnySchema, members: &[ReferenceOr<Schema>]) -> bool {
    let parent_object = says_object(parent);
    if parent.typ.is_none() && !parent_object {
        return false;
    }
    members.iter().all(|member| match member {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(m) => {
                m.properties.is_empty()
                    && m.additional_properties.is_none()
                    && m.items.is_none()
                    && m.all_of.is_empty()
                    && m.one_of.is_empty()
                    && m.any_of.is_empty()
                    && m.not.is_none()
                    && m.enumeration.is_empty()
                    && (m.typ.is_none() || m.typ == parent.typ)
            }
            SchemaKind::Type(Type::Object(o)) => {
                parent_object && o.properties.is_empty() && o.additional_properties.is_none()
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    })
}

/// Whether a schema openapiv3 could not type says its value is an object: `type: object`, or no
/// `type` and properties or `additionalProperties`. A stated other type wins over stray object
/// keywords (GitHub's `{type: string, nullable: true, additionalProperties: true}` is a string).
fn says_object(any: &openapiv3::AnySchema) -> bool {
    match any.typ.as_deref() {
        Some(typ) => typ == "object",
        None => !any.properties.is_empty() || any.additional_properties.is_some(),
    }
}
