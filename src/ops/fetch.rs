//! Reads one object in full from the API server (the cache strips managedFields).

use kube::api::{Api, DynamicObject};

use crate::model::doc::ObjectRef;

/// GETs `target` and returns it as JSON, or the server's message.
pub async fn fetch_object(
    client: kube::Client,
    target: &ObjectRef,
) -> Result<serde_json::Value, String> {
    let resource = crate::cache::api_resource(target.kind);
    let api: Api<DynamicObject> = if target.kind.namespaced() {
        Api::namespaced_with(client, &target.namespace, &resource)
    } else {
        Api::all_with(client, &resource)
    };
    let object = api.get(&target.name).await.map_err(|e| match e {
        kube::Error::Api(status) => status.message,
        other => other.to_string(),
    })?;
    serde_json::to_value(&object).map_err(|e| e.to_string())
}

/// GETs the object at `path` (any kind, as discovery names it) as JSON, or the
/// server's message.
pub async fn fetch_path(client: kube::Client, path: &str) -> Result<serde_json::Value, String> {
    let request = http::Request::get(path)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    client.request(request).await.map_err(|e| match e {
        kube::Error::Api(status) => status.message,
        other => other.to_string(),
    })
}
