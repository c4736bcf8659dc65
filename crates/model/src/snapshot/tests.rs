use super::json::compact;
use super::*;

/// The demo as one JSON List, written as kubectl writes it (indented).
fn demo_json() -> String {
    let documents: Vec<Option<Value>> =
        serde_saphyr::from_multiple(crate::demo::DEMO_YAML).expect("the demo parses");
    let items: Vec<Value> = documents.into_iter().flatten().collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "apiVersion": "v1", "kind": "List", "items": items
    }))
    .expect("JSON")
}

fn sorted(mut pods: Vec<CachedPod>) -> Vec<CachedPod> {
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pods
}

#[test]
fn slim_loading_keeps_what_full_loading_keeps() {
    let text = demo_json();
    let path = Path::new("demo.json");
    let mut full = Snapshot::default();
    load_text_as(path, &text, PodForm::Full, &mut full).expect("loads");
    let mut slim = Snapshot::default();
    load_text_as(path, &text, PodForm::Slim, &mut slim).expect("loads");
    assert!(slim.objects.pods.is_empty());
    assert_eq!(slim.total(), full.total());
    let from_full: Vec<CachedPod> = full.objects.pods.iter().map(CachedPod::from).collect();
    assert_eq!(sorted(slim.slim_pods.clone()), sorted(from_full));
    // Each pod's full object is kept as the file has it, compact, for its
    // YAML view.
    let originals: Value = serde_json::from_str(&text).expect("JSON");
    let pods: Vec<&Value> = originals["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["kind"] == "Pod")
        .collect();
    assert_eq!(pods.len(), slim.full_pods.len());
    for original in pods {
        let name = original["metadata"]["name"].as_str().expect("a name");
        let kept = slim
            .full_pods
            .iter()
            .find(|p| p.name == name)
            .expect("kept in full");
        assert!(!kept.json.contains("\n  "), "compact");
        let kept: Value = serde_json::from_str(&kept.json).expect("JSON");
        assert_eq!(&kept, original, "{name}");
    }
}

#[test]
fn a_typed_lists_pods_load_slim_with_their_kind() {
    let text = r#"{"kind":"PodList","apiVersion":"v1","items":[
        {"metadata":{"name":"a","namespace":"x"},"spec":{"containers":[{"name":"c","image":"i"}]}},
        {"metadata":{"name":"b","namespace":"x","creationTimestamp":"2026-11-23T12:00:00+25:00"}}
    ]}"#;
    let mut slim = Snapshot::default();
    load_text_as(Path::new("pods.json"), text, PodForm::Slim, &mut slim).expect("loads");
    assert_eq!(slim.slim_pods.len(), 1);
    assert!(
        slim.full_pods[0]
            .json
            .starts_with(r#"{"apiVersion":"v1","kind":"Pod","metadata""#)
    );
    // The second pod's offset goes the long way, and is refused with its place.
    assert_eq!(slim.malformed.len(), 1, "{:?}", slim.malformed);
    assert_eq!(slim.malformed[0].line, Some(3), "{}", slim.malformed[0]);
}

#[test]
fn compact_keeps_strings_whole() {
    assert_eq!(
        compact("{ \"a b\" : [ 1 , \"x \\\" y\" ] }"),
        "{\"a b\":[1,\"x \\\" y\"]}"
    );
}
