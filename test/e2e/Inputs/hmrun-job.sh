# hmrun-job.sh OUT PROGRAM "HMRUN-OPTIONS" "KILL-COMMAND" ARGS...: runs
# PROGRAM ARGS under hmrun with HMRUN-OPTIONS, its stdout to OUT, and once it
# has run a second runs KILL-COMMAND on hmrun (and, for kill -KILL, on the
# program too, as a node that dies). Writes hmrun's status and the state
# directory's listing to OUT.status.
set -u
out=$1 prog=$2 options=$3 killer=$4
shift 4
hmrun $options -- "$prog" "$@" > "$out" &
job=$!
sleep 1
$killer $job
case $killer in
*KILL*) pkill -KILL -f "^$prog" ;;
esac
wait $job
echo "first $?" > "$out.status"
state=$(echo "$options" | sed 's/.*--state //; s/ .*//')
ls "$state" >> "$out.status"
