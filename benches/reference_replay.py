"""Times the Python reference's in-process replay of one log, as a black box.

Usage: reference_replay.py LOG [RUNS]

Reads LOG (JSON Lines), validates every line into the reference's `Event`
and folds them with its `reduce_lifecycle_events`, RUNS times (default 1),
and prints the best wall time in seconds and the number of events folded.
The interpreter's start and the import are not timed: only the parse and
the reduce of the file, in process, as a service using the library would.
"""

import json
import sys
import time

import spec_kitty_events as ske


def replay(path):
    with open(path, encoding="utf-8") as log:
        events = [ske.Event.model_validate(json.loads(line)) for line in log if line.strip()]
    return ske.reduce_lifecycle_events(events)


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        state = replay(path)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(best, state.event_count)


if __name__ == "__main__":
    main()
