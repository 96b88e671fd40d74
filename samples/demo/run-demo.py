#!/usr/bin/env python3
"""run-demo — builds samples/demo/nbody.c with hmcc for four architectures and runs
it once across all of them: x86_64 -> aarch64 -> s390x -> armhf -> x86_64, one
migration at each epoch boundary. Prints a timeline and checks that the final
output equals the output of an unmigrated run.

--ssh: the same chain as moves of one running process over SSH (an sshd of the
demo's own on 127.0.0.1; the foreign builds run under qemu-user there), each
asked for by hm-migrate a second into the hop: the process the demo started
stays as the relay of the output, which must equal an unmigrated run's."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

CHAIN = ["x86_64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu",
         "arm-linux-gnueabihf", "x86_64-linux-gnu"]
EMULATOR = {"x86_64-linux-gnu": [], "aarch64-linux-gnu": ["qemu-aarch64"],
            "s390x-linux-gnu": ["qemu-s390x"], "arm-linux-gnueabihf": ["qemu-arm"]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hmcc", default=os.path.join(here, "..", "..", "build", "bin", "hmcc"))
    ap.add_argument("--ssh", action="store_true", help="move one process over SSH on 127.0.0.1")
    o = ap.parse_args()
    source = os.path.join(here, "nbody.c")
    work = tempfile.mkdtemp(prefix="hm-demo-")
    status = run(o, source, work)
    if status == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"demo: its builds and images are kept in {work}")
    return status


def run(o, source, work):
    exe = {}
    for t in sorted(set(CHAIN)):
        exe[t] = os.path.join(work, "nbody." + t)
        subprocess.run([o.hmcc, "--target=" + t, "-O2", source, "-o", exe[t], "-lm"],
                       check=True)
    clean = dict((k, v) for k, v in os.environ.items() if not k.startswith("HM_"))
    if o.ssh:
        return over_ssh(o.hmcc, exe, work, clean)
    reference = subprocess.run(exe[CHAIN[0]], env=clean, stdout=subprocess.PIPE,
                               check=True).stdout.decode()

    print(f"{'hop':<4}{'runs on':<22}{'image bytes':>12}{'capture ms':>12}{'restore ms':>12}")
    output = ""
    image_in = None
    for hop, target in enumerate(CHAIN):
        env = dict(clean, HM_LOG="1")
        if image_in:
            env["HM_RESTORE"] = image_in
        image_out = None
        if hop + 1 < len(CHAIN):
            image_out = os.path.join(work, f"hop{hop + 1}.img")
            env["HM_MIGRATE_TO"] = image_out
        p = subprocess.run(EMULATOR[target] + [exe[target]], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = p.stderr.decode()
        if p.returncode != 0:
            sys.stderr.write(err)
            print(f"demo: hop {hop} on {target} failed with status {p.returncode}")
            return 1
        output += p.stdout.decode()
        captured = re.search(r"captured on \S+: (\d+) bytes in ([\d.]+) ms", err)
        restored = re.search(r"restored on \S+ in ([\d.]+) ms", err)
        print(f"{hop:<4}{target:<22}"
              f"{captured.group(1) if captured else '-':>12}"
              f"{captured.group(2) if captured else '-':>12}"
              f"{restored.group(1) if restored else '-':>12}")
        image_in = image_out
    print()
    print(output, end="")
    same = output == reference
    print()
    print("final result equals the unmigrated run:", "yes" if same else "NO")
    print("(times on aarch64, s390x and armhf are under qemu-user emulation)")
    return 0 if same else 1


def over_ssh(hmcc, exe, work, clean):
    here = os.path.dirname(os.path.abspath(__file__))
    hm_migrate = os.path.join(os.path.dirname(hmcc), "hm-migrate")
    held = os.path.join(here, "..", "..", "test", "tools", "held-move.sh")
    steps = "4000000"  # per epoch: 2 s natively; each hop under qemu-user has a second
    reference = subprocess.run([exe[CHAIN[0]], steps], env=clean, stdout=subprocess.PIPE,
                               check=True).stdout.decode()
    sshd = os.path.join(work, "sshd")
    subprocess.run(["bash", os.path.join(here, "..", "..", "test", "tools", "loopback-sshd.sh"),
                    sshd], check=True)
    opts = open(os.path.join(sshd, "ssh-options")).read().split()
    port = open(os.path.join(sshd, "port")).read().strip()
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    try:
        first = subprocess.Popen([exe[CHAIN[0]], steps], env=clean, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        pid = first.pid
        print(f"{'hop':<4}{'moves to':<22}{'image bytes':>12}{'move ms':>10}  process")
        for hop, target in enumerate(CHAIN[1:], 1):
            time.sleep(1.0 if hop > 1 else 0.1)
            t = time.perf_counter()
            # Held until asked (held-move.sh): the move never races the run's end.
            cli = subprocess.run(["bash", held, str(pid), hm_migrate] + opts +
                                 (["--exec-with", EMULATOR[target][0]] if EMULATOR[target] else [])
                                 + [str(pid), f"ssh://{user}@127.0.0.1:{port}{exe[target]}"],
                                 env=clean, capture_output=True, text=True)
            ms = (time.perf_counter() - t) * 1000
            if cli.returncode != 0:
                sys.stderr.write(cli.stderr)
                print(f"demo: the move to {target} failed (status {cli.returncode})")
                first.kill()
                out, err = first.communicate()
                sys.stderr.write(out.decode() + err.decode())
                return 1
            size = re.search(r": (\d+) bytes to", cli.stderr)
            pattern = "^" + (EMULATOR[target][0] + " " if EMULATOR[target] else "") + exe[target]
            found = subprocess.run(["pgrep", "-n", "-f", pattern], capture_output=True,
                                   text=True).stdout.split()
            if not found:
                print(f"demo: the process ended on {target} before the next hop")
                return 1
            pid = int(found[0])
            print(f"{hop:<4}{target:<22}{size.group(1) if size else '-':>12}{ms:>10.0f}  {pid}")
        out, err = first.communicate()
    finally:
        subprocess.run(["sh", "-c", f"kill $(cat {sshd}/sshd.pid)"])
    output = out.decode()
    print()
    print(output, end="")
    same = output == reference and first.returncode == 0
    print()
    print("final result equals the unmigrated run:", "yes" if same else "NO")
    print(f"(the process the demo started, {first.pid}, relayed the output of all four hops)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
