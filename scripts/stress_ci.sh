#!/usr/bin/env bash
# The suite under load: three runs in a row while two CPU hogs keep both cores busy, as on a
# developer's 2-core machine that is doing something else. A test that waits on luck (a count of
# pauses, a real-time sleep) fails here first. Takes ~15 minutes and hogs the machine.
#
#   scripts/stress_ci.sh                                  # the whole suite, three times
#   STRESS_ARGS="tests/test_classroom.py" scripts/stress_ci.sh   # extra pytest args (a subset)
#   STRESS_RUNS=1 STRESS_HOGS=4 scripts/stress_ci.sh      # other counts
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${STRESS_RUNS:-3}
hogs=${STRESS_HOGS:-2}

if [ ! -x .venv/bin/pytest ]; then  # as .ci/run does
  python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' || { echo "could not create .venv" >&2; exit 2; }
fi

pids=()
stop_hogs() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  pids=()
}
trap stop_hogs EXIT
trap 'stop_hogs; trap - INT; kill -INT $$' INT
trap 'stop_hogs; exit 143' TERM HUP

for _ in $(seq "$hogs"); do
  sh -c 'while :; do :; done' &
  pids+=("$!")
done
echo "stress: ${#pids[@]} CPU hogs (pids ${pids[*]}), $runs runs of: .venv/bin/pytest -q -p no:cacheprovider ${STRESS_ARGS:-}"

failed=0
summary=()
for run in $(seq "$runs"); do
  start=$(date +%s)
  # shellcheck disable=SC2086  # STRESS_ARGS is a list of words on purpose
  .venv/bin/pytest -q -p no:cacheprovider ${STRESS_ARGS:-}
  code=$?
  seconds=$(( $(date +%s) - start ))
  summary+=("run $run: exit $code in ${seconds}s")
  echo "stress: run $run: exit $code in ${seconds}s"
  [ "$code" -eq 0 ] || failed=1
done

echo "stress: ---"
printf 'stress: %s\n' "${summary[@]}"
exit "$failed"
