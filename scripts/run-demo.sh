#!/usr/bin/env bash
# The main job: install, build, then run `aimcsim demo` on built-in defaults.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
aimcsim_install_packages
aimcsim_build --target aimcsim
export SC_COPYRIGHT_MESSAGE=DISABLE
exec "$AIMCSIM_BUILD/cli/aimcsim" demo "$@"
