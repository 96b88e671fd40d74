# slurm-cluster.sh start|stop DIR: a Slurm cluster on 127.0.0.1, all of it in
# DIR: munged (its own key and socket), slurmctld and three slurmd, one per
# node, with the features x86_64, aarch64 and s390x (Debian's Slurm runs
# several slurmd on one machine). Every node is this machine: a job learns its
# node's architecture from its feature and runs that build under qemu-user.
# Clients need SLURM_CONF=DIR/slurm.conf. Free ports; root; no systemd.
set -eu
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
nodes="x86:x86_64 arm:aarch64 z:s390x"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
  # The jobs' processes first (a node that was killed left them), then the daemons.
  local port pid
  port=$(sed -n 's/^SlurmctldPort=//p' "$dir/slurm.conf" 2>/dev/null || true)
  if [ -n "$port" ]; then
    for pid in $(grep -l -a "SLURM_WORKING_CLUSTER=hmcc:127.0.0.1:$port:" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
      [ "$pid" != $$ ] && kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  local pids=""
  for f in "$dir"/run/slurmd-*.pid "$dir"/run/slurmctld.pid "$dir"/munge/munged.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    rm -f "$f"
    pkill -KILL -P "$pid" 2>/dev/null || true # a slurmd's slurmstepds
    kill -TERM "$pid" 2>/dev/null && pids="$pids $pid"
  done
  for _ in $(seq 30); do
    local alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    pids=$alive
    [ -z "$pids" ] && break
    sleep 0.1
  done
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
}

start() {
  [ -f "$dir/slurm.conf" ] && stop # one left by an earlier run that failed before it stopped it
  rm -rf "$dir"/{munge,state,log,run,spool}
  mkdir -p "$dir"/{munge,state,log,run,spool}
  chmod 711 "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged -f --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" \
    --seed-file="$dir/munge/munged.seed"
  local node_lines="" names="" n f
  for nf in $nodes; do
    n=${nf%%:*} f=${nf#*:}
    node_lines="${node_lines}NodeName=$n NodeHostname=localhost NodeAddr=127.0.0.1 Port=$(free_port) CPUs=1 RealMemory=100 Feature=$f State=UNKNOWN
"
    names="$names${names:+,}$n"
  done
  # cred_expire=5: a requeued job waits 6 s (not 121) before it may start again.
  # ReturnToService=1: a node set down stays down. sched_interval=1: jobs start within a second.
  # A job of partition urgent preempts one of main at once (GraceTime=0): Slurm
  # requeues it and sends the whole job SIGTERM, then SIGKILL KillWait=5 s later.
  # (With a grace time, the first SIGTERM reaches job steps only, not the batch
  # script, and the requeue comes when the grace ends.)
  cat > "$dir/slurm.conf" <<CONF
ClusterName=hmcc
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock,cred_expire=5
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
ReturnToService=1
JobRequeue=1
MailProg=/bin/true
KillWait=5
MinJobAge=300
MessageTimeout=5
SlurmdTimeout=10
SlurmctldTimeout=10
InactiveLimit=0
Waittime=0
$node_lines
PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
PartitionName=main Nodes=$names Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO PriorityTier=1 PreemptMode=REQUEUE GraceTime=0
PartitionName=urgent Nodes=$names MaxTime=INFINITE State=UP OverSubscribe=NO PriorityTier=2 PreemptMode=OFF
CONF
  : > "$dir/plugstack.conf"
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$dir/slurm.conf"
  for nf in $nodes; do
    n=${nf%%:*}
    mkdir -p "$dir/spool/$n"
    slurmd -f "$dir/slurm.conf" -N "$n"
  done
  # Every node idle, and the scheduler's first pass made (it starts no job before).
  for _ in $(seq 300); do
    if [ "$(sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)" -ge 3 ] &&
      grep -q 'SchedulerParameters=' "$dir/log/slurmctld.log"; then
      return 0
    fi
    sleep 0.1
  done
  echo "slurm-cluster.sh: the cluster did not come up; see $dir/log" >&2
  return 1
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: slurm-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
