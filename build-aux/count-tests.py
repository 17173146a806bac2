#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints 'N passed, N failed' over meson testlog JSON files (one JSON per line).

A missing log counts as one failure, except logs marked optional by a
leading '?' in their name.
"""
import json
import sys

passed = failed = skipped = 0
for name in sys.argv[1:]:
    optional = name.startswith("?")
    name = name.lstrip("?")
    try:
        with open(name, encoding="utf-8") as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except OSError:
        if not optional:
            failed += 1
if skipped:
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
else:
    print(f"{passed} passed, {failed} failed")
