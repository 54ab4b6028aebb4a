//! IR → Rust tokens. Emission makes no decisions: names, types and shapes come from the IR; this
//! layer only spells them. It never sees `openapiv3`.

mod docs;
mod operations;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{self, FloatWidth, IntWidth, TypeRef};
use crate::{Error, Settings};

pub use docs::doc_lines;

/// Tokens for one generated module file (`v2.rs`).
pub fn module(module: &ir::Module, settings: &Settings) -> Result<TokenStream, Error> {
    let mut cx = Cx::new(settings)?;
    let markers = ident(&module.markers.module);
    cx.markers = quote!(#markers);
    let doc = inner_doc(&module.doc);
    let api = operations::api(&cx, module);
    let types = module.types.iter().map(|t| types::type_def(&cx, t));
    let markers = types::field_markers(&module.markers);
    Ok(quote! {
        #doc
        #api
        #(#types)*
        #markers
    })
}

/// Tokens for the module index (`mod.rs`): module declarations and, inside the runtime crate,
/// `Client` accessors such as `client.v2()`.
pub fn index(api: &ir::Api, settings: &Settings) -> Result<TokenStream, Error> {
    let cx = Cx::new(settings)?;
    let rt = &cx.runtime;
    let names: Vec<Ident> = api.modules.iter().map(|m| ident(&m.name)).collect();
    let docs = api.modules.iter().map(|m| {
        let first = m.doc.lines().next().unwrap_or_default();
        outer_doc(first)
    });
    let accessors = settings.client_accessors.then(|| {
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
        quote! {
            impl #rt::Client {
                #(#methods)*
            }
        }
    });
    Ok(quote! {
        //! Generated operations and types, one module per API version.
        #(#docs pub mod #names;)*
        #accessors
    })
}

/// Shared emission context.
pub(crate) struct Cx {
    /// Path to the runtime module, e.g. `crate::runtime`.
    pub runtime: TokenStream,
    /// Path to the module's field markers (`fields`), when emitting a module.
    pub markers: TokenStream,
}

impl Cx {
    /// The runtime path must be a Rust path (`crate::runtime`, `::ppio::runtime`); anything else
    /// is refused rather than replaced, so a typo cannot generate code calling the wrong module.
    fn new(settings: &Settings) -> Result<Self, Error> {
        let path: syn::Path = syn::parse_str(settings.runtime.trim()).map_err(|error| {
            Error::Settings(format!(
                "runtime path `{}` is not a Rust path such as `::ppio::runtime`: {error}",
                settings.runtime
            ))
        })?;
        Ok(Cx {
            runtime: quote!(#path),
            markers: TokenStream::new(),
        })
    }

    /// The Rust spelling of a type use.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        let rt = &self.runtime;
        match ty {
            TypeRef::String => quote!(::std::string::String),
            TypeRef::Integer(IntWidth::I32) => quote!(i32),
            TypeRef::Integer(IntWidth::I64) => quote!(i64),
            TypeRef::Integer(IntWidth::U32) => quote!(u32),
            TypeRef::Integer(IntWidth::U64) => quote!(u64),
            TypeRef::Float(FloatWidth::F32) => quote!(f32),
            TypeRef::Float(FloatWidth::F64) => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json => quote!(::serde_json::Value),
            TypeRef::JsonObject => {
                quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
            }
            TypeRef::Bytes => quote!(#rt::Bytes),
            TypeRef::Array(inner) => {
                let inner = self.ty(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(::std::option::Option<#inner>)
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
