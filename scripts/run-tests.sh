#!/usr/bin/env bash
# The whole test suite: install, build everything, run ctest (unit, SystemC,
# golden tiers). Fails if ctest finds no test.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
aimcsim_install_packages
aimcsim_build
export SC_COPYRIGHT_MESSAGE=DISABLE
cd "$AIMCSIM_BUILD"
ctest --output-on-failure --no-tests=error -j 2 "$@"
