//! What the header says about how current the data is: one short line that never
//! lets stale data pass for live.

use jiff::Timestamp;

use super::age::age_since;
use super::table::Tone;
use crate::cluster::{Freshness, Kind, KindStatus};

fn plural(kind: Kind) -> String {
    let name = kind.name();
    let mut out = String::with_capacity(name.len() + 1);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out.push('s');
    out
}

/// The header's freshness note and how to colour it; `None` for files, which are
/// complete as saved and track nothing.
pub fn summary(statuses: &[(Kind, KindStatus)], now: Timestamp) -> Option<(String, Tone)> {
    if statuses
        .iter()
        .all(|(_, s)| s.freshness == Freshness::Static)
    {
        return None;
    }
    let stale: Vec<&(Kind, KindStatus)> = statuses
        .iter()
        .filter(|(_, s)| matches!(s.freshness, Freshness::Stale { .. }))
        .collect();
    if let Some((kind, status)) = stale.first() {
        let Freshness::Stale { since, .. } = &status.freshness else {
            unreachable!("filtered above")
        };
        let others = if stale.len() > 1 {
            format!(" +{} more", stale.len() - 1)
        } else {
            String::new()
        };
        let text = if status.listed {
            format!(
                "STALE {} {}{others}",
                plural(*kind),
                age_since(Some(*since), now)
            )
        } else {
            format!("NOT LOADED {}{others}", plural(*kind))
        };
        return Some((text, Tone::Bad));
    }
    let syncing: Vec<String> = statuses
        .iter()
        .filter_map(|(kind, s)| match s.freshness {
            Freshness::Syncing { objects } if objects > 0 => {
                Some(format!("{} {objects}", plural(*kind)))
            }
            Freshness::Syncing { .. } => Some(plural(*kind)),
            _ => None,
        })
        .collect();
    if !syncing.is_empty() {
        let shown: Vec<&str> = syncing.iter().take(3).map(String::as_str).collect();
        let more = if syncing.len() > 3 {
            format!(" +{}", syncing.len() - 3)
        } else {
            String::new()
        };
        return Some((
            format!("syncing {}{more}", shown.join(", ")),
            Tone::Progressing,
        ));
    }
    let forbidden: Vec<String> = statuses
        .iter()
        .filter(|(_, s)| matches!(s.freshness, Freshness::Forbidden { .. }))
        .map(|(kind, _)| plural(*kind))
        .collect();
    let narrowed: Vec<String> = statuses
        .iter()
        .filter(|(_, s)| s.narrowed.is_some())
        .map(|(kind, s)| match &s.scope {
            crate::cluster::Scope::Namespace(ns) => format!("{} in {ns} only", plural(*kind)),
            crate::cluster::Scope::Cluster => plural(*kind),
        })
        .collect();
    let mut notes = Vec::new();
    if !forbidden.is_empty() {
        notes.push(format!("forbidden: {}", forbidden.join(", ")));
    }
    if !narrowed.is_empty() {
        notes.push(narrowed.join(", "));
    }
    if notes.is_empty() {
        Some(("live".to_string(), Tone::Good))
    } else {
        Some((format!("live; {}", notes.join("; ")), Tone::Warning))
    }
}

/// The whole story for one kind, for the bottom border of its table: the
/// server's message, when the next attempt is, or why the scope is narrower.
pub fn detail(status: &KindStatus, now: Timestamp) -> Option<String> {
    match &status.freshness {
        Freshness::Stale { reason, .. } => {
            let retry = status
                .retry_at
                .map(|at| format!("; retrying in {}", age_since(Some(now), at)))
                .unwrap_or_default();
            Some(format!("{reason}{retry}"))
        }
        Freshness::Forbidden { reason } => Some(format!("forbidden: {reason}")),
        _ => status.narrowed.clone(),
    }
}

/// The marker a table title carries when its data is not live.
pub fn title_marker(status: &KindStatus) -> Option<&'static str> {
    match status.freshness {
        Freshness::Static | Freshness::Live => None,
        Freshness::Syncing { .. } => Some("SYNCING"),
        Freshness::Stale { .. } if status.listed => Some("STALE"),
        Freshness::Stale { .. } => Some("NOT LOADED"),
        Freshness::Forbidden { .. } => Some("FORBIDDEN"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Scope;

    fn status(freshness: Freshness) -> KindStatus {
        KindStatus {
            freshness,
            scope: Scope::Cluster,
            narrowed: None,
            retry_at: None,
            listed: true,
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn files_say_nothing_and_live_says_live() {
        let all = |f: Freshness| {
            Kind::ALL
                .iter()
                .map(|k| (*k, status(f.clone())))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            summary(&all(Freshness::Static), at("2026-01-01T00:00:00Z")),
            None
        );
        assert_eq!(
            summary(&all(Freshness::Live), at("2026-01-01T00:00:00Z")),
            Some(("live".into(), Tone::Good))
        );
    }

    #[test]
    fn stale_wins_and_the_detail_says_why_and_when_it_retries() {
        let now = at("2026-01-01T00:00:20Z");
        let mut stale = status(Freshness::Stale {
            since: at("2026-01-01T00:00:08Z"),
            reason: "watch failed: Connection refused (os error 111)".into(),
        });
        stale.retry_at = Some(at("2026-01-01T00:00:28Z"));
        let statuses = vec![
            (Kind::Pod, stale),
            (Kind::Node, status(Freshness::Syncing { objects: 500 })),
            (
                Kind::Event,
                status(Freshness::Stale {
                    since: now,
                    reason: "x".into(),
                }),
            ),
        ];
        assert_eq!(
            summary(&statuses, now),
            Some(("STALE pods 12s +1 more".into(), Tone::Bad))
        );
        assert_eq!(
            detail(&statuses[0].1, now).as_deref(),
            Some("watch failed: Connection refused (os error 111); retrying in 8s")
        );
    }

    #[test]
    fn syncing_shows_progress() {
        let statuses = vec![
            (Kind::Pod, status(Freshness::Syncing { objects: 1500 })),
            (Kind::Node, status(Freshness::Live)),
            (
                Kind::PodDisruptionBudget,
                status(Freshness::Syncing { objects: 0 }),
            ),
        ];
        assert_eq!(
            summary(&statuses, at("2026-01-01T00:00:00Z")),
            Some((
                "syncing pods 1500, pod disruption budgets".into(),
                Tone::Progressing
            ))
        );
    }

    #[test]
    fn forbidden_and_narrowed_scopes_are_named() {
        let mut narrowed = status(Freshness::Live);
        narrowed.scope = Scope::Namespace("shop".into());
        narrowed.narrowed = Some("cannot list cluster-wide".into());
        let statuses = vec![
            (Kind::Pod, narrowed),
            (
                Kind::Event,
                status(Freshness::Forbidden {
                    reason: "no".into(),
                }),
            ),
        ];
        assert_eq!(
            summary(&statuses, at("2026-01-01T00:00:00Z")),
            Some((
                "live; forbidden: events; pods in shop only".into(),
                Tone::Warning
            ))
        );
        assert_eq!(
            title_marker(&status(Freshness::Stale {
                since: at("2026-01-01T00:00:00Z"),
                reason: String::new()
            })),
            Some("STALE")
        );
        assert_eq!(title_marker(&status(Freshness::Live)), None);
    }

    #[test]
    fn a_kind_that_never_listed_is_not_loaded_rather_than_stale() {
        let failed = KindStatus {
            listed: false,
            ..status(Freshness::Stale {
                since: at("2026-01-01T00:00:00Z"),
                reason: "the credential plugin failed".into(),
            })
        };
        assert_eq!(title_marker(&failed), Some("NOT LOADED"));
        let statuses = vec![(Kind::Pod, failed.clone()), (Kind::Node, failed)];
        assert_eq!(
            summary(&statuses, at("2026-01-01T00:00:10Z")),
            Some(("NOT LOADED pods +1 more".into(), Tone::Bad))
        );
    }
}
