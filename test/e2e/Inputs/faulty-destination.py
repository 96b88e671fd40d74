# faulty-destination.py MODE PROGRAM [ARGS]: runs PROGRAM as a destination
# would run (stdin and stderr its own, stdout through this script), failing as
# MODE says:
#   kill-before-ready   kills it with SIGKILL while it reads the image (once it
#                       said it can take one): a destination that dies before
#                       its acknowledgement
#   kill-after-ready    kills it with SIGKILL the moment it says it has restored
#                       (HMCC-READY), before it reads GO: a destination that
#                       dies after its acknowledgement
#   silent-after-ready  holds HMCC-READY back and says nothing more for 20 s:
#                       a destination that hangs once it has the image
#   silent              says nothing for 20 s and runs nothing: a start-up
#                       that hangs
import subprocess
import sys
import time

mode = sys.argv[1]
if mode == "silent":
    time.sleep(20)
    sys.exit(1)
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE)
for line in child.stdout:
    if mode == "kill-before-ready" and line.startswith(b"HMCC-WAITING"):
        sys.stdout.buffer.write(line)
        sys.stdout.flush()
        time.sleep(0.5)  # the source is asked, and its image comes
        child.kill()
        child.wait()
        sys.exit(137)
    if line.startswith(b"HMCC-READY"):
        if mode == "silent-after-ready":
            time.sleep(20)
        child.kill()
        child.wait()
        if mode == "silent-after-ready":
            sys.exit(1)
    sys.stdout.buffer.write(line)
    sys.stdout.flush()
    if line.startswith(b"HMCC-READY"):
        break
sys.exit(137)
