#!/usr/bin/env bash
# The mlmon scale measurement of docs/benchmarks.md, side by side in one run: Evidently's recipe (pandas + scipy)
# against mlmon's exact engine on CSV and Parquet and against a baseline. Run from the repository root:
#
#   bash tests/ModelMonitoring.Cli.Tests/scale/run_scale.sh [DATA_DIR] [RUNS]
#
# Needs Debian's python3-pandas and python3-scipy (apt-get install -y python3-pandas python3-scipy). Writes the data
# once (generate_scale_csv.py, csv-to-parquet), then RUNS rounds (default 3) of every command, interleaved so that a
# change in the machine's load hits them alike. Prints one line per run: wall, user and sys seconds, peak memory.
# mlmon runs as users install it: packed (ReadyToRun for this machine's runtime identifier) and installed with
# `dotnet tool install --tool-path`. The portable, JIT-compiled build (`dotnet mlmon.dll`, what the "any" package and
# `dotnet run` give) joins each round as the jit-* rows, and both run a 1,000-row file against the baseline
# (startup-*: the fixed cost of a run). The native build (dotnet publish -p:MlmonNative=true, Native AOT) joins each
# round as the native-* rows.
# With MLMON_BEFORE=/path/to/an/older/mlmon.dll (run with dotnet) or an older installed tool's mlmon executable, the
# older build's exact and baseline runs (CSV, and Parquet against the baseline) join each round.
set -euo pipefail
DATA=${1:-/tmp/mlmon-scale}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PY=/usr/bin/python3
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

[ -f "$DATA/reference.csv" ] || "$PY" "$ROOT/tests/ModelMonitoring.Cli.Tests/scale/generate_scale_csv.py" "$DATA"
dotnet build "$ROOT/src/ModelMonitoring.Cli" -c Release -o "$OUT/mlmon" -nologo -v:q >/dev/null
if [ ! -f "$DATA/reference.parquet" ]; then
  dotnet build "$ROOT/tests/ModelMonitoring.Cli.Tests/scale/csv-to-parquet" -c Release -o "$OUT/csv2pq" -nologo -v:q >/dev/null
  for f in reference current; do dotnet "$OUT/csv2pq/csv-to-parquet.dll" "$DATA/$f.csv" "$DATA/$f.parquet"; done
fi
J="$OUT/mlmon/mlmon.dll"
dotnet pack "$ROOT/src/ModelMonitoring.Cli" -c Release -o "$OUT/package" -nologo -v:q >/dev/null
dotnet tool install --tool-path "$OUT/tools" --add-source "$OUT/package" ModelMonitoring.Cli >/dev/null
M="$OUT/tools/mlmon"
dotnet publish "$ROOT/src/ModelMonitoring.Cli" -c Release -r "$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')" -p:MlmonNative=true \
  -p:UseArtifactsOutput=true -p:ArtifactsPath="$OUT/native-build" -o "$OUT/native" -nologo -v:q >/dev/null
N="$OUT/native/mlmon"
"$M" baseline "$DATA/reference.csv" --out "$OUT/ref.baseline.json" >/dev/null
head -n 1001 "$DATA/current.csv" >"$OUT/current-1000.csv"

BEFORE=()
if [ -n "${MLMON_BEFORE:-}" ]; then
  case "$MLMON_BEFORE" in *.dll) BEFORE=(dotnet "$MLMON_BEFORE");; *) BEFORE=("$MLMON_BEFORE");; esac
fi

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "$name	%e	%U	%S	%M" -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr" || [ $? -le 1 ]
  cat "$OUT/time"
}

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(dotnet --version); $("$PY" -c 'import pandas, scipy; print("pandas", pandas.__version__, "scipy", scipy.__version__)')"
echo "# command	wall_s	user_s	sys_s	peak_kb"
for run in $(seq "$RUNS"); do
  measure recipe "$PY" "$ROOT/tests/ModelMonitoring.Cli.Tests/scale/evidently_recipe.py" "$DATA/reference.csv" "$DATA/current.csv"
  if [ -n "${MLMON_BEFORE:-}" ]; then
    measure before-exact-csv "${BEFORE[@]}" drift -r "$DATA/reference.csv" -c "$DATA/current.csv" -f json
    measure before-baseline-csv "${BEFORE[@]}" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.csv" -f json
    measure before-baseline-parquet "${BEFORE[@]}" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.parquet" -f json
  fi
  measure exact-csv "$M" drift -r "$DATA/reference.csv" -c "$DATA/current.csv" -f json --timings
  echo "#   $(cat "$OUT/stderr")"
  measure exact-parquet "$M" drift -r "$DATA/reference.parquet" -c "$DATA/current.parquet" -f json --timings
  echo "#   $(cat "$OUT/stderr")"
  measure baseline-csv "$M" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.csv" -f json --timings
  echo "#   $(cat "$OUT/stderr")"
  measure baseline-parquet "$M" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.parquet" -f json --timings
  echo "#   $(cat "$OUT/stderr")"
  measure startup "$M" drift -r "$OUT/ref.baseline.json" -c "$OUT/current-1000.csv" -f json
  measure native-exact-csv "$N" drift -r "$DATA/reference.csv" -c "$DATA/current.csv" -f json
  measure native-exact-parquet "$N" drift -r "$DATA/reference.parquet" -c "$DATA/current.parquet" -f json
  measure native-baseline-csv "$N" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.csv" -f json
  measure native-baseline-parquet "$N" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.parquet" -f json
  measure native-startup "$N" drift -r "$OUT/ref.baseline.json" -c "$OUT/current-1000.csv" -f json
  measure jit-exact-csv dotnet "$J" drift -r "$DATA/reference.csv" -c "$DATA/current.csv" -f json
  measure jit-baseline-csv dotnet "$J" drift -r "$OUT/ref.baseline.json" -c "$DATA/current.csv" -f json
  measure jit-startup dotnet "$J" drift -r "$OUT/ref.baseline.json" -c "$OUT/current-1000.csv" -f json
done
