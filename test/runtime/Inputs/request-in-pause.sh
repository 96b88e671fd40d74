# request-in-pause.sh DIR HOW RECEIVER: DIR/x86 HOW reads 1..5, then, after a
# pause of 3 s, 6..10. A request (SIGUSR1, HM_MIGRATE_TO) comes 1 s into the
# pause; the image must be there before the pause ends, and RECEIVER HOW,
# restored from it with 6..10 as its input, must end the run as an unmigrated
# one does. Writes "HOW: moved in the pause" (or why not) to DIR/HOW.status.
set -u
dir=$1 how=$2 receiver=$3
out=$dir/$how
seq 1 10 | "$dir/x86" "$how" > "$out.plain"
rm -f "$out.img"
(seq 1 5; sleep 3; seq 6 10) | HM_MIGRATE_TO="$out.img" "$dir/x86" "$how" > "$out.1" &
job=$!
for _ in $(seq 100); do grep -q '^5:' "$out.1" 2>/dev/null && break; sleep 0.02; done
sleep 1
kill -USR1 $(pgrep -f "^$dir/x86 $how\$")
for _ in $(seq 100); do [ -e "$out.img" ] && break; sleep 0.01; done
if [ ! -e "$out.img" ]; then
  echo "$how: no image in the pause" > "$out.status"
  wait $job
  exit 0
fi
wait $job
seq 6 10 | HM_RESTORE="$out.img" $receiver "$how" > "$out.2"
if cat "$out.1" "$out.2" | cmp -s "$out.plain" -; then
  echo "$how: moved in the pause" > "$out.status"
else
  echo "$how: output differs" > "$out.status"
fi
