#!/usr/bin/env python3
"""A real SMTP server on loopback for the `mognad send` tests (aiosmtpd).

Stores every message it accepts as DIR/NNNN.eml, with the envelope
recipients in a first `X-Envelope-To:` line. With --fail-after N it accepts
N messages and then answers every further one with 421 (service closing),
as a server does that throttles or goes down midway.

Prints the port it listens on, then serves until killed.
"""
import argparse
import os
import socket
import sys
import time

try:
    from aiosmtpd.controller import Controller
except ImportError:
    sys.exit("aiosmtpd is not installed: pip install aiosmtpd (.ci/run does)")


class Store:
    def __init__(self, out, fail_after):
        self.out = out
        self.fail_after = fail_after
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_after is not None and self.count >= self.fail_after:
            return "421 4.3.2 test server: closing down, try again later"
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04d}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 stored"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--fail-after", type=int, default=None)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Store(args.dir, args.fail_after), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
