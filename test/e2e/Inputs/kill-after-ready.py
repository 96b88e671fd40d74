# kill-after-ready.py PROGRAM [ARGS]: runs PROGRAM as a destination would run
# (stdin and stderr its own, stdout through this script) and kills it with
# SIGKILL the moment it says it has restored (HMCC-READY), before it reads GO:
# a destination that dies after its acknowledgement.
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
for line in child.stdout:
    if line.startswith(b"HMCC-READY"):
        child.kill()
        child.wait()
    sys.stdout.buffer.write(line)
    sys.stdout.flush()
    if line.startswith(b"HMCC-READY"):
        break
sys.exit(137)
