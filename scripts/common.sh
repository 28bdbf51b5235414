# Shared steps of the README's two commands: install missing Debian packages,
# configure with CMake and build incrementally. Sourced, not run.
set -euo pipefail

AIMCSIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AIMCSIM_BUILD="${AIMCSIM_BUILD:-$AIMCSIM_ROOT/build}"

# Every Debian 12 package the build, the tests and the main job need.
AIMCSIM_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libsystemc-dev libtorch-dev libopenblas0-openmp
  libboost-graph-dev libtomlplusplus-dev doctest-dev libcli11-dev
  libfmt-dev libspdlog-dev nlohmann-json3-dev zlib1g-dev
  libjs-vega chromium
  dataset-fashion-mnist
  openmpi-bin libopenmpi-dev libsqlite3-dev
  libonnx-dev libprotobuf-dev
)

aimcsim_install_packages() {
  local missing=()
  for pkg in "${AIMCSIM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    echo "aimcsim: installing missing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

aimcsim_build() {
  # Let ccache share objects between clones in other folders (CI builds a
  # fresh clone): hash paths relative to the source root.
  export CCACHE_BASEDIR="$AIMCSIM_ROOT" CCACHE_NOHASHDIR=1
  # Without these ccache refuses every compile that uses a precompiled header ("could not
  # use precompiled header"), i.e. every LibTorch translation unit (ccache manual,
  # "Precompiled headers"). The PCH's content is still hashed.
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  if [ ! -f "$AIMCSIM_BUILD/build.ninja" ]; then
    cmake -S "$AIMCSIM_ROOT" -B "$AIMCSIM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  # Two parallel jobs: each LibTorch translation unit needs ~1.3 GB and ~12 s.
  cmake --build "$AIMCSIM_BUILD" -j "${AIMCSIM_JOBS:-2}" "$@"
}
