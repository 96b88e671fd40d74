# loopback-sshd.sh DIR: starts an sshd on 127.0.0.1 (a free port) that lets
# this user in with a key made for the test, all of it in DIR; writes DIR/port,
# DIR/ssh-options (hm-migrate's -o options) and DIR/sshd.pid (stop it with
# kill $(cat DIR/sshd.pid)).
set -eu
dir=$1
mkdir -p "$dir"
# One left by an earlier run that failed before it stopped it.
[ -s "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
rm -f "$dir/host_key" "$dir/user_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/user_key"
cp "$dir/user_key.pub" "$dir/authorized_keys"
chmod 600 "$dir/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd.pid
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
CONFIG
mkdir -p /run/sshd
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
echo "$port" > "$dir/port"
echo "-o IdentityFile=$dir/user_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes" > "$dir/ssh-options"
for _ in $(seq 100); do
  ssh -T -p "$port" $(cat "$dir/ssh-options") "$(id -un)@127.0.0.1" true 2>/dev/null && exit 0
  sleep 0.1
done
echo "loopback-sshd: sshd on port $port does not let $(id -un) in" >&2
exit 1
