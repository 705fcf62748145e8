#!/usr/bin/env bash
# Run the README's test command twice on a fresh machine: a new Debian 12 root made with debootstrap
# (Python 3.11 in a venv, gcc, git; the host's apt sources and pip settings), a fresh clone of this
# repository with nothing of the development workspace beside it, nothing else installed. The second run shows that the
# set-up is idempotent. Needs root, debootstrap and the package registries; takes 20-40 minutes.
#
#   bash scripts/check-fresh-machine.sh [ROOTFS]      (default /srv/cxzy-fresh; removed first)
#
# Prints each run's exit status and time; the logs are ROOTFS/root/run1.log and run2.log.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
R=${1:-/srv/cxzy-fresh}
case "$R" in ""|/|/srv|/root|/home) echo "refusing to use $R" >&2; exit 2;; esac
command -v debootstrap >/dev/null || { apt-get install -y -qq debootstrap >/dev/null; }

cleanup() { for m in dev/shm dev/pts dev sys proc; do mountpoint -q "$R/$m" && umount -l "$R/$m"; done; }
trap cleanup EXIT
cleanup 2>/dev/null || true
rm -rf "$R"
debootstrap --variant=minbase bookworm "$R" http://deb.debian.org/debian >/dev/null
rm -f "$R/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$R/etc/apt/sources.list.d/" 2>/dev/null \
  || cp /etc/apt/sources.list "$R/etc/apt/sources.list"
cp /etc/resolv.conf "$R/etc/resolv.conf"
[ -d /etc/xdg/pip ] && mkdir -p "$R/etc/xdg" && cp -r /etc/xdg/pip "$R/etc/xdg/"
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$R/etc/pip.conf"
for m in proc sys dev dev/pts dev/shm; do mount --bind "/$m" "$R/$m"; done
chroot "$R" /bin/bash -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
  apt-get install -y -qq --no-install-recommends python3 python3-venv python3-dev gcc g++ git make ca-certificates >/dev/null &&
  python3 -m venv /opt/py'
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
git clone -q --no-local "$REPO" "$R/root/cxzy-docs"

for run in 1 2; do
  start=$(date +%s)
  set +e
  chroot "$R" /usr/bin/env -i HOME=/root PATH=/opt/py/bin:/usr/sbin:/usr/bin:/sbin:/bin CI=true \
    PIP_DEFAULT_TIMEOUT=180 PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    /bin/bash -c 'cd /root/cxzy-docs && bash .ci/run' > "$R/root/run$run.log" 2>&1
  code=$?
  set -e
  echo "run $run: exit $code in $(( $(date +%s) - start )) s ($(tail -n 1 "$R/root/run$run.log"))"
done
