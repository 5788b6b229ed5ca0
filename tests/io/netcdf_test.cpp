// The netCDF output and reader: ArviZ's names and shapes, chains streamed from threads in several blocks, interrupted chains.
#include <doctest/doctest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "io/inference_data.hpp"
#include "io/netcdf_reader.hpp"
#include "io/sink.hpp"
#include "io_test_util.hpp"
#include "util/error.hpp"

using namespace mcmc::io;

TEST_CASE("sampler statistics get ArviZ's names and dtypes, and back") {
  CHECK(sampler_stat_of_stan("accept_stat__").arviz == "acceptance_rate");
  CHECK(sampler_stat_of_stan("lp__").arviz == "lp");
  CHECK(sampler_stat_of_stan("treedepth__").type == StatType::Int64);
  CHECK(sampler_stat_of_stan("divergent__").arviz == "diverging");
  CHECK(sampler_stat_of_stan("divergent__").type == StatType::Bool);
  CHECK(sampler_stat_of_stan("n_leapfrog__").arviz == "n_steps");
  CHECK(sampler_stat_of_stan("int_time__").arviz == "int_time");
  CHECK(sampler_stat_of_arviz("step_size").stan == "stepsize__");
  CHECK(sampler_stat_of_arviz("energy_error").stan == "energy_error__");
}

TEST_CASE("flat Stan columns become shaped variables in C order, and back") {
  const std::vector<std::string> names = {"mu", "z.1", "z.2", "m.1.1", "m.2.1", "m.1.2", "m.2.2", "m.1.3", "m.2.3",
                                          "odd.1", "odd.3", "k"};
  const auto vars = shape_columns(names);
  REQUIRE(vars.size() == 6);
  CHECK(vars[0].name == "mu");
  CHECK(vars[0].dims.empty());
  CHECK(vars[1].dims == std::vector<std::size_t>{2});
  CHECK(vars[2].name == "m");
  CHECK(vars[2].dims == std::vector<std::size_t>{2, 3});
  // C order m[0][0], m[0][1], m[0][2], m[1][0], ...: columns m.1.1, m.1.2, m.1.3, m.2.1, ...
  CHECK(vars[2].columns == std::vector<std::size_t>{3, 5, 7, 4, 6, 8});
  CHECK(vars[3].name == "odd.1");  // not a complete array: one scalar per column
  CHECK(vars[4].name == "odd.3");
  CHECK(vars[5].name == "k");
  const auto flat = flat_columns("m", {2, 3});
  REQUIRE(flat.size() == 6);
  CHECK(flat[1].first == "m.2.1");
  CHECK(flat[1].second == 3);
  CHECK(default_dim_name("m", 1) == "m_dim_1");
}

namespace {

/// Writes 4 chains of `params` parameters from 4 threads (the last stops without its footer, the
/// third one draw short), reads the file back and checks every value.
void write_and_read(std::size_t params, std::size_t samples) {
  mcmc::io::test::TempDir dir("mcmc_io_", "netcdf");
  const int C = 4;
  RunHeader h;
  h.model_name = "wide_model";
  h.config = {{0, "method", "sample", true, false}, {1, "sample", "", true, true},
              {2, "num_samples", std::to_string(samples), false, false},
              {2, "num_warmup", "10", true, false}};
  h.sampler_columns = {"lp__", "treedepth__", "divergent__"};
  for (std::size_t i = 1; i <= params; ++i) h.param_columns.push_back("theta." + std::to_string(i));
  h.algorithm = "nuts";
  const std::size_t width = h.sampler_columns.size() + h.param_columns.size();
  auto value = [](int c, std::size_t d, std::size_t j) { return j == 1 ? double(d % 7) : j == 2 ? double(d % 2) : c + d * 1e-3 + j * 1e-7; };
  const std::vector<std::size_t> made = {samples, samples, samples - 1, samples / 2};
  OutputOptions o;
  o.path = dir.file("fit.nc");
  o.format = "netcdf";
  o.num_chains = C;
  {
    auto out = open_output(o);
    std::vector<std::thread> threads;
    for (int c = 0; c < C; ++c) {
      threads.emplace_back([&, c] {
        ChainSink& sink = out->chain(c);
        sink.begin(h, c + 1, 42);
        sink.adaptation({0.5, std::vector<double>(params, 1.0 + c)});
        std::vector<double> row(width);
        for (std::size_t d = 0; d < made[c]; ++d) {
          for (std::size_t j = 0; j < width; ++j) row[j] = value(c, d, j);
          sink.draw(row);
        }
        ChainFooter f;
        f.sampling_seconds = 1.5;
        f.complete = c < 3;
        if (c < 3) sink.end(f);  // chain 4 stops without its footer, as a failed chain may
      });
    }
    for (auto& t : threads) t.join();
    out->finalize();
  }
  const std::vector<ChainDraws> chains = read_netcdf(o.path);
  REQUIRE(chains.size() == 4);
  for (int c = 0; c < C; ++c) {
    const ChainDraws& d = chains[c];
    REQUIRE(d.columns.size() == width);
    CHECK(d.columns[0] == "lp__");
    CHECK(d.columns[2] == "divergent__");
    CHECK(d.columns[3] == "theta.1");
    CHECK(d.num_draws() == made[c]);
    bool exact = true;
    for (std::size_t j = 0; j < width; ++j)
      for (std::size_t i = 0; i < d.num_draws(); ++i) exact = exact && d.values[j][i] == value(c, i, j);
    CHECK(exact);
    CHECK(d.config_value("num_samples") == std::to_string(samples));
    CHECK(d.interrupted == (c >= 3));
    REQUIRE(d.step_size);
    CHECK(*d.step_size == 0.5);
    CHECK(d.inv_metric.size() == params);
    CHECK(d.inv_metric[5] == 1.0 + c);
  }
  CHECK(chains[0].sampling_seconds == 1.5);
  CHECK(!chains[3].sampling_seconds);
  CHECK_THROWS_AS(read_netcdf(dir.write("bad.nc", "CDF\x01 not netCDF")), mcmc::Error);
}

}  // namespace

TEST_CASE("netcdf: chains streamed from threads in several blocks read back exactly; an interrupted chain is shorter") {
  // 100 columns: a block (1 MiB per chain) holds 1310 rows, so 3000 draws take three blocks.
  write_and_read(97, 3000);
}

TEST_CASE("netcdf: rows too wide for long blocks are spilled and written at the end, read back exactly") {
  // 1000 columns: a block would hold 131 rows (< 256): the rows go to a temporary file, and
  // finalize() writes chunks of several chains.
  write_and_read(997, 300);
}
