// glibc malloc settings for tensor workloads (allocator_tuning.h).
#include "models/host/allocator_tuning.h"

#include <malloc.h>

namespace aimcsim {

void tune_allocator_for_tensors() {
  constexpr int kMiB = 1 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 * kMiB);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1024 * kMiB);
  mallopt(M_TOP_PAD, 256 * kMiB);
}

}  // namespace aimcsim
