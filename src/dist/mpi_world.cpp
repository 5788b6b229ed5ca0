// The MPI side of dist.hpp: initialization only under a launcher, collectives, stop notices on a watcher thread.
#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "dist/dist.hpp"
#include "util/error.hpp"

namespace mcmc::dist {

namespace {

World g_world;
bool g_initialized = false;
MPI_Comm g_comm = MPI_COMM_NULL;    // the run's collectives and messages
MPI_Comm g_notice = MPI_COMM_NULL;  // stop notices (the watcher thread)
double g_comm_seconds = 0;
std::atomic<int> g_stopped_by{-1};
std::atomic<bool> g_watching{false};
std::thread g_watcher;
constexpr int kNoticeTag = 1;

// Adds the time of one communication to g_comm_seconds.
struct Timed {
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  ~Timed() { g_comm_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
};

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  throw Error(ExitCode::Io, std::string("MPI: ") + what + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}

}  // namespace

bool launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK", "MPI_LOCALNRANKS",
                           "MPIR_CVAR_CH3_INTERFACE_HOSTNAME"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return -1;
}

const World& start() {
  if (g_initialized || !launched()) return g_world;
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided), "MPI_Init_thread");
  g_initialized = true;
  MPI_Comm_dup(MPI_COMM_WORLD, &g_comm);
  MPI_Comm_dup(MPI_COMM_WORLD, &g_notice);
  MPI_Comm_set_errhandler(g_comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(g_comm, &g_world.rank);
  MPI_Comm_size(g_comm, &g_world.size);
  if (provided < MPI_THREAD_MULTIPLE && g_world.size > 1)
    throw Error(ExitCode::Usage, "MPI: this MPI library does not support MPI_THREAD_MULTIPLE, which mcmc's stop "
                                 "notices need");
  return g_world;
}

const World& world() { return g_world; }

void finish() {
  if (!g_initialized) return;
  unwatch();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void barrier() {
  if (!g_world.distributed()) return;
  Timed t;
  check(MPI_Barrier(g_comm), "MPI_Barrier");
}

namespace {
template <class T>
T reduce(T v, MPI_Datatype type, MPI_Op op) {
  if (!g_world.distributed()) return v;
  Timed t;
  T out{};
  check(MPI_Allreduce(&v, &out, 1, type, op, g_comm), "MPI_Allreduce");
  return out;
}
}  // namespace

std::int64_t max_all(std::int64_t v) { return reduce<std::int64_t>(v, MPI_INT64_T, MPI_MAX); }
std::int64_t min_all(std::int64_t v) { return reduce<std::int64_t>(v, MPI_INT64_T, MPI_MIN); }
std::int64_t sum_all(std::int64_t v) { return reduce<std::int64_t>(v, MPI_INT64_T, MPI_SUM); }
double max_all(double v) { return reduce<double>(v, MPI_DOUBLE, MPI_MAX); }

std::uint64_t broadcast(std::uint64_t v, int root) {
  if (!g_world.distributed()) return v;
  Timed t;
  check(MPI_Bcast(&v, 1, MPI_UINT64_T, root, g_comm), "MPI_Bcast");
  return v;
}

std::string broadcast(const std::string& v, int root) {
  if (!g_world.distributed()) return v;
  std::uint64_t n = broadcast(static_cast<std::uint64_t>(v.size()), root);
  std::string out = g_world.rank == root ? v : std::string(n, '\0');
  Timed t;
  check(MPI_Bcast(out.data(), static_cast<int>(n), MPI_CHAR, root, g_comm), "MPI_Bcast");
  return out;
}

void all_gather(std::span<const double> mine, const std::vector<int>& counts, std::vector<double>& all) {
  if (!g_world.distributed()) {
    all.assign(mine.begin(), mine.end());
    return;
  }
  std::vector<int> displs(counts.size());
  int total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = total;
    total += counts[r];
  }
  all.resize(static_cast<std::size_t>(total));
  Timed t;
  check(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                       displs.data(), MPI_DOUBLE, g_comm),
        "MPI_Allgatherv");
}

void send(int dest, int tag, const void* data, std::size_t bytes) {
  Timed t;
  check(MPI_Send(data, static_cast<int>(bytes), MPI_BYTE, dest, tag, g_comm), "MPI_Send");
}

std::size_t receive(int source, int tag, void* data, std::size_t max_bytes) {
  Timed t;
  MPI_Status status;
  check(MPI_Recv(data, static_cast<int>(max_bytes), MPI_BYTE, source, tag, g_comm, &status), "MPI_Recv");
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  return static_cast<std::size_t>(count);
}

void send_string(int dest, int tag, const std::string& s) {
  const std::uint64_t n = s.size();
  send(dest, tag, &n, sizeof n);
  if (n > 0) send(dest, tag, s.data(), s.size());
}

std::string receive_string(int source, int tag) {
  std::uint64_t n = 0;
  receive(source, tag, &n, sizeof n);
  std::string s(n, '\0');
  if (n > 0) receive(source, tag, s.data(), s.size());
  return s;
}

void watch(std::function<bool()> local_stop) {
  if (!g_world.distributed() || g_watching.load()) return;
  g_watching = true;
  g_watcher = std::thread([local_stop = std::move(local_stop)] {
    bool told = false;
    std::vector<MPI_Request> sent;
    int me = g_world.rank;
    while (g_watching.load()) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kNoticeTag, g_notice, &flag, &status);
      if (flag) {
        int from = -1;
        MPI_Recv(&from, 1, MPI_INT, status.MPI_SOURCE, kNoticeTag, g_notice, MPI_STATUS_IGNORE);
        int expected = -1;
        g_stopped_by.compare_exchange_strong(expected, from);
        continue;
      }
      if (!told && local_stop()) {
        told = true;
        for (int r = 0; r < g_world.size; ++r) {
          if (r == me) continue;
          sent.emplace_back();
          MPI_Isend(&me, 1, MPI_INT, r, kNoticeTag, g_notice, &sent.back());
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!sent.empty()) MPI_Waitall(static_cast<int>(sent.size()), sent.data(), MPI_STATUSES_IGNORE);
  });
}

void unwatch() {
  if (!g_watching.load()) return;
  g_watching = false;
  if (g_watcher.joinable()) g_watcher.join();
}

int stopped_by() { return g_stopped_by.load(); }

double comm_seconds() { return g_comm_seconds; }

}  // namespace mcmc::dist
