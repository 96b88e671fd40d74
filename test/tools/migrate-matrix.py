#!/usr/bin/env python3
"""migrate-matrix — builds a program for every target and migrates it between all
ordered pairs of targets at chosen migration points, comparing each migrated run's
output with the unmigrated run's. Prints one line per failure and a summary."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu",
           "arm-linux-gnueabihf"]
EMULATORS = {"aarch64-linux-gnu": ["qemu-aarch64"], "s390x-linux-gnu": ["qemu-s390x"],
             "arm-linux-gnueabihf": ["qemu-arm"], "x86_64-linux-gnu": []}


def run(target, exe, args, env_extra, timeout=120):
    env = dict(os.environ)
    for k in ("HM_MIGRATE_TO", "HM_MIGRATE_AT", "HM_RESTORE", "HM_CHECKPOINT"):
        env.pop(k, None)
    env.update(env_extra)
    p = subprocess.run(EMULATORS[target] + [exe] + args, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hmcc", required=True)
    ap.add_argument("--cflags", default="-O2")
    ap.add_argument("--points", default="1",
                    help="comma-separated migration points, or 'all'")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--same-arch", action="store_true",
                    help="also restore on the architecture that captured")
    ap.add_argument("--args", default="", help="program arguments")
    ap.add_argument("--checkpoints", action="store_true",
                    help="also checkpoint at each point on the first target: the "
                         "process must go on with the unmigrated run's output")
    ap.add_argument("sources", nargs="+")
    o = ap.parse_args()
    targets = o.targets.split(",")
    args = o.args.split()
    name = os.path.splitext(os.path.basename(o.sources[0]))[0]
    work = tempfile.mkdtemp(prefix="hm-matrix-")
    failures = []
    try:
        exes = {}
        for t in targets:
            exe = os.path.join(work, f"{name}.{t}")
            cmd = [o.hmcc, f"--target={t}"] + o.cflags.split() + o.sources + ["-o", exe]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if p.returncode != 0:
                print(f"migrate-matrix: build for {t} failed:\n{p.stdout.decode()}")
                return 1
            exes[t] = exe
        ref_status, ref_out, ref_err = run(targets[0], exes[targets[0]], args, {})
        for t in targets[1:]:
            status, out, err = run(t, exes[t], args, {})
            if (status, out) != (ref_status, ref_out):
                print(f"migrate-matrix: unmigrated run on {t} differs from {targets[0]}"
                      f" (status {status} vs {ref_status}); fix the program first")
                return 1
        if o.points == "all":
            points = []
            for p in range(1, 200):
                img = os.path.join(work, "probe.img")
                if os.path.exists(img):
                    os.unlink(img)
                run(targets[0], exes[targets[0]], args,
                    {"HM_MIGRATE_TO": img, "HM_MIGRATE_AT": str(p)})
                if not os.path.exists(img):
                    break
                points.append(p)
        else:
            points = [int(p) for p in o.points.split(",")]
        pairs = [(s, d) for s in targets for d in targets if s != d or o.same_arch]
        count = 0
        for point in points:
            for src, dst in pairs:
                count += 1
                img = os.path.join(work, f"{src}-{dst}-{point}.img")
                s1, out1, err1 = run(src, exes[src], args,
                                     {"HM_MIGRATE_TO": img, "HM_MIGRATE_AT": str(point)})
                what = f"{name} point {point} {src} -> {dst}"
                if s1 != 0 or not os.path.exists(img):
                    failures.append(f"{what}: capture failed (status {s1}): {err1.strip()}")
                    continue
                s2, out2, err2 = run(dst, exes[dst], args, {"HM_RESTORE": img})
                if s2 != ref_status or out1 + out2 != ref_out:
                    failures.append(f"{what}: output differs (status {s2}): {err2.strip()}")
                    open(os.path.join(work, "last-bad.out"), "wb").write(out1 + out2)
                os.unlink(img)
        if o.checkpoints:
            gone_on = 0
            for point in points:
                img = os.path.join(work, f"checkpoint-{point}.img")
                s1, out1, err1 = run(targets[0], exes[targets[0]], args,
                                     {"HM_CHECKPOINT": img, "HM_MIGRATE_AT": str(point)})
                if (s1, out1) != (ref_status, ref_out) or not os.path.exists(img):
                    failures.append(f"{name} checkpoint at point {point} on {targets[0]}: "
                                    f"status {s1}, output {'same' if out1 == ref_out else 'differs'}: "
                                    f"{err1.strip()}")
                else:
                    gone_on += 1
            print(f"migrate-matrix: {name}: {gone_on} of {len(points)} checkpoints go on "
                  f"on {targets[0]}")
        for f in failures:
            print("migrate-matrix: FAIL " + f)
        print(f"migrate-matrix: {name}: {len(pairs)} pairs x {len(points)} points: "
              f"{count - len(failures)} of {count} migrations match the unmigrated run")
        return 1 if failures or not points else 0
    finally:
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"migrate-matrix: kept {work}")


if __name__ == "__main__":
    sys.exit(main())
