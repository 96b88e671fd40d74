#!/usr/bin/env python3
"""migrate-matrix — builds a program for every target and migrates it between all
ordered pairs of targets at chosen migration points, comparing each migrated run's
output with the unmigrated run's. Prints one line per failure and a summary."""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu",
           "arm-linux-gnueabihf"]
EMULATORS = {"aarch64-linux-gnu": ["qemu-aarch64"], "s390x-linux-gnu": ["qemu-s390x"],
             "arm-linux-gnueabihf": ["qemu-arm"], "x86_64-linux-gnu": []}


def run(target, exe, args, env_extra, timeout=120):
    env = dict(os.environ)
    for k in ("HM_MIGRATE_TO", "HM_MIGRATE_AT", "HM_RESTORE", "HM_CHECKPOINT",
              "HM_MIGRATE_FOR"):
        env.pop(k, None)
    env.update(env_extra)
    p = subprocess.run(EMULATORS[target] + [exe] + args, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def requests(o, name, work, exes, args, pairs, durations, ref_status, ref_out,
             failures):
    """Requests at random times of the run, counted from its first output (a
    signal that comes before the runtime is up kills a process, as it would any
    program): each either migrates, and the two halves give the unmigrated
    output, or comes after the last poll point, and the run gives it whole. A
    request that is served wrong, or none served at all, fails."""
    seed = o.seed if o.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    migrated = late = 0
    for k in range(o.requests):
        src, dst = pairs[k % len(pairs)]
        delay = rng.uniform(0.0, 0.8) * durations[src]
        img = os.path.join(work, f"request-{k}.img")
        env = dict(os.environ)
        for var in ("HM_MIGRATE_AT", "HM_RESTORE", "HM_CHECKPOINT"):
            env.pop(var, None)
        env["HM_MIGRATE_TO"] = img
        env["HM_MIGRATE_FOR"] = dst
        outp = os.path.join(work, f"request-{k}.out")
        with open(outp, "wb") as out:
            p = subprocess.Popen(EMULATORS[src] + [exes[src]] + args, env=env,
                                 stdout=out, stderr=subprocess.PIPE,
                                 start_new_session=True)
            waited = time.monotonic()
            while p.poll() is None and os.path.getsize(outp) == 0 and \
                    time.monotonic() - waited < 60:
                time.sleep(0.002)
            time.sleep(delay)
            if p.poll() is None:
                p.send_signal(signal.SIGUSR1)
            _, err1 = p.communicate(timeout=300)
        out1 = open(outp, "rb").read()
        what = (f"{name} request {k} at {delay * 1000:.0f} ms {src} -> {dst} "
                f"(seed {seed})")
        if not os.path.exists(img):
            if (p.returncode, out1) != (ref_status, ref_out):
                failures.append(f"{what}: no image and the run did not finish as the "
                                f"unmigrated one (status {p.returncode}): "
                                f"{err1.decode(errors='replace').strip()}")
            else:
                late += 1
            continue
        if p.returncode != 0:
            failures.append(f"{what}: image written, source status {p.returncode}")
            continue
        s2, out2, err2 = run(dst, exes[dst], args, {"HM_RESTORE": img})
        if s2 != ref_status or out1 + out2 != ref_out:
            failures.append(f"{what}: output differs (status {s2}): {err2.strip()}")
            open(os.path.join(work, f"request-{k}.bad"), "wb").write(out1 + out2)
        else:
            migrated += 1
        os.unlink(img)
    if not migrated:
        failures.append(f"{name}: no request of {o.requests} was served by a migration")
    print(f"migrate-matrix: {name}: {o.requests} requests at random times: {migrated} "
          f"migrated and match, {late} after the last poll point (seed {seed})")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hmcc", required=True)
    ap.add_argument("--cflags", default="-O2")
    ap.add_argument("--points", default="1",
                    help="comma-separated migration points, 'all' or 'none'")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--same-arch", action="store_true",
                    help="also restore on the architecture that captured")
    ap.add_argument("--args", default="", help="program arguments")
    ap.add_argument("--checkpoints", action="store_true",
                    help="also checkpoint at each point on the first target: the "
                         "process must go on with the unmigrated run's output")
    ap.add_argument("--requests", type=int, default=0,
                    help="also migrate N times on request (SIGUSR1) at random times "
                         "of the run, between pairs taken in turn")
    ap.add_argument("--seed", type=int, default=None,
                    help="seed of the request times (default: random, printed)")
    ap.add_argument("sources", nargs="+")
    o = ap.parse_args()
    targets = o.targets.split(",")
    args = o.args.split()
    name = os.path.splitext(os.path.basename(o.sources[0]))[0]
    work = tempfile.mkdtemp(prefix="hm-matrix-")
    # The programs' own temporary files go with the rest.
    os.environ["TMPDIR"] = work
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
        durations = {}
        started = time.monotonic()
        ref_status, ref_out, ref_err = run(targets[0], exes[targets[0]], args, {})
        durations[targets[0]] = time.monotonic() - started
        for t in targets[1:]:
            started = time.monotonic()
            status, out, err = run(t, exes[t], args, {})
            durations[t] = time.monotonic() - started
            if (status, out) != (ref_status, ref_out):
                print(f"migrate-matrix: unmigrated run on {t} differs from {targets[0]}"
                      f" (status {status} vs {ref_status}); fix the program first")
                return 1
        if o.points == "all":
            # Every point the run reaches: the runtime says at exit when the point
            # asked for never came. A point that is reached and writes no image is a
            # failure, not the end of the list.
            points = []
            for p in range(1, 200):
                img = os.path.join(work, "probe.img")
                if os.path.exists(img):
                    os.unlink(img)
                s1, _, err1 = run(targets[0], exes[targets[0]], args,
                                  {"HM_MIGRATE_TO": img, "HM_MIGRATE_AT": str(p),
                                   "HM_MIGRATE_FOR": targets[0]})
                if os.path.exists(img):
                    points.append(p)
                elif "names a migration point the program did not reach" in err1:
                    break
                else:
                    failures.append(f"{name} point {p} on {targets[0]}: no image "
                                    f"(status {s1}): {err1.strip()}")
                    points.append(p)
            else:
                failures.append(f"{name}: more than 199 migration points; name them")
        elif o.points == "none":
            points = []
        else:
            points = [int(p) for p in o.points.split(",")]
        pairs = [(s, d) for s in targets for d in targets if s != d or o.same_arch]
        count = pair_failures = 0
        for point in points:
            for src, dst in pairs:
                count += 1
                img = os.path.join(work, f"{src}-{dst}-{point}.img")
                s1, out1, err1 = run(src, exes[src], args,
                                     {"HM_MIGRATE_TO": img, "HM_MIGRATE_AT": str(point),
                                      "HM_MIGRATE_FOR": dst})
                what = f"{name} point {point} {src} -> {dst}"
                if s1 != 0 or not os.path.exists(img):
                    failures.append(f"{what}: capture failed (status {s1}): {err1.strip()}")
                    pair_failures += 1
                    continue
                s2, out2, err2 = run(dst, exes[dst], args, {"HM_RESTORE": img})
                if s2 != ref_status or out1 + out2 != ref_out:
                    failures.append(f"{what}: output differs (status {s2}): {err2.strip()}")
                    pair_failures += 1
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
        print(f"migrate-matrix: {name}: {len(pairs)} pairs x {len(points)} points: "
              f"{count - pair_failures} of {count} migrations match the unmigrated run")
        if o.requests:
            requests(o, name, work, exes, args, pairs or [(targets[0], targets[0])],
                     durations, ref_status, ref_out, failures)
        for f in failures:  # on stderr too: a test's FileCheck reads stdout
            print("migrate-matrix: FAIL " + f, flush=True)
            print("migrate-matrix: FAIL " + f, file=sys.stderr, flush=True)
        return 1 if failures or not (points or o.requests) else 0
    finally:
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"migrate-matrix: kept {work}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # say it on stdout too: the tests read stdout
        print(f"migrate-matrix: FAIL internal error: {e!r}", flush=True)
        raise
