#!/usr/bin/env python3
"""Writes vectors.json: webhook bodies with lone surrogates, signed by the real implementations.

Node vectors come from make-vectors.js (run with node); Python vectors are made here the way a
Python sender signs: hash = HMAC-SHA256(secret, json.dumps(body without hash)), body sent =
json.dumps(body with hash). json.dumps (ensure_ascii) writes a lone surrogate as \\udXXX.
Run from this folder: python3 make_vectors.py
"""
import hashlib
import hmac
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "lone-surrogate-secret"
# What JavaScript's "Hi \u{1F600}".slice(0, 4) holds: the emoji's first UTF-16 unit alone.
CUT = "Hi " + "\ud83d"

BODIES = [
    ("high-surrogate-in-message", {"status": "FAILED", "request_id": "req-lone-py-1", "message": CUT}),
    ("low-surrogate-in-result", {"status": "SUCCESS", "request_id": "req-lone-py-2", "result": {"text": "\ude00 tail", "ok": "\U0001F600 whole"}}),
    ("lone-surrogate-in-key", {"status": "SUCCESS", "request_id": "req-lone-py-3", "result": {"k\udc00": 1, "note": "Zo\u00eb"}}),
]


def python_vectors():
    vectors = []
    for name, body in BODIES:
        digest = hmac.new(SECRET.encode(), json.dumps(body).encode("ascii"), hashlib.sha256).hexdigest()
        vectors.append({"name": name, "form": "python", "secret": SECRET, "body": json.dumps({**body, "hash": digest})})
    return vectors


def main():
    node = json.loads(subprocess.run(["node", os.path.join(HERE, "make-vectors.js")], check=True, capture_output=True, text=True).stdout)
    with open(os.path.join(HERE, "vectors.json"), "w", encoding="ascii") as out:
        # ensure_ascii keeps each body's escapes readable in the file; the body strings are what is posted.
        json.dump(node + python_vectors(), out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
