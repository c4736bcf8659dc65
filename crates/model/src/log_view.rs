//! The log view as a [`Doc`]: a header stating the stream's state, then the
//! buffered lines, optionally with their pod/container prefix (one tone per
//! source) and timestamps, filtered by a regex whose matches are highlighted.
//! Wrapping is left to the ui (`wrap` is only carried along). Also: which
//! pods a workload's logs come from (its selector, as kubectl resolves it).

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::doc::{Doc, Span};
use super::log_buffer::{LogBuffer, LogFilter, LogLine, LogSource};
use super::selector::from_label_selector;
use super::table::Tone;

/// What one log stream is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamState {
    /// The request is on its way.
    Connecting,
    /// Lines arrive as the container writes them.
    Following,
    /// The container has not started (the kubelet's waiting reason).
    Waiting { reason: String },
    /// The stream ended while the container runs; resuming after this error.
    Reconnecting { reason: String },
    /// No more lines will come (the log was read, the container stopped, the
    /// pod was deleted).
    Ended { reason: String },
}

impl StreamState {
    /// How the header says it.
    pub fn describe(&self) -> String {
        match self {
            StreamState::Connecting => "connecting".to_string(),
            StreamState::Following => "following".to_string(),
            StreamState::Waiting { reason } if reason.is_empty() => {
                "waiting for container to start".to_string()
            }
            StreamState::Waiting { reason } => {
                format!("waiting for container to start ({reason})")
            }
            StreamState::Reconnecting { reason } => format!("reconnecting after \"{reason}\""),
            StreamState::Ended { reason } if reason.is_empty() => "ended".to_string(),
            StreamState::Ended { reason } => format!("ended: {reason}"),
        }
    }

    fn tone(&self) -> Tone {
        match self {
            StreamState::Connecting | StreamState::Waiting { .. } => Tone::Progressing,
            StreamState::Following => Tone::Good,
            StreamState::Reconnecting { .. } => Tone::Warning,
            StreamState::Ended { .. } => Tone::Muted,
        }
    }

    /// Which state speaks for several streams: trouble first, then progress.
    fn rank(&self) -> u8 {
        match self {
            StreamState::Reconnecting { .. } => 0,
            StreamState::Following => 1,
            StreamState::Waiting { .. } => 2,
            StreamState::Connecting => 3,
            StreamState::Ended { .. } => 4,
        }
    }
}

/// How the log view shows the buffer.
#[derive(Debug, Clone, Default)]
pub struct LogViewOptions {
    pub timestamps: bool,
    /// Soft-wrap long lines; drawn by the ui, carried here for its sake.
    pub wrap: bool,
    /// Only lines matching this, matches highlighted.
    pub filter: Option<LogFilter>,
    /// `[pod/NAME/CONTAINER] ` before each line, as `kubectl logs --prefix`.
    pub prefix_sources: bool,
    /// Autoscroll paused by the user.
    pub paused: bool,
}

/// Tones of source prefixes, assigned in order of first appearance.
const SOURCE_TONES: [Tone; 4] = [Tone::Progressing, Tone::Good, Tone::Warning, Tone::Muted];

/// The tone of the source with this index, the same for the life of a view.
pub fn source_tone(index: usize) -> Tone {
    SOURCE_TONES[index % SOURCE_TONES.len()]
}

/// The log view: header (state, counts, filter), per-source states worth
/// knowing about when several streams are shown, a blank line, the lines.
pub fn log_doc(
    buffer: &LogBuffer,
    states: &[(LogSource, StreamState)],
    options: &LogViewOptions,
) -> Doc {
    let mut doc = Doc::new("Logs");
    let overall = states
        .iter()
        .map(|(_, state)| state)
        .min_by_key(|state| state.rank())
        .cloned()
        .unwrap_or(StreamState::Connecting);
    let (state_text, state_tone) = if options.paused {
        ("paused".to_string(), Tone::Warning)
    } else {
        (overall.describe(), overall.tone())
    };
    let shown: Vec<(&LogLine, Vec<std::ops::Range<usize>>)> = buffer
        .lines()
        .filter_map(|line| match &options.filter {
            None => Some((line, Vec::new())),
            Some(filter) => filter.matches(&line.text).map(|ranges| (line, ranges)),
        })
        .collect();
    let mut counts = format!("  {} lines", buffer.len());
    if buffer.dropped() > 0 {
        counts.push_str(&format!(" ({} older dropped)", buffer.dropped()));
    }
    if let Some(filter) = &options.filter {
        counts.push_str(&format!(
            "  filter /{}/: {} matching",
            filter.pattern(),
            shown.len()
        ));
    }
    doc.line(vec![
        Span::new(state_text, state_tone),
        Span::new(counts, Tone::Muted),
    ]);
    if states.len() > 1 {
        for (source, state) in states {
            if *state != StreamState::Following {
                doc.text(
                    format!("{}: {}", source.label(), state.describe()),
                    state.tone(),
                );
            }
        }
    }
    doc.blank();
    doc.preamble = doc.lines.len();
    for (line, ranges) in shown {
        let mut spans = Vec::new();
        if options.prefix_sources
            && let Some(source) = buffer.source(line)
        {
            spans.push(Span::new(
                format!("[{}] ", source.label()),
                source_tone(line.source),
            ));
        }
        if options.timestamps
            && let Some(at) = line.timestamp
        {
            spans.push(Span::new(format!("{at} "), Tone::Muted));
        }
        highlighted(&mut spans, &line.text, &ranges);
        doc.line(spans);
    }
    doc
}

/// `text` as plain spans between highlighted matches.
fn highlighted(spans: &mut Vec<Span>, text: &str, ranges: &[std::ops::Range<usize>]) {
    let mut at = 0;
    for range in ranges {
        if range.start > at {
            spans.push(Span::new(&text[at..range.start], Tone::Normal));
        }
        spans.push(Span::new(&text[range.clone()], Tone::Warning));
        at = range.end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::new(&text[at..], Tone::Normal));
    }
}

/// A workload whose pods' logs can be aggregated.
#[derive(Debug, Clone, Copy)]
pub enum Workload<'a> {
    Deployment(&'a Deployment),
    ReplicaSet(&'a ReplicaSet),
    StatefulSet(&'a StatefulSet),
    DaemonSet(&'a DaemonSet),
    Job(&'a Job),
}

/// The label selector string of a workload's pods, as kubectl's
/// `SelectorsForObject` derives it (kubectl/pkg/polymorphichelpers/
/// helpers.go via `metav1.LabelSelectorAsSelector(...).String()`). `None`
/// when the workload has no selector, an invalid one, or an empty one (which
/// would select every pod of the namespace).
pub fn selector_of_workload(workload: Workload<'_>) -> Option<String> {
    let selector = match workload {
        Workload::Deployment(d) => &d.spec.selector,
        Workload::ReplicaSet(r) => &r.spec.selector,
        Workload::StatefulSet(s) => &s.spec.selector,
        Workload::DaemonSet(d) => &d.spec.selector,
        Workload::Job(j) => j.spec.as_ref()?.selector.as_ref()?,
    };
    label_selector_string(selector)
}

/// `labels.Selector.String()` of a structured selector: requirements sorted
/// by key, joined by commas, each as `Requirement.String()` writes it
/// (apimachinery/pkg/labels/selector.go).
pub fn label_selector_string(selector: &LabelSelector) -> Option<String> {
    let parsed = from_label_selector(selector).ok()?;
    (!parsed.is_empty()).then(|| parsed.to_kubernetes_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_buffer::LogLimits;

    fn at(text: &str) -> Option<jiff::Timestamp> {
        text.parse().ok()
    }

    fn two_pods() -> (LogBuffer, LogSource, LogSource) {
        let web1 = LogSource::new("shop", "web-1", "nginx");
        let web2 = LogSource::new("shop", "web-2", "nginx");
        let mut buffer = LogBuffer::new(LogLimits::default());
        buffer.push(&web1, at("2026-11-23T12:00:00.25Z"), "GET /healthz 200 1ms");
        buffer.push(&web2, at("2026-11-23T12:00:01Z"), "POST /api/cart 201 30ms");
        buffer.push(
            &web1,
            at("2026-11-23T12:00:02.5Z"),
            "GET /api/items 200 12ms",
        );
        (buffer, web1, web2)
    }

    #[test]
    fn a_single_followed_stream_shows_its_lines_under_the_state() {
        let (buffer, web1, _) = two_pods();
        let doc = log_doc(
            &buffer,
            &[(web1, StreamState::Following)],
            &LogViewOptions::default(),
        );
        assert_eq!(
            doc.to_text(),
            "following  3 lines\n\nGET /healthz 200 1ms\nPOST /api/cart 201 30ms\nGET /api/items 200 12ms\n"
        );
        assert_eq!(doc.lines[0].spans[0].tone, Tone::Good);
    }

    #[test]
    fn aggregated_lines_carry_prefixes_timestamps_and_highlighted_matches() {
        let (buffer, web1, web2) = two_pods();
        let options = LogViewOptions {
            timestamps: true,
            prefix_sources: true,
            filter: LogFilter::new("GET|200").ok(),
            ..LogViewOptions::default()
        };
        let states = [
            (web1, StreamState::Following),
            (
                web2,
                StreamState::Reconnecting {
                    reason: "connection reset".into(),
                },
            ),
        ];
        let doc = log_doc(&buffer, &states, &options);
        assert_eq!(
            doc.to_text(),
            "reconnecting after \"connection reset\"  3 lines  filter /GET|200/: 2 matching\n\
             pod/web-2/nginx: reconnecting after \"connection reset\"\n\
             \n\
             [pod/web-1/nginx] 2026-11-23T12:00:00.25Z GET /healthz 200 1ms\n\
             [pod/web-1/nginx] 2026-11-23T12:00:02.5Z GET /api/items 200 12ms\n"
        );
        let line = &doc.lines[3];
        let tones: Vec<(&str, Tone)> = line
            .spans
            .iter()
            .map(|s| (s.text.as_str(), s.tone))
            .collect();
        assert_eq!(
            tones,
            [
                ("[pod/web-1/nginx] ", Tone::Progressing),
                ("2026-11-23T12:00:00.25Z ", Tone::Muted),
                ("GET", Tone::Warning),
                (" /healthz ", Tone::Normal),
                ("200", Tone::Warning),
                (" 1ms", Tone::Normal),
            ]
        );
    }

    #[test]
    fn each_source_keeps_its_tone_and_the_header_reports_pauses_and_drops() {
        let (mut buffer, web1, web2) = two_pods();
        let limits = LogLimits {
            max_lines: 2,
            max_bytes: 1000,
        };
        let mut small = LogBuffer::new(limits);
        for line in buffer.lines() {
            let source = if line.source == 0 { &web1 } else { &web2 };
            small.push(source, line.timestamp, line.text.clone());
        }
        buffer.clear();
        let options = LogViewOptions {
            prefix_sources: true,
            paused: true,
            ..LogViewOptions::default()
        };
        let doc = log_doc(&small, &[(web2.clone(), StreamState::Following)], &options);
        assert_eq!(
            doc.to_text(),
            "paused  2 lines (1 older dropped)\n\n\
             [pod/web-2/nginx] POST /api/cart 201 30ms\n\
             [pod/web-1/nginx] GET /api/items 200 12ms\n"
        );
        assert_eq!(doc.lines[2].spans[0].tone, Tone::Good);
        assert_eq!(doc.lines[3].spans[0].tone, Tone::Progressing);
        assert_eq!(source_tone(4), Tone::Progressing);
    }

    #[test]
    fn states_read_as_the_user_needs_them() {
        let waiting = StreamState::Waiting {
            reason: "ContainerCreating".into(),
        };
        assert_eq!(
            waiting.describe(),
            "waiting for container to start (ContainerCreating)"
        );
        let ended = StreamState::Ended {
            reason: "pod deleted".into(),
        };
        assert_eq!(ended.describe(), "ended: pod deleted");
        let source = LogSource::new("shop", "creating", "c");
        let doc = log_doc(
            &LogBuffer::default(),
            &[(source, waiting)],
            &LogViewOptions::default(),
        );
        assert_eq!(
            doc.to_text(),
            "waiting for container to start (ContainerCreating)  0 lines\n\n"
        );
    }

    #[test]
    fn workloads_resolve_to_their_selector_string() {
        let deployment: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {
                "matchLabels": {"tier": "front", "app": "web"},
                "matchExpressions": [
                    {"key": "env", "operator": "In", "values": ["prod", "canary"]},
                    {"key": "legacy", "operator": "DoesNotExist"}
                ]},
                "template": {}}
        }))
        .expect("a deployment");
        assert_eq!(
            selector_of_workload(Workload::Deployment(&deployment)).as_deref(),
            Some("app=web,env in (canary,prod),!legacy,tier=front")
        );
        let job: Job = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "once"}, "spec": {"template": {}}
        }))
        .expect("a job");
        assert_eq!(selector_of_workload(Workload::Job(&job)), None);
    }
}
