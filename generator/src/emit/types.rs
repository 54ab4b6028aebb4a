//! Named types: structs with constructors and setters, open enums, unions and aliases.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Cx, Std, ident, opt_doc, outer_doc};
use crate::ir::{self, FieldDecoder, TypeKind, TypeRef};

/// Tokens for one named type.
pub fn type_def(cx: &Cx, def: &ir::TypeDef) -> TokenStream {
    let body = type_body(cx, def);
    let validate = def.validate.then(|| match &def.kind {
        TypeKind::Struct(s) => validate_struct(cx, &def.name, &s.fields),
        TypeKind::Union(u) => validate_union(cx, &def.name, u),
        // An alias is the type it names, which validates itself.
        _ => quote!(),
    });
    quote!(#body #validate)
}

/// The rules of a field or parameter as a `&[Rule]` expression.
pub fn rules(cx: &Cx, rules: &[ir::Rule]) -> TokenStream {
    let rt = &cx.runtime;
    let items = rules.iter().map(|rule| match rule {
        ir::Rule::MinLength(n) => quote!(#rt::Rule::MinLength(#n)),
        ir::Rule::MaxLength(n) => quote!(#rt::Rule::MaxLength(#n)),
        ir::Rule::Minimum(n) => quote!(#rt::Rule::Minimum(#n)),
        ir::Rule::ExclusiveMinimum(n) => quote!(#rt::Rule::ExclusiveMinimum(#n)),
        ir::Rule::Maximum(n) => quote!(#rt::Rule::Maximum(#n)),
        ir::Rule::ExclusiveMaximum(n) => quote!(#rt::Rule::ExclusiveMaximum(#n)),
        ir::Rule::MultipleOf(n) => quote!(#rt::Rule::MultipleOf(#n)),
        ir::Rule::MinItems(n) => quote!(#rt::Rule::MinItems(#n)),
        ir::Rule::MaxItems(n) => quote!(#rt::Rule::MaxItems(#n)),
        ir::Rule::Pattern(p) => quote!(#rt::Rule::Pattern(#p)),
        ir::Rule::Items(inner) => {
            let inner = self::rules(cx, inner);
            quote!(#rt::Rule::Items(#inner))
        }
    });
    quote!(&[#(#items),*])
}

/// `impl Validate` for a struct: each field's rules, then the fields holding validating types.
pub fn validate_struct(cx: &Cx, name: &str, fields: &[ir::Field]) -> TokenStream {
    let rt = &cx.runtime;
    let name = ident(name);
    let checks = fields.iter().map(|f| {
        let field = ident(&f.name);
        let api = &f.api_name;
        let rules = (!f.rules.is_empty()).then(|| {
            let list = rules(cx, &f.rules);
            if f.count_only {
                quote!(validator.count(#api, &self.#field, #list);)
            } else {
                quote!(validator.rules(#api, &self.#field, #list);)
            }
        });
        let nested = f
            .nested_validate
            .then(|| quote!(validator.nested(#api, &self.#field);));
        quote!(#rules #nested)
    });
    quote! {
        impl #rt::Validate for #name {
            fn validate(&self, validator: &mut #rt::Validator) {
                #(#checks)*
            }
        }
    }
}

fn validate_union(cx: &Cx, name: &str, u: &ir::Union) -> TokenStream {
    let rt = &cx.runtime;
    let name = ident(name);
    let arms: Vec<TokenStream> = u
        .variants
        .iter()
        .filter(|v| v.validates)
        .map(|v| {
            let variant = ident(&v.name);
            quote!(Self::#variant(value) => #rt::Validate::validate(value, validator),)
        })
        .collect();
    let partial = arms.len() < u.variants.len() + usize::from(u.catch_all.is_some());
    let body = match u.variants.iter().find(|v| v.validates) {
        // One variant has limits and others have none: a match would have one real arm.
        Some(only) if partial && arms.len() == 1 => {
            let variant = ident(&only.name);
            quote! {
                if let Self::#variant(value) = self {
                    #rt::Validate::validate(value, validator);
                }
            }
        }
        _ => {
            let rest = partial.then(|| quote!(_ => {}));
            quote! {
                match self {
                    #(#arms)*
                    #rest
                }
            }
        }
    };
    quote! {
        impl #rt::Validate for #name {
            fn validate(&self, validator: &mut #rt::Validator) {
                #body
            }
        }
    }
}

fn type_body(cx: &Cx, def: &ir::TypeDef) -> TokenStream {
    let doc = opt_doc(def.doc.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(
            cx,
            &def.name,
            doc,
            &s.fields,
            s.additional
                .as_ref()
                .map(|ty| (s.additional_field.as_str(), ty)),
            true,
            s.builder.as_ref(),
        ),
        TypeKind::StringEnum(e) => string_enum(cx, &def.name, doc, e),
        TypeKind::IntEnum(e) => int_enum(cx, &def.name, doc, e),
        TypeKind::Union(u) => union(cx, &def.name, doc, u),
        TypeKind::Alias(ty) => {
            let name = ident(&def.name);
            let ty = cx.ty(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

/// The stored type of a field: boxes and options added.
fn field_type(cx: &Cx, field: &ir::Field) -> TokenStream {
    let Std { option, boxed, .. } = &cx.std;
    let mut ty = cx.ty(&field.ty);
    if field.boxed {
        ty = quote!(#boxed<#ty>);
    }
    if field.nullable && !field.required {
        quote!(#option<#option<#ty>>)
    } else if field.nullable || !field.required {
        quote!(#option<#ty>)
    } else {
        ty
    }
}

/// The `Serialize` and `Deserialize` impls of a struct that travels as JSON: one short body
/// each, listing the fields for the runtime's shared object reader and writer instead of a
/// derived visitor per struct.
fn struct_serde(
    cx: &Cx,
    type_name: &str,
    fields: &[ir::Field],
    additional: Option<&str>,
) -> TokenStream {
    let rt = &cx.runtime;
    let result = &cx.std.result;
    let name = ident(type_name);
    let properties = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.api_name;
        if f.required {
            quote!((#wire, #rt::field(&self.#fname)),)
        } else {
            quote!((#wire, #rt::present(&self.#fname)),)
        }
    });
    let serialize = match additional {
        Some(extra) => {
            let extra = ident(extra);
            quote!(#rt::write_object_with_extra(serializer, &[#(#properties)*], &self.#extra))
        }
        None => quote!(#rt::write_object(serializer, &[#(#properties)*])),
    };
    let lenient = |f: &ir::Field| {
        matches!(
            f.decoder,
            Some(
                FieldDecoder::LenientInt
                    | FieldDecoder::LenientIntOpt
                    | FieldDecoder::LenientIntNullable
            )
        )
    };
    // Each slot's type follows from the field its value is taken into.
    let slots = fields
        .iter()
        .map(|f| match (f.required && !f.nullable, lenient(f)) {
            (_, false) => quote!(#rt::Slot::new(),),
            (true, true) => quote!(#rt::Slot::lenient_int(),),
            (false, true) => quote!(#rt::Slot::lenient_int_opt(),),
        });
    let fills = fields.iter().enumerate().map(|(i, f)| {
        let wire = &f.api_name;
        let index = syn::Index::from(i);
        quote!((#wire, &mut slots.#index),)
    });
    let takes = fields.iter().enumerate().map(|(i, f)| {
        let fname = ident(&f.name);
        let wire = &f.api_name;
        let index = syn::Index::from(i);
        if f.required && !f.nullable {
            quote!(#fname: slots.#index.required(#wire)?,)
        } else if !f.required && f.nullable {
            quote!(#fname: slots.#index.optional(),)
        } else {
            quote!(#fname: slots.#index.optional().flatten(),)
        }
    });
    let declare_slots = (!fields.is_empty()).then(|| quote!(let mut slots = (#(#slots)*);));
    let (declare_extra, read, take_extra) = match additional {
        Some(extra) => {
            let extra = ident(extra);
            (
                quote!(let mut extra = ::std::collections::BTreeMap::new();),
                quote!(#rt::read_object_with_extra(deserializer, #type_name, &mut [#(#fills)*], &mut extra)?;),
                quote!(#extra: extra,),
            )
        }
        None => (
            quote!(),
            quote!(#rt::read_object(deserializer, #type_name, &mut [#(#fills)*])?;),
            quote!(),
        ),
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #declare_slots
                #declare_extra
                #read
                Ok(Self {
                    #(#takes)*
                    #take_extra
                })
            }
        }
    }
}

/// A struct with public fields and a chainable setter per optional field, built with `new()`
/// when every field is optional and through its typestate builder otherwise.
/// `serde` is false for parameter structs, which never travel as JSON.
pub fn struct_def(
    cx: &Cx,
    name: &str,
    doc: TokenStream,
    fields: &[ir::Field],
    additional: Option<(&str, &TypeRef)>,
    serde: bool,
    builder: Option<&ir::Builder>,
) -> TokenStream {
    let type_name = name;
    let name = ident(name);
    let field_defs = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let fdoc = opt_doc(f.doc.as_deref());
        let ty = field_type(cx, f);
        quote! {
            #fdoc
            pub #fname: #ty,
        }
    });
    let additional_def = additional.map(|(field, ty)| {
        let ty = cx.ty(ty);
        let string = &cx.std.string;
        let field = ident(field);
        quote! {
            /// Properties the schema does not declare, kept as sent.
            pub #field: ::std::collections::BTreeMap<#string, #ty>,
        }
    });
    let additional_init = additional.map(|(field, _)| {
        let field = ident(field);
        quote!(#field: ::std::collections::BTreeMap::new(),)
    });
    let setters = fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| setter(cx, f, quote!(self)));
    let derive_default = builder.is_none().then(|| quote!(Default,));
    let serde_impls =
        serde.then(|| struct_serde(cx, type_name, fields, additional.map(|(field, _)| field)));
    let (start, builder_def) = match builder {
        None => {
            let names = fields.iter().map(|f| ident(&f.name));
            let start = quote! {
                /// Creates a value with every field unset.
                pub fn new() -> Self {
                    Self {
                        #(#names: None,)*
                        #additional_init
                    }
                }
            };
            (start, quote!())
        }
        Some(builder) => builder_def(cx, type_name, builder, fields, additional_init),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
            #additional_def
        }

        #serde_impls

        impl #name {
            #start

            #(#setters)*
        }

        #builder_def
    }
}

/// The typestate builder of a struct with required fields: `builder()` on the struct (returned
/// first) and the builder type. The values given so far live in a private struct of options;
/// each required field is a type parameter, `Missing` until its setter makes it `Set`, and
/// `build` requires every one to be `Required`, which names the field through its marker when
/// it is not. A setter stores one value and changes one parameter, so a builder's code grows
/// with its number of fields, not with its square.
fn builder_def(
    cx: &Cx,
    type_name: &str,
    builder: &ir::Builder,
    fields: &[ir::Field],
    additional_init: Option<TokenStream>,
) -> (TokenStream, TokenStream) {
    let rt = &cx.runtime;
    let Std {
        option,
        boxed,
        into,
        ..
    } = &cx.std;
    let name = ident(type_name);
    let builder_name = ident(&builder.name);
    let values = ident(&builder.fields);
    let required: Vec<&ir::Field> = fields.iter().filter(|f| f.required).collect();
    let states: Vec<Ident> = (0..required.len()).map(|i| format_ident!("S{i}")).collect();
    let value_defs = fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.required {
            let mut ty = cx.ty(&f.ty);
            if f.boxed {
                ty = quote!(#boxed<#ty>);
            }
            if f.nullable {
                ty = quote!(#option<#ty>);
            }
            quote!(#fname: #option<#ty>,)
        } else {
            let ty = field_type(cx, f);
            quote!(#fname: #ty,)
        }
    });
    let names: Vec<Ident> = fields.iter().map(|f| ident(&f.name)).collect();
    let required_setters = required.iter().enumerate().map(|(i, f)| {
        let method = ident(&f.setter);
        let fname = ident(&f.name);
        let ty = cx.ty(&f.ty);
        let doc = format!(" Sets `{}` (required).", f.api_name.replace('`', "'"));
        let result = states.iter().enumerate().map(|(j, state)| {
            if i == j {
                quote!(#rt::Set)
            } else {
                quote!(#state)
            }
        });
        let mut value = quote!(value.into());
        if f.boxed {
            value = quote!(#boxed::new(#value));
        }
        if f.nullable {
            value = quote!(Some(#value));
        }
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl #into<#ty>) -> #builder_name<#(#result),*> {
                self.values.#fname = Some(#value);
                #builder_name { values: self.values, state: ::std::marker::PhantomData }
            }
        }
    });
    let optional_setters = fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| setter(cx, f, quote!(self.values)));
    let markers = &cx.markers;
    let bounds = required.iter().zip(&states).map(|(f, state)| {
        let marker = ident(&f.setter);
        quote!(#state: #rt::Required<#markers::#marker>)
    });
    let finish = fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.required {
            quote!(#fname: #rt::filled(values.#fname),)
        } else {
            quote!(#fname: values.#fname,)
        }
    });
    let setter_list = required
        .iter()
        .map(|f| format!("`{}`", f.setter))
        .collect::<Vec<_>>()
        .join(", ");
    let builder_doc = format!(
        " Builds a [`{type_name}`]: `build` is available once the required fields are set \
         ({setter_list})."
    );
    let start_doc = format!(
        " Starts a [`{}`]; its `build` compiles once every required field is set.",
        builder.name
    );
    let values_doc = format!(" The values given to a [`{}`] so far.", builder.name);
    let start = quote! {
        #[doc = #start_doc]
        pub fn builder() -> #builder_name {
            #builder_name {
                values: #values { #(#names: None,)* },
                state: ::std::marker::PhantomData,
            }
        }
    };
    let def = quote! {
        #[doc = #builder_doc]
        #[must_use]
        // One type parameter per required field is the typestate itself.
        #[allow(clippy::type_complexity)]
        pub struct #builder_name<#(#states = #rt::Missing),*> {
            values: #values,
            state: #rt::States<(#(#states,)*)>,
        }

        #[doc = #values_doc]
        struct #values {
            #(#value_defs)*
        }

        #[allow(clippy::type_complexity)]
        impl<#(#states),*> #builder_name<#(#states),*> {
            #(#required_setters)*

            #(#optional_setters)*

            /// Finishes the value.
            pub fn build(self) -> #name
            where
                #(#bounds,)*
            {
                let values = self.values;
                #name {
                    #(#finish)*
                    #additional_init
                }
            }
        }
    };
    (start, def)
}

/// The module of marker types builders name their required fields with (nothing when the
/// module has no builder).
pub fn field_markers(markers: &ir::FieldMarkers) -> TokenStream {
    if markers.names.is_empty() {
        return quote!();
    }
    let module = ident(&markers.module);
    let names = markers.names.iter().map(|name| {
        let doc = format!(" The required field set by `.{name}(…)`.");
        let name = ident(name);
        quote!(#[doc = #doc] pub struct #name;)
    });
    quote! {
        /// Marker types naming required fields, so that `build` on a builder says which field
        /// is missing.
        #[allow(non_camel_case_types)]
        pub mod #module {
            #(#names)*
        }
    }
}

/// The chainable setter of an optional field, which lives at `place` (`self`, or
/// `self.values` in a builder).
fn setter(cx: &Cx, field: &ir::Field, place: TokenStream) -> TokenStream {
    let fname = ident(&field.name);
    let method = ident(&field.setter);
    let ty = cx.ty(&field.ty);
    let doc = format!(" Sets `{}`.", field.api_name.replace('`', "'"));
    let Std { boxed, into, .. } = &cx.std;
    let in_box = |v: TokenStream| {
        if field.boxed {
            quote!(#boxed::new(#v))
        } else {
            v
        }
    };
    if let Some(null_setter) = &field.null_setter {
        let value = in_box(quote!(value.into()));
        let null_method = ident(null_setter);
        let null_doc = format!(
            " Sends `{}` as an explicit `null`.",
            field.api_name.replace('`', "'")
        );
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl #into<#ty>) -> Self {
                #place.#fname = Some(Some(#value));
                self
            }

            #[doc = #null_doc]
            pub fn #null_method(mut self) -> Self {
                #place.#fname = Some(None);
                self
            }
        }
    } else {
        let value = in_box(quote!(value.into()));
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl #into<#ty>) -> Self {
                #place.#fname = Some(#value);
                self
            }
        }
    }
}

fn string_enum(cx: &Cx, name: &str, doc: TokenStream, e: &ir::StringEnum) -> TokenStream {
    let rt = &cx.runtime;
    let Std {
        option,
        result,
        string,
        from,
        ..
    } = &cx.std;
    let name = ident(name);
    let catch_all = ident(&e.catch_all);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" `{}`", v.replace('`', "'")));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the client does not know, kept as received. It never
            /// holds a listed value: `from` gives the listed variant for those.
            #catch_all(#rt::UnknownValue<#name>),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#catch_all(value) => value.as_str(),
                }
            }
        }

        #[doc(hidden)]
        impl #rt::OpenEnum for #name {
            fn from_known(value: &str) -> #option<Self> {
                match value {
                    #(#values => Some(Self::#variants),)*
                    _ => None,
                }
            }

            fn from_unknown(value: #rt::UnknownValue<Self>) -> Self {
                Self::#catch_all(value)
            }
        }

        impl #from<&str> for #name {
            fn from(value: &str) -> Self {
                #rt::open_enum(value)
            }
        }

        impl #from<#string> for #name {
            fn from(value: #string) -> Self {
                #rt::open_enum(value)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> #result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <#string as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn int_enum(cx: &Cx, name: &str, doc: TokenStream, e: &ir::IntEnum) -> TokenStream {
    let rt = &cx.runtime;
    let Std {
        option,
        result,
        from,
        ..
    } = &cx.std;
    let name = ident(name);
    let catch_all = ident(&e.catch_all);
    let variants: Vec<_> = e.variants.iter().map(|(n, _)| ident(n)).collect();
    let values: Vec<i64> = e.variants.iter().map(|(_, v)| *v).collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the client does not know, kept as received. It never
            /// holds a listed value: `from` gives the listed variant for those.
            #catch_all(#rt::UnknownValue<#name, i64>),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_i64(self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#catch_all(value) => value.as_i64(),
                }
            }
        }

        #[doc(hidden)]
        impl #rt::OpenIntEnum for #name {
            fn from_known(value: i64) -> #option<Self> {
                match value {
                    #(#values => Some(Self::#variants),)*
                    _ => None,
                }
            }

            fn from_unknown(value: #rt::UnknownValue<Self, i64>) -> Self {
                Self::#catch_all(value)
            }
        }

        impl #from<i64> for #name {
            fn from(value: i64) -> Self {
                #rt::open_int_enum(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #rt::lenient_int::<D, i64>(deserializer).map(Self::from)
            }
        }
    }
}

fn union(cx: &Cx, name: &str, doc: TokenStream, u: &ir::Union) -> TokenStream {
    let name = ident(name);
    let Std { result, boxed, .. } = &cx.std;
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let mut ty = cx.ty(&v.ty);
        if v.boxed {
            ty = quote!(#boxed<#ty>);
        }
        let vdoc = outer_doc(&match (&u.tag, &v.tag_value) {
            (Some(tag), Some(value)) => format!("`{tag}` = `{value}`."),
            _ => format!("The `{}` alternative.", v.name),
        });
        quote!(#vdoc #vname(#ty),)
    });
    let catch_all = u.catch_all.as_ref().map(|name| {
        let vname = ident(name);
        let vdoc = outer_doc(&format!(
            "An object whose `{}` this version of the client does not know, kept as received.",
            u.tag.as_deref().unwrap_or_default()
        ));
        quote!(#vdoc #vname(::serde_json::Value),)
    });
    let display = u.scalar.then(|| {
        let arms = u
            .variants
            .iter()
            .map(|v| &v.name)
            .chain(u.catch_all.as_ref())
            .map(|name| {
                let vname = ident(name);
                quote!(Self::#vname(value) => ::std::fmt::Display::fmt(value, f),)
            });
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    let rt = &cx.runtime;
    // With a discriminator, serialization stays untagged (the variant types carry the tag
    // property themselves) and deserialization dispatches on the tag through the runtime.
    let tagged = u.tag.as_ref().map(|tag| {
        let fallback = match &u.catch_all {
            Some(name) => {
                let vname = ident(name);
                quote!(_ => Ok(Self::#vname(value)),)
            }
            None => {
                let values = u.variants.iter().filter_map(|v| v.tag_value.as_deref());
                quote!(other => Err(#rt::unknown_tag(other, &[#(#values),*])),)
            }
        };
        let arms = u.variants.iter().filter_map(|v| {
            let value = v.tag_value.as_deref()?;
            let vname = ident(&v.name);
            Some(quote!(#value => #rt::tagged_variant(value).map(Self::#vname),))
        });
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let (tag, value) = #rt::read_tagged(deserializer, #tag)?;
                    match tag.as_str() {
                        #(#arms)*
                        #fallback
                    }
                }
            }
        }
    });
    let derive_deserialize = tagged.is_none().then(|| quote!(::serde::Deserialize,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, #derive_deserialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #catch_all
        }

        #tagged
        #display
    }
}
