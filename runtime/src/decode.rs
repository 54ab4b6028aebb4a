//! Turning a successful [`Response`] into the operation's result type, and the serde helpers for
//! integers the live API sometimes sends as strings.
//!
//! Decoders are plain functions so generated code can hand them to `Call::new` as
//! `fn(&Response) -> Result<T, Error>`; they only ever see 2xx responses.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::error::{DecodeError, Error, Operation, request_id_from_headers};

/// A finished response, as seen by decoders.
#[derive(Debug, Clone)]
pub struct Response {
    operation: Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(
        operation: Operation,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Response {
            operation,
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The operation this response answers.
    pub fn operation(&self) -> &Operation {
        &self.operation
    }

    /// The request id from the response headers, if one was sent.
    pub fn request_id(&self) -> Option<String> {
        request_id_from_headers(&self.headers)
    }

    pub(crate) fn into_parts(self) -> (Operation, StatusCode, HeaderMap, Bytes) {
        (self.operation, self.status, self.headers, self.body)
    }
}

/// Decodes a JSON body. On failure the error keeps the status, the raw body and the path inside
/// the document where decoding stopped, which is what a bug report about a spec mismatch needs.
///
/// The body is decoded with plain `serde_json` first; only when that fails is it decoded again
/// through `serde_path_to_error` to find the path, so a success pays nothing for tracking it.
/// Decoding is deterministic, so the second pass fails where the first did.
pub fn decode_json<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    let first = T::deserialize(&mut deserializer).and_then(|value| {
        // Trailing data after the document is as wrong as a missing field.
        deserializer.end().map(|()| value)
    });
    let fast_error = match first {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        // The document itself decoded: the trailing data is the problem.
        Ok(_) => (".".to_owned(), fast_error),
        Err(error) => (error.path().to_string(), error.into_inner()),
    };
    Err(Error::Decode(Box::new(DecodeError {
        operation: response.operation.clone(),
        status: response.status,
        request_id: response.request_id(),
        headers: response.headers.clone(),
        body: response.body.clone(),
        path,
        source,
    })))
}

/// For a success the spec gives no body for: whatever body came is ignored.
pub fn decode_unit(_response: &Response) -> Result<(), Error> {
    Ok(())
}

/// Returns the body as it came.
pub fn decode_bytes(response: &Response) -> Result<Bytes, Error> {
    Ok(response.body.clone())
}

/// Integer types [`lenient_int`] can produce. Implemented for every primitive integer.
pub trait LenientInt: Sized + FromStr + TryFrom<i64> + TryFrom<u64> {}

macro_rules! lenient_int_types {
    ($($ty:ty),*) => { $(impl LenientInt for $ty {})* };
}
lenient_int_types!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

/// Deserializes an integer field from a JSON integer or a JSON string holding one.
///
/// The live API has been seen sending `"created_at": "1785780950"` for fields the spec types as
/// integers. Use as `#[serde(deserialize_with = "::apiwire::codegen::lenient_int")]`.
pub fn lenient_int<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: LenientInt,
{
    deserializer.deserialize_any(IntVisitor::<T>(PhantomData))
}

/// Like [`lenient_int`] for optional fields: `null`, and an empty string, become `None`.
///
/// Use with `#[serde(default, deserialize_with = "::apiwire::codegen::lenient_int_opt")]` so a
/// missing field is `None` too.
pub fn lenient_int_opt<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: LenientInt,
{
    deserializer.deserialize_any(OptIntVisitor::<T>(PhantomData))
}

/// Like [`lenient_int_opt`] for optional nullable fields (`Option<Option<T>>`): `null` becomes
/// `Some(None)` and a value `Some(Some(v))`; with `#[serde(default)]` an absent field is `None`.
pub fn lenient_int_nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: LenientInt,
{
    lenient_int_opt(deserializer).map(Some)
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: LenientInt> IntVisitor<T> {
    fn from_text<E: de::Error>(text: &str) -> Result<T, E> {
        text.trim().parse().map_err(|_| {
            E::invalid_value(
                de::Unexpected::Str(text),
                &"an integer, or a string holding one",
            )
        })
    }
}

impl<'de, T: LenientInt> Visitor<'de> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &"an in-range integer"))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::try_from(value)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &"an in-range integer"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Self::from_text(value)
    }
}

struct OptIntVisitor<T>(PhantomData<T>);

impl<'de, T: LenientInt> Visitor<'de> for OptIntVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string holding one, or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        lenient_int_opt(deserializer)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<T>, E> {
        IntVisitor(PhantomData).visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<T>, E> {
        IntVisitor(PhantomData).visit_u64(value).map(Some)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Option<T>, E> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        IntVisitor::from_text(value).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde::Deserialize;

    fn response(status: u16, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "rid-7".parse().unwrap());
        Response::new(
            Operation {
                method: Method::GET,
                path: "/v1/things",
            },
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::from(body.to_owned()),
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Thing {
        id: String,
        #[serde(deserialize_with = "lenient_int")]
        created_at: i64,
        #[serde(default, deserialize_with = "lenient_int_opt")]
        size: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct List {
        #[allow(dead_code)]
        data: Vec<Thing>,
    }

    #[test]
    fn decodes_json() {
        let got: Thing = decode_json(&response(
            200,
            r#"{"id":"t-1","created_at":"1785780950","size":2}"#,
        ))
        .unwrap();
        assert_eq!(
            got,
            Thing {
                id: "t-1".into(),
                created_at: 1_785_780_950,
                size: Some(2)
            }
        );
    }

    #[test]
    fn decode_error_keeps_status_body_and_path() {
        let body = r#"{"data":[{"id":"t-1","created_at":1},{"id":"t-2","created_at":"soon"}]}"#;
        let Err(Error::Decode(error)) = decode_json::<List>(&response(200, body)) else {
            panic!("expected a decode error");
        };
        assert_eq!(error.status, StatusCode::OK);
        assert_eq!(error.body, body.as_bytes());
        assert_eq!(error.path, "data[1].created_at");
        assert_eq!(error.request_id.as_deref(), Some("rid-7"));
        let text = error.to_string();
        assert!(text.contains("data[1].created_at"), "{text}");
        assert!(text.contains("HTTP 200 OK"), "{text}");
    }

    #[test]
    fn malformed_json_and_trailing_data_fail() {
        for body in ["{", "", "<html>", r#"{"id":"i","created_at":1} x"#] {
            assert!(
                matches!(
                    decode_json::<Thing>(&response(200, body)),
                    Err(Error::Decode(_))
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn trailing_data_and_mismatches_keep_their_paths() {
        // The fast pass fails; the second pass must find the same failure and its path.
        let path = |body: &str| match decode_json::<Thing>(&response(200, body)) {
            Err(Error::Decode(error)) => error.path,
            other => panic!("expected a decode error for {body:?}, got {other:?}"),
        };
        assert_eq!(path(r#"{"id":"i","created_at":1} x"#), ".");
        assert_eq!(path(r#"{"id":"i","created_at":"soon"}"#), "created_at");
        assert_eq!(path(r#"{"id":7,"created_at":1}"#), "id");
    }

    #[test]
    fn unit_and_bytes_decoders() {
        assert!(decode_unit(&response(204, "ignored")).is_ok());
        assert_eq!(
            decode_bytes(&response(200, "raw")).unwrap(),
            Bytes::from_static(b"raw")
        );
    }

    #[derive(Debug, Deserialize)]
    struct Ints {
        #[serde(deserialize_with = "lenient_int")]
        a: u8,
        #[serde(default, deserialize_with = "lenient_int_opt")]
        b: Option<i64>,
    }

    fn ints(json: &str) -> Result<Ints, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn lenient_int_accepts_numbers_and_strings() {
        assert_eq!(ints(r#"{"a":7}"#).unwrap().a, 7);
        assert_eq!(ints(r#"{"a":"7"}"#).unwrap().a, 7);
        assert_eq!(ints(r#"{"a":" 7 "}"#).unwrap().a, 7);
    }

    #[test]
    fn lenient_int_rejects_bad_values() {
        for json in [
            r#"{"a":"x"}"#,
            r#"{"a":256}"#,
            r#"{"a":-1}"#,
            r#"{"a":"256"}"#,
            r#"{"a":1.5}"#,
            r#"{"a":null}"#,
            r#"{"a":""}"#,
            r#"{"a":true}"#,
        ] {
            assert!(ints(json).is_err(), "{json}");
        }
    }

    #[test]
    fn lenient_int_opt_cases() {
        assert_eq!(ints(r#"{"a":1}"#).unwrap().b, None);
        assert_eq!(ints(r#"{"a":1,"b":null}"#).unwrap().b, None);
        assert_eq!(ints(r#"{"a":1,"b":""}"#).unwrap().b, None);
        assert_eq!(ints(r#"{"a":1,"b":-5}"#).unwrap().b, Some(-5));
        assert_eq!(
            ints(r#"{"a":1,"b":"1785780950"}"#).unwrap().b,
            Some(1_785_780_950)
        );
        assert!(ints(r#"{"a":1,"b":"x"}"#).is_err());
        assert!(ints(r#"{"a":1,"b":[1]}"#).is_err());
    }

    #[test]
    fn lenient_int_in_serde_json_value() {
        // Deserializing from an already-parsed value must work the same way.
        let value = serde_json::json!({"a": "9", "b": "10"});
        let parsed: Ints = serde_json::from_value(value).unwrap();
        assert_eq!((parsed.a, parsed.b), (9, Some(10)));
    }
}
