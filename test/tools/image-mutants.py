#!/usr/bin/env python3
"""image-mutants — restores structure-aware mutants of images on every receiver.

Builds PROGRAM for the four targets, makes seed images at each of its migration
points on each target, writes COUNT mutants of every seed with image-mutants
(one change each, valid checksum: test/fuzz/image_mutator.cpp) and restores each
on every receiver (foreign ones under qemu-user), first with HM_RESTORE_CHECK=1,
then (--whole) whole. Each result must be a refusal (status 1, 'hmcc: cannot
restore:') or a restore; anything else before the whole stack is back — a
signal, another status, a sanitizer report, a hang — is listed. Once the stack
is back, the program runs its own code on the image's data values: a signal
then is counted apart, not as a failure. Prints per receiver: mutants, refused, restored,
crashes, hangs; exit status 1 when any crashed or hung.

  image-mutants.py --hmcc HMCC --mutants IMAGE-MUTANTS PROGRAM.c [--count 10]
                   [--points 3] [--receivers x86_64-linux-gnu,...] [--seed 1]"""
import argparse
import os
import subprocess
import sys
import tempfile

TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu",
           "arm-linux-gnueabihf"]
EMULATORS = {"aarch64-linux-gnu": ["qemu-aarch64"], "s390x-linux-gnu": ["qemu-s390x"],
             "arm-linux-gnueabihf": ["qemu-arm"], "x86_64-linux-gnu": []}


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env.update(extra)
    return env


def restore(target, exe, image, check, timeout):
    """(verdict, detail) of one restore of |image| by |exe|."""
    var = {"HM_RESTORE": image, "HM_LOG": "1"}
    if check:
        var["HM_RESTORE_CHECK"] = "1"
    try:
        p = subprocess.run(EMULATORS[target] + [exe], env=clean_env(var),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", f"no end in {timeout} s"
    err = p.stderr.decode(errors="replace")
    if "Sanitizer" in err or "runtime error:" in err:
        return "crash", err.strip()[-300:]
    if p.returncode == 0:
        return "restored", ""
    if p.returncode == 1 and "hmcc: cannot restore:" in err:
        return "refused", ""
    # The whole stack was back and the program went on: what it then does with
    # the image's data values is its own (a pointer the image made null, or
    # pointed at another object of the program, may crash it as such a value
    # would have before the move).
    if not check and "hmcc: restored on" in err:
        return "ran", f"status {p.returncode}"
    return "crash", f"status {p.returncode}: {err.strip()[-300:]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hmcc", required=True)
    ap.add_argument("--mutants", required=True, help="the image-mutants command")
    ap.add_argument("program")
    ap.add_argument("--count", type=int, default=10, help="mutants per seed image")
    ap.add_argument("--points", type=int, default=3, help="migration points of PROGRAM")
    ap.add_argument("--receivers", default=",".join(TARGETS))
    ap.add_argument("--seed", type=int, default=1, help="first mutant number")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--whole", action="store_true",
                    help="also restore each mutant whole and run it (slower)")
    ap.add_argument("--show-ran", action="store_true",
                    help="list the mutants whose restored program then stopped on its own")
    o = ap.parse_args()
    receivers = o.receivers.split(",")
    work = tempfile.mkdtemp(prefix="hm-mutants-")
    exes = {}
    for t in TARGETS:
        exes[t] = os.path.join(work, "program." + t)
        subprocess.run([o.hmcc, "--target=" + t, "-O1", o.program, "-o", exes[t]], check=True)
    seeds = []
    for t in TARGETS:
        for k in range(1, o.points + 1):
            img = os.path.join(work, f"seed-{t}-{k}.img")
            subprocess.run(EMULATORS[t] + [exes[t]], check=True, stdout=subprocess.DEVNULL,
                           env=clean_env({"HM_MIGRATE_AT": str(k), "HM_MIGRATE_TO": img}))
            if not os.path.exists(img):
                sys.exit(f"image-mutants: point {k} on {t} wrote no image")
            seeds.append(img)
    failures = []
    totals = {}
    for i, seed in enumerate(seeds):
        outdir = os.path.join(work, f"mutants-{i}")
        os.makedirs(outdir)
        listing = subprocess.run([o.mutants, seed, outdir, str(o.count), str(o.seed)],
                                 check=True, stdout=subprocess.PIPE).stdout.decode()
        for line in listing.splitlines():
            path, change = line.split("\t", 1)
            for r in receivers:
                counts = totals.setdefault(r, {"mutants": 0, "refused": 0, "restored": 0,
                                               "ran": 0, "crash": 0, "hang": 0})
                counts["mutants"] += 1
                verdict, detail = restore(r, exes[r], path, True, o.timeout)
                if verdict == "restored" and o.whole:
                    verdict, detail = restore(r, exes[r], path, False, o.timeout)
                counts[verdict] += 1
                if verdict == "ran" and o.show_ran:
                    print(f"image-mutants: ran: {os.path.basename(seed)} {change} on {r}: "
                          f"{detail}")
                if verdict in ("crash", "hang"):
                    failures.append(f"{os.path.basename(seed)} {change} on {r}: {verdict}: {detail}")
    for f in failures[:30]:
        print("image-mutants: FAILED: " + f)
    for r in receivers:
        c = totals.get(r, {})
        own = (f" ({c.get('ran', 0)} of them then ended on a signal or a status of the "
               f"program's own)" if o.whole else "")
        print(f"image-mutants: {r}: {c.get('mutants', 0)} mutants: {c.get('refused', 0)} "
              f"refused, {c.get('restored', 0) + c.get('ran', 0)} restored{own}, "
              f"{c.get('crash', 0)} crashed, {c.get('hang', 0)} hung")
    crashed = sum(c["crash"] + c["hang"] for c in totals.values())
    ran = sum(c["mutants"] for c in totals.values())
    print(f"{ran - crashed} passed, {crashed} failed")
    if not failures:
        subprocess.run(["rm", "-rf", work])
    else:
        print(f"image-mutants: the mutants are kept in {work}")
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
