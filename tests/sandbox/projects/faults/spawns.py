"""Starts a long-running child process while it is imported, and leaves it running."""

import subprocess
import sys

SLEEPER = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
