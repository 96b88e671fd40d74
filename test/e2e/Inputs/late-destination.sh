# late-destination.sh FILE COMMAND...: a destination slow to start: creates FILE,
# waits 2 s, then runs COMMAND (hm-migrate --exec-with "sh late-destination.sh FILE").
touch "$1"
shift
sleep 2
exec "$@"
