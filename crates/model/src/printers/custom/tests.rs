use jiff::Timestamp;
use serde_json::{Value, json};

use super::CustomColumns;
use crate::printers::columns::{CREATION_TIMESTAMP_DOC, ColumnDef, ColumnType, col, name_column};
use crate::printers::tests::recorded;

fn now() -> Timestamp {
    "2026-12-04T05:25:42Z".parse().expect("a timestamp")
}

fn crd_with(columns: Value) -> Value {
    json!({
        "spec": {"versions": [
            {"name": "v1alpha1"},
            {"name": "v1", "additionalPrinterColumns": columns}
        ]}
    })
}

#[test]
fn recorded_crd_gives_the_recorded_columns() {
    let crd = recorded("77-get-crd-gizmos.txt");
    let table = recorded("72-table-list-crd-gizmos.txt");
    let want: Vec<ColumnDef> =
        serde_json::from_value(table["columnDefinitions"].clone()).expect("column definitions");
    assert_eq!(CustomColumns::of_crd(&crd, "v1").defs(), want);
}

#[test]
fn recorded_gizmos_give_the_recorded_cells() {
    let crd = recorded("77-get-crd-gizmos.txt");
    let table = recorded("72-table-list-crd-gizmos.txt");
    let columns = CustomColumns::of_crd(&crd, "v1");
    let rows = table["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    for row in rows {
        // Each row's metadata carries the object as it was applied.
        let applied = row["object"]["metadata"]["annotations"]
            ["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .expect("last-applied-configuration");
        let object: Value = serde_json::from_str(applied).expect("the applied object");
        assert_eq!(Value::Array(columns.row(&object, now())), row["cells"]);
    }
    assert_eq!(
        table["rows"][0]["cells"],
        json!(["gz-plain", null, 2]),
        "the recording itself"
    );
}

#[test]
fn a_crd_without_columns_gets_an_age_column() {
    let crd = json!({"spec": {"versions": [{"name": "v1"}]}});
    let columns = CustomColumns::of_crd(&crd, "v1");
    let age = col("Age", ColumnType::Date, 0, CREATION_TIMESTAMP_DOC);
    assert_eq!(columns.defs(), vec![name_column(), age]);
    let object = json!({"metadata": {"name": "g", "creationTimestamp": "2026-12-04T05:20:30Z"}});
    assert_eq!(
        columns.row(&object, now()),
        vec![json!("g"), json!("5m12s")]
    );
    let unnamed = json!({});
    assert_eq!(columns.row(&unnamed, now()), vec![json!(""), Value::Null]);
    // An empty list is no columns either.
    let empty = CustomColumns::of_crd(&crd_with(json!([])), "v1");
    assert_eq!(empty.defs()[1].name, "Age");
}

#[test]
fn old_crds_declare_columns_for_every_version() {
    let crd = json!({"spec": {
        "version": "v1beta1",
        "versions": [{"name": "v1beta1"}],
        "additionalPrinterColumns": [
            {"name": "Phase", "type": "string", "JSONPath": ".status.phase", "description": "The phase."}
        ]
    }});
    let columns = CustomColumns::of_crd(&crd, "v1beta1");
    let defs = columns.defs();
    assert_eq!(defs.len(), 2);
    assert_eq!(defs[1].name, "Phase");
    assert_eq!(defs[1].description, "The phase.");
    let object = json!({"metadata": {"name": "x"}, "status": {"phase": "Ready"}});
    assert_eq!(
        columns.row(&object, now()),
        vec![json!("x"), json!("Ready")]
    );
}

#[test]
fn declared_format_priority_and_description_are_kept() {
    let crd = crd_with(json!([
        {"name": "Size", "type": "integer", "format": "int32", "priority": 2,
         "description": "How big.", "jsonPath": ".spec.size"}
    ]));
    let defs = CustomColumns::of_crd(&crd, "v1").defs();
    assert_eq!(
        defs[1],
        ColumnDef {
            name: "Size".to_string(),
            kind: ColumnType::Integer,
            format: "int32".to_string(),
            description: "How big.".to_string(),
            priority: 2,
        }
    );
    // Another version's columns are not this one's.
    assert_eq!(
        CustomColumns::of_crd(&crd, "v1alpha1").defs()[1].name,
        "Age"
    );
}

#[test]
fn cells_follow_the_column_type() {
    let crd = crd_with(json!([
        {"name": "I", "type": "integer", "jsonPath": ".spec.v"},
        {"name": "N", "type": "number", "jsonPath": ".spec.v"},
        {"name": "B", "type": "boolean", "jsonPath": ".spec.v"},
        {"name": "S", "type": "string", "jsonPath": ".spec.v"},
        {"name": "D", "type": "date", "jsonPath": ".spec.v"}
    ]));
    let columns = CustomColumns::of_crd(&crd, "v1");
    let cells = |v: Value| {
        let mut row = columns.row(&json!({"metadata": {"name": "o"}, "spec": {"v": v}}), now());
        row.remove(0);
        row
    };
    let null = Value::Null;
    assert_eq!(
        cells(json!(7)),
        vec![json!(7), json!(7), null.clone(), json!("7"), null.clone()]
    );
    assert_eq!(
        cells(json!(2.75)),
        vec![
            json!(2),
            json!(2.75),
            null.clone(),
            json!("2.75"),
            null.clone()
        ]
    );
    assert_eq!(
        cells(json!(true)),
        vec![
            null.clone(),
            null.clone(),
            json!(true),
            json!("true"),
            null.clone()
        ]
    );
    assert_eq!(
        cells(json!("2026-12-04T04:25:42Z")),
        vec![
            null.clone(),
            null.clone(),
            null.clone(),
            json!("2026-12-04T04:25:42Z"),
            json!("60m")
        ]
    );
    assert_eq!(cells(json!("soon"))[4], json!("<invalid>"));
    assert_eq!(cells(json!(""))[4], json!("<unknown>"));
    assert_eq!(cells(json!("0001-01-01T00:00:00Z"))[4], json!("<unknown>"));
    // A null the path reaches: nothing, but a string column prints it.
    assert_eq!(
        cells(json!(null)),
        vec![
            null.clone(),
            null.clone(),
            null.clone(),
            json!("<no value>"),
            null.clone()
        ]
    );
    assert_eq!(
        cells(json!({"b": 1, "a": [true]}))[3],
        json!(r#"{"a":[true],"b":1}"#)
    );
}

#[test]
fn the_first_value_found_is_the_cell() {
    let crd = crd_with(json!([
        {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
        {"name": "Images", "type": "string", "jsonPath": ".spec.containers[*].image"},
        {"name": "Missing", "type": "integer", "jsonPath": ".spec.containers[5].port"}
    ]));
    let columns = CustomColumns::of_crd(&crd, "v1");
    let object = json!({
        "metadata": {"name": "o"},
        "spec": {"containers": [{"image": "nginx"}, {"image": "envoy"}]},
        "status": {"conditions": [{"type": "Synced", "status": "True"}, {"type": "Ready", "status": "False"}]}
    });
    assert_eq!(
        columns.row(&object, now()),
        vec![json!("o"), json!("False"), json!("nginx"), Value::Null]
    );
}

#[test]
fn columns_stop_at_a_path_the_server_cannot_parse() {
    let crd = crd_with(json!([
        {"name": "A", "type": "string", "jsonPath": ".spec.a"},
        {"name": "Bad", "type": "string", "jsonPath": ".spec[0"},
        {"name": "C", "type": "string", "jsonPath": ".spec.c"}
    ]));
    let names: Vec<String> = CustomColumns::of_crd(&crd, "v1")
        .defs()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Name", "A"]);
}
