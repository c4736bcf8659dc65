//! What a write handler reads from a request besides its route: the body, its
//! `Content-Type`, and the options every write verb shares (`dryRun`).

use serde_json::Value;

use super::query::Query;
use super::status::Status;

/// A write request's body and options.
pub struct WriteRequest<'a> {
    pub body: &'a [u8],
    pub content_type: &'a str,
    pub query: &'a Query,
}

impl WriteRequest<'_> {
    /// `?dryRun=All`: validate and answer, store nothing.
    pub fn dry_run(&self) -> bool {
        self.query.get("dryRun") == Some("All")
    }

    /// The body as JSON; an empty body is `None`, as an absent `DeleteOptions`.
    pub fn json_body(&self) -> Result<Option<Value>, Status> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(self.body)
            .map(Some)
            .map_err(|error| Status::bad_request(format!("error decoding body: {error}")))
    }
}
