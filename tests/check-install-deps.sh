#!/bin/sh
# check-install-deps.sh: tools/install-deps, run with stub dpkg-query,
# apt-get and id first on PATH and a policy-rc.d of the test's own
# (NATTER_POLICY_RC_D), so nothing is installed. A successful install exits
# 0 whether or not the machine already has a policy-rc.d, leaves that file
# as it was, and no service can start while apt-get runs; a failing
# apt-get fails the script. Prints TAP.
srcdir=${NATTER_SRCDIR:-$(dirname "$0")/..}
script=$srcdir/tools/install-deps
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natter-install-deps.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
stubs=$tmp/bin
mkdir "$stubs"

# dpkg-query: every package missing, or every one installed with
# STUB_INSTALLED=yes. ejabberd is always there: installing it makes the
# script stop the epmd that appeared meanwhile, and this test must not stop
# one that a test of ejabberd, running beside it, started.
cat >"$stubs/dpkg-query" <<'EOF'
#!/bin/sh
for last; do :; done
if [ "${STUB_INSTALLED:-no}" = yes ] || [ "$last" = ejabberd ]; then
	printf 'install ok installed'
else
	printf 'unknown ok not-installed'
fi
EOF
# apt-get: logs its call and what the policy-rc.d says while it runs (101
# forbids starting services), then exits STUB_APT_STATUS.
cat >"$stubs/apt-get" <<'EOF'
#!/bin/sh
if [ -x "$NATTER_POLICY_RC_D" ]; then
	"$NATTER_POLICY_RC_D"
	policy=$?
else
	policy=none
fi
echo "apt-get $1 policy=$policy" >>"$STUB_LOG"
exit "${STUB_APT_STATUS:-0}"
EOF
# id -u: root unless STUB_UID says otherwise.
cat >"$stubs/id" <<'EOF'
#!/bin/sh
echo "${STUB_UID:-0}"
EOF
chmod +x "$stubs/dpkg-query" "$stubs/apt-get" "$stubs/id"

n=0
failed=0
check() { # check DESCRIPTION COMMAND...: one TAP line
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=1
		sed 's/^/# /' "$tmp/out" "$STUB_LOG" 2>/dev/null
	fi
}

# run_deps: runs the script with the stubs; its status in $status, its
# output in $tmp/out.
run_deps() {
	: >"$STUB_LOG"
	PATH="$stubs:$PATH" NATTER_POLICY_RC_D="$policy" sh "$script" test \
		>"$tmp/out" 2>&1
	status=$?
}

STUB_LOG=$tmp/apt.log
export STUB_LOG
policy=$tmp/policy-rc.d
echo "1..15"

# A machine without a policy-rc.d: one is there while apt-get runs, and
# gone afterwards.
unset STUB_APT_STATUS STUB_INSTALLED STUB_UID
run_deps
check "without a policy-rc.d: exit 0" [ "$status" = 0 ]
check "without a policy-rc.d: apt-get ran with one refusing services" \
	grep -q '^apt-get install policy=101$' "$STUB_LOG"
check "without a policy-rc.d: none is left behind" [ ! -e "$policy" ]

# A machine with its own policy-rc.d (the project's machines have one).
printf '#!/bin/sh\n# the machine'"'"'s own\nexit 101\n' >"$policy"
chmod 755 "$policy"
cp -p "$policy" "$tmp/policy.orig"
run_deps
check "with a policy-rc.d: exit 0" [ "$status" = 0 ]
check "with a policy-rc.d: it is left as it was" \
	cmp -s "$policy" "$tmp/policy.orig"
check "with a policy-rc.d: its mode is kept" \
	[ "$(stat -c %a "$policy")" = 755 ]

# A failing apt-get (install and the retry after update) fails the script.
STUB_APT_STATUS=100
export STUB_APT_STATUS
run_deps
check "with a policy-rc.d, apt-get failing: exit non-zero" [ "$status" != 0 ]
check "with a policy-rc.d, apt-get failing: it is left as it was" \
	cmp -s "$policy" "$tmp/policy.orig"
rm -f "$policy"
run_deps
check "without a policy-rc.d, apt-get failing: exit non-zero" \
	[ "$status" != 0 ]
check "without a policy-rc.d, apt-get failing: none is left behind" \
	[ ! -e "$policy" ]
unset STUB_APT_STATUS

# Nothing missing: nothing runs. Not root and packages missing: says so.
STUB_INSTALLED=yes
export STUB_INSTALLED
run_deps
check "everything installed: exit 0" [ "$status" = 0 ]
check "everything installed: apt-get never runs" [ ! -s "$STUB_LOG" ]
unset STUB_INSTALLED
STUB_UID=1000
export STUB_UID
run_deps
check "not root: exit 1" [ "$status" = 1 ]
check "not root: the missing packages are named" \
	grep -q 'packages are missing:.* prosody' "$tmp/out"
check "not root: apt-get never runs" [ ! -s "$STUB_LOG" ]
exit $failed
