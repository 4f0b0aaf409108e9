"""Folds event logs with the Python reference reducers, as a black box.

Usage: reduce.py [lifecycle|status] [--batch]

Without --batch, stdin is one log as JSON Lines (one event per line) and
stdout is the reference's `reduce_lifecycle_events(...)` (or
`reduce_status_events(...)`) as `model_dump_json()`.

With --batch, every stdin line is one log, `{"kind": "lifecycle"|"status",
"events": [...]}`, and every stdout line is that log's result, so one
interpreter serves hundreds of logs.
"""

import json
import sys

import spec_kitty_events as ske


def reduce(kind, raw_events):
    events = [ske.Event.model_validate(raw) for raw in raw_events]
    reducer = ske.reduce_status_events if kind == "status" else ske.reduce_lifecycle_events
    return reducer(events).model_dump_json()


def main():
    args = sys.argv[1:]
    kind = "status" if "status" in args else "lifecycle"
    if "--batch" in args:
        for line in sys.stdin:
            if line.strip():
                log = json.loads(line)
                print(reduce(log["kind"], log["events"]))
    else:
        raw = [json.loads(line) for line in sys.stdin if line.strip()]
        print(reduce(kind, raw))


if __name__ == "__main__":
    main()
