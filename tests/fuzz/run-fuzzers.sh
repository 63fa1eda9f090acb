#!/bin/sh
# run-fuzzers.sh: a short run of every libFuzzer harness, one TAP line per
# harness. Run by `make check` and `make fuzz-short` when natter is
# configured with --enable-fuzzing.
#
# Each harness starts from its seed corpus, tests/fuzz/corpus/NAME/ (read
# only: new inputs go to a temporary directory that is removed), and runs a
# fixed number of inputs with a fixed seed, so a run is repeatable. The
# harness's own output is kept in the build dir as tests/fuzz/fuzz_NAME.out;
# a crash is saved there as tests/fuzz/crash-NAME-*, and its last lines are
# shown as TAP comments.
#
# Environment: NATTER_SRCDIR and NATTER_BUILDDIR (set by make),
# FUZZ_RUNS (default 20000), FUZZ_SEED (default 1), FUZZERS (the names to
# run, default all). A long run by hand is described in tests/local.mk.

srcdir=${NATTER_SRCDIR:-.}
builddir=${NATTER_BUILDDIR:-.}
runs=${FUZZ_RUNS:-20000}
seed=${FUZZ_SEED:-1}
fuzzers=${FUZZERS:-sanitize jid command_split inputline styling message_parse}

count=0
for name in $fuzzers; do
    count=$((count + 1))
done
echo "1..$count"

n=0
for name in $fuzzers; do
    n=$((n + 1))
    bin=$builddir/tests/fuzz/fuzz_$name
    corpus=$srcdir/tests/fuzz/corpus/$name
    out=$builddir/tests/fuzz/fuzz_$name.out
    if [ ! -x "$bin" ]; then
        echo "not ok $n - $name: $bin is not built (make fuzz)"
        continue
    fi
    if [ ! -d "$corpus" ]; then
        echo "not ok $n - $name: no seed corpus $corpus"
        continue
    fi
    work=$(mktemp -d "${TMPDIR:-/tmp}/natter-fuzz-$name.XXXXXX") || {
        echo "not ok $n - $name: cannot create a temporary directory"
        continue
    }
    if "$bin" -runs="$runs" -seed="$seed" -print_final_stats=1 \
        -artifact_prefix="$builddir/tests/fuzz/crash-$name-" \
        "$work" "$corpus" >"$out" 2>&1; then
        done_line=$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$out")
        cov=$(grep -o 'cov: [0-9]*' "$out" | tail -n 1)
        echo "ok $n - $name: ${done_line:-done}${cov:+, $cov}"
    else
        status=$?
        echo "not ok $n - $name: exit status $status (full output: $out)"
        tail -n 40 "$out" | sed 's/^/# /'
    fi
    rm -rf "$work"
done
exit 0
