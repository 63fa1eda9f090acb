#!/bin/sh
# check-format.sh: every C file of the tree is formatted as .clang-format
# says (`make format` fixes them). Needs git (to list the files) and
# clang-format; a release tarball has no git, and then there is nothing to
# check. Prints TAP.
srcdir=${NATTER_SRCDIR:-$(dirname "$0")/..}
cd "$srcdir" || exit 1
if ! command -v clang-format >/dev/null 2>&1 ||
	! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "1..0 # SKIP not a git checkout, or no clang-format"
	exit 0
fi
echo "1..1"
bad=$(git ls-files '*.c' '*.h' | while read -r f; do
	[ -f "$f" ] || continue
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -z "$bad" ]; then
	echo "ok 1 - C files are formatted (make format)"
else
	echo "not ok 1 - C files are formatted (make format)"
	printf '%s\n' "$bad" | sed 's/^/# not formatted: /'
fi
