# planted-request.sh PROGRAM DIR: another local user (nobody) tries to take a
# running program's image. PROGRAM (this user's) runs 600 rounds; then
#  1. nobody runs hm-migrate on it: refused (not theirs), nothing signalled;
#  2. nobody listens on a request socket and this user's signal names it: the
#     runtime finds the socket is not its user's and ignores it; nobody's
#     listener receives neither bytes nor a descriptor;
#  3. nobody plants a link where this user's image is to be written, in a
#     directory both may write: hm-migrate refuses to write through it (the
#     link's target is untouched) and the program goes on;
#  4. this user's own hm-migrate then moves the program, and its image is whole.
set -eu
prog=$1 dir=$2
mkdir -p "$dir"
chmod 755 "$dir"
$prog 600 > "$dir/out.txt" 2> "$dir/err.txt" &
pid=$!
for _ in $(seq 500); do
  grep -q started "$dir/out.txt" 2>/dev/null && break
  sleep 0.01
done
if runuser -u nobody -- hm-migrate $pid /tmp/stolen.img 2> "$dir/nobody.err"; then
  echo "another user's hm-migrate was served" >&2
  exit 1
fi
# nobody's listener: it writes what it received.
runuser -u nobody -- python3 -c '
import array, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0hmcc-migrate-%s-777" % sys.argv[1]); s.listen(1)
print("listening", flush=True)
s.settimeout(20)
c, _ = s.accept()
c.settimeout(5)
try:
    data, anc, _, _ = c.recvmsg(4096, socket.CMSG_SPACE(4))
except socket.timeout:
    data, anc = b"", []
print("received %d bytes, %d descriptors" % (len(data), len(anc)), flush=True)
' $pid > "$dir/listener.txt" &
listener=$!
for _ in $(seq 500); do
  grep -q listening "$dir/listener.txt" 2>/dev/null && break
  sleep 0.01
done
python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).sigqueue(int(sys.argv[1]), 10, ctypes.c_long(777)))' $pid
wait $listener
mkdir -p "$dir/shared" && chmod 1777 "$dir/shared"
echo precious > "$dir/target.txt"
runuser -u nobody -- ln -s "$dir/target.txt" "$dir/shared/planted.img.partial"
if hm-migrate $pid "$dir/shared/planted.img" 2> "$dir/planted.err"; then
  echo "hm-migrate wrote through another user's link" >&2
  exit 1
fi
test "$(cat "$dir/target.txt")" = precious
hm-migrate $pid "$dir/mine.img"
wait $pid
test ! -e /tmp/stolen.img
test -s "$dir/mine.img"
