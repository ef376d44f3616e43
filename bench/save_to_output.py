#!/usr/bin/env python3
"""From a saved review to updated output under `critique serve`, end to end.

    bench/save_to_output.py CRITIQUE SITE_DIR [EDITS] [prose|scores|tags|dates|day|new]

Starts `critique serve` on SITE_DIR (its output in $TMPDIR), then saves one review EDITS times
the way editors do (the new text written to `name.md~`, then renamed over `name.md`; `SAVE=tmp`,
`jetbrains` or `in-place` for other editors' ways) and times
each save to the moment serve reports the rebuilt output ("Rebuilt NAME at HH:MM:SS in ..."), which it prints
after the last file is written. The watcher's debounce is included. Prints each latency and
the median; restores the review at the end. The edits are those of examples/serve_latency.rs;
`new` instead adds a copy of the review under a name in the middle of the slugs
(`m-latency-probe`) on every other save, and deletes it on the others.
"""
import os
import re
import statistics
import subprocess
import sys
import threading
import time

# How the review is saved: through `name.md~` (tilde, the default), `name.md.tmp` (tmp) or
# JetBrains' `name.md___jb_tmp___` (jetbrains) renamed over it, or written in place (in-place).
SAVE = os.environ.get("SAVE", "tilde")


def edited(original, i, mode):
    if mode == "scores":
        at = original.find("scores: {")
        colon = original.find(": ", at + 9)
        return original[: colon + 2] + str(i % 9 + 1) + original[colon + 3 :]
    if mode == "tags":
        return original.replace("tags: [", "tags: [latency-probe, ", 1) if i % 2 == 0 else original
    if mode == "dates":
        return original.replace("\ndate: ", f"\ndate: 2020-01-0{i % 9 + 1} #", 1) if i % 2 == 0 else original
    if mode == "day":
        # The day of the month one on (one back from the 28th) on every other save.
        at = original.find("\ndate: ") + len("\ndate: YYYY-MM-")
        day = int(original[at : at + 2])
        moved = day + 1 if day < 28 else day - 1
        return original[:at] + f"{moved:02}" + original[at + 2 :] if i % 2 == 0 else original
    sentence = f"Edited {i}, once more. " * (i % 3 + 1)
    return original.replace("\n---\n", f"\n---\n{sentence}\n\n", 1)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    critique, site = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 11
    mode = sys.argv[4] if len(sys.argv) > 4 else "prose"
    reviews = os.path.join(site, "content", "reviews")
    victim = os.path.join(reviews, min(os.listdir(reviews)))
    probe = os.path.join(reviews, "m-latency-probe.md")
    with open(victim, encoding="utf-8") as f:
        original = f.read()
    server = subprocess.Popen(
        [critique, "serve", "--root", site, "--port", "18111"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    lines = []
    seen = threading.Condition()

    def read():
        for line in server.stdout:
            with seen:
                lines.append((time.perf_counter(), line.rstrip()))
                seen.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern, after, timeout=120):
        deadline = time.time() + timeout
        with seen:
            while True:
                for at, line in lines[after:]:
                    if re.search(pattern, line):
                        return at, line
                if time.time() > deadline or server.poll() is not None:
                    sys.exit(f"serve did not say /{pattern}/: {[l for _, l in lines[-5:]]}")
                seen.wait(0.5)

    try:
        wait_for(r"^Built", 0)
        time.sleep(1)
        latencies = []
        for i in range(edits):
            with seen:
                after = len(lines)
            target = probe if mode == "new" else victim
            start = time.perf_counter()
            if mode == "new" and i % 2 == 1:
                os.remove(probe)
            else:
                text = original if mode == "new" else edited(original, i, mode)
                if SAVE == "in-place":
                    with open(target, "w", encoding="utf-8") as f:
                        f.write(text)
                else:
                    temp = target + {"tilde": "~", "tmp": ".tmp", "jetbrains": "___jb_tmp___"}[SAVE]
                    with open(temp, "w", encoding="utf-8") as f:
                        f.write(text)
                    os.replace(temp, target)
            at, line = wait_for(r"^Rebuilt", after)
            latencies.append((at - start) * 1000)
            print(f"save {i}: {latencies[-1]:.1f} ms ({line})")
            time.sleep(0.3)
        print(f"median of {len(latencies)} saves: {statistics.median(latencies):.1f} ms")
    finally:
        with open(victim, "w", encoding="utf-8") as f:
            f.write(original)
        if os.path.exists(probe):
            os.remove(probe)
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
