"""Starts two processes that leave the worker's process group while it is imported: a child
in a session of its own, and a grandchild whose parent then exits (a daemon). Their pids go to
the file ``ESCAPES_FILE`` names."""

import os
import subprocess
import sys

SLEEP = [sys.executable, "-c", "import time; time.sleep(600)"]

CHILD = subprocess.Popen(SLEEP, start_new_session=True)
DAEMON_PARENT = subprocess.Popen(
    [
        sys.executable,
        "-c",
        "import subprocess, sys; p = subprocess.Popen(sys.argv[1:], start_new_session=True);"
        " print(p.pid, flush=True)",
        *SLEEP,
    ],
    stdout=subprocess.PIPE,
    text=True,
)
DAEMON = int(DAEMON_PARENT.stdout.readline())
DAEMON_PARENT.wait()

with open(os.environ["ESCAPES_FILE"], "w") as pids:
    pids.write(f"{CHILD.pid} {DAEMON}\n")
