#!/bin/bash
# A job of the test cluster (slurm-cluster.sh), whose nodes are all this
# machine: a node's architecture is its feature. (On a real cluster hmrun
# takes the machine's own: samples/slurm/job.sh.)
arch=$(scontrol show node "$SLURMD_NODENAME" | sed -n 's/.*AvailableFeatures=\([^ ]*\).*/\1/p')
echo "on $SLURMD_NODENAME ($arch), restart ${SLURM_RESTART_COUNT:-0}" >&2
exec hmrun -v --arch "$arch" --state "$JOB_STATE" $JOB_HMRUN_OPTIONS -- "$JOB_PROGRAM" $JOB_ARGS
