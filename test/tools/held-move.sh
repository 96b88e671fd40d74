# held-move.sh PID COMMAND...: runs COMMAND (an hm-migrate that asks process PID
# to move, or what sends it a signal) with PID stopped until a signal is pending
# on it, or COMMAND has ended (and then, HM_HOLD_AFTER whole seconds more at
# most, default 0); exits with COMMAND's status. ssh and the destination's start-up
# take seconds on a loaded machine: held, the program cannot run past its last
# poll point (and end) before it is asked, so a move never depends on the
# machine's speed.
set -u
pid=$1
shift
kill -STOP "$pid" 2>/dev/null
trap 'kill -CONT "$pid" 2>/dev/null' EXIT
state() { sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null; }
# A pending signal other than job control's (SIGCONT, SIGSTOP, SIGTSTP,
# SIGTTIN, SIGTTOU, bits 17-21): process-wide (sigqueue) or to its thread.
asked() {
  local mask=0 word
  for word in $(sed -n 's/^\(Shd\|Sig\)Pnd:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null); do
    mask=$((mask | 16#$word))
  done
  (( mask & ~0x3E0000 ))
}
# SIGSTOP stays pending until the process has run to take it.
for _ in $(seq 1000); do
  case $(state) in T | Z | '') break ;; esac
  sleep 0.01
done
"$@" &
command=$!
while kill -0 "$command" 2>/dev/null && ! asked; do
  sleep 0.05
done
hold_until=$((SECONDS + ${HM_HOLD_AFTER:-0}))
while ((SECONDS < hold_until)) && [ -e "/proc/$pid" ] && ! asked; do
  sleep 0.05
done
kill -CONT "$pid" 2>/dev/null
wait "$command"
