//! [`map_check_run_conclusion`]: which event, if any, a GitHub check run's
//! conclusion produces.

use crate::contract::event_types::{GATE_FAILED, GATE_PASSED};
use crate::error::Error;

/// Conclusions that neither pass nor fail a gate.
const NON_BLOCKING: [&str; 3] = ["neutral", "skipped", "stale"];

/// Told of each conclusion that is neither pass nor fail, with the reason
/// `"non_blocking"`.
pub type NonBlockingCallback<'a> = &'a mut dyn FnMut(&str, &str);

/// Maps a GitHub check-run conclusion to the event type it produces.
///
/// `success` gives `Some("GatePassed")`; `failure`, `timed_out`, `cancelled`
/// and `action_required` give `Some("GateFailed")`; `neutral`, `skipped` and
/// `stale` give `None`, and are reported to `on_ignored` as
/// `(conclusion, "non_blocking")`. Matching is exact: `"Success"` is unknown.
///
/// # Errors
/// [`Error::UnknownConclusion`] for anything else.
///
/// ```
/// use spec_kitty_events::contract::map_check_run_conclusion;
/// let mut ignored = Vec::new();
/// let mut log = |c: &str, why: &str| ignored.push(format!("{c}:{why}"));
/// assert_eq!(map_check_run_conclusion("success", Some(&mut log)).unwrap(), Some("GatePassed"));
/// assert_eq!(map_check_run_conclusion("skipped", Some(&mut log)).unwrap(), None);
/// assert!(map_check_run_conclusion("Success", None).is_err());
/// assert_eq!(ignored, ["skipped:non_blocking"]);
/// ```
pub fn map_check_run_conclusion(
    conclusion: &str,
    on_ignored: Option<NonBlockingCallback<'_>>,
) -> Result<Option<&'static str>, Error> {
    match conclusion {
        "success" => Ok(Some(GATE_PASSED)),
        "failure" | "timed_out" | "cancelled" | "action_required" => Ok(Some(GATE_FAILED)),
        c if NON_BLOCKING.contains(&c) => {
            if let Some(callback) = on_ignored {
                callback(c, "non_blocking");
            }
            Ok(None)
        }
        other => Err(Error::UnknownConclusion(other.to_owned())),
    }
}
