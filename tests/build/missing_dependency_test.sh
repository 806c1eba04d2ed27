#!/usr/bin/env bash
# Configures the project with required libraries hidden and checks that CMake stops with a
# message naming the Debian packages to install.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty"

# expect_missing <what> <env assignment or ""> <cmake -D flag or ""> <package>...
expect_missing() {
  local what=$1 envs=$2 flag=$3
  shift 3
  rm -rf "$work/build"
  # shellcheck disable=SC2086
  if env $envs cmake -S "$src" -B "$work/build" -G Ninja -DCS_BUILD_TESTS=OFF $flag \
      >"$work/log" 2>&1; then
    echo "FAIL: configure succeeded with $what hidden"
    exit 1
  fi
  for p in "$@"; do
    if ! grep -Eq -- "Missing Debian packages:.*(^| )$p( |$)" "$work/log"; then
      echo "FAIL: configure with $what hidden did not name $p:"
      cat "$work/log"
      exit 1
    fi
  done
  echo "ok: $what hidden -> configure names $*"
}

expect_missing "nlohmann_json" "" -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON nlohmann-json3-dev
expect_missing "CLI11" "" -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON libcli11-dev
expect_missing "Boost" "" -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON libboost1.81-dev
expect_missing "Paho MQTT C++" "" -DCMAKE_DISABLE_FIND_PACKAGE_PahoMqttCpp=ON libpaho-mqttpp-dev
expect_missing "tl-expected" "" -DCMAKE_DISABLE_FIND_PACKAGE_tl-expected=ON libexpected-dev
expect_missing "SQLite" "" -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON libsqlite3-dev
expect_missing "OpenSSL" "" -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON libssl-dev
expect_missing "every pkg-config module" "PKG_CONFIG_LIBDIR=$work/empty PKG_CONFIG_PATH=" "" \
  libcpp-httplib-dev libsecret-1-dev libcrypt-dev
echo "all missing-dependency checks passed"
