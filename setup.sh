#!/usr/bin/env bash
# setup.sh — install hmcc's Debian 12 dependencies (idempotent) and build into build/.
#   ./setup.sh            install what is missing, configure and build
#   ./setup.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

# Foreign architectures whose runtime libraries libhmrt links against (multiarch).
FOREIGN_ARCHES="arm64 s390x armhf"

HOST_PACKAGES="clang-16 libclang-16-dev llvm-16-dev llvm-16-tools lld-16 libclang-rt-16-dev
  libboost-serialization-dev libfmt-dev ninja-build cmake python3 qemu-user
  valgrind time ccache openssh-client openssh-server
  munge slurmctld slurmd slurm-client
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
  gcc-s390x-linux-gnu g++-s390x-linux-gnu
  gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf"
TARGET_PACKAGES="libboost-serialization1.74.0:arm64 libboost-serialization1.74.0:s390x
  libboost-serialization1.74.0:armhf libstdc++6:arm64 libstdc++6:s390x libstdc++6:armhf"

missing() {
  local p out=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
  done
  echo "$out"
}

need_update=0
for a in $FOREIGN_ARCHES; do
  if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
    $SUDO dpkg --add-architecture "$a"
    need_update=1
  fi
done

todo="$(missing $HOST_PACKAGES $TARGET_PACKAGES)"
if [ -n "$todo" ]; then
  echo "setup: installing:$todo"
  if [ "$need_update" = 1 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
    # A mirror mid-sync can fail one index; apt-get install then tells whether it matters.
    $SUDO apt-get update -q || echo "setup: apt-get update reported errors; trying to install anyway"
  fi
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends $todo || {
    sleep 5; $SUDO apt-get update -q || true
    $SUDO apt-get install -y -q --no-install-recommends $todo
  }
fi

# Boost's static archive for each foreign architecture, so that programs link it
# in and need no Boost where they migrate to. Only Debian's -dev package holds it,
# and that package cannot be installed beside the cross toolchains: take the
# archive out of the downloaded package instead.
for a in $FOREIGN_ARCHES; do
  case "$a" in arm64) t=aarch64-linux-gnu ;; s390x) t=s390x-linux-gnu ;; armhf) t=arm-linux-gnueabihf ;; esac
  dest="/usr/local/lib/$t/libboost_serialization.a"
  [ -f "$dest" ] && continue
  tmp="$(mktemp -d)"
  if (cd "$tmp" && apt-get download -q "libboost-serialization1.74-dev:$a" >/dev/null 2>&1); then
    dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" "./usr/lib/$t/libboost_serialization.a"
    $SUDO install -D -m 644 "$tmp/usr/lib/$t/libboost_serialization.a" "$dest"
  else
    echo "setup: could not download Boost's archive for $a; programs for it link Boost dynamically"
  fi
  rm -rf "$tmp"
done

[ "${1:-}" = "--no-build" ] && exit 0

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
