#!/usr/bin/env python3
"""How long `critique serve` takes to stop, with clients that would hold a server up.

    bench/serve_stop.py CRITIQUE SITE_DIR [RUNS] [TERM|INT]

Starts `critique serve` on SITE_DIR with a fresh $TMPDIR of its own (the preview is served from
memory: serve should leave nothing there), opens the live-reload event stream, a request whose
headers never end and a download of the largest static file left unread, then sends the signal
(SIGTERM by default) and times it to the "Stopped." line and to the exit. Prints each run (with
anything left in the temporary folder) and the medians.
"""
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def connect(port, request):
    stream = socket.create_connection(("127.0.0.1", port))
    stream.sendall(request)
    return stream


def largest_static(site):
    sizes = []
    for folder, _, names in os.walk(os.path.join(site, "static")):
        for name in names:
            path = os.path.join(folder, name)
            sizes.append((os.path.getsize(path), os.path.relpath(path, os.path.join(site, "static"))))
    return max(sizes)[1] if sizes else "style.css"


def run(binary, site, sig):
    temp = tempfile.mkdtemp(prefix="serve-stop-", dir=os.environ.get("TMPDIR", "/tmp"))
    env = dict(os.environ, TMPDIR=temp)
    serve = subprocess.Popen(
        [binary, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, text=True, env=env
    )
    port = None
    for line in serve.stdout:
        match = re.search(r"^Serving .* at http://[^:]+:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        sys.exit("serve did not start")
    files = sum(len(names) for _, _, names in os.walk(temp))
    events = connect(port, b"GET /__critique/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    events.recv(100)
    half_sent = connect(port, b"GET / HTTP/1.1\r\nHost: loc")
    download = connect(port, f"GET /{largest_static(site)} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    download.recv(1024)
    time.sleep(0.5)
    start = time.monotonic()
    serve.send_signal(sig)
    stopped = None
    for line in serve.stdout:
        if line.strip() == "Stopped.":
            stopped = time.monotonic() - start
    serve.wait()
    exited = time.monotonic() - start
    left = os.listdir(temp)
    os.rmdir(temp) if not left else None
    for stream in (events, half_sent, download):
        stream.close()
    return files, stopped, exited, serve.returncode, left


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, site = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    sig = signal.SIGINT if len(sys.argv) > 4 and sys.argv[4] == "INT" else signal.SIGTERM
    stops, exits = [], []
    for i in range(runs):
        files, stopped, exited, code, left = run(binary, site, sig)
        said = "no 'Stopped.'" if stopped is None else f"'Stopped.' after {stopped * 1000:.0f} ms"
        print(f"run {i + 1}: {files} files in the temporary folder; {said}; exit {code} after {exited * 1000:.0f} ms; left {left}")
        if stopped is not None:
            stops.append(stopped)
        exits.append(exited)
    if stops:
        print(f"median: 'Stopped.' {statistics.median(stops) * 1000:.0f} ms, exit {statistics.median(exits) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
