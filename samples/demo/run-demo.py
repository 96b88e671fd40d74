#!/usr/bin/env python3
"""run-demo — builds samples/demo/nbody.c with hmcc for four architectures and runs
it once across all of them: x86_64 -> aarch64 -> s390x -> armhf -> x86_64, one
migration at each epoch boundary. Prints a timeline and checks that the final
output equals the output of an unmigrated run."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

CHAIN = ["x86_64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu",
         "arm-linux-gnueabihf", "x86_64-linux-gnu"]
EMULATOR = {"x86_64-linux-gnu": [], "aarch64-linux-gnu": ["qemu-aarch64"],
            "s390x-linux-gnu": ["qemu-s390x"], "arm-linux-gnueabihf": ["qemu-arm"]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hmcc", default=os.path.join(here, "..", "..", "build", "bin", "hmcc"))
    o = ap.parse_args()
    source = os.path.join(here, "nbody.c")
    work = tempfile.mkdtemp(prefix="hm-demo-")
    exe = {}
    for t in sorted(set(CHAIN)):
        exe[t] = os.path.join(work, "nbody." + t)
        subprocess.run([o.hmcc, "--target=" + t, "-O2", source, "-o", exe[t], "-lm"],
                       check=True)
    clean = dict((k, v) for k, v in os.environ.items() if not k.startswith("HM_"))
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


if __name__ == "__main__":
    sys.exit(main())
