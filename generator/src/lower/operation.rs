//! One operation → a draft: parameters (minus the ones the client owns), body, success response.
//! Anything the runtime cannot send or read skips the whole operation with the reason.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema,
    SchemaKind, StatusCode, Type,
};

use super::schema::{Hint, SchemaReader, Site, Ty, Unsupported, is_undescribed_object};
use super::security::{FileSecurity, carries_api_key};
use crate::error::pointer_token;
use crate::ir::{self, BodyEncoding, ParamLocation, TypeRef};
use crate::naming::{Case, operation_shape, sanitize};

/// Headers that are not arguments: the client owns authentication and content negotiation.
const CLIENT_HEADERS: &[&str] = &["authorization", "content-type", "accept"];

/// Everything needed to read one operation.
pub struct Context<'a> {
    /// The whole document, for `$ref` lookups.
    pub spec: &'a OpenAPI,
    /// Display path of the file.
    pub file: &'a str,
    /// Component schema sites of this file.
    pub component_sites: &'a IndexMap<String, usize>,
    /// Security schemes and document-level requirements of this file.
    pub security: &'a FileSecurity,
    /// The settled operation name.
    pub name: &'a str,
    /// Path template.
    pub path: &'a str,
    /// Lower-case method.
    pub method: &'a str,
    /// The path item (for shared parameters and servers).
    pub item: &'a openapiv3::PathItem,
    /// The operation.
    pub operation: &'a openapiv3::Operation,
    /// JSON pointer of the operation.
    pub pointer: &'a str,
}

/// An operation whose types are still sites.
pub struct OperationDraft {
    op: ir::Operation,
    path_params: Vec<(ir::Param, Ty)>,
    params: Vec<(ir::Param, Ty)>,
    params_name: String,
    body: Option<(BodyEncoding, Ty, bool)>,
    response: DraftResponse,
    errors: Vec<(String, Ty)>,
}

enum DraftResponse {
    Unit,
    Bytes,
    Json(Ty),
    Multi(String, Vec<(String, u16, Option<Ty>)>),
}

impl OperationDraft {
    /// Settles the names of the types this operation adds itself (its `…Params` struct and
    /// status enum) against every name already taken, so they never shadow a schema's type.
    pub fn claim_names(&mut self, used: &mut std::collections::BTreeSet<String>) {
        let mut claim = |name: &mut String| *name = super::claim_name(used, name.clone());
        if !self.params.is_empty() {
            claim(&mut self.params_name);
        }
        if let DraftResponse::Multi(name, _) = &mut self.response {
            claim(name);
        }
    }

    /// Fills in settled type names.
    pub fn finish(self, resolve: &dyn Fn(&Ty) -> TypeRef) -> ir::Operation {
        let fill = |(mut p, ty): (ir::Param, Ty)| {
            p.ty = resolve(&ty);
            p
        };
        let params: Vec<ir::Param> = self.params.into_iter().map(fill).collect();
        ir::Operation {
            path_params: self.path_params.into_iter().map(fill).collect(),
            params: (!params.is_empty()).then_some(ir::ParamsStruct {
                name: self.params_name,
                params,
                validate: false,
                with_method: None,
                builder: None,
            }),
            body: self.body.map(|(encoding, ty, required)| ir::Body {
                encoding,
                ty: resolve(&ty),
                required,
                validate: false,
            }),
            response: match self.response {
                DraftResponse::Unit => ir::Response::Unit,
                DraftResponse::Bytes => ir::Response::Bytes,
                DraftResponse::Json(ty) => ir::Response::Json(resolve(&ty)),
                DraftResponse::Multi(name, variants) => ir::Response::Multi(ir::MultiResponse {
                    name,
                    // Any other success status decodes like the first declared one.
                    fallback: variants
                        .first()
                        .map(|(name, _, _)| name.clone())
                        .unwrap_or_default(),
                    variants: variants
                        .into_iter()
                        .map(|(name, status, ty)| ir::StatusVariant {
                            name,
                            status,
                            ty: ty.as_ref().map(resolve),
                        })
                        .collect(),
                }),
            },
            errors: self
                .errors
                .iter()
                .map(|(status, ty)| ir::ErrorBody {
                    status: status.clone(),
                    ty: resolve(ty),
                })
                .collect(),
            ..self.op
        }
    }
}

/// Why an operation was skipped.
pub struct Skip {
    /// Where.
    pub pointer: String,
    /// Why.
    pub message: String,
}

fn skip<T>(pointer: impl Into<String>, message: impl Into<String>) -> Result<T, Skip> {
    Err(Skip {
        pointer: pointer.into(),
        message: message.into(),
    })
}

/// Reads one operation.
pub fn read(
    cx: &Context<'_>,
    sites: &mut Vec<Site>,
    degraded: &mut Vec<Unsupported>,
) -> Result<OperationDraft, Skip> {
    let shape = operation_shape(cx.method, without_fragment(cx.path));
    let op_pascal = sanitize(cx.name, Case::Pascal, "Call");
    let resource = sanitize(&shape.noun, Case::Pascal, "Root");
    let qualifiers = vec![resource.clone(), op_pascal.clone()];
    let mut reader = SchemaReader {
        components: cx.spec.components.as_ref().map(|c| &c.schemas),
        component_sites: cx.component_sites,
        file: cx.file,
        sites,
        degraded,
        target: None,
    };
    let root_hint = |object: String, subject: String| Hint {
        enumeration: object.clone(),
        object,
        enum_parent: Some(resource.clone()),
        qualifiers: qualifiers.clone(),
        subject,
    };

    if cx.operation.callbacks.values().any(|c| !c.is_empty()) {
        // Callbacks describe requests the server makes; the client has nothing to send for them.
        reader.degraded.push(Unsupported {
            pointer: format!("{}/callbacks", cx.pointer),
            message: "callbacks are not generated (they describe requests the server sends)"
                .to_owned(),
        });
    }

    let security = cx
        .security
        .operation(cx.operation, cx.pointer, reader.degraded);

    // Parameters: path-level first, operation-level overriding by (name, location).
    let mut params: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
    let item_pointer = cx.pointer.rsplit_once('/').map_or("", |(p, _)| p);
    for (list, base) in [
        (&cx.item.parameters, item_pointer),
        (&cx.operation.parameters, cx.pointer),
    ] {
        for (i, param) in list.iter().enumerate() {
            let at = format!("{base}/parameters/{i}");
            let Some(param) = resolve_parameter(cx.spec, param) else {
                return skip(at, "parameter reference could not be resolved");
            };
            let location = match param {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            params.insert(
                (param.parameter_data_ref().name.clone(), location),
                (param, at),
            );
        }
    }
    let mut path_params = Vec::new();
    let mut other_params = Vec::new();
    for ((api_name, location), (param, at)) in &params {
        let data = param.parameter_data_ref();
        let location = match *location {
            // A path parameter the template never names cannot be sent anywhere; the operation
            // stays callable without it.
            "path" if !template_names(cx.path).any(|n| n == api_name) => {
                reader.degraded.push(Unsupported {
                    pointer: at.clone(),
                    message: format!(
                        "left out path parameter `{api_name}`: the path `{}` has no `{{{api_name}}}`",
                        cx.path
                    ),
                });
                continue;
            }
            "path" => ParamLocation::Path,
            // An API key the spec also lists as a parameter is the client's, like
            // `Authorization`: it comes from the credentials, not from each call.
            "query" if carries_api_key(&security, ir::ApiKeyLocation::Query, api_name) => {
                continue;
            }
            "query" => ParamLocation::Query,
            "header" if CLIENT_HEADERS.contains(&api_name.to_ascii_lowercase().as_str()) => {
                continue;
            }
            "header" if carries_api_key(&security, ir::ApiKeyLocation::Header, api_name) => {
                continue;
            }
            "header" => ParamLocation::Header,
            "cookie" if carries_api_key(&security, ir::ApiKeyLocation::Cookie, api_name) => {
                continue;
            }
            _ if !data.required => {
                reader.degraded.push(Unsupported {
                    pointer: at.clone(),
                    message: format!(
                        "left out optional cookie parameter `{api_name}`: cookies are not supported"
                    ),
                });
                continue;
            }
            _ => return skip(at.clone(), "cookie parameters are not supported"),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                return skip(at.clone(), "parameters with `content` are not supported");
            }
        };
        let required = data.required || location == ParamLocation::Path;
        // An optional parameter the client cannot send is left out: the operation stays
        // callable, just without it. A required one makes the operation unusable, so it is skipped.
        let omit_or_skip = |reader: &mut SchemaReader<'_>, why: String| -> Result<(), Skip> {
            if required {
                skip(at.clone(), why)
            } else {
                reader.degraded.push(Unsupported {
                    pointer: at.clone(),
                    message: format!("left out optional parameter `{api_name}`: {why}"),
                });
                Ok(())
            }
        };
        let hint = root_hint(String::new(), String::new()).property(&resource, api_name);
        let sites_before = reader.sites.len();
        let ty = resolve_alias(
            reader.read_ref(schema, &hint, &format!("{at}/schema")),
            reader.sites,
        );
        let mut wire_name = api_name.clone();
        let mut query_style = ir::QueryStyle::Exploded;
        if let Parameter::Query { style, .. } = param {
            let array = matches!(ty, Ty::Array(_));
            // `explode` defaults to true for `form` and false for the other styles.
            let explode = data.explode;
            match style {
                openapiv3::QueryStyle::Form => {
                    if array && explode == Some(false) {
                        query_style = ir::QueryStyle::Delimited(",".to_owned());
                    }
                }
                openapiv3::QueryStyle::SpaceDelimited if array && explode != Some(true) => {
                    query_style = ir::QueryStyle::Delimited("%20".to_owned());
                }
                openapiv3::QueryStyle::PipeDelimited if array && explode != Some(true) => {
                    query_style = ir::QueryStyle::Delimited("|".to_owned());
                }
                // Exploded space/pipe-delimited lists are spelled like exploded form lists.
                openapiv3::QueryStyle::SpaceDelimited | openapiv3::QueryStyle::PipeDelimited
                    if array => {}
                // `name[]=a&name[]=b`, the form servers that use deepObject accept for lists.
                openapiv3::QueryStyle::DeepObject if array => {
                    wire_name = format!("{api_name}[]");
                }
                other => {
                    reader.sites.truncate(sites_before);
                    omit_or_skip(
                        &mut reader,
                        format!("query parameter style `{other:?}` is only supported for lists"),
                    )?;
                    continue;
                }
            }
        }
        if !param_type_ok(&ty, location, reader.sites) {
            reader.sites.truncate(sites_before);
            omit_or_skip(
                &mut reader,
                format!(
                    "parameter `{api_name}` has a type that cannot be sent in the {location:?} (only scalars, enums and, in the query, arrays of them)"
                ),
            )?;
            continue;
        }
        let rules = super::rules::rules_of(
            reader.components,
            schema,
            &format!("{at}/schema"),
            reader.degraded,
        );
        let param = ir::Param {
            name: String::new(),
            setter: String::new(),
            rules,
            count_only: false,
            api_name: wire_name,
            location,
            ty: TypeRef::Json,
            style: query_style,
            required,
            doc: Some(
                data.description
                    .clone()
                    .unwrap_or_else(|| format!("The `{api_name}` parameter.")),
            ),
        };
        match location {
            ParamLocation::Path => path_params.push((param, ty)),
            _ => other_params.push((param, ty)),
        }
    }
    // Path parameters go in template order; their names must not clash with `body`/`params`.
    let template_order: Vec<&str> = template_names(cx.path).collect();
    for name in &template_order {
        if !path_params.iter().any(|(p, _)| p.api_name == *name) {
            return skip(
                cx.pointer,
                format!("path parameter `{name}` is used in the path but not declared"),
            );
        }
    }
    path_params.sort_by_key(|(p, _)| template_order.iter().position(|n| *n == p.api_name));
    let arg_names = super::unique_names(
        ["body".to_owned(), "params".to_owned()].into_iter().chain(
            path_params
                .iter()
                .map(|(p, _)| sanitize(&p.api_name, Case::Snake, "id")),
        ),
    );
    for ((p, _), name) in path_params.iter_mut().zip(arg_names.into_iter().skip(2)) {
        p.name = name;
    }
    let field_names = super::unique_names(
        other_params
            .iter()
            .map(|(p, _)| sanitize(&p.api_name, Case::Snake, "param")),
    );
    let mut setters = super::struct_methods();
    for ((p, _), name) in other_params.iter_mut().zip(field_names) {
        p.setter = super::claim_name(&mut setters, crate::naming::setter_name(&name));
        p.name = name;
    }

    // Request body.
    let body = match &cx.operation.request_body {
        None => None,
        Some(body) => {
            let at = format!("{}/requestBody", cx.pointer);
            let Some(body) = resolve_body(cx.spec, body) else {
                return skip(at, "request body reference could not be resolved");
            };
            let Some((media, content)) = pick_request_media(&body.content) else {
                let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
                return skip(
                    at,
                    format!(
                        "request body media type(s) {} not supported",
                        kinds.join(", ")
                    ),
                );
            };
            let content_at = format!("{at}/content/{}", pointer_token(media));
            let hint = root_hint(
                format!("{op_pascal}Request"),
                format!("the request body of `{}`", cx.name),
            );
            let parts = match classify(media) {
                Media::Json => Some((
                    BodyEncoding::Json(json_content_type(media)),
                    schema_or_json(&mut reader, content, &hint, &content_at),
                )),
                Media::Form => {
                    let ty = schema_or_json(&mut reader, content, &hint, &content_at);
                    if matches!(ty, Ty::Plain(TypeRef::JsonObject)) {
                        // `type: object` with no properties: there is nothing to send.
                        reader.degraded.push(Unsupported {
                            pointer: content_at,
                            message: "form body declares no fields; the operation sends no body"
                                .to_owned(),
                        });
                        None
                    } else if matches!(ty, Ty::Site(_)) {
                        Some((BodyEncoding::Form, ty))
                    } else {
                        return skip(content_at, "form bodies must be objects");
                    }
                }
                // `pick_request_media` never returns unrecognised media.
                Media::Bytes | Media::Other => Some((
                    BodyEncoding::Bytes(media.to_owned()),
                    Ty::Plain(TypeRef::Bytes),
                )),
            };
            parts.map(|(encoding, ty)| (encoding, ty, body.required))
        }
    };

    // Success responses.
    let mut successes: Vec<(u16, Option<Ty>, bool)> = Vec::new();
    // The inline type made for the first success body; it is named `…Response` unless the
    // statuses end up in an enum, which then takes that name.
    let mut first_body_site: Option<(usize, u16)> = None;
    let mut accepted: Vec<String> = Vec::new();
    for (code, response) in &cx.operation.responses.responses {
        let status = match code {
            StatusCode::Code(c) if (200..300).contains(c) => *c,
            StatusCode::Range(2) => 200,
            _ => continue,
        };
        let at = format!(
            "{}/responses/{}",
            cx.pointer,
            pointer_token(&code.to_string())
        );
        let Some(response) = resolve_response(cx.spec, response) else {
            return skip(at, "response reference could not be resolved");
        };
        // A response to HEAD never has a body (RFC 9110, section 9.3.2), whatever the spec says
        // would come with a GET.
        if response.content.is_empty() || cx.method.eq_ignore_ascii_case("head") {
            successes.push((status, None, false));
            continue;
        }
        let picked = pick_response_media(&response.content);
        // `*/*` with a string schema is any body at all (Kubernetes' proxy and exec
        // responses): read as bytes, and asked for as anything.
        let raw = picked.filter(|(media, content)| is_any_text(media, content));
        // What the client asks for: the media it reads, or else what the spec says comes.
        // A wildcard read as JSON is asked for as JSON, the runtime's default.
        let asked = picked
            .map(|(media, _)| media)
            .or_else(|| response.content.keys().next().map(String::as_str));
        if let Some(asked) = asked.map(str::trim)
            && (asked != "*/*" || raw.is_some())
            && !accepted.iter().any(|a| a == asked)
        {
            accepted.push(asked.to_owned());
        }
        if raw.is_some() {
            successes.push((status, None, true));
            continue;
        }
        let Some((media, content)) = picked else {
            // Text or other undescribed media: the body is not decoded.
            successes.push((status, None, false));
            continue;
        };
        let content_at = format!("{at}/content/{}", pointer_token(media));
        match classify(media) {
            Media::Json => {
                let undescribed = match &content.schema {
                    None => true,
                    Some(ReferenceOr::Item(s)) => is_undescribed_object(s),
                    Some(ReferenceOr::Reference { .. }) => false,
                };
                if undescribed {
                    successes.push((status, None, false));
                } else {
                    let name = if successes.is_empty() {
                        format!("{op_pascal}Response")
                    } else {
                        format!("{op_pascal}Response{status}")
                    };
                    let first = successes.is_empty();
                    let hint = root_hint(name, format!("the `{status}` response of `{}`", cx.name));
                    let before = reader.sites.len();
                    let ty = schema_or_json(&mut reader, content, &hint, &content_at);
                    if first
                        && let Ty::Site(site) = ty
                        && site >= before
                    {
                        first_body_site = Some((site, status));
                    }
                    successes.push((status, Some(ty), false));
                }
            }
            _ => successes.push((status, None, true)),
        }
    }
    successes.sort_by_key(|(status, _, _)| *status);
    if successes.is_empty()
        && cx
            .operation
            .responses
            .responses
            .contains_key(&StatusCode::Code(101))
    {
        return skip(
            format!("{}/responses/101", cx.pointer),
            "an operation that only switches protocols (101, such as a WebSocket upgrade) is not supported",
        );
    }
    // Nothing read as JSON and the spec names only the wildcard: ask for anything, as a
    // server offering only `*/*` may refuse `application/json`.
    if accepted.is_empty() && successes.iter().all(|(_, ty, _)| ty.is_none()) {
        let documented = cx
            .operation
            .responses
            .responses
            .iter()
            .filter(|(code, _)| matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)))
            .map(|(_, response)| response)
            .chain(&cx.operation.responses.default)
            .filter_map(|response| resolve_response(cx.spec, response));
        if documented
            .flat_map(|response| response.content.keys())
            .any(|media| essence(media) == "*/*")
        {
            accepted.push("*/*".to_owned());
        }
    }
    let response = match successes.as_slice() {
        [] => DraftResponse::Unit,
        [(_, None, true)] => DraftResponse::Bytes,
        [(_, None, false)] => DraftResponse::Unit,
        [(_, Some(ty), _)] => DraftResponse::Json(ty.clone()),
        many if many.iter().all(|(_, ty, bytes)| ty.is_none() && !bytes) => DraftResponse::Unit,
        many if many.iter().any(|(_, _, bytes)| *bytes) => {
            return skip(
                format!("{}/responses", cx.pointer),
                "several success responses mixing binary and other bodies are not supported",
            );
        }
        many => {
            let with_body: Vec<_> = many.iter().filter(|(_, ty, _)| ty.is_some()).collect();
            if with_body.len() == 1 && with_body[0].1.is_some() && many.len() == with_body.len() {
                DraftResponse::Json(with_body[0].1.clone().unwrap_or(Ty::Plain(TypeRef::Json)))
            } else {
                if let Some((site, status)) = first_body_site {
                    reader.sites[site].base = format!("{op_pascal}Response{status}");
                }
                let names = super::unique_names(many.iter().map(|(s, _, _)| status_name(*s)));
                DraftResponse::Multi(
                    format!("{op_pascal}Response"),
                    many.iter()
                        .zip(names)
                        .map(|((status, ty, _), name)| (name, *status, ty.clone()))
                        .collect(),
                )
            }
        }
    };

    // Documented error bodies: the runtime returns every non-2xx status as `Error::Api` with
    // the raw body; the IR records which type the spec promises so the docs can name it and
    // callers can decode it with `ApiError::json`.
    let error_responses = cx
        .operation
        .responses
        .responses
        .iter()
        .filter(|(code, _)| !matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)))
        .map(|(code, response)| (code.to_string(), response))
        .chain(
            cx.operation
                .responses
                .default
                .iter()
                .map(|response| ("default".to_owned(), response)),
        );
    let mut errors = Vec::new();
    for (label, response) in error_responses {
        let at = format!("{}/responses/{}", cx.pointer, pointer_token(&label));
        let Some(response) = resolve_response(cx.spec, response) else {
            reader.degraded.push(Unsupported {
                pointer: at,
                message: "error response reference could not be resolved; its body stays raw"
                    .to_owned(),
            });
            continue;
        };
        let Some((media, content)) = pick_response_media(&response.content)
            .filter(|(media, _)| matches!(classify(media), Media::Json))
        else {
            continue;
        };
        let undescribed = match &content.schema {
            None => true,
            Some(ReferenceOr::Item(s)) => is_undescribed_object(s),
            Some(ReferenceOr::Reference { .. }) => false,
        };
        if undescribed {
            continue;
        }
        // `404` → `…Error404`, `4XX` → `…Error4XX`, `default` → `…ErrorDefault`.
        let suffix: String = label
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .enumerate()
            .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
            .collect();
        let hint = root_hint(
            format!("{op_pascal}Error{suffix}"),
            format!("the `{label}` error response of `{}`", cx.name),
        );
        let content_at = format!("{at}/content/{}", pointer_token(media));
        let ty = schema_or_json(&mut reader, content, &hint, &content_at);
        errors.push((label, ty));
    }

    let server = [&cx.operation.servers, &cx.item.servers, &cx.spec.servers]
        .into_iter()
        .find_map(|servers| servers.first())
        .map(server_url)
        .unwrap_or_default();
    let doc = [&cx.operation.summary, &cx.operation.description]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(OperationDraft {
        op: ir::Operation {
            name: cx.name.to_owned(),
            method: cx.method.to_ascii_uppercase(),
            path: without_fragment(cx.path).to_owned(),
            server,
            doc: (!doc.is_empty()).then_some(doc),
            source: format!("{}#{}", cx.file, cx.pointer),
            path_params: Vec::new(),
            params: None,
            body: None,
            response: ir::Response::Unit,
            errors: Vec::new(),
            deprecated: cx.operation.deprecated,
            idempotent: cx
                .operation
                .extensions
                .get("x-idempotent")
                .and_then(serde_json::Value::as_bool),
            accept: accept_header(&accepted),
            security,
        },
        path_params,
        params: other_params,
        params_name: format!("{op_pascal}Params"),
        body,
        response,
        errors,
    })
}

/// A path template without its fragment, which is never sent (RFC 3986, section 3.5): specs use
/// one to describe a second operation on the same method and path (Box's
/// `/files/{file_id}#get_shared_link`).
fn without_fragment(path: &str) -> &str {
    path.split_once('#').map_or(path, |(path, _)| path)
}

/// The `{name}` placeholders of a path template, in order.
fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

fn schema_or_json(reader: &mut SchemaReader<'_>, media: &MediaType, hint: &Hint, at: &str) -> Ty {
    match &media.schema {
        Some(schema) => reader.read_ref(schema, hint, &format!("{at}/schema")),
        None => Ty::Plain(TypeRef::Json),
    }
}

fn param_type_ok(ty: &Ty, location: ParamLocation, sites: &[Site]) -> bool {
    let scalar = |ty: &Ty| super::schema::is_scalar(ty, sites);
    match ty {
        Ty::Array(inner) => location == ParamLocation::Query && scalar(inner),
        other => scalar(other),
    }
}

/// A parameter typed by a component that only renames a type (`Name: {type: string}`) takes
/// the underlying type, so callers pass `&str` rather than `&Name`.
fn resolve_alias(mut ty: Ty, sites: &[Site]) -> Ty {
    for _ in 0..16 {
        match &ty {
            Ty::Site(i) => match &sites[*i].kind {
                Some(super::schema::Kind::Alias(inner)) => ty = inner.clone(),
                _ => break,
            },
            Ty::Array(inner) => {
                return Ty::Array(Box::new(resolve_alias((**inner).clone(), sites)));
            }
            // A parameter value is never `null`.
            Ty::Nullable(inner) => ty = (**inner).clone(),
            _ => break,
        }
    }
    ty
}

/// The `Accept` header for an operation's success media types; `None` when it is only
/// `application/json`, which the runtime sends anyway.
fn accept_header(media: &[String]) -> Option<String> {
    match media {
        [] => None,
        [only] if only.eq_ignore_ascii_case("application/json") => None,
        many => Some(many.join(", ")),
    }
}

/// Readable variant names for success statuses.
fn status_name(status: u16) -> String {
    match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => return format!("Status{status}"),
    }
    .to_owned()
}

/// A server URL with its variables replaced by their defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    let url = url.trim_end_matches('/');
    if url.contains("://") {
        return url.to_owned();
    }
    // A relative server is a path the runtime appends to the client's base URL.
    let path = url.trim_start_matches("./").trim_start_matches('/');
    if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    }
}

enum Media {
    Json,
    Form,
    Bytes,
    Other,
}

/// A media type without its parameters (`application/json; charset=utf-8` → `application/json`).
fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

fn classify(media: &str) -> Media {
    let essence = essence(media).to_ascii_lowercase();
    // `*/*` with a schema is what Kubernetes writes for its JSON bodies.
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        Media::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Media::Form
    } else if essence == "application/octet-stream"
        || essence.starts_with("image/")
        || essence.starts_with("audio/")
        || essence.starts_with("video/")
        || essence == "application/pdf"
        || essence == "application/zip"
        || essence == "text/plain"
        || essence == "text/csv"
    {
        Media::Bytes
    } else {
        Media::Other
    }
}

/// The `Content-Type` of a JSON request body: the declared media type, unless it is plain
/// `application/json` (the runtime's default) or the wildcard `*/*`, which is no content type.
fn json_content_type(media: &str) -> Option<String> {
    let essence = essence(media);
    let plain = essence.eq_ignore_ascii_case("application/json") && !media.contains(';');
    (!plain && essence != "*/*").then(|| media.trim().to_owned())
}

fn pick_request_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let rank = |m: &str| match classify(m) {
        Media::Json => Some(0),
        Media::Form => Some(1),
        Media::Bytes => Some(2),
        Media::Other => None,
    };
    content
        .iter()
        .filter_map(|(m, c)| rank(m).map(|r| (r, m.as_str(), c)))
        .min_by_key(|(r, _, _)| *r)
        .map(|(_, m, c)| (m, c))
}

/// Whether a response's media is the wildcard `*/*` with an inline `type: string` schema: a
/// body of any type, which JSON decoding would refuse.
fn is_any_text(media: &str, content: &MediaType) -> bool {
    let essence = essence(media);
    essence == "*/*"
        && matches!(
            &content.schema,
            Some(ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(_)),
                ..
            }))
        )
}

fn pick_response_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    pick_request_media(content).filter(|(m, _)| !matches!(classify(m), Media::Form))
}

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    let mut current = param;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(p) => return Some(p),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                current = spec
                    .components
                    .as_ref()?
                    .parameters
                    .get(&super::schema::unescape(name))?;
            }
        }
    }
    None
}

fn resolve_body<'a>(
    spec: &'a OpenAPI,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    let mut current = body;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(b) => return Some(b),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                current = spec
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(&super::schema::unescape(name))?;
            }
        }
    }
    None
}

fn resolve_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    let mut current = response;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(r) => return Some(r),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/")?;
                current = spec
                    .components
                    .as_ref()?
                    .responses
                    .get(&super::schema::unescape(name))?;
            }
        }
    }
    None
}
