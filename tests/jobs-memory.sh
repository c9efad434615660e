#!/bin/bash
# jobs-memory.sh - -j costs threads, not memory (issue 11, defect 1).
#
# The threads of -j share the one compiled schema and the knowledge, so
# peak memory is flat in -j: -j 64 over a few hundred files runs under an
# address space limit (ulimit -v) 64 MB above what -j 1 needs, with the
# same output and exit status as -j 1 (a context per thread, as before,
# took 4 MB or more each: 64 of them do not fit), and its peak RSS is
# within 2 MB a thread of -j 1's.  With less room than loading needs,
# the run ends with one "out of memory" line and exit 2.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
make_tmp

plan 5

# 300 files: the fixtures' domains, over and over
mkdir "$tmp/files"
fixtures=()
for f in "$top_srcdir"/fixtures/*/*.xml; do
    case $f in *.fixed.xml) continue ;; esac
    fixtures+=("$f")
done
for i in $(seq 0 299); do
    cp "${fixtures[$((i % ${#fixtures[@]}))]}" "$tmp/files/$(printf 'f%03d' "$i").xml"
done

# run LIMIT_KB JOBS: domlint over the files under ulimit -v LIMIT_KB (0: none)
run() {
    (
        [ "$1" != 0 ] && ulimit -v "$1"
        "$DOMLINT" --color=never -j "$2" "$tmp/files" > "$tmp/out.$2" 2>&1
    )
}

# peak RSS in KB of a command
peak_rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$tmp/rss" "$@" > /dev/null 2>&1
        tail -n 1 "$tmp/rss"
        return
    fi
    # without time(1): VmHWM of the running process, read until it ends
    "$@" > /dev/null 2>&1 &
    local pid=$! hwm=0 v
    while kill -0 "$pid" 2> /dev/null; do
        v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2> /dev/null)
        [ -n "$v" ] && hwm=$v
        sleep 0.01
    done
    wait "$pid"
    echo "$hwm"
}

# the smallest limit, in steps of 4 MB, that -j 1 fits in (ASan maps
# terabytes: none); the step below it is too little
limit=
if (ulimit -v 4000000 && "$DOMLINT" --version > /dev/null 2>&1); then
    for mb in $(seq 32 4 512); do
        run $((mb * 1024)) 1
        if [ $? -le 1 ]; then
            limit=$((mb * 1024))
            break
        fi
    done
fi

if [ -z "$limit" ]; then
    skip "-j 1 does not run under ulimit -v (a sanitizer build?): no limit to test under"
    skip "-j 64 under the limit"
    skip "-j 64 output under the limit"
else
    run 0 1
    want=$?
    cp "$tmp/out.1" "$tmp/want"
    if [ "$want" = 1 ] && [ -s "$tmp/want" ]; then
        ok "-j 1 fits in $((limit / 1024)) MB, exit $want"
    else
        not_ok "-j 1 without a limit: exit $want"
    fi
    run $((limit + 64 * 1024)) 64
    rc=$?
    if [ "$rc" = "$want" ]; then
        ok "-j 64 under ulimit -v $((limit / 1024 + 64)) MB: exit $rc"
    else
        not_ok "-j 64 under ulimit -v $((limit / 1024 + 64)) MB: exit $rc, not $want" "$(head -n 3 "$tmp/out.64")"
    fi
    if cmp -s "$tmp/want" "$tmp/out.64"; then
        ok "-j 64 under the limit: the same output as -j 1"
    else
        not_ok "-j 64 under the limit: the output differs from -j 1" "$(diff "$tmp/want" "$tmp/out.64" | head -n 5)"
    fi
fi

# peak RSS flat in -j: at most 2 MB a thread more than -j 1
threads=$(( $(nproc) * 4 ))
[ "$threads" -gt 64 ] && threads=64
rss1=$(peak_rss "$DOMLINT" -j 1 "$tmp/files")
rss64=$(peak_rss "$DOMLINT" -j 64 "$tmp/files")
if [ -n "$rss1" ] && [ -n "$rss64" ] && [ "$rss64" -le $((rss1 + threads * 2048)) ]; then
    ok "peak RSS flat in -j: -j 1 $((rss1 / 1024)) MB, -j 64 ($threads threads) $((rss64 / 1024)) MB"
else
    not_ok "peak RSS grows with -j: -j 1 ${rss1:-?} KB, -j 64 ($threads threads) ${rss64:-?} KB"
fi

# too little room: one line, exit 2
if [ -n "$limit" ]; then
    (ulimit -v $((limit - 4 * 1024)) && "$DOMLINT" -j 64 "$tmp/files" > "$tmp/out" 2> "$tmp/err")
    rc=$?
    if [ "$rc" = 2 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q "out of memory" "$tmp/err"; then
        ok "4 MB less than -j 1 needs: exit 2, $(cat "$tmp/err")"
    else
        not_ok "4 MB less than -j 1 needs: exit $rc" "$(head -n 3 "$tmp/err")"
    fi
else
    skip "no limit to test under"
fi
done_testing
