//! core/v1 Events as controllers record them (`EventRecorder`): one new Event
//! per occurrence, named `<object>.<hex>` in the object's namespace.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::Pass;
use super::fields::{self, stamp};

/// Who records an event: `source.component` and, for kubelets, the node.
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

pub const SCHEDULER: Source<'static> = Source {
    component: "default-scheduler",
    host: None,
};
pub const REPLICASET_CONTROLLER: Source<'static> = Source {
    component: "replicaset-controller",
    host: None,
};
pub const DEPLOYMENT_CONTROLLER: Source<'static> = Source {
    component: "deployment-controller",
    host: None,
};

pub fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node),
    }
}

/// What an event is about and what it says.
pub struct Occurrence<'a> {
    pub warning: bool,
    pub reason: &'a str,
    pub message: String,
    /// `involvedObject.fieldPath`, e.g. `spec.containers{web}`.
    pub field_path: Option<String>,
}

impl Occurrence<'_> {
    pub fn normal(reason: &str, message: String) -> Occurrence<'_> {
        Occurrence {
            warning: false,
            reason,
            message,
            field_path: None,
        }
    }

    pub fn warning(reason: &str, message: String) -> Occurrence<'_> {
        Occurrence {
            warning: true,
            ..Occurrence::normal(reason, message)
        }
    }

    pub fn for_container(mut self, container: &str) -> Self {
        self.field_path = Some(format!("spec.containers{{{container}}}"));
        self
    }
}

/// Records `occurrence` about `object` (which carries `kind`/`apiVersion`).
pub fn record(
    pass: &mut Pass<'_>,
    object: &Value,
    source: &Source<'_>,
    occurrence: Occurrence<'_>,
) {
    let event = build(pass.next_u64(), pass.now, object, source, occurrence);
    if let Err(error) = pass.sim.apply(event) {
        tracing::warn!("simulator controllers: cannot record an event: {error}");
    }
}

fn build(
    unique: u64,
    now: Timestamp,
    object: &Value,
    source: &Source<'_>,
    occurrence: Occurrence<'_>,
) -> Value {
    let object_name = fields::name(object);
    let namespace = match fields::namespace(object) {
        "" => "default",
        namespace => namespace,
    };
    let mut involved = json!({
        "apiVersion": object.get("apiVersion").cloned().unwrap_or(Value::Null),
        "kind": object.get("kind").cloned().unwrap_or(Value::Null),
        "name": object_name,
        "uid": fields::uid(object),
    });
    if !fields::namespace(object).is_empty() {
        involved["namespace"] = json!(namespace);
    }
    if let Some(path) = &occurrence.field_path {
        involved["fieldPath"] = json!(path);
    }
    let mut source_json = json!({"component": source.component});
    if let Some(host) = source.host {
        source_json["host"] = json!(host);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            // The recorder names events `<name>.<unix nanos in hex>`; a drawn
            // number keeps names unique within one pass at one instant.
            "name": format!("{object_name}.{:016x}", unique),
            "namespace": namespace,
            "creationTimestamp": stamp(now),
        },
        "involvedObject": involved,
        "reason": occurrence.reason,
        "message": occurrence.message,
        "type": if occurrence.warning { "Warning" } else { "Normal" },
        "source": source_json,
        "reportingComponent": source.component,
        "reportingInstance": source.host.unwrap_or_default(),
        "firstTimestamp": stamp(now),
        "lastTimestamp": stamp(now),
        "count": 1,
    })
}
