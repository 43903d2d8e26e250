#!/usr/bin/env bash
# Checks deploy/twinbot.service with systemd-analyze verify: any warning
# (an unknown or misspelt option, a bad value) fails. The unit's binary
# path is pointed at a fresh build, since verify checks that it exists.
# deploy/twinbot.sysusers is tried on an empty root with systemd-sysusers.
# Skipped, with a message, where systemd-analyze is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null; then
	echo "systemd-analyze not found: skipping the check of deploy/twinbot.service"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/twinbot" ./cmd/twinbot
sed "s#/usr/local/bin/twinbot#$tmp/twinbot#" deploy/twinbot.service >"$tmp/twinbot.service"
if ! out=$(systemd-analyze verify --man=no "$tmp/twinbot.service" 2>&1) || [ -n "$out" ]; then
	echo "deploy/twinbot.service:"
	echo "$out" | sed "s#$tmp/##g"
	exit 1
fi
if command -v systemd-sysusers >/dev/null; then
	mkdir -p "$tmp/root/etc"
	if ! out=$(systemd-sysusers --root="$tmp/root" - <deploy/twinbot.sysusers 2>&1); then
		echo "deploy/twinbot.sysusers:"; echo "$out"; exit 1
	fi
	grep -q '^twinbot:' "$tmp/root/etc/passwd" || { echo "deploy/twinbot.sysusers: no user twinbot made"; exit 1; }
fi
echo "deploy/twinbot.service: verified ($(systemd-analyze --version | head -1))"
if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	systemd-analyze security --offline=yes --no-pager "$tmp/twinbot.service" 2>/dev/null | tail -1 || true
fi
