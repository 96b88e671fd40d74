# late-destination.sh FILE PIDFILE COMMAND...: a destination slow to start, as
# hm-migrate --exec-with "sh late-destination.sh FILE PIDFILE": creates FILE,
# waits until the process whose id PIDFILE holds has ended (60 s at most), then
# 1 s more, and runs COMMAND.
touch "$1"
pid=$(cat "$2")
for _ in $(seq 600); do
  grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$pid/status" || break
  sleep 0.1
done
sleep 1
shift 2
exec "$@"
