#!/usr/bin/python3
"""fault_proxy.py -- an HTTP proxy on loopback that makes a server flaky.

    fault_proxy.py --upstream PORT [--rate 0.05] [--seed 1] [--time-limit 600]
                   [--healthy-first N] [--port-file FILE] [--log FILE] [--retry-after 1]
                   [--delay SECONDS]

Listens on 127.0.0.1 (a free port, written to --port-file) and forwards
each request to 127.0.0.1:UPSTREAM (Radicale), except that a share --rate
of the requests (a seeded draw, so runs repeat; after the first
--healthy-first, which all pass) meets one of these faults,
as reverse proxies and busy servers show them:

  500, 502, 503     answered by the proxy, never forwarded
  503-retry-after   503 with Retry-After: N seconds
  429               429 Too Many Requests with Retry-After: N
  reset             the connection reset (RST) before any answer, not forwarded
  closed-after      forwarded (the server did it), then the connection closed
                    without an answer: the client cannot tell it landed

--delay holds every request that long before it is forwarded or fails,
as a server across a network answers after a round trip (for timing
requests in flight, bench/publish.sh's PUBBENCH_DELAY).

Keeps client connections alive (HTTP/1.1) as a proxy in front of a server
would; each forwarded request opens its own upstream connection.  Stops by
itself after --time-limit seconds so a test that dies leaves nothing
running.  --log gets one line per fault: KIND METHOD PATH, then a final
"forwarded N faults M".  Python 3 standard library only.
"""
import argparse
import http.client
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ["500", "502", "503", "503-retry-after", "429", "reset", "closed-after"]
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           429: "Too Many Requests"}
HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
       "upgrade", "content-length"}


class State:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.seen = 0
        self.forwarded = 0
        self.faults = 0
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None

    def draw(self):
        """The fault for the next request, or None."""
        with self.lock:
            self.seen += 1
            if self.seen <= self.args.healthy_first or self.rng.random() >= self.args.rate:
                return None
            return self.rng.choice(FAULTS)

    def note(self, kind, method, path):
        with self.lock:
            if kind:
                self.faults += 1
                if self.log:
                    self.log.write("%s %s %s\n" % (kind, method, path))
                    self.log.flush()
            else:
                self.forwarded += 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the test reads --log
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, socket.timeout):
            self.close_connection = True

    def _reset(self):
        # SO_LINGER 0: close() sends RST instead of FIN
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _answer(self, code, retry_after=None):
        body = ("%d %s (fault_proxy)\n" % (code, REASONS[code])).encode()
        self.send_response(code, REASONS[code])
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self, body):
        st = self.server.state
        up = http.client.HTTPConnection("127.0.0.1", st.args.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        up.request(self.command, self.path, body=body, headers=headers)
        resp = up.getresponse()
        data = resp.read()
        up.close()
        return resp, data

    def _any(self):
        st = self.server.state
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        if st.args.delay:
            time.sleep(st.args.delay)
        kind = st.draw()
        st.note(kind, self.command, self.path)
        ra = st.args.retry_after
        if kind in ("500", "502", "503"):
            return self._answer(int(kind))
        if kind == "503-retry-after":
            return self._answer(503, ra)
        if kind == "429":
            return self._answer(429, ra)
        if kind == "reset":
            return self._reset()
        try:
            resp, data = self._forward(body)
        except OSError:
            return self._answer(502)
        if kind == "closed-after":
            return self._reset()
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_MKCALENDAR = _any
    do_HEAD = do_OPTIONS = do_POST = do_PROPPATCH = do_MKCOL = _any


def main():
    ap = argparse.ArgumentParser(description="a fault-injecting HTTP proxy on 127.0.0.1")
    ap.add_argument("--upstream", type=int, required=True, help="port of the server on 127.0.0.1")
    ap.add_argument("--rate", type=float, default=0.05, help="share of requests that fail (0..1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--healthy-first", type=int, default=0, help="requests passed before any fault")
    ap.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of 503/429")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds each request waits first")
    ap.add_argument("--time-limit", type=float, default=600, help="stop after this many seconds")
    ap.add_argument("--port-file", help="write the port listened on here")
    ap.add_argument("--log", help="append one line per fault here")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(args)
    port = srv.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    else:
        print(port, flush=True)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    timer = threading.Timer(args.time_limit, srv.shutdown)
    timer.daemon = True
    timer.start()
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        st = srv.state
        if st.log:
            st.log.write("forwarded %d faults %d\n" % (st.forwarded, st.faults))
            st.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
