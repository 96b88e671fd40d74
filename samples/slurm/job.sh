#!/bin/bash
# A job that moves between the nodes of a cluster, x86_64 or ARM: submit it
# with the builds of the program beside each other (sim.x86_64, sim.aarch64)
# on a file system every node mounts at the same path. Guide: README.md here.
#SBATCH --job-name=sim
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=sim.out
#SBATCH --error=sim.err
#SBATCH --signal=B:USR1@120
# The scheduler's warning (USR1, 120 s before the time limit) has the program
# write its image to the state directory and leave; hmrun then requeues the
# job. A preemption (SIGTERM, PreemptMode=REQUEUE) does the same. Every 10
# minutes a checkpoint bounds what a node failure loses.
exec hmrun --every 10m --state "$SLURM_SUBMIT_DIR/sim.state" -- "$SLURM_SUBMIT_DIR/sim" "$@"
