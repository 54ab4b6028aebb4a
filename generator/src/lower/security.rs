//! Security requirements → IR: which schemes each operation may be called with.
//!
//! An operation's own `security` replaces the document's; `security: []` (or no requirement
//! anywhere) means none, and `{}` in the list means anonymous access is allowed. Each scheme a
//! requirement names is looked up once per file under `components.securitySchemes`.

use indexmap::IndexMap;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::schema::{Unsupported, unescape};
use crate::error::{pointer, pointer_token};
use crate::ir::{self, ApiKeyLocation, SchemeKind, SchemeUse};

/// The security schemes of one file and its document-level requirements, read once so that
/// problems with them are reported once rather than for every operation.
pub struct FileSecurity {
    /// Schemes by name; `None` for a scheme that is declared but unusable (already reported).
    schemes: IndexMap<String, Option<SchemeKind>>,
    /// The document's requirements, for operations without their own.
    document: Vec<ir::SecurityRequirement>,
}

impl FileSecurity {
    /// Reads `components.securitySchemes` and the top-level `security` of a file.
    pub fn read(spec: &OpenAPI, warnings: &mut Vec<Unsupported>) -> Self {
        let mut schemes = IndexMap::new();
        if let Some(components) = &spec.components {
            for (name, scheme) in &components.security_schemes {
                let at = pointer(["components", "securitySchemes", name.as_str()]);
                let kind = resolve(spec, scheme).map(|scheme| kind(scheme, &at, warnings));
                if kind.is_none() {
                    warnings.push(Unsupported {
                        pointer: at,
                        message: format!(
                            "security scheme `{name}` is a reference that could not be resolved; \
                             requirements naming it are ignored"
                        ),
                    });
                }
                schemes.insert(name.clone(), kind);
            }
        }
        let mut security = FileSecurity {
            schemes,
            document: Vec::new(),
        };
        if let Some(requirements) = &spec.security {
            security.document = security.requirements(requirements, "", warnings);
        }
        security
    }

    /// The effective requirements of an operation at `at` (its JSON pointer).
    pub fn operation(
        &self,
        operation: &openapiv3::Operation,
        at: &str,
        warnings: &mut Vec<Unsupported>,
    ) -> Vec<ir::SecurityRequirement> {
        match &operation.security {
            Some(requirements) => self.requirements(requirements, at, warnings),
            None => self.document.clone(),
        }
    }

    /// One `security` list, found at `{base}/security`. A scheme the file does not declare is
    /// reported and left out of its requirement; a requirement left with no schemes that way
    /// is dropped rather than read as anonymous access, which it never meant.
    fn requirements(
        &self,
        requirements: &[SecurityRequirement],
        base: &str,
        warnings: &mut Vec<Unsupported>,
    ) -> Vec<ir::SecurityRequirement> {
        let mut out = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut schemes = Vec::new();
            for name in requirement.keys() {
                match self.schemes.get(name) {
                    Some(Some(kind)) => schemes.push(SchemeUse {
                        scheme: name.clone(),
                        kind: kind.clone(),
                    }),
                    // Declared but unusable: reported where it is declared.
                    Some(None) => {}
                    None => warnings.push(Unsupported {
                        pointer: format!("{base}/security/{i}/{}", pointer_token(name)),
                        message: format!(
                            "security requirement names `{name}`, which \
                             `components.securitySchemes` does not declare; ignored"
                        ),
                    }),
                }
            }
            if schemes.is_empty() && !requirement.is_empty() {
                continue;
            }
            let requirement = ir::SecurityRequirement { schemes };
            // `[{a: []}, {a: [read]}]` differ only in scopes, which the client does not send.
            if !out.contains(&requirement) {
                out.push(requirement);
            }
        }
        out
    }
}

/// How a declared scheme's credential is sent.
fn kind(scheme: &SecurityScheme, at: &str, warnings: &mut Vec<Unsupported>) -> SchemeKind {
    match scheme {
        SecurityScheme::APIKey { location, name, .. } => SchemeKind::ApiKey {
            location: match location {
                APIKeyLocation::Header => ApiKeyLocation::Header,
                APIKeyLocation::Query => ApiKeyLocation::Query,
                APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
            },
            name: name.clone(),
        },
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            SchemeKind::HttpBasic
        }
        SecurityScheme::HTTP { scheme, .. } => {
            if !scheme.eq_ignore_ascii_case("bearer") {
                warnings.push(Unsupported {
                    pointer: format!("{at}/scheme"),
                    message: format!(
                        "HTTP authentication scheme `{scheme}` is not supported; a token given \
                         for it is sent as `Authorization: Bearer <token>`"
                    ),
                });
            }
            SchemeKind::HttpBearer
        }
        SecurityScheme::OAuth2 { .. } => SchemeKind::OAuth2,
        SecurityScheme::OpenIDConnect { .. } => SchemeKind::OpenIdConnect,
    }
}

fn resolve<'a>(
    spec: &'a OpenAPI,
    scheme: &'a ReferenceOr<SecurityScheme>,
) -> Option<&'a SecurityScheme> {
    let mut current = scheme;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(scheme) => return Some(scheme),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/securitySchemes/")?;
                current = spec
                    .components
                    .as_ref()?
                    .security_schemes
                    .get(&unescape(name))?;
            }
        }
    }
    None
}

/// Whether a header or query parameter is the one an API key of these requirements travels
/// in: the client owns it, like `Authorization`.
pub fn carries_api_key(
    requirements: &[ir::SecurityRequirement],
    location: ApiKeyLocation,
    api_name: &str,
) -> bool {
    requirements
        .iter()
        .flat_map(|r| &r.schemes)
        .any(|scheme| match &scheme.kind {
            SchemeKind::ApiKey { location: at, name } => {
                *at == location
                    && match location {
                        // Header names are case-insensitive; query names are not.
                        ApiKeyLocation::Header => name.eq_ignore_ascii_case(api_name),
                        _ => name == api_name,
                    }
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> (OpenAPI, FileSecurity, Vec<Unsupported>) {
        let spec: OpenAPI = serde_yaml::from_str(yaml).unwrap();
        let mut warnings = Vec::new();
        let security = FileSecurity::read(&spec, &mut warnings);
        (spec, security, warnings)
    }

    fn names(requirements: &[ir::SecurityRequirement]) -> Vec<Vec<&str>> {
        requirements
            .iter()
            .map(|r| r.schemes.iter().map(|s| s.scheme.as_str()).collect())
            .collect()
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{key: []}, {}]
paths:
  /a:
    get: {responses: {"200": {description: ok}}}
    put: {security: [], responses: {"200": {description: ok}}}
    post:
      security: [{bearer: [], key: []}, {missing: []}, {oauth: [read]}, {oauth: [write]}]
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
    bearer: {type: http, scheme: Bearer}
    digest: {type: http, scheme: digest}
    oauth: {type: oauth2, flows: {}}
    alias: {$ref: "#/components/securitySchemes/key"}
    broken: {$ref: "#/components/securitySchemes/nowhere"}
"##;

    #[test]
    fn operation_level_replaces_the_document() {
        let (spec, security, _) = read(SPEC);
        let item = match &spec.paths.paths["/a"] {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => unreachable!(),
        };
        let mut warnings = Vec::new();
        let get = security.operation(item.get.as_ref().unwrap(), "/paths/~1a/get", &mut warnings);
        assert_eq!(names(&get), vec![vec!["key"], vec![]]);
        let put = security.operation(item.put.as_ref().unwrap(), "/paths/~1a/put", &mut warnings);
        assert!(put.is_empty());
        let post = security.operation(
            item.post.as_ref().unwrap(),
            "/paths/~1a/post",
            &mut warnings,
        );
        // The unknown scheme's requirement is dropped (not anonymous); scopes do not matter.
        assert_eq!(names(&post), vec![vec!["bearer", "key"], vec!["oauth"]]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/paths/~1a/post/security/1/missing");
        assert_eq!(
            post[0].schemes[1].kind,
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Query,
                name: "api_key".to_owned()
            }
        );
        assert_eq!(post[0].schemes[0].kind, SchemeKind::HttpBearer);
    }

    #[test]
    fn scheme_problems_are_reported_where_declared() {
        let (_, security, warnings) = read(SPEC);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/securitySchemes/digest/scheme",
                "/components/securitySchemes/broken"
            ]
        );
        assert_eq!(security.schemes["digest"], Some(SchemeKind::HttpBearer));
        assert!(matches!(
            security.schemes["alias"],
            Some(SchemeKind::ApiKey { .. })
        ));
    }

    #[test]
    fn api_key_parameters_are_recognised() {
        let requirements = vec![ir::SecurityRequirement {
            schemes: vec![SchemeUse {
                scheme: "k".to_owned(),
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Key".to_owned(),
                },
            }],
        }];
        assert!(carries_api_key(
            &requirements,
            ApiKeyLocation::Header,
            "x-key"
        ));
        assert!(!carries_api_key(
            &requirements,
            ApiKeyLocation::Query,
            "X-Key"
        ));
    }
}
