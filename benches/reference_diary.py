"""Times spec-kitty-events 11.0.0's status diary over mission folders, as a
black box.

Usage: reference_diary.py RUNS DIR...

For each DIR, in one process: reads DIR/status.events.jsonl, decodes each
line, folds the rows with `spec_kitty_events.diary.reduce` and renders the
state as JSON (`json.dumps(state.to_dict(), indent=2, sort_keys=True)`).
Does all the folders RUNS times and prints the best wall time in seconds,
the folders materialized and the folders the diary refused (DiaryError).
Interpreter start and import are not timed.
"""

import json
import pathlib
import sys
import time

from spec_kitty_events import diary


def materialize_all(dirs):
    done = refused = 0
    for folder in dirs:
        text = (folder / "status.events.jsonl").read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        try:
            state = diary.reduce(rows)
        except diary.DiaryError:
            refused += 1
            continue
        json.dumps(state.to_dict(), indent=2, sort_keys=True)
        done += 1
    return done, refused


def main():
    runs = int(sys.argv[1])
    dirs = [pathlib.Path(arg) for arg in sys.argv[2:]]
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        done, refused = materialize_all(dirs)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(best, done, refused)


if __name__ == "__main__":
    main()
