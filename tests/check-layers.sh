#!/bin/sh
# check-layers.sh: the layer rules of HACKING, checked on the sources.
#  - only src/ui includes curses; only src/xmpp (and src/crypto) strophe.h;
#  - includes point down: util <- core <- xmpp <- crypto <- command <- plugin
#    <- ui.
# Prints TAP.
srcdir=${NATTER_SRCDIR:-$(dirname "$0")/..}
cd "$srcdir/src" || exit 1

n=0
fail=0
check() { # check DESCRIPTION OFFENDING-LINES
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$2" | sed 's/^/# /'
		fail=1
	fi
}

echo "1..9"
check "only ui/ includes curses" \
	"$(grep -rlE '#include <(n?curses|term)\.h>' --include='*.[ch]' . | grep -v '^\./ui/')"
check "only xmpp/ and crypto/ include strophe.h" \
	"$(grep -rl '#include <strophe.h>' --include='*.[ch]' . | grep -vE '^\./(xmpp|crypto)/')"
check "util/ includes no other layer" \
	"$(grep -rnE '#include "(core|xmpp|command|ui|crypto|plugin)/' util)"
check "core/ includes only util/" \
	"$(grep -rnE '#include "(xmpp|command|ui|crypto|plugin)/' core)"
check "xmpp/ includes only core/ and util/" \
	"$(grep -rnE '#include "(command|ui|plugin)/' xmpp)"
check "crypto/ includes only xmpp/, core/, util/ and itself" \
	"$(grep -rnE '#include "(command|ui|plugin)/' crypto 2>/dev/null)"
check "command/ does not include ui/ or plugin/" \
	"$(grep -rnE '#include "(ui|plugin)/' command)"
check "plugin/ does not include ui/" \
	"$(grep -rnE '#include "(ui)/' plugin)"
# xmpp/'s public headers, for the layers above it; every other header of
# xmpp/ is private to it, new ones included, without having to be named.
xmpp_public='adhoc|autoaway|blocking|extend|files|info|inject|message|muc|omemo|presence|pubsub|register|roster|session|xmlconsole'
check "layers above xmpp/ include only its public headers" \
	"$(grep -rnE '#include "xmpp/' ui plugin command crypto main.c headless.c docgen.c |
		grep -vE "#include \"xmpp/($xmpp_public)\.h\"")"
exit $fail
