//! batch: Job and CronJob.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{container_cells, format_label_selector, template_columns, text, time_at};
use crate::age::{age_since, human_duration, whole_seconds_between};
use crate::printers::columns::name_of;
use crate::printers::{ColumnDef, ColumnType, Printer, age_column, age_text, col, name_column};

const STRING: ColumnType = ColumnType::String;

const JOB_SELECTOR_DOC: &str = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

pub const JOB: Printer = Printer {
    group: "batch",
    kind: "Job",
    columns: job_columns,
    row: job_row,
};

pub const CRON_JOB: Printer = Printer {
    group: "batch",
    kind: "CronJob",
    columns: cron_job_columns,
    row: cron_job_row,
};

fn job_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Status", STRING, 0, "Status of the job."),
        col(
            "Completions",
            STRING,
            0,
            "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
        ),
        col("Duration", STRING, 0, "Time required to complete the job."),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some(JOB_SELECTOR_DOC)))
    .collect()
}

fn job_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let [names, images] = container_cells(object.pointer("/spec/template/spec"));
    vec![
        text(name_of(object)),
        text(job_status(object)),
        text(job_completions(object)),
        text(job_duration(object, now)),
        text(age_text(object, now)),
        names,
        images,
        text(format_label_selector(object.pointer("/spec/selector"))),
    ]
}

fn job_completions(object: &Value) -> String {
    let succeeded = object
        .pointer("/status/succeeded")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if let Some(completions) = object.pointer("/spec/completions").and_then(Value::as_i64) {
        return format!("{succeeded}/{completions}");
    }
    match object.pointer("/spec/parallelism").and_then(Value::as_i64) {
        Some(parallelism) if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
        _ => format!("{succeeded}/1"),
    }
}

/// Empty before the job starts; running time while it runs; the time it
/// took once complete.
fn job_duration(object: &Value, now: Timestamp) -> String {
    let Some(start) = time_at(object, "/status/startTime") else {
        return String::new();
    };
    match time_at(object, "/status/completionTime") {
        None => age_since(Some(start), now),
        Some(end) => human_duration(whole_seconds_between(start, end)),
    }
}

/// v1.32's printJob: the first matching rule wins. `SuccessCriteriaMet` only
/// became a status in v1.34 (kubernetes#132832); v1.32 prints such a job as
/// `Running` until it is `Complete`.
fn job_status(object: &Value) -> &'static str {
    let is = |kind: &str| has_job_condition(object, kind);
    if is("Complete") {
        "Complete"
    } else if is("Failed") {
        "Failed"
    } else if object
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
    {
        "Terminating"
    } else if is("Suspended") {
        "Suspended"
    } else if is("FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

/// `hasJobCondition`: the first condition of that type decides.
fn has_job_condition(object: &Value, kind: &str) -> bool {
    object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|conditions| {
            conditions
                .iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
        })
        .is_some_and(|c| c.get("status").and_then(Value::as_str) == Some("True"))
}

fn cron_job_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Schedule",
            STRING,
            0,
            "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
        ),
        col(
            "Timezone",
            STRING,
            0,
            "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
        ),
        col(
            "Suspend",
            ColumnType::Boolean,
            0,
            "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
        ),
        col(
            "Active",
            ColumnType::Integer,
            0,
            "A list of pointers to currently running jobs.",
        ),
        col(
            "Last Schedule",
            STRING,
            0,
            "Information when was the last time the job was successfully scheduled.",
        ),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some(JOB_SELECTOR_DOC)))
    .collect()
}

fn cron_job_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let last_schedule = match object.pointer("/status/lastScheduleTime") {
        None | Some(Value::Null) => "<none>".to_string(),
        // A set but unreadable time is Go's zero time: `<unknown>`.
        Some(_) => age_since(time_at(object, "/status/lastScheduleTime"), now),
    };
    let time_zone = object
        .pointer("/spec/timeZone")
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    // printBoolPtr: the column says boolean, the cell is a string.
    let suspend = match object.pointer("/spec/suspend").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let active = object
        .pointer("/status/active")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let job_spec = object.pointer("/spec/jobTemplate/spec");
    let [names, images] = container_cells(job_spec.and_then(|s| s.pointer("/template/spec")));
    vec![
        text(name_of(object)),
        text(
            object
                .pointer("/spec/schedule")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        ),
        text(time_zone),
        text(suspend),
        json!(active),
        text(last_schedule),
        text(age_text(object, now)),
        names,
        images,
        text(format_label_selector(
            job_spec.and_then(|s| s.get("selector")),
        )),
    ]
}
