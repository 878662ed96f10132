"""Starts processes until it cannot (2000 at most, each sleeping); reports how many it started.

The report goes to the file named by FORKBOMB_REPORT: the number started, then why the next
fork failed (``None``: none did).
"""

import os
import time

STARTED = 0
REFUSED = None
for _ in range(2000):
    try:
        child = os.fork()
    except OSError as error:  # the process cap
        REFUSED = f"{type(error).__name__}: {error.strerror}"
        break
    if child == 0:
        time.sleep(600)
        os._exit(0)
    STARTED += 1

with open(os.environ["FORKBOMB_REPORT"], "w") as report:
    report.write(f"{STARTED}\n{REFUSED}\n")
