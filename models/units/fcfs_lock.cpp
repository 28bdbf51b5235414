#include "models/units/fcfs_lock.h"

namespace aimcsim {

void FcfsLock::acquire() {
  const std::uint64_t ticket = next_ticket_++;
  while (held_ || serving_ != ticket) sc_core::wait(freed_);
  held_ = true;
  ++serving_;
}

void FcfsLock::release() {
  held_ = false;
  freed_.notify();  // immediate: the next ticket holder runs in this evaluation phase
}

}  // namespace aimcsim
