#!/usr/bin/env python3
"""corrupt-image — damages an image in every way it can and checks that restoring
each damaged copy is refused cleanly: exit status 1 and a message starting with
'hmcc: cannot restore:', never a crash or a hang.

  flip:     every byte in turn, inverted
  truncate: every length shorter than the image
  reseal:   every payload byte inverted with the checksum recomputed, so that the
            structure parser sees it; a restore may then also succeed (the byte
            was a value), but must never crash
  verify:   no damage: the checksum in the header is the payload's CRC-32C, as
            computed here byte by byte (the runtime's fast paths must agree)
  replace OLD NEW: every 8-byte little-endian OLD in the payload made NEW
            (integers), resealed, and restored once: prints its exit status and
            its last line on stderr (an image crafted with a valid checksum)"""
import os
import subprocess
import sys
import tempfile

HEADER = 24


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """The image checksum (CRC-32C, Castagnoli)."""
    c = 0xFFFFFFFF
    for b in data:
        c = CRC32C_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def restore(prog, data, tmp):
    path = os.path.join(tmp, "bad.img")
    with open(path, "wb") as f:
        f.write(data)
    env = dict(os.environ, HM_RESTORE=path)
    try:
        p = subprocess.run([prog], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return p.returncode, p.stderr.decode(errors="replace")


def main():
    prog, image, mode = sys.argv[1:4]
    good = open(image, "rb").read()
    if mode == "verify":
        stored = int.from_bytes(good[20:HEADER], "big")
        ok = len(good) > HEADER and crc32c(good[HEADER:]) == stored
        print(f"corrupt-image: verify: {len(good)} bytes, checksum "
              + ("right" if ok else "WRONG"))
        return 0 if ok else 1
    if mode == "replace":
        old, new = (int(v, 0).to_bytes(8, "little") for v in sys.argv[4:6])
        body = good[HEADER:]
        if old not in body:
            print("corrupt-image: replace: the image does not hold that value")
            return 1
        body = body.replace(old, new)
        data = good[:20] + crc32c(body).to_bytes(4, "big") + body
        with tempfile.TemporaryDirectory() as tmp:
            status, err = restore(prog, data, tmp)
        lines = err.strip().splitlines()
        print(f"corrupt-image: replace: exit {status}: {lines[-1] if lines else ''}")
        return 0
    bad = []
    cases = 0
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "flip":
            variants = ((f"byte {i} flipped", good[:i] + bytes([good[i] ^ 0xFF]) + good[i + 1:])
                        for i in range(len(good)))
        elif mode == "truncate":
            variants = ((f"truncated to {n}", good[:n]) for n in range(len(good)))
        else:
            def reseal(i):
                body = bytearray(good[HEADER:])
                body[i] ^= 0xFF
                crc = crc32c(body)
                return good[:20] + crc.to_bytes(4, "big") + bytes(body)
            variants = ((f"payload byte {i} flipped, resealed", reseal(i))
                        for i in range(len(good) - HEADER))
        for what, data in variants:
            cases += 1
            status, err = restore(prog, data, tmp)
            clean = status == 1 and err.startswith("hmcc: cannot restore:")
            if mode == "reseal" and status == 0:
                clean = True
            if not clean:
                bad.append(f"{what}: status {status}: {err.strip()[:200]}")
    for b in bad[:20]:
        print("corrupt-image: NOT CLEAN: " + b)
    print(f"corrupt-image: {mode}: {cases - len(bad)} of {cases} damaged images refused cleanly")
    return 1 if bad or cases == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
