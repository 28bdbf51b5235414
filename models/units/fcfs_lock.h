// First-come-first-served ownership of one hardware unit by SystemC threads
// (DESIGN.md s.4: a unit serves one op at a time).
//
// Contract: acquire() may only be called from an SC_THREAD; it returns once the
// caller owns the unit, in the order the calls were made (ties within one delta
// cycle in call order). release() hands the unit to the next waiter at the same
// simulated time. Never held across two units unless acquired in a fixed global
// order (the engine acquires tiles in ascending id), so there is no deadlock.
#pragma once

#include <cstdint>
#include <systemc>

namespace aimcsim {

class FcfsLock final {
 public:
  void acquire();
  void release();
  bool held() const { return held_; }
  // Requests waiting right now (not counting the owner).
  std::uint64_t waiting() const { return next_ticket_ - serving_; }

 private:
  bool held_ = false;
  std::uint64_t next_ticket_ = 0;  // ticket of the next request
  std::uint64_t serving_ = 0;      // ticket allowed to take the unit next
  sc_core::sc_event freed_;
};

}  // namespace aimcsim
