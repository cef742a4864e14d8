#!/usr/bin/env bash
# Fails on any high or critical advisory in the production dependencies. Registries without the
# audit endpoint (some mirrors answer 405) cannot be audited: that is reported, not hidden as a pass.
set -uo pipefail
output=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
echo "$output"
if [ $status -ne 0 ] && grep -q "audit endpoint returned an error" <<<"$output"; then
  echo "npm audit: this registry offers no audit endpoint; production dependencies were NOT audited here." >&2
  exit 0
fi
exit $status
