//! Events, core/v1 and events.k8s.io/v1: one storage behind both APIs, so the
//! server converts either to its internal Event and prints it with
//! `printEvent`. Only the field names differ.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{field, integer, name, since, text, timestamp};
use crate::printers::{ColumnDef, ColumnType, col, name_column};

/// Where the internal Event's fields sit in one API version's JSON.
struct Fields {
    involved_object: &'static str,
    source: &'static str,
    reporting_controller: &'static str,
    message: &'static str,
    first_timestamp: &'static str,
    last_timestamp: &'static str,
    count: &'static str,
}

const CORE_V1: Fields = Fields {
    involved_object: "/involvedObject",
    source: "/source",
    // core/v1 keeps ReportingController under its old JSON name.
    reporting_controller: "/reportingComponent",
    message: "/message",
    first_timestamp: "/firstTimestamp",
    last_timestamp: "/lastTimestamp",
    count: "/count",
};

/// events.k8s.io/v1, as `Convert_v1_Event_To_core_Event` maps it.
const EVENTS_V1: Fields = Fields {
    involved_object: "/regarding",
    source: "/deprecatedSource",
    reporting_controller: "/reportingController",
    message: "/note",
    first_timestamp: "/deprecatedFirstTimestamp",
    last_timestamp: "/deprecatedLastTimestamp",
    count: "/deprecatedCount",
};

pub fn columns() -> Vec<ColumnDef> {
    vec![
        col("Last Seen", ColumnType::String, 0, LAST_SEEN_DOC),
        col("Type", ColumnType::String, 0, TYPE_DOC),
        col("Reason", ColumnType::String, 0, REASON_DOC),
        col("Object", ColumnType::String, 0, OBJECT_DOC),
        col("Subobject", ColumnType::String, 1, SUBOBJECT_DOC),
        col("Source", ColumnType::String, 1, SOURCE_DOC),
        col("Message", ColumnType::String, 0, MESSAGE_DOC),
        col("First Seen", ColumnType::String, 1, FIRST_SEEN_DOC),
        col("Count", ColumnType::String, 1, COUNT_DOC),
        ColumnDef {
            priority: 1,
            ..name_column()
        },
    ]
}

pub fn core_row(event: &Value, now: Timestamp) -> Vec<Value> {
    row(event, &CORE_V1, now)
}

pub fn events_v1_row(event: &Value, now: Timestamp) -> Vec<Value> {
    row(event, &EVENTS_V1, now)
}

fn row(event: &Value, fields: &Fields, now: Timestamp) -> Vec<Value> {
    // Events recorded through the new API carry only eventTime.
    let first_seen = if timestamp(event, fields.first_timestamp).is_some() {
        since(event, fields.first_timestamp, now)
    } else {
        since(event, "/eventTime", now)
    };
    let mut last_seen = if timestamp(event, fields.last_timestamp).is_some() {
        since(event, fields.last_timestamp, now)
    } else {
        first_seen.clone()
    };
    let mut count = integer(event, fields.count).unwrap_or_default();
    match field(event, "/series").filter(|s| s.is_object()) {
        Some(series) => {
            last_seen = since(series, "/lastObservedTime", now);
            count = integer(series, "/count").unwrap_or_default();
        }
        // Singleton events don't have a count set in the new API.
        None if count == 0 => count = 1,
        None => {}
    }
    let involved = field(event, fields.involved_object).unwrap_or(&Value::Null);
    let kind = text(involved, "/kind").to_lowercase();
    let involved_name = text(involved, "/name");
    let target = if involved_name.is_empty() {
        kind
    } else {
        format!("{kind}/{involved_name}")
    };
    vec![
        json!(last_seen),
        json!(text(event, "/type")),
        json!(text(event, "/reason")),
        json!(target),
        json!(text(involved, "/fieldPath")),
        json!(source(event, fields)),
        json!(text(event, fields.message).trim()),
        json!(first_seen),
        json!(count),
        json!(name(event)),
    ]
}

/// `formatEventSource`: the source's component and host, each falling back
/// to the reporting controller and instance; the host left out when empty.
fn source(event: &Value, fields: &Fields) -> String {
    let source = field(event, fields.source).unwrap_or(&Value::Null);
    let component = first_non_empty(
        text(source, "/component"),
        text(event, fields.reporting_controller),
    );
    let instance = first_non_empty(text(source, "/host"), text(event, "/reportingInstance"));
    if instance.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {instance}")
    }
}

fn first_non_empty<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.is_empty() { b } else { a }
}

// SwaggerDoc strings of k8s.io/api v0.32 core/v1 Event and ObjectReference,
// as printers.go reads them for both APIs.

/// `Event.lastTimestamp`
const LAST_SEEN_DOC: &str =
    "The time at which the most recent occurrence of this event was recorded.";
/// `Event.type`
const TYPE_DOC: &str =
    "Type of this event (Normal, Warning), new types could be added in the future";
/// `Event.reason`
const REASON_DOC: &str = "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.";
/// `Event.involvedObject`
const OBJECT_DOC: &str = "The object that this event is about.";
/// `ObjectReference.fieldPath`
const SUBOBJECT_DOC: &str = "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.";
/// `Event.source`
const SOURCE_DOC: &str =
    "The component reporting this event. Should be a short machine understandable string.";
/// `Event.message`
const MESSAGE_DOC: &str = "A human-readable description of the status of this operation.";
/// `Event.firstTimestamp`
const FIRST_SEEN_DOC: &str =
    "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";
/// `Event.count`
const COUNT_DOC: &str = "The number of times this event has occurred.";
