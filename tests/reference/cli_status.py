"""Materializes mission folders with spec-kitty-cli 3.2.7, as a black box.

Usage: cli_status.py DIR...

For each DIR (holding status.events.jsonl and, maybe, meta.json), prints one
JSON line: {"dir": DIR, "status_json": TEXT} where TEXT is exactly what the
CLI writes to DIR/status.json (`materialize_to_json(materialize_snapshot(DIR))`,
read-only: nothing is written), or {"dir": DIR, "error": MESSAGE} when the CLI
refuses the log. One interpreter serves every folder.
"""

import json
import logging
import pathlib
import sys

from specify_cli.status import materialize_snapshot, materialize_to_json

logging.disable(logging.CRITICAL)

for arg in sys.argv[1:]:
    try:
        text = materialize_to_json(materialize_snapshot(pathlib.Path(arg)))
        print(json.dumps({"dir": arg, "status_json": text}))
    except Exception as error:  # the CLI's refusal is the answer
        print(json.dumps({"dir": arg, "error": f"{type(error).__name__}: {error}"}))
