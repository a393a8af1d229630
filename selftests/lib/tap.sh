# Shared TAP helpers for shell selftests.  Source it, call plan N, then
# ok/not_ok/skip/check per result.
_tap_n=0
plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
diag() { echo "# $*"; }
# check DESC CMD...: ok when CMD succeeds.
check() {
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
TTD_ROOT=${TTD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-build}
TTDCTL=${TTDCTL:-$TTD_ROOT/$BUILD/bin/ttdctl}
