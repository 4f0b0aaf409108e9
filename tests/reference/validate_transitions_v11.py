"""Asks spec-kitty-events 11.0.0's `validate_transition` for verdicts, as a black box.

Reads JSON Lines on stdin, one schema 3.0.0 `StatusTransitionPayload` object
per line. Writes one JSON Lines verdict per input line on stdout:
{"valid": bool, "violations": [str]} or, when the reference refuses to build
the payload at all, {"valid": false, "violations": [], "rejected": str}.
"""

import json
import sys

import spec_kitty_events as ske


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            payload = ske.StatusTransitionPayload.model_validate_json(line)
        except Exception as error:  # a payload rule the reference enforces
            print(json.dumps({"valid": False, "violations": [], "rejected": str(error)}))
            continue
        verdict = ske.validate_transition(payload)
        print(json.dumps({"valid": bool(verdict.valid), "violations": list(verdict.violations)}))


if __name__ == "__main__":
    main()
