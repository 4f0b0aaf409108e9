//! The `status.json` snapshot the CLI of February 2026 materialized from its
//! rows (the `feature_slug` shape, seven lanes).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::row::{EventId, StatusRow, cli_order};

/// One work package in a [`StatusSnapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WpSnapshot {
    // Fields in alphabetical order: the CLI writes sorted keys.
    actor: String,
    force_count: u64,
    lane: CliLane,
    last_event_id: EventId,
    last_transition_at: String,
}

impl WpSnapshot {
    /// Who made the last move.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// How many of the work package's moves were forced.
    pub fn force_count(&self) -> u64 {
        self.force_count
    }

    /// The lane the last row put it in.
    pub fn lane(&self) -> CliLane {
        self.lane
    }

    /// The last row's event id.
    pub fn last_event_id(&self) -> &EventId {
        &self.last_event_id
    }

    /// The last row's `at`, as written.
    pub fn last_transition_at(&self) -> &str {
        &self.last_transition_at
    }
}

/// How many work packages are in each lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaneSummary([u64; CliLane::FEBRUARY.len()]);

impl LaneSummary {
    /// The number of work packages in `lane`.
    pub fn count(&self, lane: CliLane) -> u64 {
        lane_index(lane).map_or(0, |index| self.0[index])
    }

    fn add(&mut self, lane: CliLane) {
        // A lane February's summary does not have is not counted.
        if let Some(index) = lane_index(lane) {
            self.0[index] += 1;
        }
    }
}

fn lane_index(lane: CliLane) -> Option<usize> {
    CliLane::FEBRUARY.iter().position(|l| *l == lane)
}

impl Serialize for LaneSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut lanes = CliLane::FEBRUARY;
        lanes.sort_by_key(|lane| lane.as_str());
        let mut map = serializer.serialize_map(Some(lanes.len()))?;
        for lane in lanes {
            map.serialize_entry(lane.as_str(), &self.count(lane))?;
        }
        map.end()
    }
}

/// The `status.json` the spec-kitty CLI materializes from a status log.
///
/// Serializes as the CLI writes it: keys sorted; with
/// [`to_pretty_json`](Self::to_pretty_json), indented by two spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSnapshot {
    event_count: u64,
    feature_slug: Option<String>,
    last_event_id: Option<EventId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    materialized_at: Option<String>,
    summary: LaneSummary,
    work_packages: BTreeMap<String, WpSnapshot>,
}

impl StatusSnapshot {
    /// How many distinct rows were applied.
    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    /// The feature, from the first row; `None` for an empty log.
    pub fn feature_slug(&self) -> Option<&str> {
        self.feature_slug.as_deref()
    }

    /// The event id of the last row applied.
    pub fn last_event_id(&self) -> Option<&EventId> {
        self.last_event_id.as_ref()
    }

    /// When the snapshot was made, if stamped.
    pub fn materialized_at(&self) -> Option<&str> {
        self.materialized_at.as_deref()
    }

    /// Work packages per lane.
    pub fn summary(&self) -> LaneSummary {
        self.summary
    }

    /// Every work package, by id.
    pub fn work_packages(&self) -> &BTreeMap<String, WpSnapshot> {
        &self.work_packages
    }

    /// The same snapshot, stamped with `at` (as the CLI does, in UTC with
    /// `+00:00` and microseconds).
    pub fn stamped(self, at: jiff::Timestamp) -> Self {
        let text = at.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string();
        self.stamped_as(text)
    }

    /// The same snapshot with `materialized_at` set to `text` as given (to
    /// reproduce a committed snapshot byte for byte).
    pub fn stamped_as(mut self, text: String) -> Self {
        self.materialized_at = Some(text);
        self
    }

    /// The snapshot as the CLI writes `status.json`: sorted keys, two-space
    /// indent, a final newline.
    pub fn to_pretty_json(&self) -> String {
        // Strings, integers and maps of them always serialize.
        crate::spec_kitty::python_json::to_cli_json(&serde_json::to_value(self).unwrap_or_default())
    }
}

/// Materializes the CLI's `status.json` from its rows (without
/// `materialized_at`; see [`StatusSnapshot::stamped`]).
///
/// Lanes are applied as written, whatever the contract says of the move:
/// this is the CLI's view. See the [module docs](crate::spec_kitty) for the rules.
///
/// ```
/// use spec_kitty_events::spec_kitty::{materialize_snapshot, read_status_log};
/// use spec_kitty_events::spec_kitty::CliLane;
/// let log = concat!(
///     r#"{"actor":"migration","at":"2025-11-10T10:00:00Z","event_id":"01KJ5V38JN86FXE08A275GKCWJ","evidence":null,"execution_mode":"direct_repo","feature_slug":"003-x","force":true,"from_lane":"planned","reason":"migration","review_ref":null,"to_lane":"done","wp_id":"WP04"}"#,
///     "\n",
/// );
/// let snapshot = materialize_snapshot(&read_status_log(log).rows);
/// assert_eq!(snapshot.work_packages()["WP04"].lane(), CliLane::Done);
/// assert_eq!(snapshot.work_packages()["WP04"].force_count(), 1);
/// assert_eq!(snapshot.summary().count(CliLane::Done), 1);
/// ```
pub fn materialize_snapshot(rows: &[StatusRow]) -> StatusSnapshot {
    let ordered = cli_order(rows);
    let mut work_packages: BTreeMap<String, WpSnapshot> = BTreeMap::new();
    for row in &ordered {
        let forced = u64::from(row.force);
        work_packages
            .entry(row.wp_id.clone())
            .and_modify(|wp| {
                wp.actor = row.actor();
                wp.force_count += forced;
                wp.lane = row.to_lane;
                wp.last_event_id.clone_from(&row.event_id);
                wp.last_transition_at.clone_from(&row.at_text);
            })
            .or_insert_with(|| WpSnapshot {
                actor: row.actor(),
                force_count: forced,
                lane: row.to_lane,
                last_event_id: row.event_id.clone(),
                last_transition_at: row.at_text.clone(),
            });
    }
    let mut summary = LaneSummary::default();
    for wp in work_packages.values() {
        summary.add(wp.lane);
    }
    StatusSnapshot {
        event_count: ordered.len() as u64,
        feature_slug: ordered.first().map(|row| row.slug.clone()),
        last_event_id: ordered.last().map(|row| row.event_id.clone()),
        materialized_at: None,
        summary,
        work_packages,
    }
}
