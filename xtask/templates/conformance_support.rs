//! Written by `cargo xtask conformance` into every driver crate: reading the plan, building the
//! clients, turning each call's result into one JSON line for the xtask to judge.

use std::fmt::Debug;

use apiwire::reqwest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the xtask asks the driver to do.
#[derive(Debug, Deserialize)]
pub struct Plan {
    /// Prism's address.
    pub base_url: String,
    /// The file Prism logs to, where every violation it finds is written (its
    /// `sl-violations` header keeps only the first ones).
    #[serde(default)]
    pub prism_log: Option<std::path::PathBuf>,
    /// Prism's answer modes to call every operation in (`static`, `dynamic`).
    pub modes: Vec<String>,
    /// Operations, each with its argument sets in the order to try them.
    pub operations: Vec<PlannedOperation>,
}

/// One operation of the plan.
#[derive(Debug, Deserialize)]
pub struct PlannedOperation {
    /// The generated method's name.
    pub name: String,
    /// Argument sets: `{"path": {..}, "params": {..}, "body": ..}`.
    pub candidates: Vec<Value>,
}

impl Plan {
    /// Reads the plan file named by the first command-line argument.
    pub fn read() -> Plan {
        let path = std::env::args().nth(1).expect("usage: driver PLAN.json");
        let text = std::fs::read_to_string(&path).expect("reading the plan");
        serde_json::from_str(&text).expect("parsing the plan")
    }
}

/// A client for Prism in one of its answer modes: `static` (the spec's examples) or `dynamic`
/// (data generated from the schemas). Dynamic answers are asked for per request with Prism's
/// `Prefer: dynamic=true` header; the seed is fixed when Prism starts.
///
/// It holds a credential of every kind, so whatever scheme an operation declares (bearer,
/// basic, OAuth 2, OpenID Connect, an API key in a header, query or cookie) can be satisfied:
/// Prism checks that credentials are present and well-formed, not what they are. Operations
/// that declare none get the API key as `Authorization: Bearer`, like PPIO's.
pub fn client(base_url: &str, mode: &str) -> apiwire::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if mode == "dynamic" {
        headers.insert("prefer", reqwest::header::HeaderValue::from_static("dynamic=true"));
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("building the HTTP client");
    apiwire::Client::builder()
        .api_key("conformance-key")
        .bearer_token("conformance-token")
        .basic_auth("conformance-user", "conformance-password")
        .fallback_credential(apiwire::Credential::api_key("conformance-api-key"))
        .base_url(base_url)
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(30))
        .http_client(http)
        .build()
        .expect("building the client")
}

/// How one call went.
#[derive(Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A success response, decoded.
    Ok,
    /// The argument set did not deserialize into the generated types.
    Args { message: String },
    /// A non-success status.
    Status {
        status: u16,
        violations: Option<Value>,
        body: String,
    },
    /// A success response that did not decode.
    Decode {
        status: u16,
        message: String,
        path: String,
        violations: Option<Value>,
        /// Prism's header kept only the first violations; [`LogMark::complete`] reads the rest.
        #[serde(skip)]
        violations_cut: bool,
        content_type: Option<String>,
        body: String,
    },
    /// Anything else the client reported (a refused request, a transport failure).
    Error { message: String },
    /// The driver has no such operation (the plan and the driver disagree).
    Unknown,
}

impl Outcome {
    /// Whether Prism stopped answering: it died, or is still busy making an answer. The
    /// driver stops there; the xtask starts a fresh Prism for the operations left.
    pub fn prism_gone(&self) -> bool {
        matches!(self, Outcome::Error { message }
            if message.contains("could not connect") || message.contains("timed out"))
    }

    /// Whether another argument set might do better.
    pub fn try_next(&self) -> bool {
        !matches!(self, Outcome::Ok | Outcome::Decode { .. } | Outcome::Unknown)
    }
}

/// Deserializes the argument at `pointer` (JSON `null` when absent) into the generated type.
pub fn arg<T: serde::de::DeserializeOwned>(args: &Value, pointer: &str) -> Result<T, Outcome> {
    let value = args.pointer(pointer).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|err| Outcome::Args {
        message: format!("{pointer}: {err}"),
    })
}

/// A binary body: a string argument as its UTF-8 bytes, anything else as JSON text.
pub fn bytes(args: &Value, pointer: &str) -> Vec<u8> {
    match args.pointer(pointer) {
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
        None => Vec::new(),
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(400).collect()
}

/// What Prism's `sl-violations` header says, and whether Prism cut its list short ("Too
/// many violations! [...]").
/// The list itself may be cut mid-way, so a cut list that does not parse still says "cut".
fn violations(headers: &reqwest::header::HeaderMap) -> Option<(Value, bool)> {
    let value = String::from_utf8_lossy(headers.get("sl-violations")?.as_bytes()).into_owned();
    match value.strip_prefix("Too many violations!") {
        Some(rest) => Some((
            serde_json::from_str(rest.trim_start()).unwrap_or(Value::Array(Vec::new())),
            true,
        )),
        None => Some((serde_json::from_str(&value).ok()?, false)),
    }
}

/// Where Prism's log stood before a call. The driver makes one call at a time, so the
/// violations logged after the last request Prism received since then are the call's own.
pub struct LogMark(Option<(std::path::PathBuf, u64)>);

impl LogMark {
    /// Marks the current end of the log named by the plan, if any.
    pub fn new(plan: &Plan) -> LogMark {
        LogMark(plan.prism_log.as_ref().map(|path| {
            let len = std::fs::metadata(path).map_or(0, |m| m.len());
            (path.clone(), len)
        }))
    }

    /// Replaces a decode failure's cut-short violations with all that Prism logged for it.
    pub fn complete(&self, outcome: &mut Outcome) {
        if let Outcome::Decode {
            violations,
            violations_cut: true,
            ..
        } = outcome
            && let Some(logged) = self.response_violations()
        {
            *violations = Some(logged);
        }
    }

    /// Every response violation Prism logged since the mark, in `sl-violations`' shape.
    /// Log lines read `… Violation: response.body.a.0 Response body property a.0 must …`.
    fn response_violations(&self) -> Option<Value> {
        let (path, start) = self.0.as_ref()?;
        // Prism writes its log asynchronously: wait until the file has stopped growing.
        let len = || std::fs::metadata(path).map_or(0, |m| m.len());
        let mut last = len();
        for _ in 0..30 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = len();
            if now == last && now > *start {
                break;
            }
            last = now;
        }
        let text = std::fs::read(path).ok()?;
        let start = usize::try_from(*start).ok().filter(|s| *s <= text.len()).unwrap_or(0);
        let since = String::from_utf8_lossy(&text[start..]);
        // Lines of the call before ours can still land after the mark; ours begin at the last
        // request Prism received.
        let ours = since.rfind("Request received").map_or(&*since, |at| &since[at..]);
        let list: Vec<Value> = ours
            .lines()
            .filter_map(|line| line.split_once("Violation: response")?.1.split_once(' '))
            .map(|(place, message)| {
                let mut location = vec![Value::String("response".to_owned())];
                location.extend(
                    place
                        .split('.')
                        .filter(|part| !part.is_empty())
                        .map(|part| Value::String(part.to_owned())),
                );
                serde_json::json!({"location": location, "message": message})
            })
            .collect();
        (!list.is_empty()).then_some(Value::Array(list))
    }
}

/// Judges a call's result.
pub fn finish<T: Debug>(result: Result<T, apiwire::Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(apiwire::Error::Api(api)) => Outcome::Status {
            status: api.status.as_u16(),
            // Prism puts violations in a header, or, when the spec has no response for an
            // invalid request and Prism writes its own 422, in the body's `validation`.
            violations: violations(&api.headers).map(|(list, _)| list).or_else(|| {
                serde_json::from_slice::<Value>(&api.body)
                    .ok()
                    .and_then(|body| body.get("validation").cloned())
                    .map(|list| match list {
                        Value::Array(items) => Value::Array(
                            items
                                .into_iter()
                                .map(|mut v| {
                                    // Body violations name the place without the `request` root.
                                    if let Some(Value::Array(location)) = v.get_mut("location") {
                                        location.insert(0, Value::String("request".to_owned()));
                                    }
                                    v
                                })
                                .collect(),
                        ),
                        other => other,
                    })
            }),
            body: snippet(&api.body),
        },
        Err(apiwire::Error::Decode(decode)) => Outcome::Decode {
            status: decode.status.as_u16(),
            message: decode.to_string(),
            path: decode.path.clone(),
            violations: violations(&decode.headers).map(|(list, _)| list),
            violations_cut: violations(&decode.headers).is_some_and(|(_, cut)| cut),
            content_type: decode
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: snippet(&decode.body),
        },
        Err(other) => Outcome::Error {
            message: other.to_string(),
        },
    }
}

/// Prints one result line for the xtask.
pub fn print(mode: &str, operation: &str, candidate: usize, outcome: &Outcome) {
    let line = serde_json::json!({
        "mode": mode,
        "operation": operation,
        "candidate": candidate,
        "result": outcome,
    });
    println!("{line}");
}
