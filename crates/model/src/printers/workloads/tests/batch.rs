//! Jobs and CronJobs.

use serde_json::{Value, json};

use super::*;
#[test]
fn job_columns_match_recorded_table() {
    let table = recorded("79-table-list-empty-jobs.txt");
    let ours = serde_json::to_value((printer("batch", "Job").columns)()).unwrap();
    assert_eq!(ours, table["columnDefinitions"]);
    assert_eq!(table["rows"], json!([]));
}

fn job(status: Value) -> Value {
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi", "creationTimestamp": CREATED},
        "spec": {
            "completions": 1,
            "parallelism": 1,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "0b5c6f1e-6a1c-4d63-9d58-2f1c3b4a5e6f"}},
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}
        },
        "status": status
    })
}

#[test]
fn job_cells() {
    let complete = job(json!({
        "startTime": "2026-12-04T05:24:53Z",
        "completionTime": "2026-12-04T05:28:05Z",
        "succeeded": 1,
        "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True"},
            {"type": "Complete", "status": "True"}
        ]
    }));
    assert_eq!(
        cells("batch", "Job", &complete, "2026-12-04T07:24:53Z"),
        [
            json!("pi"),
            json!("Complete"),
            json!("1/1"),
            json!("3m12s"),
            json!("120m"),
            json!("pi"),
            json!("perl:5.34.0"),
            json!("batch.kubernetes.io/controller-uid=0b5c6f1e-6a1c-4d63-9d58-2f1c3b4a5e6f")
        ]
    );
    // Still running: the duration runs to now.
    let running = job(json!({"startTime": "2026-12-04T05:24:53Z", "active": 1}));
    assert_eq!(
        cells("batch", "Job", &running, "2026-12-04T05:25:38Z")[1..4],
        [json!("Running"), json!("0/1"), json!("45s")]
    );
    // Not started (e.g. suspended from creation): no duration.
    let pending = job(json!({}));
    assert_eq!(
        cells("batch", "Job", &pending, CREATED)[1..4],
        [json!("Running"), json!("0/1"), json!("")]
    );
}

#[test]
fn job_status_precedence_is_v1_32s() {
    let status = |conditions: Value, deleting: bool| {
        let mut object = job(json!({"conditions": conditions}));
        if deleting {
            object["metadata"]["deletionTimestamp"] = json!("2026-12-04T05:30:00Z");
        }
        cells("batch", "Job", &object, CREATED)[1].clone()
    };
    let t = |kind: &str| json!({"type": kind, "status": "True"});
    assert_eq!(
        status(json!([t("FailureTarget"), t("Failed")]), true),
        json!("Failed")
    );
    assert_eq!(
        status(json!([t("Failed"), t("Complete")]), false),
        json!("Complete")
    );
    assert_eq!(status(json!([t("Suspended")]), true), json!("Terminating"));
    assert_eq!(status(json!([t("Suspended")]), false), json!("Suspended"));
    assert_eq!(
        status(json!([t("FailureTarget")]), false),
        json!("FailureTarget")
    );
    // v1.32 has no SuccessCriteriaMet status (added in v1.34).
    assert_eq!(
        status(json!([t("SuccessCriteriaMet")]), false),
        json!("Running")
    );
    // A condition that is not True does not count; the first of a type decides.
    assert_eq!(
        status(json!([{"type": "Suspended", "status": "False"}]), false),
        json!("Running")
    );
    assert_eq!(
        status(
            json!([{"type": "Failed", "status": "False"}, t("Failed")]),
            false
        ),
        json!("Running")
    );
}

#[test]
fn job_completions_without_a_completion_count() {
    let mut work_queue = job(json!({"succeeded": 2, "active": 3}));
    work_queue["spec"]
        .as_object_mut()
        .unwrap()
        .remove("completions");
    work_queue["spec"]["parallelism"] = json!(5);
    assert_eq!(
        cells("batch", "Job", &work_queue, CREATED)[2],
        json!("2/1 of 5")
    );
    work_queue["spec"]["parallelism"] = json!(1);
    assert_eq!(cells("batch", "Job", &work_queue, CREATED)[2], json!("2/1"));
    let mut indexed = job(json!({"succeeded": 4}));
    indexed["spec"]["completions"] = json!(10);
    assert_eq!(cells("batch", "Job", &indexed, CREATED)[2], json!("4/10"));
}

#[test]
fn cron_job_cells() {
    assert_eq!(
        shape("batch", "CronJob"),
        names(&[
            ("Name", 0),
            ("Schedule", 0),
            ("Timezone", 0),
            ("Suspend", 0),
            ("Active", 0),
            ("Last Schedule", 0),
            ("Age", 0),
            ("Containers", 1),
            ("Images", 1),
            ("Selector", 1)
        ])
    );
    let columns = (printer("batch", "CronJob").columns)();
    assert_eq!(columns[3].kind, ColumnType::Boolean);
    assert_eq!(columns[4].kind, ColumnType::Integer);
    let cron = json!({
        "metadata": {"name": "backup", "creationTimestamp": "2026-12-01T05:24:53Z"},
        "spec": {
            "schedule": "*/5 * * * *",
            "timeZone": "Europe/Paris",
            "suspend": false,
            "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "backup", "image": "restic/restic:0.17.3"}]}}}}
        },
        "status": {
            "active": [{"kind": "Job", "name": "backup-29000000", "namespace": "default"}],
            "lastScheduleTime": "2026-12-04T05:20:00Z"
        }
    });
    assert_eq!(
        cells("batch", "CronJob", &cron, "2026-12-04T05:24:53Z"),
        [
            json!("backup"),
            json!("*/5 * * * *"),
            json!("Europe/Paris"),
            json!("False"),
            json!(1),
            json!("4m53s"),
            json!("3d"),
            json!("backup"),
            json!("restic/restic:0.17.3"),
            json!("<none>")
        ]
    );
    let never = json!({"metadata": {"name": "n"}, "spec": {"schedule": "@daily", "suspend": true}, "status": {}});
    assert_eq!(
        cells("batch", "CronJob", &never, CREATED)[1..6],
        [
            json!("@daily"),
            json!("<none>"),
            json!("True"),
            json!(0),
            json!("<none>")
        ]
    );
    // printBoolPtr of an unset suspend (the server defaults it to false).
    let unset = json!({"spec": {"schedule": "@daily"}});
    assert_eq!(
        cells("batch", "CronJob", &unset, CREATED)[3],
        json!("<unset>")
    );
}
