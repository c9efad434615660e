#!/bin/sh
# topology-chromium.sh - `domlint topology --format=html` opened in headless
# Chromium (Debian's chromium package): the page renders to a screenshot
# that is a real picture (a PNG of the window's size, not a blank one),
# Chromium reports no error about the page, and the DOM it built holds the
# devices, the conflict and the findings.  Skips when chromium is absent.
# Each Chromium run has a fresh profile and is bounded by timeout(1).

set -u
. "$(dirname "$0")/lib.sh"

need_domlint
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (Debian: apt-get install chromium)"
make_tmp

# chromium_run OUT ARGS...: Chromium on ARGS, stdout in OUT, stderr in $tmp/chromium.err
chromium_run() {
    out=$1
    shift
    rm -rf "$tmp/profile"
    mkdir "$tmp/profile"
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --enable-logging=stderr --v=0 --user-data-dir="$tmp/profile" "$@" > "$out" 2> "$tmp/chromium.err"
}

# what Chromium said that is about the page, not about this machine (no
# D-Bus, the Debian wrapper's own shell noise)
page_errors() {
    grep -E 'ERROR|CONSOLE|Uncaught|Failed to load|net::ERR' "$tmp/chromium.err" |
        grep -vE 'dbus/|bus\.cc|object_proxy\.cc|^/usr/bin/chromium: [0-9]+: \[' | head -n 3
}

# png_size FILE: "WIDTH HEIGHT BYTES" of a PNG, or nothing when it is not one
png_size() {
    /usr/bin/python3 - "$1" <<'PY'
import struct, sys, os
data = open(sys.argv[1], "rb").read(32)
if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
    w, h = struct.unpack(">II", data[16:24])
    print(w, h, os.path.getsize(sys.argv[1]))
PY
}

plan 7

"$DOMLINT" topology --format=html "$top_srcdir/examples/q35-broken.xml" > "$tmp/page.html" 2> "$tmp/err"
check "the page is made" "$([ -s "$tmp/page.html" ] || echo "no page: $(cat "$tmp/err")")"

chromium_run "$tmp/shot.out" --screenshot="$tmp/shot.png" --window-size=1100,1250 "file://$tmp/page.html"
rc=$?
check "chromium takes a screenshot (exit 0, in time)" "$([ $rc -eq 0 ] || echo "exit $rc: $(tail -n 3 "$tmp/chromium.err")")"
set -- $(png_size "$tmp/shot.png" 2> /dev/null)
# a blank 1100x1250 page compresses to a few kilobytes; this one has boxes and text
if [ "${1:-}" = 1100 ] && [ "${2:-}" = 1250 ] && [ "${3:-0}" -gt 30000 ]; then
    ok "the screenshot is a 1100x1250 PNG with something on it ($3 bytes)"
else
    not_ok "the screenshot: ${1:-no PNG} ${2:-} ${3:-}"
fi
check "chromium reports no error about the page" "$(page_errors)"

chromium_run "$tmp/dom.html" --dump-dom "file://$tmp/page.html"
problems=
for want in "virtio disk 'vda'" "pcie-root-port" "ich9-ahci" "pci-address-conflict" "conflict" "disk-bus"; do
    grep -qF "$want" "$tmp/dom.html" || problems="$problems${problems:+, }no \"$want\""
done
check "the DOM Chromium built holds the devices, the conflict and the findings" "$problems"

# a free hotplug port is drawn as one
"$DOMLINT" topology --format=html "$FIXTURES/topology/q35-root-ports.xml" > "$tmp/ports.html" 2> /dev/null
chromium_run "$tmp/ports.dom" --dump-dom "file://$tmp/ports.html"
if grep -q 'class="bus free-port"' "$tmp/ports.dom" && grep -q 'free hotplug port' "$tmp/ports.dom"; then
    ok "a free hotplug port is drawn as one"
else
    not_ok "no free hotplug port in the DOM of fixtures/topology/q35-root-ports.xml"
fi

# the watch on Chromium's messages can fail: a page with a broken script is caught
sed 's|<body>|<body><script>no_such_function();</script>|' "$tmp/page.html" > "$tmp/bad.html"
chromium_run "$tmp/bad.out" --screenshot="$tmp/bad.png" --window-size=800,600 "file://$tmp/bad.html"
if [ -n "$(page_errors)" ]; then
    ok "a page with a script error is caught (the watch works)"
else
    not_ok "a script error in the page went unnoticed: $(tail -n 3 "$tmp/chromium.err")"
fi

done_testing
