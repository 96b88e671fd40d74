#!/usr/bin/env python3
"""real-programs — builds C programs nobody here wrote (Debian's source packages,
fetched at run time with apt-get source, never committed) with hmcc for several
targets, runs a deterministic workload, and migrates each at random request times
between pairs of architectures. Prints per program how many requests migrated
with the unmigrated output, were refused (with the reason), came after the last
poll point, or gave a wrong result, and a total. Exit status 1 when any result
was wrong with exit status 0 (the defect hmcc must never have).

  python3 test/real-programs/run.py [--programs lua5.4,bzip2,zlib,mawk,bc,gzip,sqlite3,...]
                                   [--requests 12]

Not in the default test run: it downloads sources and takes minutes (about two
minutes a program for 12 requests on this project's 2-core machines; sqlite3
takes five more to build its amalgamation for three targets)."""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EMULATORS = {"x86_64-linux-gnu": [], "aarch64-linux-gnu": ["qemu-aarch64"],
             "s390x-linux-gnu": ["qemu-s390x"], "arm-linux-gnueabihf": ["qemu-arm"]}
DEB_SRC = "/etc/apt/sources.list.d/hmcc-deb-src.sources"


def text_input(size, seed):
    """Deterministic text that compresses like prose, not like a constant."""
    rng = random.Random(seed)
    words = [("".join(rng.choice("etaoinshrdlucmfwyp") for _ in range(rng.randint(2, 9))))
             for _ in range(3000)]
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()[:size]


LUA_SCRIPT = r"""
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
print("sorted", t[1], t[#t], #t)
local words = {}
for i = 1, 50000 do words[#words+1] = string.format("w%05d", (i * 31) % 50000) end
local s = table.concat(words, ",")
local counts = {}
for w in s:gmatch("w(%d%d)") do counts[w] = (counts[w] or 0) + 1 end
local keys = {} for k in pairs(counts) do keys[#keys+1] = k end table.sort(keys)
print("keys", #keys, keys[1], counts[keys[1]])
local acc = 0
for i = 1, 3000000 do acc = (acc + i * i) % 1000000007 end
print("acc", acc, "fib", fib(25))
-- tables and functions as keys: Lua places them by their addresses
local objs, seen = {}, {}
for i = 1, 20000 do objs[i] = {i}; seen[objs[i]] = i end
seen[print] = -1
local hits = 0
for round = 1, 60 do
  for i = 1, 20000, 3 do hits = hits + (seen[objs[i]] or -1000000) end
end
print("objects", hits, seen[print])
math.randomseed(42)
local r = 0
for i = 1, 300000 do r = (r + math.random(1000)) % 1000003 end
print("random", r)
"""


def lua(src, work):
    s = os.path.join(src, "src")
    gen = os.path.join(work, "lua-gen")
    os.makedirs(gen, exist_ok=True)
    # Debian's luaconf.h includes a header its build generates.
    with open(os.path.join(gen, "lua5.4-deb-multiarch.h"), "w") as f:
        f.write('#define DEB_HOST_MULTIARCH "hmcc"\n')
    script = os.path.join(work, "work.lua")
    with open(script, "w") as f:
        f.write(LUA_SCRIPT)
    files = sorted(os.path.join(s, c) for c in os.listdir(s)
                   if c.endswith(".c") and c != "luac.c")
    return {"files": files, "flags": ["-std=gnu99", "-I" + gen, "-DLUA_COMPAT_5_3",
                                      "-DLUA_USE_LINUX"],
            "libs": ["-lm", "-ldl"], "args": [script], "stdin": b""}


def bzip2(src, work):
    names = ["bzip2.c", "blocksort.c", "huffman.c", "crctable.c", "randtable.c",
             "compress.c", "decompress.c", "bzlib.c"]
    return {"files": [os.path.join(src, n) for n in names],
            "flags": ["-D_FILE_OFFSET_BITS=64"], "libs": [], "args": ["-c", "-9"],
            "stdin": text_input(6 << 20, 1)}


def zlib(src, work):
    names = ["adler32.c", "crc32.c", "deflate.c", "infback.c", "inffast.c", "inflate.c",
             "inftrees.c", "trees.c", "zutil.c", "compress.c", "uncompr.c", "gzclose.c",
             "gzlib.c", "gzread.c", "gzwrite.c"]
    return {"files": [os.path.join(src, n) for n in names] +
                     [os.path.join(src, "test", "minigzip.c")],
            "flags": ["-I" + src, "-D_LARGEFILE64_SOURCE=1", "-DHAVE_UNISTD_H"],
            "libs": [], "args": ["-9"], "stdin": text_input(6 << 20, 2)}


MAWK_SCRIPT = r"""
{ for (i = 1; i <= NF; i++) { count[$i]++; len[length($i)]++ } lines++; words += NF }
NR % 5000 == 0 { gsub(/[aeiou]/, "", $0); squeezed += length($0) }
END {
  for (w in count) { distinct++; if (count[w] > best) { best = count[w]; top = w } }
  printf "lines %d words %d distinct %d squeezed %d top %s %d\n", lines, words, distinct, squeezed, top, best
  for (n = 1; n <= 9; n++) printf "len %d: %d\n", n, len[n]
}
"""


def mawk(src, work):
    # Its configure writes config.h, and makescan (a host program) scancode.c.
    b = os.path.join(work, "mawk-build")
    shutil.copytree(src, b)
    subprocess.run(["./configure", "CC=clang-16"], cwd=b, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["make", "scancode.c"], cwd=b, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names = ["parse", "scan", "memory", "main", "hash", "execute", "code", "da", "error",
             "init", "bi_vars", "cast", "print", "bi_funct", "kw", "jmp", "array", "field",
             "split", "re_cmpl", "regexp", "zmalloc", "fin", "files", "scancode",
             "matherr", "fcall", "version"]
    script = os.path.join(work, "work.awk")
    with open(script, "w") as f:
        f.write(MAWK_SCRIPT)
    return {"files": [os.path.join(b, n + ".c") for n in names],
            "flags": ["-I" + b, "-DHAVE_CONFIG_H", "-DLOCAL_REGEXP", "-D_DEFAULT_SOURCE",
                      "-D_XOPEN_SOURCE=500"],
            "libs": ["-lm"], "args": ["-f", script], "stdin": text_input(4 << 20, 5)}


BC_SCRIPT = r"""
scale = 300
define f(n) { if (n < 2) return 1; return n * f(n - 1); }
x = f(400)
length(x)
p = 4 * a(1)
p
sqrt(2)
e(1)
s = 0
for (i = 1; i <= 60; i++) s += l(i)
s
define fib(n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }
fib(18)
"""


def quiet(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


# Makefiles of Debian's autotools packages would rerun autotools (the patches
# touch their inputs); the generated files they ship are kept.
NO_AUTOTOOLS = ["ACLOCAL=true", "AUTOMAKE=true", "AUTOCONF=true", "AUTOHEADER=true",
                "MAKEINFO=true"]


def bc(src, work):
    # Its configure writes config.h; its own bc (built with clang-16 here) turns
    # the math library into libmath.h; bison regenerates its parser.
    b = os.path.join(work, "bc-build")
    shutil.copytree(src, b)
    quiet(["./configure", "CC=clang-16", "--without-readline"], b)
    quiet(["make"] + NO_AUTOTOOLS + ["-C", "lib"], b)
    quiet(["make"] + NO_AUTOTOOLS + ["-C", "bc", "libmath.h", "bc.c", "scan.c"], b)
    script = os.path.join(work, "work.bc")
    with open(script, "w") as f:
        f.write(BC_SCRIPT)
    names = ["bc/main", "bc/bc", "bc/scan", "bc/execute", "bc/load", "bc/storage",
             "bc/util", "bc/warranty", "bc/global", "lib/number", "lib/getopt",
             "lib/getopt1"]
    return {"files": [os.path.join(b, n + ".c") for n in names],
            "flags": ["-I" + b, "-I" + os.path.join(b, "h"), "-I" + os.path.join(b, "bc"),
                      "-DHAVE_CONFIG_H"],
            "libs": [], "args": ["-l", script], "stdin": b""}


def gzip(src, work):
    # Built by its own makefiles with CC=hmcc, configured once (its config.h
    # holds nothing that differs between Debian's targets).
    b = os.path.join(work, "gzip-build")
    shutil.copytree(src, b)
    quiet(["./configure", "CC=clang-16"], b)

    def build(hmcc, target, exe):
        cc = [f"CC={hmcc} --target={target}", "CFLAGS=-O2 -w"]
        quiet(["make"] + NO_AUTOTOOLS + ["clean"], b)
        quiet(["make"] + NO_AUTOTOOLS + cc + ["-C", "lib"], b)
        quiet(["make"] + NO_AUTOTOOLS + cc + ["version.h", "gzip"], b)
        shutil.copy(os.path.join(b, "gzip"), exe)

    return {"build": build, "args": ["-c", "-9"], "stdin": text_input(6 << 20, 6)}


SQL_SCRIPT = """
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
  INSERT INTO t SELECT i, printf('w%05d', (i * 7919) % 100003), (i * 31) % 977 FROM n;
CREATE INDEX tb ON t(b);
SELECT count(*), sum(c), min(b), max(b) FROM t;
SELECT substr(b, 1, 3), count(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT count(*) FROM t x JOIN t y ON x.a = y.a + 1 WHERE x.c > y.c;
UPDATE t SET c = c * 2 WHERE a % 3 = 0;
DELETE FROM t WHERE a % 5 = 0;
SELECT count(*), total(c) FROM t;
CREATE TABLE u AS SELECT b, sum(c) AS s FROM t GROUP BY b HAVING count(*) > 1;
SELECT count(*), total(s) FROM u;
SELECT group_concat(b, ',') FROM (SELECT b FROM t ORDER BY c DESC, a LIMIT 20);
"""


def sqlite3(src, work):
    # The amalgamation (sqlite3.c) is generated by its makefile with tclsh.
    b = os.path.join(work, "sqlite3-build")
    shutil.copytree(src, b)
    quiet(["./configure", "CC=clang-16", "--disable-tcl"], b)
    quiet(["make", "sqlite3.c", "shell.c"], b)
    return {"files": [os.path.join(b, "sqlite3.c"), os.path.join(b, "shell.c")],
            "flags": ["-I" + b, "-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION"],
            "libs": ["-lm"], "args": [], "stdin": SQL_SCRIPT.encode()}


def sqlite3_read(src, work):
    spec = sqlite3(src, work)
    spec.update({"args": [":memory:", ".read work.sql"], "stdin": b"",
                 "inputs": {"work.sql": SQL_SCRIPT.encode()}})
    return spec


def bzip2_files(src, work):
    spec = bzip2(src, work)
    spec.update({"args": ["-k", "-9", "input.txt"], "stdin": b"",
                 "inputs": {"input.txt": text_input(6 << 20, 3)},
                 "outputs": ["input.txt.bz2", "input.txt"]})
    return spec


def zlib_files(src, work):
    spec = zlib(src, work)
    spec.update({"args": ["-9", "input.txt"], "stdin": b"",
                 "inputs": {"input.txt": text_input(6 << 20, 4)},
                 "outputs": ["input.txt.gz"]})
    return spec


# name: (Debian source package, what to build and run). "-files" variants read
# and write files in their run directory (the source and the destination share
# it: the same machine): their output files are compared too.
PROGRAMS = {"lua5.4": ("lua5.4", lua), "bzip2": ("bzip2", bzip2), "zlib": ("zlib", zlib),
            "bzip2-files": ("bzip2", bzip2_files), "zlib-files": ("zlib", zlib_files),
            "mawk": ("mawk", mawk), "bc": ("bc", bc), "gzip": ("gzip", gzip),
            "sqlite3": ("sqlite3", sqlite3), "sqlite3-read": ("sqlite3", sqlite3_read)}
# What the programs' own build steps need (parsers regenerated by bison, the
# SQLite amalgamation by tclsh).
BUILD_PACKAGES = {"bison": "bison", "flex": "flex", "tclsh": "tcl"}


def ensure_build_packages():
    missing = [pkg for tool, pkg in BUILD_PACKAGES.items() if not shutil.which(tool)]
    if missing:
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, check=True,
                       stdout=subprocess.DEVNULL)


def binary_source():
    """The archive and suite this machine installs its packages from: the
    sources for the same suite come from there."""
    lists = sorted(os.path.join(d, f) for d in ["/etc/apt/sources.list.d"]
                   if os.path.isdir(d) for f in os.listdir(d) if f.endswith(".sources"))
    for path in lists:
        if path == DEB_SRC:
            continue
        fields = {}
        for line in open(path).read().split("\n\n")[0].splitlines():
            if ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                fields[key.strip()] = value.split()
        if "deb" in fields.get("Types", []) and fields.get("URIs") and fields.get("Suites"):
            return fields["URIs"][0], fields["Suites"][0]
    if os.path.exists("/etc/apt/sources.list"):
        for line in open("/etc/apt/sources.list"):
            words = line.split()
            if len(words) >= 3 and words[0] == "deb":
                uri = [w for w in words[1:] if not w.startswith("[")]
                return uri[0], uri[1]
    raise RuntimeError("no Debian archive in /etc/apt: cannot fetch source packages")


def fetch(name, cache):
    """The unpacked source of Debian's package |name| (apt-get source)."""
    os.makedirs(cache, exist_ok=True)
    for d in os.listdir(cache):
        if d.startswith(name + "-") and os.path.isdir(os.path.join(cache, d)):
            return os.path.join(cache, d)
    if not os.path.exists(DEB_SRC):
        uri, suite = binary_source()
        with open(DEB_SRC, "w") as f:
            f.write(f"Types: deb-src\nURIs: {uri}\nSuites: {suite}\nComponents: main\n"
                    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "source", "-q", name], cwd=cache, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for d in os.listdir(cache):
        if d.startswith(name + "-") and os.path.isdir(os.path.join(cache, d)):
            return os.path.join(cache, d)
    raise RuntimeError(f"apt-get source {name} unpacked nothing")


class Feeder:
    """A pipe that gives |data| to whichever process reads it: the source, then
    the destination that goes on from the source's image."""

    def __init__(self, data):
        self.read, write = os.pipe()
        self.thread = threading.Thread(target=self._feed, args=(write, data), daemon=True)
        self.thread.start()

    @staticmethod
    def _feed(fd, data):
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view[:65536])
                view = view[n:]
        except OSError:
            pass
        finally:
            os.close(fd)

    def close(self):
        os.close(self.read)


def prepare(spec, rundir):
    """A fresh run directory holding the program's input files."""
    os.makedirs(rundir, exist_ok=True)
    for name, data in spec.get("inputs", {}).items():
        with open(os.path.join(rundir, name), "wb") as f:
            f.write(data)
    return rundir


def outputs(spec, rundir):
    """The files the program wrote, named, to compare with the unmigrated run's."""
    out = b""
    for name in spec.get("outputs", []):
        path = os.path.join(rundir, name)
        data = open(path, "rb").read() if os.path.exists(path) else b"<missing>"
        out += b"\n== " + name.encode() + b" ==\n" + data
    return out


def run_one(target, exe, spec, env_extra, stdin_fd, out_path, rundir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env.update(env_extra)
    with open(out_path, "wb") as out:
        return subprocess.Popen(EMULATORS[target] + [exe] + spec["args"], env=env,
                                stdin=stdin_fd, stdout=out, stderr=subprocess.PIPE,
                                cwd=rundir, start_new_session=True)


def reference(target, exe, spec, work):
    feeder = Feeder(spec["stdin"])
    out = os.path.join(work, f"ref.{target}")
    rundir = prepare(spec, os.path.join(work, f"ref-{target}"))
    started = time.monotonic()
    p = run_one(target, exe, spec, {}, feeder.read, out, rundir)
    _, err = p.communicate(timeout=600)
    feeder.close()
    return (p.returncode, open(out, "rb").read() + outputs(spec, rundir),
            time.monotonic() - started)


def trial(k, src, dst, exes, spec, ref, duration, rng, work):
    img = os.path.join(work, f"t{k}.img")
    feeder = Feeder(spec["stdin"])
    out1, out2 = os.path.join(work, f"t{k}.1"), os.path.join(work, f"t{k}.2")
    rundir = prepare(spec, os.path.join(work, f"t{k}"))
    # The destination is named: what holds only where the data model is the same
    # is checked by the source, at the migration point.
    p = run_one(src, exes[src], spec, {"HM_MIGRATE_TO": img, "HM_MIGRATE_FOR": dst},
                feeder.read, out1, rundir)
    delay = rng.uniform(0.05, 0.9) * duration[src]
    time.sleep(delay)
    if p.poll() is None:
        p.send_signal(signal.SIGUSR1)
    _, err1 = p.communicate(timeout=600)
    err1 = err1.decode(errors="replace").strip()
    what = f"{src} -> {dst} at {delay * 1000:.0f} ms"
    if not os.path.exists(img):
        feeder.close()
        whole = open(out1, "rb").read() + outputs(spec, rundir)
        if p.returncode == -signal.SIGUSR1:
            # Before the runtime was up (the loader, qemu): any program dies so.
            return "early", f"{what}: the request came before the program started"
        if (p.returncode, whole) != ref:
            return "wrong", f"{what}: no image, and the run did not finish as unmigrated " \
                            f"(status {p.returncode}): {err1[-300:]}"
        reasons = [l for l in err1.splitlines()
                   if "migration failed" in l or "migration refused" in l]
        if reasons:
            return "refused", f"{what}: {reasons[0][:300]}"
        return "late", what
    q = run_one(dst, exes[dst], spec, {"HM_RESTORE": img}, feeder.read, out2, rundir)
    _, err2 = q.communicate(timeout=600)
    feeder.close()
    err2 = err2.decode(errors="replace").strip()
    both = open(out1, "rb").read() + open(out2, "rb").read() + outputs(spec, rundir)
    os.unlink(img)
    if (q.returncode, both) == ref:
        return "migrated", what
    if q.returncode != 0 and "cannot restore" in err2:
        return "refused-at-receiver", f"{what}: {err2.splitlines()[-1][:300]}"
    return "wrong", f"{what}: status {q.returncode}, output {len(both)} bytes against " \
                    f"{len(ref[1])}: {err2[-300:]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hmcc", default=os.path.join(ROOT, "build", "bin", "hmcc"))
    ap.add_argument("--programs", default=",".join(PROGRAMS))
    ap.add_argument("--targets",
                    default="x86_64-linux-gnu,s390x-linux-gnu,arm-linux-gnueabihf")
    ap.add_argument("--requests", type=int, default=12)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--cache", default=os.path.join(ROOT, "build", "real-programs"),
                    help="where sources are unpacked and kept between runs")
    o = ap.parse_args()
    seed = o.seed if o.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    targets = o.targets.split(",")
    home = targets[0]
    pairs = [(home, t) for t in targets[1:]] + [(t, home) for t in targets[1:]]
    totals = {}
    wrong_any = False
    ensure_build_packages()
    for name in o.programs.split(","):
        work = tempfile.mkdtemp(prefix=f"hm-real-{name}-")
        counts = {}
        notes = []
        try:
            package, make = PROGRAMS[name]
            src = fetch(package, os.path.join(o.cache, "src"))
            spec = make(src, work)
            exes, duration, refs = {}, {}, {}
            for t in targets:
                exe = os.path.join(work, f"{name}.{t}")
                if "build" in spec:
                    try:
                        spec["build"](o.hmcc, t, exe)
                    except subprocess.CalledProcessError as e:
                        raise RuntimeError(f"build for {t} failed: {e}")
                else:
                    cmd = [o.hmcc, f"--target={t}", "-O2", "-w"] + spec["flags"] + \
                          spec["files"] + ["-o", exe] + spec["libs"]
                    b = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    if b.returncode:
                        raise RuntimeError(f"build for {t} failed: "
                                           f"{b.stdout.decode()[-500:]}")
                exes[t] = exe
                status, out, secs = reference(t, exe, spec, work)
                refs[t], duration[t] = (status, out), secs
            if any(refs[t] != refs[home] for t in targets):
                raise RuntimeError("the unmigrated runs differ between targets")
            for k in range(o.requests):
                src_t, dst_t = pairs[k % len(pairs)]
                verdict, detail = trial(k, src_t, dst_t, exes, spec, refs[home], duration,
                                        rng, work)
                counts[verdict] = counts.get(verdict, 0) + 1
                if verdict != "migrated":
                    notes.append(f"{verdict}: {detail}")
        except Exception as e:  # a program that cannot be built or run is reported
            counts["error"] = counts.get("error", 0) + 1
            notes.append(f"error: {e}")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        wrong_any |= counts.get("wrong", 0) > 0
        for v, n in counts.items():
            totals[v] = totals.get(v, 0) + n
        print(f"real-programs: {name}: " +
              ", ".join(f"{n} {v}" for v, n in sorted(counts.items())), flush=True)
        for line in dict.fromkeys(notes):
            print(f"real-programs:   {line}", flush=True)
    print("real-programs: total: " + ", ".join(f"{n} {v}" for v, n in sorted(totals.items())) +
          f" (seed {seed})")
    return 1 if wrong_any else 0


if __name__ == "__main__":
    sys.exit(main())
