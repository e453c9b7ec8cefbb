#!/usr/bin/env bash
# The whole test run: installs what the tests need, builds everything, runs every test project, and ends with
# one line "Tests: N passed, N failed[, N skipped]". Exit code 0 only when nothing failed.
#
#   ./test.sh                 everything
#   ./test.sh --filter EXPR   passed to dotnet test (e.g. --filter "FullyQualifiedName~Drift")
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

# --- Prerequisites a fresh machine (only the .NET SDK) lacks -------------------------------------------------------
# Debian packages the tests run for real: headless Chromium renders the HTML reports; promtool checks every /metrics
# scrape and the generated rules; Alertmanager (amtool) receives and checks alerts.
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v promtool >/dev/null 2>&1 || needed+=(prometheus)
command -v amtool >/dev/null 2>&1 || needed+=(prometheus-alertmanager)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || needed+=(python3-aiosmtpd)
# NativeBuildTests links mlmon's native build (Native AOT), which needs a C toolchain.
{ command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; } || needed+=(gcc)
if [ "${#needed[@]}" -gt 0 ]; then
  log "installing Debian packages the tests need: ${needed[*]}"
  if [ "$(id -u)" = "0" ]; then apt_get() { apt-get "$@"; }; else apt_get() { sudo apt-get "$@"; }; fi
  export DEBIAN_FRONTEND=noninteractive
  apt_get update -qq >/dev/null && apt_get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null \
    || echo "warning: could not install ${needed[*]}; the tests that need them fail with a message saying so" >&2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

log "building Instrumentation.sln"
dotnet build Instrumentation.sln -c Debug -nologo -v:minimal > "$results/build.log" 2>&1
build_status=$?
grep -E " error |Error\(s\)|Warning\(s\)" "$results/build.log" | sort -u | tail -20
if [ "$build_status" -ne 0 ]; then
  echo "Build failed; see $results/build.log" >&2
  echo "Tests: 0 passed, 1 failed"
  exit 1
fi

log "running tests"
dotnet test Instrumentation.sln --no-build -c Debug -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$results/test.log" \
  | grep -E "^\s*Failed |Total tests|Failed:|error" || true
status=${PIPESTATUS[0]}

# --- The summary line, from the TRX result files (one per test project) -------------------------------------------
counter() { # sum of one <Counters> attribute over every TRX file
  cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'
}
passed=$(counter passed)
failed=$(( $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted) ))
skipped=$(counter notExecuted)
projects=$(ls "$results"/*.trx 2>/dev/null | wc -l)
expected=$(ls tests/*/*.csproj | xargs grep -l "Microsoft.NET.Test.Sdk" | wc -l)
if [ "$projects" -lt "$expected" ]; then
  echo "Only $projects of $expected test projects produced results (a test host crashed?); see $results/test.log" >&2
  failed=$((failed + expected - projects))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status although no test failed; see $results/test.log" >&2
  failed=1
fi

line="Tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
