//! IR → Rust tokens. Emission makes no decisions: names, types and shapes come from the IR; this
//! layer only spells them. It never sees `openapiv3`.

mod docs;
mod operations;
mod types;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{self, FloatWidth, IntWidth, TypeRef};
use crate::{Error, Settings};

pub use docs::doc_lines;

/// One top-level part of a module file. A module is emitted part by part so that its parts can
/// be turned into text on several threads (tokens cannot cross threads); the file is the parts'
/// text in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The module's inner docs, the `Api` struct and its `impl` with every operation.
    Api,
    /// The parameter and response types of the operation at this index.
    OperationTypes(usize),
    /// The named type at this index.
    Type(usize),
    /// The module's field markers for typestate builders (`fields`).
    Markers,
}

/// The parts of a module file, in file order.
pub fn parts(module: &ir::Module) -> Vec<Part> {
    std::iter::once(Part::Api)
        .chain((0..module.operations.len()).map(Part::OperationTypes))
        .chain((0..module.types.len()).map(Part::Type))
        .chain(std::iter::once(Part::Markers))
        .collect()
}

/// Tokens for one part of a module file.
pub fn part(cx: &Cx, module: &ir::Module, part: Part) -> TokenStream {
    match part {
        Part::Api => {
            let doc = inner_doc(&module.doc);
            let runtime_use = &cx.runtime_use;
            let api = operations::api(cx, module);
            quote! {
                #doc
                #runtime_use
                #api
            }
        }
        Part::OperationTypes(i) => operations::operation_types(cx, &module.operations[i]),
        Part::Type(i) => types::type_def(cx, &module.types[i]),
        Part::Markers => types::field_markers(&module.markers),
    }
}

/// Tokens for the module index (`mod.rs`): module declarations, the runtime contract check and,
/// when the settings name a client type of the output's own crate, accessors such as
/// `client.v2()`.
pub fn index(api: &ir::Api, settings: &Settings) -> Result<TokenStream, Error> {
    let cx = Cx::new(settings)?;
    let rt = &cx.runtime;
    let names: Vec<Ident> = api.modules.iter().map(|m| ident(&m.name)).collect();
    let docs = api.modules.iter().map(|m| {
        let first = m.doc.lines().next().unwrap_or_default();
        outer_doc(first)
    });
    let accessors = settings.client_type.as_deref().map(|client| {
        let methods = api.modules.iter().zip(&names).map(|(m, name)| {
            let doc = outer_doc(&format!(
                "Operations of {}.",
                m.doc.lines().next().unwrap_or(&m.name)
            ));
            quote! {
                #doc
                pub fn #name(&self) -> #name::Api<'_> {
                    #name::Api::new(self)
                }
            }
        });
        let client: syn::Path = syn::parse_str(client).map_err(|error| {
            Error::Settings(format!(
                "client type `{client}` is not a Rust path: {error}"
            ))
        })?;
        Ok::<_, Error>(quote! {
            impl #client {
                #(#methods)*
            }
        })
    });
    let accessors = accessors.transpose()?;
    let contract = proc_macro2::Literal::u32_unsuffixed(crate::RUNTIME_CONTRACT);
    Ok(quote! {
        //! Generated operations and types, one module per API version.
        #(#docs pub mod #names;)*
        // Fails to compile against a runtime whose generated-code contract differs.
        const _: () = #rt::require_contract(#contract);
        #accessors
    })
}

/// Shared emission context.
pub struct Cx {
    /// How generated code names the runtime's generated-code module: its path
    /// (`::apiwire::codegen`) in `mod.rs`, and `codegen`, which each module file imports, in
    /// module files.
    pub(crate) runtime: TokenStream,
    /// The `use` item a module file starts with: `use ::apiwire::codegen;`.
    pub(crate) runtime_use: TokenStream,
    /// Path to the module's field markers (`fields`), when emitting a module.
    pub(crate) markers: TokenStream,
    /// How the standard items with prelude names are spelled.
    pub(crate) std: Std,
}

/// How a module file spells the standard items that have a prelude name: by that name
/// (`Option`) unless the module defines a type of the same name, which hides the prelude's in
/// the whole file, and then by path (`::std::option::Option`). Published type names never
/// change for the sake of generated code.
///
/// `Some`, `None`, `Ok` and `Err` are always bare: every module-level item is a braced struct,
/// an enum, a type alias or a module, none of which lives in the value namespace, so no type
/// named `Some` hides the constructor (the `collisions` golden defines one).
pub(crate) struct Std {
    pub(crate) option: TokenStream,
    pub(crate) result: TokenStream,
    pub(crate) string: TokenStream,
    pub(crate) vec: TokenStream,
    pub(crate) boxed: TokenStream,
    pub(crate) into: TokenStream,
    pub(crate) from: TokenStream,
}

impl Std {
    /// The spellings in a file that defines the types for which `defined` holds.
    fn new(defined: impl Fn(&str) -> bool) -> Self {
        let spell = |name: &str, path: TokenStream| {
            if defined(name) {
                path
            } else {
                let name = ident(name);
                quote!(#name)
            }
        };
        Std {
            option: spell("Option", quote!(::std::option::Option)),
            result: spell("Result", quote!(::std::result::Result)),
            string: spell("String", quote!(::std::string::String)),
            vec: spell("Vec", quote!(::std::vec::Vec)),
            boxed: spell("Box", quote!(::std::boxed::Box)),
            into: spell("Into", quote!(::std::convert::Into)),
            from: spell("From", quote!(::std::convert::From)),
        }
    }
}

/// Every type a module file defines at its top level: `Api`, the named types, the operations'
/// parameter structs and multi-status enums, and the builders of both with their value structs.
fn defined_types(module: &ir::Module) -> BTreeSet<&str> {
    let mut names = BTreeSet::from(["Api"]);
    let mut builders: Vec<&ir::Builder> = Vec::new();
    for def in &module.types {
        names.insert(&def.name);
        if let ir::TypeKind::Struct(s) = &def.kind {
            builders.extend(&s.builder);
        }
    }
    for op in &module.operations {
        if let Some(params) = &op.params {
            names.insert(&params.name);
            builders.extend(&params.builder);
        }
        if let ir::Response::Multi(multi) = &op.response {
            names.insert(&multi.name);
        }
    }
    for builder in builders {
        names.extend([builder.name.as_str(), builder.fields.as_str()]);
    }
    names
}

impl Cx {
    /// The context for emitting `module`'s file; see [`Cx::new`].
    pub fn for_module(settings: &Settings, module: &ir::Module) -> Result<Self, Error> {
        let mut cx = Cx::new(settings)?;
        let markers = ident(&module.markers.module);
        cx.markers = quote!(#markers);
        let defined = defined_types(module);
        cx.std = Std::new(|name| defined.contains(name));
        // Module-level names are types (upper camel case), `Api` and the marker module, so the
        // snake-case `codegen` cannot clash with one of them.
        let path = &cx.runtime;
        let is_codegen = settings
            .runtime
            .trim()
            .rsplit("::")
            .next()
            .is_some_and(|last| last.trim() == "codegen");
        cx.runtime_use = if is_codegen {
            quote!(use #path;)
        } else {
            quote!(use #path as codegen;)
        };
        cx.runtime = quote!(codegen);
        Ok(cx)
    }

    /// The runtime path must be a Rust path (`::apiwire::codegen`); anything else
    /// is refused rather than replaced, so a typo cannot generate code calling the wrong module.
    pub fn new(settings: &Settings) -> Result<Self, Error> {
        let path: syn::Path = syn::parse_str(settings.runtime.trim()).map_err(|error| {
            Error::Settings(format!(
                "runtime path `{}` is not a Rust path such as `::apiwire::codegen`: {error}",
                settings.runtime
            ))
        })?;
        Ok(Cx {
            runtime: quote!(#path),
            runtime_use: TokenStream::new(),
            markers: TokenStream::new(),
            // Paths: a file of unknown types may define any name.
            std: Std::new(|_| true),
        })
    }

    /// The Rust spelling of a type use.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        let rt = &self.runtime;
        let Std {
            option,
            string,
            vec,
            ..
        } = &self.std;
        match ty {
            TypeRef::String => string.clone(),
            TypeRef::Integer(IntWidth::I32) => quote!(i32),
            TypeRef::Integer(IntWidth::I64) => quote!(i64),
            TypeRef::Integer(IntWidth::U32) => quote!(u32),
            TypeRef::Integer(IntWidth::U64) => quote!(u64),
            TypeRef::Float(FloatWidth::F32) => quote!(f32),
            TypeRef::Float(FloatWidth::F64) => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json => quote!(::serde_json::Value),
            TypeRef::JsonObject => {
                quote!(::serde_json::Map<#string, ::serde_json::Value>)
            }
            TypeRef::Bytes => quote!(#rt::Bytes),
            TypeRef::Array(inner) => {
                let inner = self.ty(inner);
                quote!(#vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                quote!(::std::collections::BTreeMap<#string, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(#option<#inner>)
            }
            TypeRef::Named(name) => {
                let name = ident(name);
                quote!(#name)
            }
        }
    }
}

/// An identifier, raw when the name says so (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc = …]` attributes for prose.
pub(crate) fn outer_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Doc attributes for an optional text.
pub(crate) fn opt_doc(text: Option<&str>) -> TokenStream {
    text.map(outer_doc).unwrap_or_default()
}
