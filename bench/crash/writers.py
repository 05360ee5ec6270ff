#!/usr/bin/env python3
"""Creates people as fast as it can, from several connections at once, through the form and
the API in turn, and writes the id of every acknowledged create (a 201 from the API, a 303 to
the new record from the form) to a file, one per line, as soon as the answer arrives. It stops
when the server has been unreachable for a second (it was killed) or after its time limit.

    writers.py BASE_URL TOKEN COOKIE CSRF LAST_NAME IDS_FILE [CONNECTIONS] [SECONDS]

Used by bench/crash/run.sh; the standard library only.
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse


def writer(host, port, token, cookie, csrf, last, seconds, record, failures):
    deadline = time.monotonic() + seconds
    connection = None
    unreachable_since = None
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=5)
            if turn % 2:
                body = json.dumps({"first_name": "Kaza", "last_name": last})
                connection.request(
                    "POST",
                    "/api/v1/people",
                    body,
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                reply = connection.getresponse()
                text = reply.read()
                if reply.status == 201:
                    record(json.loads(text)["id"])
                else:
                    failures.append(reply.status)
            else:
                body = urllib.parse.urlencode(
                    {"_csrf": csrf, "first_name": "Kaza", "last_name": last}
                )
                connection.request(
                    "POST",
                    "/people",
                    body,
                    {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                )
                reply = connection.getresponse()
                reply.read()
                location = reply.getheader("Location") or ""
                if reply.status == 303 and location.startswith("/people/"):
                    record(int(location.split("/")[2].split("?")[0]))
                else:
                    failures.append(reply.status)
            unreachable_since = None
        except (OSError, http.client.HTTPException):
            # The server is gone (or going): an unanswered request was never acknowledged.
            if connection is not None:
                connection.close()
            connection = None
            now = time.monotonic()
            unreachable_since = unreachable_since or now
            if now - unreachable_since > 1.0:
                return
            time.sleep(0.02)


def main():
    base, token, cookie, csrf, last, ids_file = sys.argv[1:7]
    connections = int(sys.argv[7]) if len(sys.argv) > 7 else 8
    seconds = float(sys.argv[8]) if len(sys.argv) > 8 else 30
    url = urllib.parse.urlsplit(base)
    lock = threading.Lock()
    failures = []
    with open(ids_file, "w", encoding="ascii") as out:

        def record(person_id):
            with lock:
                out.write(f"{person_id}\n")
                out.flush()

        threads = [
            threading.Thread(
                target=writer,
                args=(url.hostname, url.port, token, cookie, csrf, last, seconds, record, failures),
            )
            for _ in range(connections)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        print(f"refused creates (not counted as acknowledged): {len(failures)}", file=sys.stderr)


if __name__ == "__main__":
    main()
