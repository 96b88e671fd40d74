#!/usr/bin/env python3
"""no-exec-gain.py PROGRAM [ARGS...]: runs PROGRAM where memory that is or was
writable may not become executable (prctl PR_SET_MDWE, Linux 6.3 and later), as
systemd's MemoryDenyWriteExecute does; so the program cannot patch its code.
Exits 77 where the kernel cannot."""
import ctypes
import os
import sys

PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit(77)
os.execvp(sys.argv[1], sys.argv[1:])
