"""Orders an event log with the Python reference's sort keys, as a black box.

Reads JSON Lines on stdin (one event per line). Writes one JSON object:
{"status_event_sort_key": [event_id, ...], "total_order_key": [event_id, ...]},
the log's event ids sorted by each of the reference's two keys.
"""

import json
import sys

import spec_kitty_events as ske


def main():
    events = [ske.Event.model_validate_json(line) for line in sys.stdin if line.strip()]
    json.dump(
        {
            "status_event_sort_key": [
                e.event_id for e in sorted(events, key=ske.status_event_sort_key)
            ],
            "total_order_key": [e.event_id for e in sorted(events, key=ske.total_order_key)],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
