"""Checks an event log with the Python reference library, as a black box.

Reads JSON Lines on stdin. For every line: the envelope must validate as a
reference `Event`, dump back to the same JSON, and its payload must validate as
the reference payload model of its event_type; a `WPStatusChanged` payload must
also pass the reference `validate_transition`. Then the whole log is folded by
the reference `reduce_lifecycle_events`.

Writes one JSON object on stdout:
{"accepted": <lines that passed every check>,
 "rejected": [{"line": <1-based>, "error": <text>}],
 "reduced": <the reference ReducedMissionState as JSON>}
"""

import json
import sys

import spec_kitty_events as ske

PAYLOAD_MODELS = {
    ske.WP_STATUS_CHANGED: ske.StatusTransitionPayload,
    ske.MISSION_STARTED: ske.MissionStartedPayload,
    ske.MISSION_COMPLETED: ske.MissionCompletedPayload,
    ske.MISSION_CANCELLED: ske.MissionCancelledPayload,
    ske.PHASE_ENTERED: ske.PhaseEnteredPayload,
    ske.REVIEW_ROLLBACK: ske.ReviewRollbackPayload,
    "GatePassed": ske.GatePassedPayload,
    "GateFailed": ske.GateFailedPayload,
}


def check(line):
    event = ske.Event.model_validate_json(line)
    if json.loads(event.model_dump_json()) != json.loads(line):
        raise ValueError("the reference writes this event back differently")
    model = PAYLOAD_MODELS.get(event.event_type)
    if model is None:
        raise ValueError(f"unknown event_type {event.event_type!r}")
    payload = model.model_validate(event.payload)
    if model is ske.StatusTransitionPayload:
        verdict = ske.validate_transition(payload)
        if not verdict.valid:
            raise ValueError(f"transition rejected: {list(verdict.violations)}")
    return event


def main():
    accepted = 0
    rejected = []
    events = []
    for number, line in enumerate(sys.stdin, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            events.append(check(line))
            accepted += 1
        except Exception as error:  # every failure is a finding to report
            rejected.append({"line": number, "error": str(error)})
    reduced = ske.reduce_lifecycle_events(events)
    json.dump(
        {
            "accepted": accepted,
            "rejected": rejected,
            "reduced": json.loads(reduced.model_dump_json()),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
