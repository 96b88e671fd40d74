# ssh-move.sh DIR OUT PROGRAM [DEST EXEC-WITH PATTERN]...: runs PROGRAM with
# numbers coming on stdin (300 now, 300 once the moves are over), waits for its
# first line, then moves it over the loopback sshd of DIR (loopback-sshd.sh) to
# each DEST in turn (a path on this machine, run under EXEC-WITH; "-" for none),
# finding the moved process by PATTERN (pgrep -f) for the next move. Each move
# holds the program until it is asked (held-move.sh), and the input waits for
# the moves: nothing here depends on the machine's speed. Writes the program's
# stdout to OUT, its stderr to OUT.err, its exit status to OUT.status, its
# process id to OUT.pid and each hm-migrate's exit status and stderr to OUT.cli.
# HM_INPUT, when set, is the shell command whose output is the input
# (await_moves, in it, waits until the moves, and what follows them, are over);
# HM_PROXY, when set, is ssh's ProxyCommand; HM_REQUEST_AFTER, an image path
# hm-migrate asks the original process for after the moves (to OUT.after);
# HM_SIGNAL_AFTER, a signal sent to the original process 0.3 s after the moves;
# HM_MOVE_OPTIONS, more options for each hm-migrate (words at spaces);
# HM_UNHELD=1: the program runs on while each move starts (no held-move.sh).
set -u
dir=$1 out=$2 prog=$3
shift 3
port=$(cat "$dir/port")
opts=$(cat "$dir/ssh-options")
proxy=()
[ -n "${HM_PROXY:-}" ] && proxy=(-o "ProxyCommand=$HM_PROXY")
read -r -a more <<< "${HM_MOVE_OPTIONS:-}"
user=$(id -un)
held=$(dirname "$0")/../../tools/held-move.sh
# move PID COMMAND...: COMMAND, with PID held (unless HM_UNHELD).
move() {
  if [ -n "${HM_UNHELD:-}" ]; then
    shift
    "$@"
  else
    bash "$held" "$@"
  fi
}
moves_over=$out.moves-over
rm -f "$moves_over"
await_moves() {
  for _ in $(seq 3000); do
    [ -e "$moves_over" ] && return
    sleep 0.1
  done
  echo "ssh-move: the moves took over 300 s; the input ends here" >&2
  exit 1
}
# However this script ends, the input is not left waiting (lit waits for it).
trap 'touch "$moves_over"' EXIT
input=${HM_INPUT:-"seq 1 300; await_moves; seq 301 600"}
(eval "$input") | $prog > "$out" 2> "$out.err" &
pid=$!
orig=$pid
echo "$pid" > "$out.pid"
for _ in $(seq 3000); do
  grep -q started "$out" 2>/dev/null && break
  sleep 0.01
done
: > "$out.cli"
while [ $# -ge 3 ]; do
  dest=$1 with=$2 pattern=$3
  shift 3
  sleep 0.2
  if [ "$with" = - ]; then
    move "$pid" hm-migrate $opts "${proxy[@]}" "${more[@]}" "$pid" "ssh://$user@127.0.0.1:$port$dest" 2>> "$out.cli"
  else
    move "$pid" hm-migrate $opts "${proxy[@]}" "${more[@]}" --exec-with "$with" "$pid" "ssh://$user@127.0.0.1:$port$dest" 2>> "$out.cli"
  fi
  echo "hm-migrate $?" >> "$out.cli"
  moved=$(pgrep -n -f "$pattern")
  [ -n "$moved" ] && pid=$moved
done
if [ -n "${HM_REQUEST_AFTER:-}" ]; then
  hm-migrate -t 20 $orig "$HM_REQUEST_AFTER" 2> "$out.after"
  echo "hm-migrate $?" >> "$out.after"
fi
if [ -n "${HM_SIGNAL_AFTER:-}" ]; then
  sleep 0.3
  # The relay forwards it; the moved program, held, cannot end before it comes.
  if [ "$pid" != "$orig" ]; then
    HM_HOLD_AFTER=60 bash "$held" "$pid" kill -s "$HM_SIGNAL_AFTER" $orig
  else
    kill -s "$HM_SIGNAL_AFTER" $orig
  fi
  # The signal ends the program (or moves it on) before the rest of its input
  # comes. (wait would wait for the input too: its pipeline's other end.)
  for _ in $(seq 3000); do
    grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$orig/status" || break
    sleep 0.1
  done
fi
touch "$moves_over"
wait $orig
echo "status $?" > "$out.status"
