# signal-migrate.sh PROGRAM IMAGE OUT [hm-migrate]: starts PROGRAM, waits for its
# first line, then requests a migration (kill -USR1 with HM_MIGRATE_TO, or the
# hm-migrate command) and waits for it to exit with the image written.
set -eu
prog=$1 image=$2 out=$3 how=${4:-signal}
rm -f "$image"
if [ "$how" = signal ]; then
  HM_LOG=1 HM_MIGRATE_TO=$image $prog > "$out" 2> "$out.err" &
else
  HM_LOG=1 $prog > "$out" 2> "$out.err" &
fi
pid=$!
for _ in $(seq 500); do
  grep -q started "$out" 2>/dev/null && break
  sleep 0.01
done
sleep 0.05
# Under qemu-user the process is qemu itself: it forwards the signal.
if [ "$how" = signal ]; then
  kill -USR1 $pid
else
  hm-migrate $pid "$image"
fi
wait $pid
test -s "$image"
