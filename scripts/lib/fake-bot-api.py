#!/usr/bin/env python3
"""A loopback stand-in for the Bot API's sendMessage, for scripts/dev and scripts/bench-notify (not a test).

Answers every POST /bot<token>/sendMessage with {"ok":true,"result":{"message_id":N}} and appends
one line per call to the record file: the receive time in nanoseconds since the epoch
(time.time_ns), the chat id and the order ids found in the text's links. Threaded, keep-alive.

usage: fake-bot-api.py PORT RECORD_FILE
"""
import http.server
import json
import re
import sys
import threading
import time

PORT = int(sys.argv[1])
RECORD = open(sys.argv[2], "a", buffering=1)
LOCK = threading.Lock()
COUNTER = [0]
ORDER = re.compile(r"startapp=order_([A-Za-z0-9_-]{12})")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waited for the
    # client's delayed ACK, 40 ms a call (measured: the sender reached 21 messages/s of 25).
    disable_nagle_algorithm = True

    def do_POST(self):
        received = time.time_ns()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            request = json.loads(body)
        except ValueError:
            request = {}
        with LOCK:
            COUNTER[0] += 1
            message_id = COUNTER[0]
            orders = ",".join(ORDER.findall(str(request.get("text", ""))))
            RECORD.write(f"{received} {request.get('chat_id')} {orders or '-'}\n")
        answer = json.dumps({"ok": True, "result": {"message_id": message_id, "date": received // 10**9}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
server.serve_forever()
