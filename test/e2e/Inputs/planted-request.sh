# planted-request.sh PROGRAM DIR: starts PROGRAM (this user's), then another local
# user (nobody) plants the request file the runtime looks for, naming a path in
# DIR they could read, and this user asks for a migration by signal. The runtime
# must ignore the planted request (the program runs to its end, no image), and
# hm-migrate must refuse to use a request file that is not its user's.
set -eu
prog=$1 dir=$2
mkdir -p "$dir/shared"
chmod 1777 "$dir/shared"
export TMPDIR=$dir/shared
$prog > "$dir/out.txt" 2> "$dir/err.txt" &
pid=$!
for _ in $(seq 500); do
  grep -q started "$dir/out.txt" 2>/dev/null && break
  sleep 0.01
done
runuser -u nobody -- sh -c "umask 0; echo $dir/shared/stolen.img > $TMPDIR/hmcc-migrate-$pid"
kill -USR1 $pid
if hm-migrate $pid "$dir/mine.img" 2> "$dir/cli.err"; then
  echo "hm-migrate used another user's request file" >&2
  exit 1
fi
wait $pid
test ! -e "$dir/shared/stolen.img"
test ! -e "$dir/mine.img"
