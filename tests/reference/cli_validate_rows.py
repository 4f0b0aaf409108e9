"""Judges lane rows with spec-kitty-cli 3.2.7's own row schema, as a black box.

Usage: cli_validate_rows.py < rows.jsonl

stdin: JSON Lines, one lane row each. stdout: one JSON line per input line,
the list of messages `specify_cli.status.validate_event_schema(row)` returns
(empty when the row fits the CLI's schema).
"""

import json
import sys

from specify_cli.status import validate_event_schema

for line in sys.stdin:
    if line.strip():
        print(json.dumps(validate_event_schema(json.loads(line))))
