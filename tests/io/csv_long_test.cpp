// csv-long: one Stan CSV file for all chains (chain__ / draw__ / warmup__ columns) written and split back.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "io/sink.hpp"
#include "io/stan_csv_reader.hpp"
#include "io_test_util.hpp"

using namespace mcmc::io;

namespace {

RunHeader header() {
  RunHeader h;
  h.mcmc_version = "9.8.7";
  h.mcmc_commit = "unknown";
  h.model_name = "m_model";
  h.config = {{0, "method", "sample", true, false}, {1, "id", "1", true, false}, {1, "seed", "7", false, false}};
  h.sampler_columns = {"lp__", "accept_stat__", "n_leapfrog__"};
  h.param_columns = {"a", "b.1"};
  h.algorithm = "chees";
  return h;
}

}  // namespace

TEST_CASE("csv-long: chains written from several threads come back split, in order, warm-up dropped") {
  mcmc::io::test::TempDir dir("mcmc_io_", "csv_long");
  const int C = 5, draws = 40, warm = 3;
  OutputOptions o;
  o.path = dir.file("all.csv");
  o.format = "csv-long";
  o.num_chains = C;
  auto out = open_output(o);
  REQUIRE(out->paths() == std::vector<std::string>{o.path});
  std::vector<std::thread> threads;
  for (int c = 0; c < C; ++c)
    threads.emplace_back([&, c] {
      ChainSink& s = out->chain(c);
      s.begin(header(), c + 1, 7);
      for (int i = 0; i < warm + draws; ++i) {
        if (i == warm) s.adaptation(Adaptation{0.25 * (c + 1), {1.5, 2.5, 3.5}});
        const double v = 1000.0 * (c + 1) + i;
        const double row[] = {-v, 0.5, 7, v, v + 0.25};
        s.draw(row);
      }
      ChainFooter f;
      f.sampling_seconds = 0.5 * (c + 1);
      f.complete = c != 2;
      s.end(f);
    });
  for (auto& t : threads) t.join();
  out->finalize();

  ChainDraws all = read_stan_csv(o.path);
  CHECK(all.columns.front() == "chain__");
  CHECK(all.num_draws() == static_cast<std::size_t>(C * (warm + draws)));
  std::vector<ChainDraws> chains = split_chains(std::move(all));
  REQUIRE(chains.size() == static_cast<std::size_t>(C));
  for (int c = 0; c < C; ++c) {
    const ChainDraws& d = chains[c];
    CAPTURE(c);
    CHECK(d.columns == std::vector<std::string>{"lp__", "accept_stat__", "n_leapfrog__", "a", "b.1"});
    REQUIRE(d.num_draws() == static_cast<std::size_t>(draws));
    CHECK(d.warmup_draws_dropped == static_cast<std::size_t>(warm));
    CHECK(d.values[3][0] == 1000.0 * (c + 1) + warm);            // first kept draw, in order
    CHECK(d.values[3][draws - 1] == 1000.0 * (c + 1) + warm + draws - 1);
    CHECK(d.values[4][5] == 1000.0 * (c + 1) + warm + 5 + 0.25);
    CHECK(d.values[2][0] == 7);
    REQUIRE(d.step_size.has_value());
    CHECK(*d.step_size == 0.25 * (c + 1));
    CHECK(d.inv_metric == std::vector<double>{1.5, 2.5, 3.5});
    REQUIRE(d.sampling_seconds.has_value());
    CHECK(*d.sampling_seconds == 0.5 * (c + 1));
    CHECK(d.interrupted == (c == 2));
    CHECK(d.config_value("seed") == std::optional<std::string>("7"));
    CHECK(d.config_value("mcmc_version") == std::optional<std::string>("9.8.7"));  // the header's first lines
    CHECK(d.config_value("mcmc_commit") == std::optional<std::string>("unknown"));
  }
}

TEST_CASE("split_chains leaves a one-chain Stan CSV file alone") {
  mcmc::io::test::TempDir dir("mcmc_io_", "csv_long_plain");
  const std::string path = dir.write("one.csv", "# model = m\nlp__,a\n-1,2\n-3,4\n");
  std::vector<ChainDraws> chains = split_chains(read_stan_csv(path));
  REQUIRE(chains.size() == 1);
  CHECK(chains[0].columns == std::vector<std::string>{"lp__", "a"});
  CHECK(chains[0].num_draws() == 2);
}
