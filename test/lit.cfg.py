# lit configuration for hmcc's tests: transform/, driver/, runtime/, e2e/.
import os
import shutil
import lit.formats

config.name = "hmcc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs", "tools", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hmcc_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.hmcc_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
for var in ("HM_MIGRATE_TO", "HM_MIGRATE_AT", "HM_RESTORE", "HM_LOG", "HMCC_CC"):
    config.environment.pop(var, None)

tools = os.path.join(config.test_source_root, "tools")
# Longer names first: lit substitutes in order.
config.substitutions.append(("%hmcc-build", config.hmcc_obj_root))
config.substitutions.append(("%hmcc", os.path.join(config.hmcc_bin_dir, "hmcc")))
config.substitutions.append(("%hm-instrument", os.path.join(config.hmcc_bin_dir, "hm-instrument")))
config.substitutions.append(("%hm-include", config.hmcc_include_dir))
config.substitutions.append(("%migrate-matrix",
    "python3 %s --hmcc %s" % (os.path.join(tools, "migrate-matrix.py"),
                              os.path.join(config.hmcc_bin_dir, "hmcc"))))
config.substitutions.append(("%samples", config.hmcc_samples_dir))
config.substitutions.append(("%no-exec-gain", "python3 " + os.path.join(tools, "no-exec-gain.py")))
# A kernel that can forbid a process to patch its code (Linux 6.3 and later).
import subprocess
if subprocess.run(["python3", os.path.join(tools, "no-exec-gain.py"), "true"]).returncode == 0:
    config.available_features.add("no-exec-gain")
# Tests that act as a second local user (nobody) need root to become one.
if os.geteuid() == 0 and subprocess.run(["runuser", "-u", "nobody", "--", "true"]).returncode == 0:
    config.available_features.add("second-user")
if shutil.which("ccache"):
    config.available_features.add("ccache")
# Moves over SSH start an sshd of their own on 127.0.0.1 (setup.sh installs it).
if os.path.exists("/usr/sbin/sshd") and shutil.which("ssh") and shutil.which("ssh-keygen"):
    config.available_features.add("loopback-sshd")
# A Slurm cluster of the test's own on 127.0.0.1 (setup.sh installs Slurm and munge).
if os.geteuid() == 0 and all(shutil.which(t) or os.path.exists("/usr/sbin/" + t)
                             for t in ("slurmctld", "slurmd", "munged", "sbatch")):
    config.available_features.add("slurm")
# Run a binary built for a target: natively or under qemu-user.
for triple, runner in (("x86_64", ""), ("aarch64", "qemu-aarch64 "),
                       ("s390x", "qemu-s390x "), ("armhf", "qemu-arm ")):
    config.substitutions.append(("%%run-%s " % triple, runner))
