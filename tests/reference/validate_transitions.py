"""Asks an oracle's `validate_transition` for verdicts, as a black box: run
under 0.4.0a0's interpreter or 11.0.0's, it asks that version.

Reads JSON Lines on stdin, one `StatusTransitionPayload` object per line (of
the schema the interpreter's version reads).
Writes one JSON Lines verdict per input line on stdout:
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
