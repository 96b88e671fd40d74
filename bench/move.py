#!/usr/bin/env python3
"""Moves over SSH, measured: downtime and total time of hm-migrate moving a
running x86_64 program to another x86_64 process over an sshd of its own on
127.0.0.1, for states of 1 KB, 1 MB, 100 MB and 10^6 heap objects, side by side
with the same state written to a file by hm-migrate and restored from it.

Downtime: from the capture's start at the source (the program stops running
there) to the destination's start (it runs again). Over SSH, hm-migrate says
it ("stood still"): capture, transfer, restore and the two-phase handshake; the
connection is made before the source is asked. Through a file: the capture
(hm-migrate's time less the request's wait for a poll point) plus a restore
that starts when the file is complete. With --criu PATH (CRIU 4.1 or later,
run as root; Debian 12's 3.17 stops at start-up on kernels from 6.13 on:
"vdso: Unexpected rt vDSO area bounds"), the same program is also moved the
way CRIU moves a process between machines: `criu dump` to a directory, its
images streamed over the same ssh (tar), `criu restore -d` there; its
downtime is all three (the process is stopped from the dump's start; the ssh
connection is made before, as hm-migrate makes its own).
Prints one line per figure; median of 3."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SSHD = os.path.join(ROOT, "test", "tools", "loopback-sshd.sh")
SPIN = "400000000000"  # rounds the program spins once its state is built: 20 s


def start(exe, kind, n, env):
    p = subprocess.Popen([exe, kind, str(n), SPIN], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout.readline() == b"ready\n"
    time.sleep(0.05)
    return p


def request_ms(err):
    m = re.search(r"request to capture: ([\d.]+) ms", err)
    return float(m.group(1)) if m else 0.0


def move_over_ssh(hm_migrate, exe, kind, n, sshd, env):
    opts = open(os.path.join(sshd, "ssh-options")).read().split()
    port = open(os.path.join(sshd, "port")).read().strip()
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    p = start(exe, kind, n, env)
    t = time.perf_counter()
    cli = subprocess.run([hm_migrate] + opts + [str(p.pid), f"ssh://{user}@127.0.0.1:{port}{exe}"],
                         env=env, capture_output=True, text=True)
    total = (time.perf_counter() - t) * 1000
    p.kill()  # the relay: the destination runs on; its output is not what is measured
    _, err = p.communicate()
    subprocess.run(["pkill", "-f", f"^{exe}$"])  # the destination
    if cli.returncode != 0:
        sys.exit(f"move failed: {cli.stderr}")
    restored = re.search(r"restored on \S+ in ([\d.]+) ms", cli.stderr)
    still = re.search(r"stood still ([\d.]+) ms", cli.stderr)
    return total, float(still.group(1)), float(restored.group(1)) if restored else 0.0


def move_through_file(hm_migrate, exe, kind, n, work, env):
    img = os.path.join(work, "state.img")
    if os.path.exists(img):
        os.unlink(img)
    p = start(exe, kind, n, env)
    t = time.perf_counter()
    cli = subprocess.run([hm_migrate, str(p.pid), img], env=env, capture_output=True, text=True)
    capture = (time.perf_counter() - t) * 1000
    _, err = p.communicate()
    if cli.returncode != 0:
        sys.exit(f"capture failed: {cli.stderr}")
    # The restore, until the program runs again (it then spins to its end).
    r = subprocess.Popen([exe, kind, str(n), SPIN], env=dict(env, HM_RESTORE=img),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    restored = None
    for line in r.stderr:
        m = re.search(r"restored on \S+ in ([\d.]+) ms", line.decode())
        if m:
            restored = float(m.group(1))
            break
    r.kill()  # it runs again: what is measured is done
    r.communicate()
    return capture + restored, capture - request_ms(err.decode()) + restored, restored


def move_with_criu(criu, exe, kind, n, sshd, work, env):
    opts = open(os.path.join(sshd, "ssh-options")).read().split()
    port = open(os.path.join(sshd, "port")).read().strip()
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    here, there = os.path.join(work, "criu-dump"), os.path.join(work, "criu-restore")
    subprocess.run(["rm", "-rf", here, there], check=True)
    os.makedirs(here)
    out = os.path.join(work, "criu-out")
    # CRIU restores regular files by path; a pipe would need --inherit-fd.
    with open(out, "w") as f:
        p = subprocess.Popen([exe, kind, str(n), SPIN], env=env, stdin=subprocess.DEVNULL,
                             stdout=f, stderr=subprocess.DEVNULL, start_new_session=True)
    while "ready" not in open(out).read():
        time.sleep(0.01)
    # The connection is made before, as hm-migrate makes its own before it asks.
    master = os.path.join(work, "ssh-master")
    ssh = " ".join(["ssh", "-S", master, "-p", port] + opts + [f"{user}@127.0.0.1"])
    subprocess.run(f"{ssh} -M -f -N", shell=True, check=True)
    time.sleep(0.05)
    t = time.perf_counter()
    subprocess.run([criu, "dump", "-t", str(p.pid), "-D", here, "-o", "dump.log"], check=True)
    p.wait()  # CRIU has killed it (this script is its parent)
    subprocess.run(f"tar -C {here} -cf - . | {ssh} 'mkdir -p {there} && tar -C {there} -xf -'",
                   shell=True, check=True)
    subprocess.run([criu, "restore", "-D", there, "-d", "-o", "restore.log"], check=True)
    down = (time.perf_counter() - t) * 1000
    subprocess.run(f"{ssh} -O exit 2>/dev/null", shell=True)
    subprocess.run(["kill", "-9", str(p.pid)])  # restored with the same pid
    return down, down, 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hmcc", default=os.path.join(ROOT, "build", "bin", "hmcc"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--criu", help="a CRIU >= 4.1 binary: also move the program with it")
    o = ap.parse_args()
    hm_migrate = os.path.join(os.path.dirname(o.hmcc), "hm-migrate")
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("HM_"))
    env["HM_LOG"] = "1"
    with tempfile.TemporaryDirectory(prefix="hm-move-") as work:
        exe = os.path.join(work, "state")
        subprocess.run([o.hmcc, "-O2", os.path.join(HERE, "programs", "state.c"), "-o", exe],
                       check=True)
        sshd = os.path.join(work, "sshd")
        subprocess.run(["bash", SSHD, sshd], check=True)
        try:
            print(f"{'state':<20} {'path':<6} {'downtime ms':>12} {'total ms':>10} {'restore ms':>11}")
            for label, kind, n in [("1 KB", "bytes", 1024), ("1 MB", "bytes", 1 << 20),
                                   ("100 MB", "bytes", 100 << 20),
                                   ("10^6 heap objects", "objects", 10**6)]:
                results = {}
                for _ in range(o.runs):  # interleaved: the machine is shared and noisy
                    for path in ("ssh", "file") + (("criu",) if o.criu else ()):
                        r = (move_over_ssh(hm_migrate, exe, kind, n, sshd, env) if path == "ssh"
                             else move_through_file(hm_migrate, exe, kind, n, work, env)
                             if path == "file"
                             else move_with_criu(o.criu, exe, kind, n, sshd, work, env))
                        results.setdefault(path, []).append(r)
                for path, rs in results.items():
                    total, down, restore = (statistics.median(x[i] for x in rs) for i in range(3))
                    print(f"{label:<20} {path:<6} {down:>12.1f} {total:>10.1f} {restore:>11.1f}")
                ssh_down = statistics.median(x[1] for x in results["ssh"])
                file_down = statistics.median(x[1] for x in results["file"])
                print(f"{label:<20} ssh/file downtime {ssh_down / file_down:.2f}x")
                if o.criu:
                    criu_down = statistics.median(x[1] for x in results["criu"])
                    print(f"{label:<20} ssh/criu downtime {ssh_down / criu_down:.3g}x")
        finally:
            subprocess.run(["sh", "-c", f"kill $(cat {sshd}/sshd.pid)"])


if __name__ == "__main__":
    sys.exit(main())
