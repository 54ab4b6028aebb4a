//! The `Api` handle of a module and one method per operation. Each method only assembles a
//! runtime `Request` and hands it to `Call`; sending, retrying and decoding live in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{rules, struct_def, validate_struct};
use super::{Cx, Std, ident, outer_doc};
use crate::ir::{self, ApiKeyLocation, BodyEncoding, ParamLocation, SchemeKind, TypeRef};

/// The module's `Api` struct and its operations (their parameter and response types are
/// [`operation_types`]).
pub fn api(cx: &Cx, module: &ir::Module) -> TokenStream {
    let rt = &cx.runtime;
    let methods = module.operations.iter().map(|op| method(cx, op));
    let title = module.doc.lines().next().unwrap_or(&module.name);
    let doc = outer_doc(&format!(
        "Operations of {title}. Every method returns a `Call`: adjust it per call, then `.await` it."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct Api<'a> {
            client: &'a #rt::Client,
        }

        impl<'a> Api<'a> {
            /// Wraps a client.
            pub fn new(client: &'a #rt::Client) -> Self {
                Self { client }
            }

            /// The client these operations are sent with.
            pub fn client(&self) -> &'a #rt::Client {
                self.client
            }

            #(#methods)*
        }
    }
}

fn method(cx: &Cx, op: &ir::Operation) -> TokenStream {
    let rt = &cx.runtime;
    let Std { option, into, .. } = &cx.std;
    let name = ident(&op.name);
    let mut doc_text = op.doc.clone().unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&format!("`{} {}`", op.method, op.path.replace('`', "'")));
    // Our own Markdown (not spec prose), so it bypasses the escaping in `outer_doc`.
    let mut error_lines: Vec<String> = Vec::new();
    if !op.errors.is_empty() {
        error_lines.extend(
            [
                "",
                " # Errors",
                "",
                " Every non-success status is an `Error::Api` carrying the raw body. The spec",
                " documents these bodies; decode one with `ApiError::json`:",
            ]
            .map(str::to_owned),
        );
        for error in &op.errors {
            let ty = match &error.ty {
                TypeRef::Named(name) => format!("[`{name}`]"),
                _ => "JSON".to_owned(),
            };
            error_lines.push(format!(" - `{}`: {ty}", error.status.replace('`', "'")));
        }
    }
    let security_lines = security_doc(&op.security);
    let doc = outer_doc(&doc_text);
    let doc = quote!(#doc #(#[doc = #error_lines])* #(#[doc = #security_lines])*);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let mut args: Vec<TokenStream> = Vec::new();
    // The argument names, for a method that forwards to this one.
    let mut forwarded: Vec<TokenStream> = Vec::new();
    let mut steps: Vec<TokenStream> = Vec::new();
    for p in &op.path_params {
        let pname = ident(&p.name);
        let api = &p.api_name;
        let ty = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Named(_) => {
                let t = cx.ty(&p.ty);
                quote!(&#t)
            }
            other => cx.ty(other),
        };
        args.push(quote!(#pname: #ty));
        forwarded.push(quote!(#pname));
        if !p.rules.is_empty() {
            let list = rules(cx, &p.rules);
            steps.push(quote!(.validate_param(#api, &#pname, #list)));
        }
        steps.push(quote!(.path_param(#api, #pname)));
    }
    // Arguments before and after the params struct: a forwarding method passes both sides.
    let params_at = args.len();
    if let Some(params) = &op.params {
        let pty = ident(&params.name);
        args.push(quote!(params: &#pty));
        if params.validate {
            steps.push(quote!(.validate(params)));
        }
        for p in &params.params {
            steps.push(param_step(p));
        }
    }
    if op.body.as_ref().is_some_and(|b| b.validate) {
        // `&T` or `Option<&T>`: both validate (`None` has nothing to check).
        steps.push(quote!(.validate(&body)));
    }
    if let Some(body) = &op.body {
        // An optional body is `Option<&T>`; `None` sends no body and no `Content-Type`.
        let ty = cx.ty(&body.ty);
        let (arg, suffix) = if body.required {
            (quote!(&#ty), "")
        } else {
            (quote!(#option<&#ty>), "_opt")
        };
        let step = |name: &str| quote::format_ident!("{name}{suffix}");
        forwarded.push(quote!(body));
        match &body.encoding {
            BodyEncoding::Json(content_type) => {
                args.push(quote!(body: #arg));
                steps.push(match content_type {
                    None => {
                        let json = step("json");
                        quote!(.#json(body))
                    }
                    Some(content_type) => {
                        let json_as = step("json_as");
                        quote!(.#json_as(#content_type, body))
                    }
                });
            }
            BodyEncoding::Form => {
                args.push(quote!(body: #arg));
                let form = step("form");
                steps.push(quote!(.#form(body)));
            }
            BodyEncoding::Bytes(content_type) => {
                if body.required {
                    args.push(quote!(body: impl #into<#rt::Bytes>));
                } else {
                    args.push(quote!(body: #option<#rt::Bytes>));
                }
                let bytes = step("bytes");
                steps.push(quote!(.#bytes(#content_type, body)));
            }
        }
    }
    if !op.security.is_empty() {
        let alternatives = op.security.iter().map(|requirement| {
            let schemes = requirement.schemes.iter().map(|s| scheme(cx, s));
            quote!(&[#(#schemes),*])
        });
        steps.push(quote!(.security(&[#(#alternatives),*])));
    }
    let (output, decode) = match &op.response {
        ir::Response::Unit => (quote!(()), quote!(#rt::decode_unit)),
        ir::Response::Bytes => (quote!(#rt::Bytes), quote!(#rt::decode_bytes)),
        ir::Response::Json(ty) => {
            let ty = cx.ty(ty);
            (ty.clone(), quote!(#rt::decode_json::<#ty>))
        }
        ir::Response::Multi(multi) => {
            let ty = ident(&multi.name);
            (quote!(#ty), quote!(#ty::decode))
        }
    };
    if let Some(accept) = &op.accept {
        steps.push(quote!(.accept(#accept)));
    }
    if let Some(idempotent) = op.idempotent {
        steps.push(quote!(.idempotent(#idempotent)));
    }
    let method = ident(&op.method);
    let server = &op.server;
    let path = &op.path;
    let with_params = op
        .params
        .as_ref()
        .and_then(|p| Some((p, p.with_method.as_ref()?)));
    let Some((params, with)) = with_params else {
        return quote! {
            #doc
            #deprecated
            pub fn #name(&self, #(#args),*) -> #rt::Call<#output> {
                let request = #rt::Request::new(#rt::Method::#method, #server, #path)
                    #(#steps)*;
                #rt::Call::new(self.client, request, #decode)
            }
        };
    };
    // Every parameter is optional: the operation's own method takes none and forwards to the
    // one that takes the struct.
    let with = ident(with);
    let pty = ident(&params.name);
    let mut short_args = args.clone();
    short_args.remove(params_at);
    let (before, after) = forwarded.split_at(params_at);
    // Forwarding to a deprecated method is this crate's own business, not a warning.
    let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    // Our own text, not spec prose: it links, so it skips the prose escaping of `outer_doc`.
    let with_doc = format!(
        " [`{op}`](Self::{op}) with its optional parameters.",
        op = crate::naming::unraw(&op.name)
    );
    let short_note = format!(
        " Sends none of the optional parameters; [`{w}`](Self::{w}) takes them.",
        w = crate::naming::unraw(&with.to_string())
    );
    quote! {
        #doc
        #[doc = ""]
        #[doc = #short_note]
        #deprecated
        #allow_deprecated
        pub fn #name(&self, #(#short_args),*) -> #rt::Call<#output> {
            self.#with(#(#before,)* &#pty::default(), #(#after),*)
        }

        #[doc = #with_doc]
        #deprecated
        pub fn #with(&self, #(#args),*) -> #rt::Call<#output> {
            let request = #rt::Request::new(#rt::Method::#method, #server, #path)
                #(#steps)*;
            #rt::Call::new(self.client, request, #decode)
        }
    }
}

/// A scheme use as the runtime's `Scheme` value.
fn scheme(cx: &Cx, scheme: &ir::SchemeUse) -> TokenStream {
    let rt = &cx.runtime;
    let name = &scheme.scheme;
    match &scheme.kind {
        SchemeKind::HttpBearer => quote!(#rt::Scheme::HttpBearer { scheme: #name }),
        SchemeKind::HttpBasic => quote!(#rt::Scheme::HttpBasic { scheme: #name }),
        SchemeKind::OAuth2 => quote!(#rt::Scheme::OAuth2 { scheme: #name }),
        SchemeKind::OpenIdConnect => quote!(#rt::Scheme::OpenIdConnect { scheme: #name }),
        SchemeKind::ApiKey {
            location,
            name: key,
        } => {
            let variant = match location {
                ApiKeyLocation::Header => quote!(ApiKeyHeader),
                ApiKeyLocation::Query => quote!(ApiKeyQuery),
                ApiKeyLocation::Cookie => quote!(ApiKeyCookie),
            };
            quote!(#rt::Scheme::#variant { scheme: #name, name: #key })
        }
    }
}

/// The "Authentication" section of an operation's docs: which credentials it can be called
/// with, by scheme name (the name `ClientBuilder::credential` takes).
fn security_doc(requirements: &[ir::SecurityRequirement]) -> Vec<String> {
    if requirements.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = ["", " # Authentication", ""].map(str::to_owned).to_vec();
    lines.push(if requirements.len() == 1 {
        " Credentials for:".to_owned()
    } else {
        " Credentials for one of:".to_owned()
    });
    for requirement in requirements {
        let text = if requirement.schemes.is_empty() {
            "none (anonymous access)".to_owned()
        } else {
            requirement
                .schemes
                .iter()
                .map(|s| {
                    let how = match &s.kind {
                        SchemeKind::HttpBearer => "bearer token".to_owned(),
                        SchemeKind::HttpBasic => "HTTP basic".to_owned(),
                        SchemeKind::OAuth2 => "OAuth 2 token".to_owned(),
                        SchemeKind::OpenIdConnect => "OpenID Connect token".to_owned(),
                        SchemeKind::ApiKey { location, name } => {
                            let at = match location {
                                ApiKeyLocation::Header => "header",
                                ApiKeyLocation::Query => "query parameter",
                                ApiKeyLocation::Cookie => "cookie",
                            };
                            format!("API key in {at} `{}`", name.replace('`', "'"))
                        }
                    };
                    format!("`{}` ({how})", s.scheme.replace('`', "'"))
                })
                .collect::<Vec<_>>()
                .join(" and ")
        };
        lines.push(format!(" - {text}"));
    }
    lines
}

/// A parameter value for a method taking `impl Display`: numbers and booleans by value (they
/// are `Copy`), anything else borrowed.
fn by_value_or_ref(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Integer(_) | TypeRef::Float(_) | TypeRef::Boolean => value,
        _ => quote!(&#value),
    }
}

/// The builder step that sends one query or header parameter.
fn param_step(p: &ir::Param) -> TokenStream {
    let field = ident(&p.name);
    let api = &p.api_name;
    match (p.location, &p.ty, p.required) {
        (ParamLocation::Query, TypeRef::Array(_), required) => {
            let values = if required {
                quote!(&params.#field)
            } else {
                quote!(params.#field.iter().flatten())
            };
            match &p.style {
                ir::QueryStyle::Exploded => quote!(.query_all(#api, #values)),
                ir::QueryStyle::Delimited(separator) => {
                    quote!(.query_joined(#api, #separator, #values))
                }
            }
        }
        (ParamLocation::Query, ty, true) => {
            let value = by_value_or_ref(ty, quote!(params.#field));
            quote!(.query(#api, #value))
        }
        (ParamLocation::Query, _, false) => quote!(.query_opt(#api, params.#field.as_ref())),
        (_, ty, true) => {
            let value = by_value_or_ref(ty, quote!(params.#field));
            quote!(.header(#api, #value))
        }
        (_, _, false) => quote!(.header_opt(#api, params.#field.as_ref())),
    }
}

/// The `…Params` struct and the multi-status response enum of an operation, when it has them.
pub fn operation_types(cx: &Cx, op: &ir::Operation) -> TokenStream {
    let params = op.params.as_ref().map(|params| {
        let fields: Vec<ir::Field> = params
            .params
            .iter()
            .map(|p| ir::Field {
                name: p.name.clone(),
                api_name: p.api_name.clone(),
                setter: p.setter.clone(),
                null_setter: None,
                doc: p.doc.clone(),
                ty: p.ty.clone(),
                required: p.required,
                nullable: false,
                boxed: false,
                decoder: None,
                rules: p.rules.clone(),
                nested_validate: false,
                count_only: p.count_only,
            })
            .collect();
        let doc = outer_doc(&format!(
            "Query and header parameters of [`Api::{}`].",
            crate::naming::unraw(&op.name)
        ));
        let def = struct_def(
            cx,
            &params.name,
            doc,
            &fields,
            None,
            false,
            params.builder.as_ref(),
        );
        let validate = params
            .validate
            .then(|| validate_struct(cx, &params.name, &fields));
        quote!(#def #validate)
    });
    let multi = match &op.response {
        ir::Response::Multi(multi) => Some(multi_response(cx, op, multi)),
        _ => None,
    };
    quote!(#params #multi)
}

fn multi_response(cx: &Cx, op: &ir::Operation, multi: &ir::MultiResponse) -> TokenStream {
    let rt = &cx.runtime;
    let result = &cx.std.result;
    let name = ident(&multi.name);
    let doc = outer_doc(&format!(
        "The success responses of [`Api::{}`], by status.",
        crate::naming::unraw(&op.name)
    ));
    let variants = multi.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdoc = format!(" Status {}.", v.status);
        match &v.ty {
            Some(ty) => {
                let ty = cx.ty(ty);
                quote!(#[doc = #vdoc] #vname(#ty),)
            }
            None => quote!(#[doc = #vdoc] #vname,),
        }
    });
    let arms = multi.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let status = v.status;
        match &v.ty {
            Some(_) => quote!(#status => #rt::decode_json(response).map(Self::#vname),),
            None => quote!(#status => Ok(Self::#vname),),
        }
    });
    let fallback = multi
        .variants
        .iter()
        .find(|v| v.name == multi.fallback)
        .map(|v| {
            let vname = ident(&v.name);
            match &v.ty {
                Some(_) => quote!(_ => #rt::decode_json(response).map(Self::#vname),),
                None => quote!(_ => Ok(Self::#vname),),
            }
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            fn decode(response: &#rt::Response) -> #result<Self, #rt::Error> {
                match response.status().as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}
