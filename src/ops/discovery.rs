//! Which resources a live server serves: aggregated discovery (one request
//! for `/api` and one for `/apis`, `apidiscovery.k8s.io/v2`), or the legacy
//! endpoints (`/api/v1`, then each group's preferred version) from a server
//! that does not aggregate. Custom resources come with their short names.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIGroupList, APIResourceList};
use serde_json::Value;

use crate::model::api_catalog::ApiResource;

const AGGREGATED: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

/// Every resource the server serves, at its preferred version.
pub async fn discover(client: &kube::Client) -> Result<Vec<ApiResource>, String> {
    let mut resources = Vec::new();
    for path in ["/api", "/apis"] {
        let document = get(client, path, AGGREGATED).await?;
        if document["kind"] == "APIGroupDiscoveryList" {
            resources.extend(from_aggregated(&document));
        } else {
            resources.extend(legacy(client, path, &document).await?);
        }
    }
    Ok(resources)
}

async fn get(client: &kube::Client, path: &str, accept: &str) -> Result<Value, String> {
    let request = http::Request::get(path)
        .header(http::header::ACCEPT, accept)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    client.request(request).await.map_err(|e| match e {
        kube::Error::Api(status) => status.message,
        other => other.to_string(),
    })
}

/// The preferred (first) version of each group in an aggregated document.
fn from_aggregated(document: &Value) -> Vec<ApiResource> {
    let mut out = Vec::new();
    for group in document["items"].as_array().into_iter().flatten() {
        let name = group["metadata"]["name"].as_str().unwrap_or_default();
        let Some(version) = group["versions"].as_array().and_then(|v| v.first()) else {
            continue;
        };
        let version_name = version["version"].as_str().unwrap_or_default();
        for resource in version["resources"].as_array().into_iter().flatten() {
            let strings = |field: &str| -> Vec<String> {
                resource[field]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            out.push(ApiResource {
                group: name.to_string(),
                version: version_name.to_string(),
                kind: resource["responseKind"]["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                plural: resource["resource"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                singular: resource["singularResource"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                namespaced: resource["scope"] == "Namespaced",
                short_names: strings("shortNames"),
                verbs: strings("verbs"),
            });
        }
    }
    out
}

/// The legacy endpoints: `/api/v1`, or each group's preferred version.
async fn legacy(
    client: &kube::Client,
    path: &str,
    document: &Value,
) -> Result<Vec<ApiResource>, String> {
    let versions: Vec<(String, String)> = if path == "/api" {
        vec![(String::new(), "v1".to_string())]
    } else {
        let groups: APIGroupList =
            serde_json::from_value(document.clone()).map_err(|e| e.to_string())?;
        groups
            .groups
            .iter()
            .filter_map(|g| {
                let preferred = g
                    .preferred_version
                    .as_ref()
                    .or(g.versions.first())?
                    .version
                    .clone();
                Some((g.name.clone(), preferred))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (group, version) in versions {
        let url = if group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{group}/{version}")
        };
        let list: APIResourceList =
            serde_json::from_value(get(client, &url, "application/json").await?)
                .map_err(|e| e.to_string())?;
        for resource in list.resources.iter().filter(|r| !r.name.contains('/')) {
            out.push(ApiResource {
                group: group.clone(),
                version: version.clone(),
                kind: resource.kind.clone(),
                plural: resource.name.clone(),
                singular: resource.singular_name.clone(),
                namespaced: resource.namespaced,
                short_names: resource.short_names.clone().unwrap_or_default(),
                verbs: resource.verbs.clone(),
            });
        }
    }
    Ok(out)
}
