"""Serving a fake of an external API on 127.0.0.1 for the tests: a threading HTTP server on a
free port, answering from a thread of its own until the test session shuts it down."""

import threading
from http.server import ThreadingHTTPServer


def serve(make_fake, make_handler):
    """Start a server; `make_fake(server)` builds the fake holding its state and
    `make_handler(fake)` the request handler class that answers from that state."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    fake = make_fake(server)
    server.RequestHandlerClass = make_handler(fake)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
