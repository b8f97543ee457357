#!/usr/bin/env python3
"""Parses .eml files as a mail client does (Python's email package, default
policy) and prints one JSON object per file: envelope recipient (if the
test server recorded it), decoded To and Subject, the text body and every
attachment's file name and sha256. Used by the `mognad send` tests."""
import email
import email.policy
import hashlib
import json
import sys

for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "file": path,
        "envelope_to": str(msg.get("X-Envelope-To", "")),
        "to": str(msg["To"]),
        "to_name": msg["To"].addresses[0].display_name,
        "to_address": msg["To"].addresses[0].addr_spec,
        "from": str(msg["From"]),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "ascii": all(b < 128 for b in raw),
        "body": msg.get_body(preferencelist=("plain",)).get_content(),
        "attachments": [
            {
                "filename": part.get_filename(),
                "type": part.get_content_type(),
                "sha256": hashlib.sha256(part.get_payload(decode=True)).hexdigest(),
            }
            for part in msg.iter_attachments()
        ],
    }
    print(json.dumps(out, ensure_ascii=False))
