#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with a real, unlocked GNOME Keyring (a Secret
# Service), in a scratch HOME, so tests never see or touch the user's keyring:
#   with_keyring.sh COMMAND [ARGS...]
# Listing tests (Catch2's --list-* options, run at build time) needs no keyring and runs directly.
set -euo pipefail

for arg in "$@"; do
  case "$arg" in --list-*) exec "$@" ;; esac
done

for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
  command -v "$tool" >/dev/null || {
    echo "with_keyring.sh: $tool is missing; run scripts/install-deps --test" >&2
    exit 1
  }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/data" XDG_CONFIG_HOME="$scratch/home/config"
export XDG_CACHE_HOME="$scratch/home/cache" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# Inside the session: create and unlock the login keyring with a throwaway password, wait until
# the Secret Service name has an owner, then run the command.
inner='
set -eu
printf %s test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
     grep -q "boolean true"; then
    exec "$@"
  fi
  sleep 0.05
done
echo "with_keyring.sh: the Secret Service did not start" >&2
exit 1
'
dbus-run-session -- bash -c "$inner" with_keyring "$@"
