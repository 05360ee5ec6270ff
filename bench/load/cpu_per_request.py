#!/usr/bin/env python3
"""Server CPU time per request, for comparing two builds of Rehber on the same data.

wrk's requests/s on this two-core virtual machine swing by ±25 % from run to run, which hides
a change of a few percent. This script instead starts each binary on its own copy of a data
set, sends the same requests one after another over one keep-alive connection, and divides
the CPU time the server process spent (user + system, from /proc) by the number of requests.
The builds take turns, twice per URL, so drift of the machine hits both.

    bench/load/cpu_per_request.py OLD_BIN OLD_DATA NEW_BIN NEW_DATA [--requests 3000]

The data directories are ones `bench/load/run.sh` kept (REHBER_BENCH_KEEP=1); give each
binary its own copy (a newer binary migrates the database it opens).
"""

import argparse
import http.client
import subprocess
import time

URLS = ["/api/v1/people", "/api/v1/people?q=caglar", "/api/v1/people/5", "/healthz"]
TICK_US = 10_000  # /proc reports CPU time in ticks of 1/100 s


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def measure(pid, port, token, path, n):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(200):  # warm the connection, caches and prepared statements
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
    ticks, started = cpu_ticks(pid), time.time()
    for _ in range(n):
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
    cpu = (cpu_ticks(pid) - ticks) * TICK_US / n
    wall = (time.time() - started) * 1e6 / n
    return cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_bin")
    parser.add_argument("old_data")
    parser.add_argument("new_bin")
    parser.add_argument("new_data")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--email", default="admin@demo.rehber.local")
    args = parser.parse_args()

    servers = []
    for name, binary, data, port in [
        ("old", args.old_bin, args.old_data, 18511),
        ("new", args.new_bin, args.new_data, 18512),
    ]:
        process = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        issued = subprocess.run(
            [binary, "--data-dir", data, "token", "issue", "--email", args.email, "--name", "cpu"],
            capture_output=True, text=True, check=True,
        )
        servers.append((name, process, port, issued.stdout.split()[-1]))
    time.sleep(2)
    try:
        print("| request | build | server CPU µs/request | wall µs/request |")
        print("| --- | --- | --- | --- |")
        for path in URLS:
            for _ in range(2):
                for name, process, port, token in servers:
                    cpu, wall = measure(process.pid, port, token, path, args.requests)
                    print(f"| `{path}` | {name} | {cpu:.0f} | {wall:.0f} |")
    finally:
        for _, process, _, _ in servers:
            process.kill()


if __name__ == "__main__":
    main()
