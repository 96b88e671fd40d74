# held-move.sh PID COMMAND...: runs COMMAND (an hm-migrate that asks process PID
# to move) with PID stopped until COMMAND has signalled it, or has ended; exits
# with COMMAND's status. ssh and the destination's start-up take seconds on a
# loaded machine: held, the program cannot run past its last poll point (and
# end) before it is asked, so a test's move never depends on the machine's speed.
set -u
pid=$1
shift
kill -STOP "$pid" 2>/dev/null
"$@" &
command=$!
# The request is a signal: once one is pending (process-wide or to its thread),
# the program may go on, and takes it at its next poll point.
while kill -0 "$command" 2>/dev/null; do
  pending=$(sed -n 's/^\(Shd\|Sig\)Pnd:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null | tr -d '0\n')
  [ -n "$pending" ] && break
  sleep 0.05
done
kill -CONT "$pid" 2>/dev/null
wait "$command"
