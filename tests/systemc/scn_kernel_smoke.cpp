// test-links: aimcsim_models
// SystemC tier smoke scenario: proves the kernel links, elaborates and runs a
// clocked process for an exact number of cycles.
#include <doctest/doctest.h>
#include <systemc>

namespace {

// Counts rising edges of its clock until stopped.
struct EdgeCounter final : sc_core::sc_module {
  sc_core::sc_in<bool> clock{"clock"};
  int edges = 0;

  explicit EdgeCounter(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
    SC_HAS_PROCESS(EdgeCounter);
    SC_METHOD(on_edge);
    sensitive << clock.pos();
    dont_initialize();
  }
  void on_edge() { ++edges; }
};

}  // namespace

TEST_CASE("a 1 GHz clock run for 10 ns produces exactly 10 rising edges") {
  sc_core::sc_clock clock("clock", 1, sc_core::SC_NS);
  EdgeCounter counter("counter");
  counter.clock(clock);
  // The first posedge is at t = 0; edges at 0..9 ns fall inside [0, 10 ns).
  sc_core::sc_start(10, sc_core::SC_NS);
  CHECK(counter.edges == 10);
  CHECK(sc_core::sc_time_stamp() == sc_core::sc_time(10, sc_core::SC_NS));
}
