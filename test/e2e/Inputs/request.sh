# request.sh OUT IMAGE PROGRAM [ARGS]: starts PROGRAM, waits for its first line,
# runs hm-migrate $HM_MIGRATE_ARGS PID IMAGE (its stderr to OUT.cli, its exit
# status to OUT.status), and waits for the program (its output to OUT, stderr
# OUT.err).
set -u
out=$1 image=$2
shift 2
"$@" > "$out" 2> "$out.err" &
pid=$!
for _ in $(seq 500); do
  grep -q started "$out" 2>/dev/null && break
  sleep 0.01
done
hm-migrate $HM_MIGRATE_ARGS $pid "$image" 2> "$out.cli"
echo "hm-migrate $?" > "$out.status"
wait $pid
echo "program $?" >> "$out.status"
