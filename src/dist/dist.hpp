// Processes of one run (MPI ranks): start-up only under a launcher, byte collectives, stop notices; no mpi.h here.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace mcmc::dist {

/// Whether an MPI launcher (mpirun / mpiexec of OpenMPI or MPICH, Slurm's srun with PMI or PMIx)
/// started this process: its environment names the job's size (OMPI_COMM_WORLD_SIZE, PMI_SIZE,
/// PMIX_RANK, ...). Without one, MPI is never initialized: a plain `mcmc run` starts as it always did.
bool launched();
/// The rank the launcher gave this process (from its environment, before any MPI call), or -1.
int launcher_rank();

/// This process in its job: rank 0 of 1 unless start() initialized MPI.
struct World {
  int rank = 0;
  int size = 1;
  bool distributed() const { return size > 1; }
};

/// Initializes MPI (threads: MPI_THREAD_MULTIPLE) when launched(); otherwise nothing. Idempotent.
/// Throws mcmc::Error(Usage) when MPI cannot give what the run needs.
const World& start();
const World& world();
/// MPI_Finalize when start() initialized MPI (at the end of `mcmc run`; idempotent).
void finish();

// Collectives: every rank calls them in the same order.
void barrier();
std::int64_t max_all(std::int64_t v);
std::int64_t min_all(std::int64_t v);
std::int64_t sum_all(std::int64_t v);
double max_all(double v);
/// Rank `root`'s value on every rank.
std::uint64_t broadcast(std::uint64_t v, int root = 0);
std::string broadcast(const std::string& v, int root = 0);
/// Every rank's doubles, concatenated in rank order into `all` (counts[r] values from rank r).
void all_gather(std::span<const double> mine, const std::vector<int>& counts, std::vector<double>& all);

// Point to point (tags below kFirstFreeTag are taken).
void send(int dest, int tag, const void* data, std::size_t bytes);
/// Receives a message of at most `max_bytes` bytes from `source`; returns its size.
std::size_t receive(int source, int tag, void* data, std::size_t max_bytes);
std::string receive_string(int source, int tag);
void send_string(int dest, int tag, const std::string& s);

/// Stop notices while the ranks run on their own. watch() starts a thread that, every few
/// milliseconds, tells every other rank once when `local_stop()` turns true, and records the
/// first notice that arrives from another rank (stopped_by() >= 0 then: that rank). unwatch()
/// ends it. Without MPI both do nothing.
void watch(std::function<bool()> local_stop);
void unwatch();
/// The rank whose stop notice arrived first, or -1.
int stopped_by();

/// Seconds spent in collectives and messages since start() (the communication cost).
double comm_seconds();

}  // namespace mcmc::dist
