# slurm-moves.sh DIR PROGRAM STEPS: on the test cluster of DIR/cluster
# (slurm-cluster.sh), two jobs of PROGRAM STEPS (builds PROGRAM.<arch>) under
# hmrun, their stdout appended to DIR/NAME.out and stderr to DIR/NAME.err:
#  moved:  starts on the x86_64 node; after 10 steps the scheduler's warning
#          (USR1 to the batch shell) has it leave its image and requeue itself,
#          and the job is sent to the aarch64 node; after 20, to the s390x node;
#          it runs there to its end.
#  preempted: on the x86_64 node, after 8 steps, a job of partition urgent
#          preempts it (Slurm requeues it and sends the whole job SIGTERM);
#          it is sent to the aarch64 node and ends there.
#  killed: checkpoints every second on the x86_64 node; after 15 steps the
#          node dies (its slurmd and the job's processes killed, the node set
#          down); Slurm requeues the job, which is sent to the aarch64 node.
# Each job's states as seen are in DIR/NAME.states.
set -eu
dir=$1 program=$2 steps=$3
export SLURM_CONF=$dir/cluster/slurm.conf
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "slurm-moves.sh: $*" >&2; squeue >&2; exit 1; }

state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }

# until the job's stdout has N step lines
await_steps() {
  for _ in $(seq 1200); do
    n=$(grep -c '^step' "$dir/$2.out" 2>/dev/null || true)
    [ "${n:-0}" -ge "$3" ] && return 0
    sleep 0.1
  done
  fail "job $1 did not reach step $3"
}

await_state() {
  for _ in $(seq 1200); do
    s=$(state "$1")
    [ "$s" = "$2" ] && { echo "$s" >> "$dir/$3.states"; return 0; }
    sleep 0.1
  done
  fail "job $1 did not become $2 (it is $(state "$1"))"
}

# A pending job (requeued: it may start again in 6 s) goes to the node of FEATURE, now.
send_to() {
  scontrol update JobId="$1" Features="$2"
  scontrol update JobId="$1" StartTime=now
}

submit() {
  sbatch --parsable --requeue --constraint=x86_64 --open-mode=append \
    -o "$dir/$1.out" -e "$dir/$1.err" \
    --export=ALL,JOB_STATE="$dir/$1.state",JOB_PROGRAM="$program",JOB_ARGS="$steps",JOB_HMRUN_OPTIONS="$2" \
    "$here/slurm-job.sh"
}

moved=$(submit moved "")
await_state "$moved" RUNNING moved
await_steps "$moved" moved 10
scancel --signal=USR1 --batch "$moved"
await_state "$moved" PENDING moved
send_to "$moved" aarch64
await_state "$moved" RUNNING moved
await_steps "$moved" moved 20
scancel --signal=USR1 --batch "$moved"
await_state "$moved" PENDING moved
send_to "$moved" s390x
await_state "$moved" COMPLETED moved

preempted=$(submit preempted "")
await_state "$preempted" RUNNING preempted
await_steps "$preempted" preempted 8
sbatch --parsable -p urgent --constraint=x86_64 -o /dev/null -e /dev/null --wrap "sleep 1" > /dev/null
await_state "$preempted" PENDING preempted
send_to "$preempted" aarch64
await_state "$preempted" COMPLETED preempted

killed=$(submit killed "--every 1")
await_state "$killed" RUNNING killed
await_steps "$killed" killed 15
[ -e "$dir/killed.state/state.img" ] || fail "no checkpoint after 15 steps"
kill -KILL "$(cat "$dir/cluster/run/slurmd-x86.pid")"
pkill -KILL -f "slurmstepd: \[$killed" || true
for environ in /proc/[0-9]*/environ; do
  tr '\0' '\n' < "$environ" 2>/dev/null | grep -qx "SLURM_JOB_ID=$killed" &&
    kill -KILL "$(echo "$environ" | cut -d/ -f3)" 2>/dev/null
done
true
scontrol update NodeName=x86 State=DOWN Reason=killed
await_state "$killed" PENDING killed
send_to "$killed" aarch64
await_state "$killed" COMPLETED killed
