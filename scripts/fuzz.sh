#!/usr/bin/env bash
# Run every fuzz target (fuzz/, cargo-fuzz and libFuzzer on the nightly toolchain) for a while and
# report executions and crashes per target in a table.
#
# Usage: scripts/fuzz.sh [--seconds N] [TARGET...]
#   --seconds N   how long each target runs (default 10)
#   TARGET        run only these targets (default: all, as `cargo fuzz list` shows them)
#
# Each target starts from its committed seeds (fuzz/corpus-seed/TARGET, recorded from real servers
# by examples/capture_fuzz_seeds.rs) and keeps what it finds in fuzz/corpus/TARGET (not committed).
# A crash stops its target; the input is saved under fuzz/artifacts/TARGET/ and the script exits
# non-zero. Reproduce one with `cd fuzz && cargo +nightly fuzz run TARGET artifacts/TARGET/crash-...`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../fuzz"

seconds=10
targets=()
while (($#)); do
    case $1 in
    --seconds)
        seconds=${2:?--seconds needs a number}
        shift 2
        ;;
    -h | --help)
        sed -n '2,13p' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *)
        targets+=("$1")
        shift
        ;;
    esac
done

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz on the nightly toolchain is missing (scripts/install-deps.sh installs it)" >&2
    exit 2
fi
if ((${#targets[@]} == 0)); then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "fuzz.sh: building the targets" >&2
cargo +nightly fuzz build -O 2>&1 | grep -E '^(error|warning)' -A 12 >&2 || true
cargo +nightly fuzz build -O >/dev/null 2>&1

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
rows=()
crashed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    seeds=()
    [[ -d corpus-seed/$target ]] && seeds+=("corpus-seed/$target")
    echo "fuzz.sh: $target for ${seconds}s" >&2
    status=0
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb bounds the whole process.
    cargo +nightly fuzz run -O "$target" "corpus/$target" "${seeds[@]}" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$logs/$target" 2>&1 || status=$?
    # (A pattern that is not in the log leaves its field empty.)
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$target" | grep -o '[0-9]*$' | tail -n 1 || true)
    coverage=$(grep -o 'cov: [0-9]*' "$logs/$target" | tail -n 1 | grep -o '[0-9]*' || true)
    corpus=$(find "corpus/$target" -type f | wc -l)
    artifact=$(grep -o 'Test unit written to [^ ]*' "$logs/$target" | tail -n 1 | sed 's/Test unit written to //' || true)
    if ((status != 0)) || [[ -n $artifact ]]; then
        crashed=1
        result="CRASH ${artifact:-exit $status}"
        tail -n 40 "$logs/$target" >&2
    else
        result="ok"
    fi
    rows+=("$(printf '%-20s %14s %10s %8s  %s' "$target" "${executions:-?}" "${coverage:-?}" "$corpus" "$result")")
done

printf '\n%-20s %14s %10s %8s  %s\n' target executions coverage corpus result
printf '%s\n' "${rows[@]}"
exit "$crashed"
