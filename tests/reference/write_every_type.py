"""Writes a JSON Lines log covering every event type, with the Python reference
library's own models, as a black box.

Each line is `Event(...).model_dump_json()`; payloads are built with the
reference payload classes and dumped with `model_dump(mode="json")` (every
field, `null` for unset options) or, for a second variant of each type, with
`exclude_unset=True` (optional fields absent). Envelopes vary: UTC and non-UTC
offsets, microseconds, project_slug, causation_id, schema versions, data_tier
0..4. Lines whose timestamp has no offset are written last, after a line that
holds only `# naive`: the contract reads them as UTC and writes `Z` back, so
the caller compares them by instant rather than by text.
"""

import datetime as dt
import uuid

import spec_kitty_events as ske

PROJECT = uuid.UUID("00000000-0000-0000-0000-000000000001")
CORRELATION = "01JKQ4V7C00000000000000C0R"


def ulid(n):
    return f"01JKQ4V7C{n:017d}"


def evidence(full):
    if not full:
        return ske.DoneEvidence(
            repos=[ske.RepoEvidence(repo="spec-kitty", branch="main", commit="abc1234")],
            review=ske.ReviewVerdict(reviewer="ana", verdict="approved"),
        )
    return ske.DoneEvidence(
        repos=[
            ske.RepoEvidence(
                repo="spec-kitty",
                branch="wp01",
                commit="0123456789abcdef",
                files_touched=["src/a.rs", "README.md"],
            ),
            ske.RepoEvidence(repo="docs", branch="main", commit="fedcba9", files_touched=[]),
        ],
        verification=[
            ske.VerificationEntry(command="cargo test", result="pass", summary="212 passed"),
            ske.VerificationEntry(command="ruff", result="pass"),
        ],
        review=ske.ReviewVerdict(reviewer="ana", verdict="approved", reference="PR#12"),
    )


def payloads():
    """(event_type, payload model) pairs: every type, rich and lean."""
    st = ske.StatusTransitionPayload
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP01", to_lane="planned", actor="rob",
        execution_mode="worktree",
    )
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP01", from_lane="doing", to_lane="for_review",
        actor="claude", execution_mode="direct_repo",
    )
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP01", from_lane="for_review", to_lane="in_progress",
        actor="ana", execution_mode="worktree", review_ref="PR#12-review-1",
    )
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP01", from_lane="for_review", to_lane="done",
        actor="ana", execution_mode="worktree", evidence=evidence(True),
    )
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP02", from_lane="done", to_lane="in_progress",
        actor="rob", execution_mode="worktree", force=True, reason="reopened after a bug",
    )
    yield ske.WP_STATUS_CHANGED, st(
        feature_slug="004-lifecycle", wp_id="WP03", from_lane="planned", to_lane="done",
        actor="rob", execution_mode="worktree", force=True, reason="done elsewhere",
        evidence=evidence(False),
    )
    for lane in ["claimed", "blocked", "canceled"]:
        yield ske.WP_STATUS_CHANGED, st(
            feature_slug="f", wp_id="WP04", from_lane="planned", to_lane=lane, actor="a",
            execution_mode="worktree", reason=None if lane == "claimed" else "waiting on API",
        )
    url = "https://github.com/o/r/runs/1234567890"
    yield "GatePassed", ske.GatePassedPayload(
        gate_name="ci/build", gate_type="ci", conclusion="success", external_provider="github",
        check_run_id=1234567890, check_run_url=url, delivery_id="d-1", pr_number=42,
    )
    yield "GatePassed", ske.GatePassedPayload(
        gate_name="ci/lint", gate_type="ci", conclusion="success", external_provider="github",
        check_run_id=1, check_run_url="http://ci.example.org/check?id=1&x=%20y", delivery_id="d-2",
    )
    for conclusion in ["failure", "timed_out", "cancelled", "action_required"]:
        yield "GateFailed", ske.GateFailedPayload(
            gate_name="ci/test", gate_type="ci", conclusion=conclusion,
            external_provider="github", check_run_id=9007199254740993, check_run_url=url,
            delivery_id=f"d-{conclusion}", pr_number=None if conclusion == "failure" else 7,
        )
    yield ske.MISSION_STARTED, ske.MissionStartedPayload(
        mission_id="M1", mission_type="software-dev", initial_phase="specify", actor="rob",
    )
    yield ske.MISSION_COMPLETED, ske.MissionCompletedPayload(
        mission_id="M1", mission_type="software-dev", final_phase="accept", actor="rob",
    )
    yield ske.MISSION_CANCELLED, ske.MissionCancelledPayload(
        mission_id="M1", reason="scope moved", actor="rob",
    )
    yield ske.MISSION_CANCELLED, ske.MissionCancelledPayload(
        mission_id="M1", reason="duplicate", actor="rob", cancelled_wp_ids=["WP01", "WP02"],
    )
    yield ske.PHASE_ENTERED, ske.PhaseEnteredPayload(
        mission_id="M1", phase_name="specify", actor="rob",
    )
    yield ske.PHASE_ENTERED, ske.PhaseEnteredPayload(
        mission_id="M1", phase_name="plan", previous_phase="specify", actor="rob",
    )
    yield ske.REVIEW_ROLLBACK, ske.ReviewRollbackPayload(
        mission_id="M1", review_ref="PR#12-review-2", target_phase="implement", actor="ana",
    )
    yield ske.REVIEW_ROLLBACK, ske.ReviewRollbackPayload(
        mission_id="M1", review_ref="r", target_phase="plan", affected_wp_ids=["WP01"],
        actor="ana \u00e9\u4e2d \"quoted\" \\ tab\t",
    )


TIMESTAMPS = [
    dt.datetime(2026, 2, 9, 11, 0, 1, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 2, 9, 12, 0, 1, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.datetime(2026, 2, 9, 5, 30, 0, 500, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
    dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone.utc),
]


def main():
    n = 0
    lines = []
    for event_type, payload in payloads():
        for lean in (False, True):
            n += 1
            body = (
                payload.model_dump(mode="json", exclude_unset=True)
                if lean
                else payload.model_dump(mode="json")
            )
            event = ske.Event(
                event_id=ulid(n),
                event_type=event_type,
                aggregate_id="M1" if event_type in ske.MISSION_EVENT_TYPES else "WP01",
                payload=body,
                timestamp=TIMESTAMPS[n % len(TIMESTAMPS)],
                node_id=["cli", "saas", "agent-7"][n % 3],
                lamport_clock=[0, n, 2**53 + 1, 2**63 - 1][n % 4],
                causation_id=ulid(n - 1) if n % 2 == 0 else None,
                project_uuid=PROJECT if n % 3 else uuid.UUID("7a3b0c1d-2e4f-4a5b-8c6d-9e0f1a2b3c4d"),
                project_slug="spec-kitty" if n % 2 else None,
                correlation_id=CORRELATION,
                schema_version=["1.0.0", "1.2.30", "2.0.0"][n % 3],
                data_tier=n % 5,
            )
            lines.append(event.model_dump_json())
    # Envelope defaults: what the reference writes when optional fields are unset.
    n += 1
    lines.append(
        ske.Event(
            event_id=ulid(n), event_type="SomethingNew", aggregate_id="A",
            timestamp=TIMESTAMPS[0], node_id="cli", lamport_clock=3, project_uuid=PROJECT,
            correlation_id=CORRELATION,
        ).model_dump_json()
    )
    for line in lines:
        print(line)
    print("# naive")
    for i, event_type in enumerate([ske.MISSION_STARTED, "SomethingNew"]):
        n += 1
        payload = (
            ske.MissionStartedPayload(
                mission_id="M2", mission_type="research", initial_phase="ask", actor="rob",
            ).model_dump(mode="json")
            if i == 0
            else {}
        )
        print(
            ske.Event(
                event_id=ulid(n), event_type=event_type, aggregate_id="M2", payload=payload,
                timestamp=dt.datetime(2026, 3, 1, 8, 15, 0, 250000 * i), node_id="cli",
                lamport_clock=1, project_uuid=PROJECT, correlation_id=CORRELATION,
            ).model_dump_json()
        )


if __name__ == "__main__":
    main()
