//! List and watch query parameters, decoded, defaulted and validated in the order the
//! API server's `ListResource` handler does it, so that each bad request gets the
//! Status the real server sends: 400 for values that do not parse, 422 for
//! combinations `ValidateListOptions` forbids.

use super::field_selector::{self, FieldSelector};
use super::status::{Status, StatusCause};
use kubesight_model::selector::{self, Selector};

/// A decoded query string. Like Go's `url.Query()`, the first value of a repeated
/// key wins and pairs with malformed escapes are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: &str) -> Query {
        let pairs = raw
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                Some((percent_decode(key)?, percent_decode(value)?))
            })
            .collect();
        Query { pairs }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `%XX` escapes and `+` (a space in query strings); `None` for a
/// malformed escape or bytes that are not UTF-8.
pub fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

pub const NOT_OLDER_THAN: &str = "NotOlderThan";
pub const EXACT: &str = "Exact";

/// `metainternalversion.ListOptions`, as the handler sees it after decoding.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub label_selector: Selector,
    pub field_selector: FieldSelector,
    pub watch: bool,
    pub allow_watch_bookmarks: bool,
    pub send_initial_events: Option<bool>,
    /// `""` when absent.
    pub resource_version: String,
    pub resource_version_match: String,
    pub timeout_seconds: Option<i64>,
    /// `0` (or negative) means no limit.
    pub limit: i64,
    pub continue_token: String,
}

impl ListOptions {
    /// As [`ListOptions::from_query_with`] on a server with WatchList on.
    #[cfg(test)]
    pub fn from_query(query: &Query, force_watch: bool) -> Result<ListOptions, Status> {
        ListOptions::from_query_with(query, force_watch, true)
    }

    /// Decodes, defaults and validates on a server whose WatchList feature gate
    /// is `watch_list`; `force_watch` is the deprecated `/watch/` path prefix,
    /// which watches without `?watch`.
    pub fn from_query_with(
        query: &Query,
        force_watch: bool,
        watch_list: bool,
    ) -> Result<ListOptions, Status> {
        let mut options = ListOptions::decode(query).map_err(Status::bad_request)?;
        if watch_list {
            options.apply_watch_list_defaults();
        }
        let causes = if options.watch || force_watch {
            options.watch_violations(watch_list)
        } else {
            options.list_violations()
        };
        if !causes.is_empty() {
            return Err(Status::invalid("meta.k8s.io", "ListOptions", "", causes));
        }
        options.watch |= force_watch;
        Ok(options)
    }

    /// The url.Values → ListOptions conversion: numbers first (v1 fields), then
    /// the selectors (the internal conversion).
    fn decode(query: &Query) -> Result<ListOptions, String> {
        let timeout_seconds = query.get("timeoutSeconds").map(parse_int).transpose()?;
        let limit = query.get("limit").map(parse_int).transpose()?.unwrap_or(0);
        let label_selector = selector::parse(query.get("labelSelector").unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let field_selector = field_selector::parse(query.get("fieldSelector").unwrap_or_default())?;
        Ok(ListOptions {
            label_selector,
            field_selector,
            watch: query.get("watch").is_some_and(parse_bool),
            allow_watch_bookmarks: query.get("allowWatchBookmarks").is_some_and(parse_bool),
            send_initial_events: query.get("sendInitialEvents").map(parse_bool),
            resource_version: query.get("resourceVersion").unwrap_or_default().to_string(),
            resource_version_match: query
                .get("resourceVersionMatch")
                .unwrap_or_default()
                .to_string(),
            timeout_seconds,
            limit,
            continue_token: query.get("continue").unwrap_or_default().to_string(),
        })
    }

    /// `SetListOptionsDefaults` with WatchList enabled (the 1.32 default): a
    /// watch from "" or "0" becomes a streaming list, which is why `wire/20`
    /// ends its initial events with a bookmark although it did not ask for one.
    fn apply_watch_list_defaults(&mut self) {
        if self.send_initial_events.is_some() || !self.resource_version_match.is_empty() {
            return;
        }
        let legacy = self.resource_version.is_empty() || self.resource_version == "0";
        if self.watch && legacy {
            self.send_initial_events = Some(true);
            self.resource_version_match = NOT_OLDER_THAN.to_string();
        }
    }

    fn list_violations(&self) -> Vec<StatusCause> {
        let mut causes = Vec::new();
        let rv_match = self.resource_version_match.as_str();
        if !rv_match.is_empty() {
            if self.resource_version.is_empty() {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                ));
            }
            if !self.continue_token.is_empty() {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden when continue is provided",
                ));
            }
            if rv_match != EXACT && rv_match != NOT_OLDER_THAN {
                causes.push(not_supported(
                    "resourceVersionMatch",
                    rv_match,
                    &[EXACT, NOT_OLDER_THAN, ""],
                ));
            }
            if rv_match == EXACT && self.resource_version == "0" {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                ));
            }
        }
        if self.send_initial_events.is_some() {
            causes.push(forbidden(
                "sendInitialEvents",
                "sendInitialEvents is forbidden for list",
            ));
        }
        causes
    }

    fn watch_violations(&self, watch_list: bool) -> Vec<StatusCause> {
        let mut causes = Vec::new();
        let rv_match = self.resource_version_match.as_str();
        if self.send_initial_events.is_some() && rv_match != NOT_OLDER_THAN {
            causes.push(forbidden(
                "resourceVersionMatch",
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
            ));
        }
        if self.send_initial_events.is_some() && !watch_list {
            causes.push(forbidden(
                "sendInitialEvents",
                "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
            ));
        }
        if !rv_match.is_empty() {
            if self.send_initial_events.is_none() {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                ));
            }
            if rv_match != NOT_OLDER_THAN {
                causes.push(not_supported(
                    "resourceVersionMatch",
                    rv_match,
                    &[NOT_OLDER_THAN],
                ));
            }
            if !self.continue_token.is_empty() {
                causes.push(forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden when continue is provided",
                ));
            }
        }
        causes
    }
}

/// `resourceVersion` as a revision: `""` and `"0"` are 0.
pub fn parse_resource_version(raw: &str) -> Result<u64, Status> {
    if raw.is_empty() || raw == "0" {
        return Ok(0);
    }
    raw.parse::<u64>().map_err(|_| {
        let reason = if raw.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        Status::bad_request(format!(
            "invalid resource version: resourceVersion: Invalid value: {raw:?}: strconv.ParseUint: parsing {raw:?}: {reason}"
        ))
    })
}

/// Go's boolean query conversion: only `0` and `false` (any case) are false.
pub fn parse_bool(raw: &str) -> bool {
    !(raw == "0" || raw.eq_ignore_ascii_case("false"))
}

/// `strconv.ParseInt(s, 10, 64)` with its error text.
fn parse_int(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| {
        let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
        let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("strconv.ParseInt: parsing {raw:?}: {reason}")
    })
}

fn forbidden(field: &'static str, detail: &str) -> StatusCause {
    StatusCause {
        cause_type: "FieldValueForbidden",
        message: format!("Forbidden: {detail}"),
        field,
    }
}

fn not_supported(field: &'static str, value: &str, supported: &[&str]) -> StatusCause {
    let quoted: Vec<String> = supported.iter().map(|v| format!("{v:?}")).collect();
    StatusCause {
        cause_type: "FieldValueNotSupported",
        message: format!(
            "Unsupported value: {value:?}: supported values: {}",
            quoted.join(", ")
        ),
        field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(raw: &str) -> Result<ListOptions, Status> {
        ListOptions::from_query(&Query::parse(raw), false)
    }

    #[test]
    fn decodes_escapes_and_keeps_the_first_value() {
        let query = Query::parse("labelSelector=app%3D%3D%3Dx&limit=2&limit=5&a+b=c+d&bad=%zz");
        assert_eq!(query.get("labelSelector"), Some("app===x"));
        assert_eq!(query.get("limit"), Some("2"));
        assert_eq!(query.get("a b"), Some("c d"));
        assert_eq!(query.get("bad"), None);
    }

    #[test]
    fn a_bad_label_selector_is_wire_14() {
        let status = options("labelSelector=app%3D%3D%3Dx").err();
        assert_eq!(
            status.map(|s| (s.code, s.reason, s.message)),
            Some((
                400,
                "BadRequest",
                "unable to parse requirement: found '=', expected: identifier".to_string()
            ))
        );
    }

    #[test]
    fn numbers_fail_like_strconv() {
        assert_eq!(
            options("limit=abc").err().map(|s| s.message),
            Some(r#"strconv.ParseInt: parsing "abc": invalid syntax"#.to_string())
        );
        assert_eq!(
            options("timeoutSeconds=99999999999999999999")
                .err()
                .map(|s| s.message),
            Some(
                r#"strconv.ParseInt: parsing "99999999999999999999": value out of range"#
                    .to_string()
            )
        );
    }

    #[test]
    fn booleans_are_true_unless_zero_or_false() {
        assert!(options("watch=1").is_ok_and(|o| o.watch));
        assert!(options("watch=true").is_ok_and(|o| o.watch));
        assert!(options("watch=").is_ok_and(|o| o.watch));
        assert!(options("watch=FALSE").is_ok_and(|o| !o.watch));
        assert!(options("watch=0").is_ok_and(|o| !o.watch));
    }

    #[test]
    fn watches_from_nothing_become_streaming_lists() {
        let defaulted = options("watch=1&resourceVersion=");
        assert!(
            defaulted.is_ok_and(|o| o.send_initial_events == Some(true)
                && o.resource_version_match == NOT_OLDER_THAN)
        );
        let resumed = options("watch=1&resourceVersion=17");
        assert!(resumed.is_ok_and(|o| o.send_initial_events.is_none()));
        let list = options("resourceVersion=0");
        assert!(list.is_ok_and(|o| o.send_initial_events.is_none()));
    }

    #[test]
    fn without_watch_list_a_streaming_list_is_refused_and_legacy_watches_stay() {
        let without = |raw: &str| ListOptions::from_query_with(&Query::parse(raw), false, false);
        let refused = without(
            "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
        );
        assert_eq!(
            refused.err().map(|s| (s.code, s.message)),
            Some((
                422,
                "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled".to_string()
            ))
        );
        let legacy = without("watch=1&resourceVersion=");
        assert!(legacy.is_ok_and(|o| o.send_initial_events.is_none()));
    }

    #[test]
    fn forbidden_combinations_are_invalid_list_options() {
        let status = options("resourceVersionMatch=Exact").err();
        assert_eq!(
            status.map(|s| (s.code, s.message)),
            Some((
                422,
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided".to_string()
            ))
        );
        let status = options("sendInitialEvents=true").err();
        assert_eq!(
            status.map(|s| s.message),
            Some("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list".to_string())
        );
        let status = options("watch=1&sendInitialEvents=true&resourceVersionMatch=Exact").err();
        assert_eq!(
            status.map(|s| s.message),
            Some("ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]".to_string())
        );
    }

    #[test]
    fn kube_rs_streaming_lists_are_valid() {
        let streaming = options(
            "watch=true&timeoutSeconds=290&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0",
        );
        assert!(
            streaming.is_ok_and(|o| o.watch
                && o.allow_watch_bookmarks
                && o.timeout_seconds == Some(290))
        );
    }

    #[test]
    fn resource_versions_are_revisions() {
        assert_eq!(parse_resource_version(""), Ok(0));
        assert_eq!(parse_resource_version("0"), Ok(0));
        assert_eq!(parse_resource_version("49917"), Ok(49917));
        assert_eq!(
            parse_resource_version("abc").err().map(|s| s.message),
            Some(r#"invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#.to_string())
        );
    }
}
