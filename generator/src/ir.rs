//! The intermediate representation: what the generated client contains, decided and named.
//!
//! Lowering (`lower.rs`) builds these values from OpenAPI documents; emission (`emit/`) turns them
//! into Rust tokens. Nothing from `openapiv3` appears here, so emission cannot reach back into the
//! spec and every decision (names, types, which operations exist) is visible in one place.

/// The whole client: one module per API version or per spec group.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Modules in output order (sorted by name).
    pub modules: Vec<Module>,
}

/// One Rust module, e.g. `v2`, holding the operations and types of a group of spec files.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Module name as a Rust identifier, e.g. `v2`.
    pub name: String,
    /// Module-level documentation (spec titles and descriptions).
    pub doc: String,
    /// Display paths of the spec files this module was generated from, in input order.
    pub sources: Vec<String>,
    /// Operations, in spec order (files in input order, then paths and methods as written).
    pub operations: Vec<Operation>,
    /// Named types, in the order they were first met.
    pub types: Vec<TypeDef>,
    /// The marker types builders name their required fields with.
    pub markers: FieldMarkers,
}

/// The marker types of a module's builders: one empty struct per setter name of a required
/// field, in a submodule of their own, so that `build` on a builder missing `gpu_num` fails with
/// "the required field `gpu_num` is not set". Builders of different structs share a marker when
/// their setters are named alike: the marker carries only the name.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMarkers {
    /// The submodule's name, e.g. `fields`. Snake case, so no generated type can take it.
    pub module: String,
    /// The markers, sorted; empty when the module has no builder (and then no submodule).
    pub names: Vec<String>,
}

/// The typestate builder of a struct with required fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Builder {
    /// The builder type, e.g. `ResourceBuilder`.
    pub name: String,
    /// The private struct holding the values given so far, e.g. `ResourceBuilderFields`.
    pub fields: String,
}

/// A named Rust type generated from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name, e.g. `BillingMode`.
    pub name: String,
    /// Documentation taken from the schema's title and description.
    pub doc: Option<String>,
    /// What kind of type this is.
    pub kind: TypeKind,
    /// The type is reachable from a request and carries limits (itself or through the types
    /// it holds), so it implements the runtime's `Validate`.
    pub validate: bool,
    /// Every schema place (`file#pointer`) the type was made from, sorted. The change report
    /// follows a type across a rename by them; emission ignores them.
    pub origins: Vec<String>,
}

/// A limit the spec states for a value, checked before a request is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `minLength`.
    MinLength(u64),
    /// `maxLength`.
    MaxLength(u64),
    /// `minimum`.
    Minimum(f64),
    /// `minimum` with `exclusiveMinimum: true`.
    ExclusiveMinimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `maximum` with `exclusiveMaximum: true`.
    ExclusiveMaximum(f64),
    /// `multipleOf`.
    MultipleOf(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `pattern`, an ECMAScript regular expression the generator checked compiles.
    Pattern(String),
    /// Limits on every item of an array.
    Items(Vec<Rule>),
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum that also accepts values it does not know.
    StringEnum(StringEnum),
    /// An integer enum that also accepts values it does not know.
    IntEnum(IntEnum),
    /// A value that is one of several shapes (`oneOf` / `anyOf`).
    Union(Union),
    /// A plain alias, e.g. a component schema that is just a string.
    Alias(TypeRef),
}

/// A struct and how it is constructed.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields in schema order.
    pub fields: Vec<Field>,
    /// Type of undeclared properties kept in a flattened map, if the schema allows them with a schema.
    pub additional: Option<TypeRef>,
    /// Rust name of that map's field: `additional_properties` unless a property took it.
    pub additional_field: String,
    /// The typestate builder, exactly when some field is required; a struct without one is
    /// built with `new()` and setters instead.
    pub builder: Option<Builder>,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name, e.g. `product_id` or `r#type`.
    pub name: String,
    /// JSON name as the spec spells it, e.g. `productId`.
    pub api_name: String,
    /// Name of the field's setter, e.g. `product_id` or `with_type`: on the builder for a
    /// required field, on the struct and its builder for an optional one. Unique among the
    /// methods of both (`new`, `builder`, `build` and every other setter).
    pub setter: String,
    /// For an optional nullable field, the setter that sends an explicit `null`, e.g. `note_null`.
    pub null_setter: Option<String>,
    /// Field documentation.
    pub doc: Option<String>,
    /// The value type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    /// The property must be present.
    pub required: bool,
    /// The property may be JSON `null`.
    pub nullable: bool,
    /// The type refers back to the enclosing type, so it needs a `Box`.
    pub boxed: bool,
    /// The runtime deserializer the field needs, if serde's own does not do.
    pub decoder: Option<FieldDecoder>,
    /// Limits on the field's value (lengths, ranges, item counts, patterns).
    pub rules: Vec<Rule>,
    /// The field holds a type that validates (directly or in an `Option`, `Vec` or map).
    pub nested_validate: bool,
    /// The value is an array of objects or unions: only its item count is checked here (the
    /// items check themselves), so `rules` holds only `MinItems`/`MaxItems`.
    pub count_only: bool,
}

/// How one field is read beyond its type. Integers also come as strings holding one (their
/// slot is `Slot::lenient_int` or `Slot::lenient_int_opt`); absent and `null` stay apart for
/// every optional nullable field, which its `Option<Option<T>>` type already says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDecoder {
    /// A required integer, also from a string holding one.
    LenientInt,
    /// An optional or nullable integer, also from a string.
    LenientIntOpt,
    /// An optional nullable integer: absent, `null` or an integer, also from a string.
    LenientIntNullable,
    /// An optional nullable value of any other type: absent vs `null`.
    Nullable,
}

/// A string enum with known values.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that carries values the spec does not list (`Unknown` unless taken).
    pub catch_all: String,
}

/// One known string value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust variant name, e.g. `V12_4`.
    pub name: String,
    /// The value as the spec spells it, e.g. `12.4`.
    pub value: String,
}

/// An integer enum with known values.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    /// Known values as (variant name, value), in spec order.
    pub variants: Vec<(String, i64)>,
    /// Name of the variant that carries values the spec does not list (`Unknown` unless taken).
    pub catch_all: String,
}

/// A `oneOf`/`anyOf` value.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Property that names the variant, when the spec gives a discriminator.
    pub tag: Option<String>,
    /// Variants in spec order.
    pub variants: Vec<UnionVariant>,
    /// For a tagged union, the variant that keeps objects whose tag no variant lists, as the
    /// raw JSON value (`Unknown` unless a variant took that name); serialized back unchanged.
    pub catch_all: Option<String>,
    /// Every variant is a scalar (string, number, boolean, open enum), so the union implements
    /// `Display` and can be a path, query or header parameter.
    pub scalar: bool,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Tag value for tagged unions.
    pub tag_value: Option<String>,
    /// The variant's payload.
    pub ty: TypeRef,
    /// The payload refers back to the union, so it needs a `Box`.
    pub boxed: bool,
    /// The payload validates, so the union's `Validate` checks it.
    pub validates: bool,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A signed or unsigned integer.
    Integer(IntWidth),
    /// `f32` or `f64`.
    Float(FloatWidth),
    /// `bool`.
    Boolean,
    /// Any JSON value.
    Json,
    /// A JSON object whose properties the spec does not describe.
    JsonObject,
    /// Raw bytes (binary bodies).
    Bytes,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: an array item or map value that may be JSON `null`.
    Nullable(Box<TypeRef>),
    /// A generated type, by Rust name.
    Named(String),
}

/// Integer widths the generator maps formats to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntWidth {
    /// `format: int32`.
    I32,
    /// `format: int64` or no format.
    I64,
    /// `format: uint32`.
    U32,
    /// `format: uint64`.
    U64,
}

/// Float widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FloatWidth {
    /// `format: float`.
    F32,
    /// `format: double` or no format.
    F64,
}

/// One callable operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust method name, e.g. `create_instance`.
    pub name: String,
    /// HTTP method in upper case.
    pub method: String,
    /// Path template as in the spec, e.g. `/gpus/v2/instances/{instance_id}`.
    pub path: String,
    /// Default server URL from the spec.
    pub server: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// Where the operation comes from, e.g. `specs/v2/upgrade-instance.yaml#/paths/~1gpus.../put`.
    pub source: String,
    /// Path parameters, in template order; become positional arguments.
    pub path_params: Vec<Param>,
    /// Query and header parameters; collected in a generated `…Params` struct when present.
    pub params: Option<ParamsStruct>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful call returns.
    pub response: Response,
    /// Error bodies the spec documents, by status (`404`, `4XX`, `default`), in spec order.
    pub errors: Vec<ErrorBody>,
    /// The operation is marked deprecated.
    pub deprecated: bool,
    /// Whether repeating the operation is harmless, when the spec says so against its method
    /// (`x-idempotent`: an upgrade that restarts an instance is a PUT that must not repeat).
    pub idempotent: Option<bool>,
    /// The `Accept` header when it is not the runtime's `application/json`: the media types of
    /// the success responses, in spec order (`application/scim+json`, `text/plain`).
    pub accept: Option<String>,
    /// Who may call it: alternatives in spec order, any one of which is enough. Empty when the
    /// operation (or its document) declares no requirement, including `security: []`.
    pub security: Vec<SecurityRequirement>,
}

/// One way to authenticate an operation: every scheme in it, used together. No schemes means
/// anonymous access is allowed (`{}` in the spec's list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// The schemes, in spec order.
    pub schemes: Vec<SchemeUse>,
}

/// A security scheme a requirement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeUse {
    /// The scheme's key under `components.securitySchemes`; callers give credentials by it.
    pub scheme: String,
    /// How its credential is sent.
    pub kind: SchemeKind,
}

/// How the credential of a scheme goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: HTTP `bearer`, and other HTTP schemes (with a warning).
    HttpBearer,
    /// `Authorization: Basic <base64(user:password)>`.
    HttpBasic,
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey {
        /// Where it is sent.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
    },
    /// An OAuth 2 access token the caller obtains, sent as `Authorization: Bearer <token>`.
    OAuth2,
    /// An OpenID Connect token the caller obtains, sent as `Authorization: Bearer <token>`.
    OpenIdConnect,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie in the `Cookie` header.
    Cookie,
}

/// A documented error response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBody {
    /// The status as the spec keys it: `404`, `4XX` or `default`.
    pub status: String,
    /// The body's type.
    pub ty: TypeRef,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub api_name: String,
    /// Name of the setter on the `…Params` struct or its builder (unused for path parameters).
    pub setter: String,
    /// Where the parameter goes.
    pub location: ParamLocation,
    /// Value type (arrays for query lists).
    pub ty: TypeRef,
    /// How an array value is spelled in the query (ignored for other values and locations).
    pub style: QueryStyle,
    /// The parameter must be given.
    pub required: bool,
    /// Parameter documentation.
    pub doc: Option<String>,
    /// Limits on the parameter's value, checked before sending.
    pub rules: Vec<Rule>,
    /// An array of enums or other typed items: only its item count is checked (see
    /// [`Field::count_only`]).
    pub count_only: bool,
}

/// How a query array goes on the wire (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryStyle {
    /// One pair per item: `ids=a&ids=b` (`form` with `explode: true`, the default).
    Exploded,
    /// One pair, items joined by this separator as it appears in the URL:
    /// `,` (`form`, `explode: false`), `%20` (`spaceDelimited`) or `|` (`pipeDelimited`).
    Delimited(String),
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// Substituted into the path template.
    Path,
    /// Appended to the query string.
    Query,
    /// Sent as a request header.
    Header,
}

/// The generated struct that carries an operation's query and header parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsStruct {
    /// Rust type name, e.g. `ListInstancesParams`.
    pub name: String,
    /// The parameters, in spec order.
    pub params: Vec<Param>,
    /// Some parameter has limits, so the struct implements the runtime's `Validate`.
    pub validate: bool,
    /// Set when every parameter is optional: the name of the method that takes the struct
    /// (`list_pets_with`). The operation's own method then takes no params argument and sends
    /// none of them, so a call that needs no parameter does not have to build an empty struct.
    pub with_method: Option<String>,
    /// The builder, exactly when some parameter is required (see [`Struct::builder`]).
    pub builder: Option<Builder>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's Rust type.
    pub ty: TypeRef,
    /// Whether the spec requires a body; optional bodies become `Option<&T>`.
    pub required: bool,
    /// The body's type validates, so the request checks it before sending.
    pub validate: bool,
}

/// Body encodings the runtime can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON: `None` is sent as `application/json`; `Some` carries another JSON media type the
    /// spec declares (`application/merge-patch+json`), sent as the `Content-Type`.
    Json(Option<String>),
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Raw bytes with the given content type.
    Bytes(String),
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Nothing the caller can use: no body, or a body the spec leaves undescribed.
    Unit,
    /// A JSON body of this type.
    Json(TypeRef),
    /// Raw bytes.
    Bytes,
    /// Different success statuses carry different bodies; a generated enum tells them apart.
    Multi(MultiResponse),
}

/// An enum over several success responses.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiResponse {
    /// Rust name of the generated enum.
    pub name: String,
    /// One variant per status code, in ascending status order.
    pub variants: Vec<StatusVariant>,
    /// The variant a success status the spec does not list decodes as (the first one's).
    pub fallback: String,
}

/// One success status and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// Rust variant name, e.g. `Created`.
    pub name: String,
    /// The HTTP status code.
    pub status: u16,
    /// The body type; `None` for an empty or undescribed body.
    pub ty: Option<TypeRef>,
}
