#!/usr/bin/env python3
"""Runs lit on hmcc's tests and ends with one line counting what ran:
'N passed, N failed' (and skipped when there were any)."""
import json
import os
import subprocess
import sys
import tempfile

lit, suite, *rest = sys.argv[1:]
with tempfile.TemporaryDirectory() as tmp:
    report = os.path.join(tmp, "results.json")
    status = subprocess.call([sys.executable, lit, "-v", "--output", report, suite] + rest)
    passed = failed = skipped = 0
    if os.path.exists(report):
        for t in json.load(open(report))["tests"]:
            code = t["code"]
            if code in ("PASS", "XFAIL"):
                passed += 1
            elif code in ("UNSUPPORTED", "SKIPPED", "EXCLUDED"):
                skipped += 1
            else:
                failed += 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    sys.exit(status if status else (1 if failed or passed == 0 else 0))
