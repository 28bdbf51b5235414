// Open MPI for sweeps (issue 16 item 4), behind a small interface so that the driver
// stays readable and a run without mpirun needs no MPI at all.
//
// Contract:
// - launched_by_mpirun() is true when the process was started by mpirun/mpiexec (Open
//   MPI's OMPI_COMM_WORLD_SIZE or PMIx's PMIX_RANK in the environment). Without it the
//   sweep runs serially and MPI_Init is never called.
// - MpiWorld initialises MPI with MPI_THREAD_FUNNELED (only the thread that built it
//   calls MPI; rank 0's point thread never does) and finalises it in its destructor.
// - Messages are byte strings with a tag; recv_any() polls without blocking.
#pragma once

#include <optional>
#include <string>

namespace aimcsim::explore {

bool launched_by_mpirun();

class MpiWorld {
 public:
  MpiWorld();
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  struct Message {
    int source = 0;
    int tag = 0;
    std::string bytes;
  };
  void send(int dest, int tag, const std::string& bytes) const;
  // A waiting message from any rank, or nullopt (never blocks).
  std::optional<Message> poll_any() const;
  // Blocks until a message from `source` arrives.
  Message recv_from(int source) const;
  // Rank 0's `value` on every rank.
  int broadcast(int value) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace aimcsim::explore
