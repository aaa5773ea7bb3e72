#!/usr/bin/env python3
"""Converts pypsrp's recorded WinRS exchanges (YAML) into the JSON the Swift contract tests read.

One-off: run it again only to refresh the fixtures from a newer pypsrp sdist.

    pip download pypsrp --no-binary :all: --no-deps -d /tmp/pypsrp && tar xzf /tmp/pypsrp/pypsrp-*.tar.gz -C /tmp/pypsrp
    python3 convert_fixtures.py /tmp/pypsrp/pypsrp-*/

The recordings are pypsrp's (MIT licence, copyright Jordan Borean; see LICENSE-pypsrp here). Requests and
responses are copied verbatim; only the container format changes, so the test target needs no YAML parser.
This script is not part of the Swift test target (Package.swift excludes it).
"""

import glob
import json
import os
import sys

import yaml


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: convert_fixtures.py PATH_TO_EXTRACTED_PYPSRP_SDIST")
    sdist = sys.argv[1]
    with open(os.path.join(sdist, "PKG-INFO"), encoding="utf-8") as info:
        version = next(line.split(":", 1)[1].strip() for line in info if line.startswith("Version:"))
    pattern = os.path.join(sdist, "tests", "tests_pypsrp", "responses", "test_winrs_*.yml")
    paths = sorted(glob.glob(pattern))
    if not paths:
        sys.exit(f"no recordings match {pattern}")
    here = os.path.dirname(os.path.abspath(__file__))
    for path in paths:
        with open(path, encoding="utf-8") as source:
            recording = yaml.safe_load(source)
        messages = [{"request": m["request"], "response": m["response"]} for m in recording["messages"]]
        name = os.path.splitext(os.path.basename(path))[0]
        document = {
            "source": f"pypsrp {version} tests/tests_pypsrp/responses/{os.path.basename(path)}",
            "messages": messages,
        }
        with open(os.path.join(here, name + ".json"), "w", encoding="utf-8") as target:
            json.dump(document, target, ensure_ascii=False, indent=1)
            target.write("\n")
        print(f"{name}.json: {len(messages)} exchanges")


if __name__ == "__main__":
    main()
