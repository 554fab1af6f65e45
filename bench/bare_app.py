"""The ceiling: a bare waitress WSGI app returning a fixed body.

    python bench/bare_app.py PORT BODY_SIZE

Same threads and limits as guide.py's server, so the two differ only in
what the application does per request.
"""

import logging
import signal
import sys
from pathlib import Path

import waitress

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import guide  # noqa: E402  (for the same waitress settings)


def make_app(size: int):
    body = b"x" * size
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(size))]

    def app(environ, start_response):
        start_response("200 OK", headers)
        return [body]
    return app


if __name__ == "__main__":
    port, size = int(sys.argv[1]), int(sys.argv[2])
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # as guide.py does
    signal.signal(signal.SIGTERM, guide.stop_on_signal)
    server = waitress.create_server(make_app(size), host="127.0.0.1", port=port,
                                    threads=guide.Settings.threads, **guide.WAITRESS_LIMITS)
    server.run()
