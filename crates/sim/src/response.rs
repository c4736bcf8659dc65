//! HTTP responses with the headers a real API server sends: `application/json`,
//! `cache-control: no-cache, private` and an `audit-id` per request.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::Stream;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;

use super::object::{splitmix64, uuid};
use super::status::Status;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Body = UnsyncBoxBody<Bytes, BoxError>;

pub const JSON: &str = "application/json";

/// A complete JSON body.
pub fn json(code: u16, content_type: &'static str, bytes: Vec<u8>) -> Response<Body> {
    let body = Full::new(Bytes::from(bytes))
        .map_err(|never| match never {})
        .boxed_unsync();
    with_headers(code, content_type, body)
}

/// A Status as the response to a failed request.
pub fn status(status: &Status) -> Response<Body> {
    let mut response = json(status.code, JSON, status.to_json());
    // The authorization filter marks its refusals so; other errors do not carry it
    // (compare the headers of `wire/51` and `wire/15`).
    if status.code == 403 {
        response.headers_mut().insert(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        );
    }
    response
}

/// A plain-text body, as health checks and the priority-and-fairness 429 send.
pub fn text(code: u16, text: &str) -> Response<Body> {
    let body = Full::new(Bytes::from(text.to_string()))
        .map_err(|never| match never {})
        .boxed_unsync();
    with_headers(code, "text/plain; charset=utf-8", body)
}

/// A streamed JSON body, sent chunk by chunk as the stream yields.
pub fn streaming<S>(stream: S) -> Response<Body>
where
    S: Stream<Item = Result<Frame<Bytes>, BoxError>> + Send + 'static,
{
    with_headers(200, JSON, StreamBody::new(stream).boxed_unsync())
}

fn with_headers(code: u16, content_type: &'static str, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(audit_id) = HeaderValue::from_str(&next_audit_id()) {
        headers.insert(HeaderName::from_static("audit-id"), audit_id);
    }
    response
}

/// A UUID, unique per response in this process.
fn next_audit_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // Salted so audit ids do not repeat the uids objects get.
    let seed = n.wrapping_mul(2).wrapping_add(0x5157_c0de_0000_0000);
    uuid(splitmix64(seed), splitmix64(seed + 1))
}
