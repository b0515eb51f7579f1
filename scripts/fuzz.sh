#!/usr/bin/env bash
# Runs every fuzz target (or the ones named as arguments) for a bounded time, one after another.
#
#   scripts/fuzz.sh                      # all targets, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh csv_import model_yaml
#   nice -n 10 scripts/fuzz.sh           # leave the machine usable meanwhile
#
# Needs `cargo fuzz` (install it with `cargo install cargo-fuzz`); installs nothing itself.
# cargo fuzz passes nightly-only `-Z` flags; RUSTC_BOOTSTRAP=1 lets a stable toolchain accept
# them, so no nightly toolchain is needed.
#
# Seeds live in fuzz/seeds/<target> (committed, never written to); each run copies them into
# fuzz/corpus/<target>, which grows across runs and is not committed. A crash, timeout or
# out-of-memory input is saved under fuzz/artifacts/<target>/ and makes the script exit 1 after
# the remaining targets have run. Minimise one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin <target> fuzz/artifacts/<target>/<file>
# and replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
#
# Environment:
#   FUZZ_SECONDS  time per target (default 60)
#   FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (default 10)
#   FUZZ_JOBS     cargo build jobs (default: cargo's own)
# Not run in CI: it is slow and its result depends on the time given.

set -euo pipefail

cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
timeout="${FUZZ_TIMEOUT:-10}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "error: \`cargo fuzz\` is not available; install it with:" >&2
    echo "    cargo install cargo-fuzz" >&2
    exit 2
fi

export RUSTC_BOOTSTRAP=1
if [[ -n "${FUZZ_JOBS:-}" ]]; then
    export CARGO_BUILD_JOBS="$FUZZ_JOBS"
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "error: no fuzz targets found" >&2
    exit 2
fi

echo "building ${#targets[@]} fuzz target(s)..."
for t in "${targets[@]}"; do
    cargo fuzz build "$t"
done

failed=()
summary=()
for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    artifacts="fuzz/artifacts/$t"
    log="fuzz/artifacts/$t.log"
    mkdir -p "$corpus" "$artifacts"
    if [[ -d "fuzz/seeds/$t" ]]; then
        cp -n "fuzz/seeds/$t"/* "$corpus"/ 2>/dev/null || true
    fi
    echo "=== $t: ${seconds}s ==="
    status=0
    cargo fuzz run "$t" "$corpus" -- \
        -max_total_time="$seconds" \
        -rss_limit_mb=2048 \
        -max_len=65536 \
        -timeout="$timeout" \
        -print_final_stats=1 \
        2>&1 | tee "$log" || status=$?
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)"
    if [[ $status -ne 0 ]]; then
        failed+=("$t")
        found="$(grep -Eo "Test unit written to [^ ]+" "$log" | tail -n 1 || true)"
        summary+=("$t: FAILED (exit $status) ${found:-see $log}")
    else
        summary+=("$t: ok ${done_line}")
    fi
done

echo
echo "=== summary (${seconds}s per target) ==="
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "targets that found a crash, timeout or out-of-memory input: ${failed[*]}" >&2
    exit 1
fi
