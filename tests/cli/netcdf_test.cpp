// End-to-end: `--format netcdf` files read by xarray hold exactly the CSV's values in ArviZ's layout; summary and convert read them.
#include <doctest/doctest.h>

#include <cmath>


#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kModel = "tests/data/netcdf/shapes.stan";
const std::string kData = "tests/data/netcdf/shapes.data.json";
const std::string kArviz = "tests/data/arviz/centered_eight.nc";
const std::string kCheck = "tests/cli/netcdf_check.py";

std::vector<std::string> run_args(const std::string& output, const std::string& format,
                                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"run", kModel, "--data", kData, "--chains", "3", "--warmup", "100", "--samples",
                                   "150", "--seed", "11", "-q", "--format", format, "--output", output};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// Runs netcdf_check.py; false (with a message) when python3-xarray is missing.
bool python_check(const std::vector<std::string>& args) {
  const std::string python = python_with_xarray();
  if (python.empty()) {
    MESSAGE("SKIPPED the xarray checks: no python3 with xarray and netCDF4 (apt-get install python3-xarray python3-netcdf4)");
    return false;
  }
  std::string command = shell_quote(python) + " " + shell_quote(kCheck);
  for (const std::string& a : args) command += " " + shell_quote(a);
  const Result r = run_shell(command);
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "OK"));
  return true;
}

/// `mcmc summary --csv` of the files, without the ESS_bulk/s column (it depends on the timings,
/// which Stan CSV rounds to milliseconds).
std::string summary_table(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"summary", "--csv"};
  args.insert(args.end(), files.begin(), files.end());
  const Result r = run_mcmc(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string out;
  long drop = -1;
  for (const std::string& line : lines_of(r.out)) {
    std::vector<std::string> cells = split(line, ',');
    if (drop < 0)
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (cells[i] == "ESS_bulk/s") drop = static_cast<long>(i);
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (static_cast<long>(i) != drop) out += cells[i] + ",";
    out += "\n";
  }
  return out;
}

std::vector<std::vector<double>> all_rows(const std::vector<StanCsv>& chains) {
  std::vector<std::vector<double>> rows;
  for (const StanCsv& c : chains) rows.insert(rows.end(), c.rows.begin(), c.rows.end());
  return rows;
}

}  // namespace

TEST_CASE("--format netcdf: xarray finds every variable, shaped, with exactly the CSV's values, in ArviZ's layout") {
  TempDir dir;
  // The CSV with 18 significant digits reads back to the very doubles the netCDF file stores.
  for (const auto& [out, format, extra] :
       {std::tuple{dir / "fit.nc", "netcdf", std::vector<std::string>{"--save-warmup"}},
        std::tuple{dir / "fit.csv", "csv", std::vector<std::string>{"--save-warmup", "--sig-figs", "18"}}}) {
    const Result r = run_mcmc(run_args(out, format, extra));
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
  python_check({"values", dir / "fit.nc", dir / "fit_1.csv", dir / "fit_2.csv", dir / "fit_3.csv"});
  // The data file: y is observed (y ~ normal), N is a constant.
  python_check({"data", dir / "fit.nc", kData, "y"});
  // Groups, coordinates, dimension names, statistic names and dtypes: ours and ArviZ's file.
  python_check({"layout", dir / "fit.nc", kArviz});
}

TEST_CASE("mcmc summary reads netCDF: the same table as from the CSV files of the same run") {
  TempDir dir;
  REQUIRE(run_mcmc(run_args(dir / "fit.nc", "netcdf")).code == 0);
  REQUIRE(run_mcmc(run_args(dir / "fit.csv", "csv", {"--sig-figs", "18"})).code == 0);
  const std::string from_nc = summary_table({dir / "fit.nc"});
  CHECK(contains(from_nc, "m.2.3,"));
  CHECK(from_nc == summary_table({dir / "fit_1.csv", dir / "fit_2.csv", dir / "fit_3.csv"}));
  // ArviZ's own file: its statistics mapped back to Stan's names.
  const Result r = run_mcmc({"summary", kArviz});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "4 chains, 500 draws each"));
  CHECK(contains(r.out, "theta.8"));
  CHECK(contains(r.out, "Divergences: 19 of 2000"));
}

TEST_CASE("mcmc convert: Stan CSV -> netCDF -> Stan CSV keeps every value; csv-long and rstan's files too") {
  TempDir dir;
  REQUIRE(run_mcmc(run_args(dir / "fit.csv", "csv", {"--sig-figs", "18"})).code == 0);
  const std::vector<std::string> csvs = {dir / "fit_1.csv", dir / "fit_2.csv", dir / "fit_3.csv"};
  std::vector<std::string> args = {"convert"};
  args.insert(args.end(), csvs.begin(), csvs.end());
  args.push_back(dir / "fit.nc");
  Result r = run_mcmc(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  python_check({"values", dir / "fit.nc", csvs[0], csvs[1], csvs[2]});
  REQUIRE(run_mcmc({"convert", dir / "fit.nc", dir / "back.csv"}).code == 0);
  const auto original = read_chains(dir.path(), "fit", 3), back = read_chains(dir.path(), "back", 3);
  CHECK(back[0].header == original[0].header);
  CHECK(all_rows(back) == all_rows(original));  // 17 significant digits: the same doubles
  CHECK(back[0].config_value("num_samples") == "150");
  // netCDF -> csv-long -> netCDF, and a CSV file written by Stan itself (rstan).
  REQUIRE(run_mcmc({"convert", dir / "fit.nc", dir / "long.csv", "--format", "csv-long"}).code == 0);
  REQUIRE(run_mcmc({"convert", dir / "long.csv", dir / "long.nc"}).code == 0);
  CHECK(summary_table({dir / "long.nc"}) == summary_table(csvs));
  const std::vector<std::string> stan = {"tests/diag/fixtures/stan/eight_schools_1.csv",
                                         "tests/diag/fixtures/stan/eight_schools_2.csv"};
  REQUIRE(run_mcmc({"convert", stan[0], stan[1], dir / "stan.nc"}).code == 0);
  CHECK(summary_table({dir / "stan.nc"}) == summary_table(stan));
  python_check({"layout", dir / "stan.nc"});
}

TEST_CASE("netCDF errors name the file: unwritable output, unreadable input, no output given") {
  TempDir dir;
  Result r = run_mcmc(run_args(dir / "missing/fit.nc", "netcdf"));
  CHECK(r.code == 4);
  CHECK(contains(r.err, "missing"));
  write_text(dir / "bad.nc", std::string("CDF\x01", 4) + "not really netCDF");
  r = run_mcmc({"summary", dir / "bad.nc"});
  CHECK(r.code == 4);
  CHECK(contains(r.err, "bad.nc"));
  r = run_mcmc({"convert", dir / "bad.nc"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "output file"));
}

TEST_CASE("--format netcdf --sig-figs 6 keeps 6 significant digits (quantized) in a smaller file") {
  TempDir dir;
  REQUIRE(run_mcmc(run_args(dir / "exact.nc", "netcdf")).code == 0);
  REQUIRE(run_mcmc(run_args(dir / "six.nc", "netcdf", {"--sig-figs", "6"})).code == 0);
  REQUIRE(run_mcmc(run_args(dir / "fit.csv", "csv", {"--sig-figs", "18"})).code == 0);
  CHECK(fs::file_size(dir / "six.nc") < fs::file_size(dir / "exact.nc"));
  REQUIRE(run_mcmc({"convert", dir / "six.nc", dir / "six.csv"}).code == 0);
  const auto exact = all_rows(read_chains(dir.path(), "fit", 3)), six = all_rows(read_chains(dir.path(), "six", 3));
  REQUIRE(six.size() == exact.size());
  double worst = 0;
  bool some_differ = false;
  for (std::size_t i = 0; i < six.size(); ++i)
    for (std::size_t j = 0; j < six[i].size(); ++j) {
      if (exact[i][j] == 0) continue;
      worst = std::max(worst, std::fabs(six[i][j] - exact[i][j]) / std::fabs(exact[i][j]));
      some_differ = some_differ || six[i][j] != exact[i][j];
    }
  CHECK(some_differ);
  CHECK(worst < 1e-5);  // 6 significant digits: relative error below 10^-5
}
