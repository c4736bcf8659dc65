//! Server-side printing: lists, gets and watches asked for as `meta.k8s.io`
//! Tables, as kubectl asks, against the Tables a real kube-apiserver returned
//! (`shared/wire/70`–`79`).

#[path = "sim_support.rs"]
mod support;

use futures::StreamExt;
use serde_json::{Value, json};

use support::{body_text, json_of, serve_values, within};

/// kubectl's Accept header for `get`, as recorded.
const KUBECTL_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/// Every JSON body of a recorded exchange, in order.
fn recorded(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/wire/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("a JSON body"))
        .collect()
}

async fn get_table(client: &kube::Client, path: &str, accept: &str) -> Value {
    let request = http::Request::get(path)
        .header(http::header::ACCEPT, accept)
        .body(kube::client::Body::from(Vec::new()))
        .expect("a valid request");
    let response = within(path, client.send(request))
        .await
        .expect("a response");
    assert_eq!(response.status(), 200, "{path}");
    json_of(&body_text(response).await)
}

/// The cells of each row with the Age column (computed at the server's
/// "now") left out.
fn cells_without_age(table: &Value) -> Vec<Vec<Value>> {
    let age = table["columnDefinitions"]
        .as_array()
        .and_then(|c| c.iter().position(|c| c["name"] == "Age"));
    table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let mut cells = row["cells"].as_array().expect("cells").clone();
            if let Some(age) = age {
                cells.remove(age);
            }
            cells
        })
        .collect()
}

fn deployment(name: &str, containers: Value, ready: i64) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "wire-tables", "labels": {"app": name},
                     "creationTimestamp": "2026-11-23T11:59:11Z"},
        "spec": {"replicas": ready, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}},
        "status": {"replicas": ready, "readyReplicas": ready, "updatedReplicas": ready,
                   "availableReplicas": ready, "observedGeneration": 1}})
}

fn wire_deployments() -> Vec<Value> {
    vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "wire-tables"}}),
        deployment(
            "front",
            json!([{"name": "nginx", "image": "nginx:1.27"}]),
            2,
        ),
        deployment(
            "worker",
            json!([{"name": "worker", "image": "busybox:1.36"},
                   {"name": "proxy", "image": "envoyproxy/envoy:v1.31.2"}]),
            1,
        ),
    ]
}

#[tokio::test]
async fn deployments_print_as_wire_70_and_plain_json_stays_a_list() {
    let running = serve_values(wire_deployments());
    let path = "/apis/apps/v1/namespaces/wire-tables/deployments?limit=500";
    let table = get_table(&running.client, path, KUBECTL_ACCEPT).await;
    let real = &recorded("70-table-list-deployments.txt")[0];
    assert_eq!(table["kind"], "Table");
    assert_eq!(table["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(table["columnDefinitions"], real["columnDefinitions"]);
    assert_eq!(cells_without_age(&table), cells_without_age(real));
    assert_eq!(
        table["rows"][0]["cells"][4], "49s",
        "the Age the server computes"
    );
    let object = &table["rows"][0]["object"];
    assert_eq!(object["kind"], "PartialObjectMetadata");
    assert_eq!(object["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(object["metadata"]["name"], "front");
    assert!(object.get("spec").is_none());

    // A get is a one-row Table; without the Table media type, the object.
    let one = get_table(
        &running.client,
        "/apis/apps/v1/namespaces/wire-tables/deployments/worker",
        KUBECTL_ACCEPT,
    )
    .await;
    assert_eq!(
        cells_without_age(&one),
        vec![cells_without_age(real)[1].clone()]
    );
    let plain = get_table(&running.client, path, "application/json").await;
    assert_eq!(plain["kind"], "DeploymentList");
}

#[tokio::test]
async fn a_table_watch_sends_column_definitions_once_as_wire_73() {
    let running = serve_values(wire_deployments());
    let list = get_table(
        &running.client,
        "/apis/apps/v1/namespaces/wire-tables/deployments?limit=500",
        KUBECTL_ACCEPT,
    )
    .await;
    let version = list["metadata"]["resourceVersion"]
        .as_str()
        .expect("a resourceVersion")
        .to_string();
    let request = http::Request::get(format!(
        "/apis/apps/v1/namespaces/wire-tables/deployments?watch=1&resourceVersion={version}"
    ))
    .header(http::header::ACCEPT, KUBECTL_ACCEPT)
    .body(Vec::new())
    .expect("a valid request");
    let events = within("the watch", running.client.request_events::<Value>(request))
        .await
        .expect("a stream");
    let mut events = Box::pin(events);
    for replicas in [3, 4] {
        let mut front = running
            .sim
            .get("deployments", "wire-tables", "front")
            .expect("front");
        front["spec"]["replicas"] = json!(replicas);
        running.sim.apply(front).expect("the update applies");
    }
    let real = recorded("73-table-watch-deployments.txt");
    let mut modified = Vec::new();
    while modified.len() < 2 {
        match within("a watch event", events.next())
            .await
            .expect("an event")
            .expect("no error")
        {
            kube::api::WatchEvent::Modified(table) => modified.push(table),
            other => panic!("unexpected {other:?}"),
        }
    }
    let (first, second) = (&modified[0], &modified[1]);
    assert_eq!(first["kind"], "Table");
    assert_eq!(
        first["columnDefinitions"], real[0]["columnDefinitions"],
        "the first event's columns are the list's"
    );
    assert_eq!(second["columnDefinitions"], Value::Null);
    assert_eq!(second["rows"][0]["cells"][0], "front");
    assert_eq!(
        second["rows"][0]["cells"][1], "2/4",
        "4 desired, 2 ready as seeded"
    );
    assert_eq!(
        second["metadata"]["resourceVersion"],
        second["rows"][0]["object"]["metadata"]["resourceVersion"],
    );
}

#[tokio::test]
async fn services_with_their_objects_print_as_wire_71() {
    let real = &recorded("71-table-list-services-includeObject.txt")[0];
    let mut objects = vec![json!({"apiVersion": "v1", "kind": "Namespace",
                                  "metadata": {"name": "wire-tables"}})];
    objects.extend(
        real["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|row| row["object"].clone()),
    );
    let running = serve_values(objects);
    let table = get_table(
        &running.client,
        "/api/v1/namespaces/wire-tables/services?limit=500&includeObject=Object",
        KUBECTL_ACCEPT,
    )
    .await;
    assert_eq!(table["columnDefinitions"], real["columnDefinitions"]);
    assert_eq!(cells_without_age(&table), cells_without_age(real));
    for (ours, theirs) in table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .zip(real["rows"].as_array().expect("rows"))
    {
        assert_eq!(ours["object"]["kind"], "Service");
        assert_eq!(ours["object"]["spec"], theirs["object"]["spec"]);
    }
}

#[tokio::test]
async fn configmaps_secrets_pods_and_an_empty_job_list_print_as_recorded() {
    let real = recorded("74-table-list-configmaps-secrets.txt");
    let running = serve_values(vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "wire-tables"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "front-conf", "namespace": "wire-tables"},
               "data": {"a": "1", "b": "2", "c": "3"}}),
        json!({"apiVersion": "v1", "kind": "Secret",
               "metadata": {"name": "front-creds", "namespace": "wire-tables"},
               "type": "Opaque", "data": {"user": "YQ==", "password": "Yg=="}}),
    ]);
    let configmaps = get_table(
        &running.client,
        "/api/v1/namespaces/wire-tables/configmaps?limit=500",
        KUBECTL_ACCEPT,
    )
    .await;
    assert_eq!(
        configmaps["columnDefinitions"],
        real[0]["columnDefinitions"]
    );
    assert_eq!(
        cells_without_age(&configmaps),
        vec![vec![json!("front-conf"), json!(3)]]
    );
    let secrets = get_table(
        &running.client,
        "/api/v1/namespaces/wire-tables/secrets?limit=500",
        KUBECTL_ACCEPT,
    )
    .await;
    assert_eq!(secrets["columnDefinitions"], real[1]["columnDefinitions"]);
    assert_eq!(cells_without_age(&secrets), cells_without_age(&real[1]));
    let text = secrets.to_string();
    assert!(
        !text.contains("YQ=="),
        "a Table of Secrets carries no values: {text}"
    );

    let pods = get_table(
        &running.client,
        "/api/v1/namespaces/wire-tables/pods?limit=500",
        KUBECTL_ACCEPT,
    )
    .await;
    assert_eq!(
        pods["columnDefinitions"],
        recorded("78-table-list-pods.txt")[0]["columnDefinitions"]
    );
    let jobs = get_table(
        &running.client,
        "/apis/batch/v1/namespaces/wire-tables/jobs?limit=500",
        KUBECTL_ACCEPT,
    )
    .await;
    let empty = &recorded("79-table-list-empty-jobs.txt")[0];
    assert_eq!(jobs["columnDefinitions"], empty["columnDefinitions"]);
    assert_eq!(jobs["rows"], json!([]));
}
