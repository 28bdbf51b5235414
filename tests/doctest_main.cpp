// doctest's main() for every test executable. SystemC scenarios call
// sc_core::sc_start() from a test case; libsystemc still references sc_main,
// which is defined here and never called. The allocator is tuned as in the
// aimcsim executable (models/host/allocator_tuning.h).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "models/host/allocator_tuning.h"

extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  aimcsim::tune_allocator_for_tensors();
  return doctest::Context(argc, argv).run();
}
