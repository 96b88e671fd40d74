# hmrun-job.sh OUT STATE "OPTIONS" LINES KILL PROGRAM ARGS...: runs PROGRAM
# ARGS under hmrun --state STATE OPTIONS, its stdout appended to OUT; once OUT
# has LINES lines (and, with --every, STATE has an image) runs KILL on hmrun
# ("kill -USR1": a leave), or, for kill -KILL and kill -TERM, on hmrun and the
# program at once, as a node that dies or a scheduler's preemption does. Appends hmrun's status to OUT.status.
set -u
out=$1 state=$2 options=$3 lines=$4 killer=$5 prog=$6
shift 6
hmrun --state "$state" $options -- "$prog" "$@" >> "$out" &
job=$!
for _ in $(seq 600); do
  [ "$(wc -l < "$out")" -ge "$lines" ] &&
    { [[ "$options" != *--every* ]] || [ -e "$state/state.img" ]; } && break
  sleep 0.05
done
case $killer in
*KILL*) pkill -KILL -P $job; $killer $job ;;
*TERM*) pkill -TERM -P $job; $killer $job ;; # as a scheduler signals the whole job
*) $killer $job ;;
esac
wait $job
echo "status $?" >> "$out.status"
