#!/usr/bin/env python3
"""Checks of `mcmc run --format netcdf` files with xarray and netCDF4 (Debian python3-xarray, python3-netcdf4).

  netcdf_check.py values FIT.nc CHAIN_1.csv ...   the posterior / sample_stats (and warm-up) groups hold
                                                  exactly the values of the Stan CSV files of the same run
                                                  (written with --sig-figs 18, so every double reads back
                                                  exactly), every variable with the right dimensions
  netcdf_check.py layout FILE.nc ...              the InferenceData layout of each file (groups, coordinate
                                                  variables, dimension names, sampler-statistic names,
                                                  dtypes, attributes), then the sampler statistics' dtypes
                                                  compared across the files (ours against ArviZ's)
  netcdf_check.py data FIT.nc DATA.json Y,...     observed_data holds exactly the data variables named,
                                                  constant_data the others, with the data file's values
  netcdf_check.py interrupted FIT.nc              an interrupted run's file: opens, holds each chain's
                                                  draws so far (chain_num_draws), fill values after them
Prints what it checked; exits 1 with a message at the first failure.
"""
import json
import math
import sys

import netCDF4
import numpy as np
import xarray as xr

# arviz.from_cmdstan's names for Stan's sampler columns (the specification being checked).
ARVIZ_STATS = {"lp__": "lp", "accept_stat__": "acceptance_rate", "stepsize__": "step_size",
               "treedepth__": "tree_depth", "n_leapfrog__": "n_steps", "divergent__": "diverging",
               "energy__": "energy"}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def read_csv(path):
    """(header, warm-up rows, post-warm-up rows) of one Stan CSV file."""
    header, warmup, draws, adapted = None, [], [], False
    for line in open(path):
        line = line.rstrip("\n")
        if not line:
            continue
        if line.startswith("#"):
            if header is not None and "Adaptation terminated" in line:
                adapted = True
            continue
        if header is None:
            header = line.split(",")
            continue
        (draws if adapted else warmup).append([float(x) for x in line.split(",")])
    return header, warmup, draws


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def compare_group(path, group, stats_group, header, rows_per_chain):
    post = xr.open_dataset(path, group=group)
    stats = xr.open_dataset(path, group=stats_group)
    check(post.sizes["chain"] == len(rows_per_chain), f"{group}: {post.sizes['chain']} chains")
    n = len(rows_per_chain[0])
    check(post.sizes["draw"] == n and stats.sizes["draw"] == n, f"{group}: draw has {post.sizes['draw']}, CSV {n} rows")
    seen = set()
    checked = 0
    for j, column in enumerate(header):
        if column.endswith("__"):
            name = ARVIZ_STATS.get(column, column[:-2])
            check(name in stats.data_vars, f"{stats_group}: no variable {name} for {column}")
            var, index = stats[name], ()
            check(var.dims == ("chain", "draw"), f"{stats_group}.{name} has dims {var.dims}")
        else:
            parts = column.split(".")
            name, index = parts[0], tuple(int(p) - 1 for p in parts[1:])
            check(name in post.data_vars, f"{group}: no variable {name} for column {column}")
            var = post[name]
            expected_dims = ("chain", "draw") + tuple(f"{name}_dim_{k}" for k in range(len(index)))
            check(var.dims == expected_dims, f"{group}.{name} has dims {var.dims}, expected {expected_dims}")
            seen.add(name)
        values = var.values
        for c, rows in enumerate(rows_per_chain):
            for d, row in enumerate(rows):
                got = float(values[(c, d) + index])
                check(same(got, row[j]), f"{group} {column} chain {c} draw {d}: netCDF {got!r}, CSV {row[j]!r}")
                checked += 1
    check(seen == set(post.data_vars), f"{group}: variables {sorted(post.data_vars)}, CSV has {sorted(seen)}")
    print(f"{group} / {stats_group}: {len(post.data_vars)} + {len(stats.data_vars)} variables, "
          f"{checked} values equal to the CSV's")


def values(path, csv_paths):
    chains = [read_csv(p) for p in csv_paths]
    header = chains[0][0]
    compare_group(path, "posterior", "sample_stats", header, [c[2] for c in chains])
    if chains[0][1]:
        compare_group(path, "warmup_posterior", "warmup_sample_stats", header, [c[1] for c in chains])
    else:
        check("warmup_posterior" not in netCDF4.Dataset(path).groups, "warm-up groups without saved warm-up")


def layout(path):
    """Checks the InferenceData layout; returns {statistic: (stored dtype, xarray dtype)} of the common statistics."""
    nc = netCDF4.Dataset(path)
    check(nc.data_model == "NETCDF4", f"{path}: data model {nc.data_model}")
    for required in ("posterior", "sample_stats"):
        check(required in nc.groups, f"{path}: no group {required}")
    for gname, g in nc.groups.items():
        for attr in ("created_at", "inference_library", "inference_library_version"):
            check(attr in g.ncattrs(), f"{path}: group {gname} lacks attribute {attr}")
        for dim in g.dimensions:  # every dimension has its coordinate variable
            check(dim in g.variables, f"{path}: {gname} has no coordinate variable for dimension {dim}")
        if gname in ("posterior", "sample_stats", "warmup_posterior", "warmup_sample_stats"):
            for coord in ("chain", "draw"):
                v = g.variables[coord]
                check(v.dtype == np.int64 and v.dimensions == (coord,), f"{path}: {gname}.{coord} is {v.dtype} {v.dimensions}")
                check(list(v[:]) == list(range(len(g.dimensions[coord]))), f"{path}: {gname}.{coord} is not 0, 1, ...")
            for name, v in g.variables.items():
                if name in g.dimensions:
                    continue
                check(v.dimensions[:2] == ("chain", "draw"), f"{path}: {gname}.{name} has dims {v.dimensions}")
                if v.dtype == np.float64:
                    check(math.isnan(v.getncattr("_FillValue")), f"{path}: {gname}.{name} has no NaN _FillValue")
        if gname in ("posterior", "sample_stats"):
            for attr in ("sampling_time", "tuning_steps"):
                check(attr in g.ncattrs(), f"{path}: group {gname} lacks attribute {attr}")
    stats = nc.groups["sample_stats"]
    found = {}
    decoded = xr.open_dataset(path, group="sample_stats")
    for name in ARVIZ_STATS.values():
        check(name in stats.variables, f"{path}: sample_stats has no {name}")
        v = stats.variables[name]
        found[name] = (str(v.dtype), str(decoded[name].dtype), v.__dict__.get("dtype"))
    check(found["diverging"] == ("int8", "bool", "bool"), f"{path}: diverging is {found['diverging']}")
    print(f"{path}: groups {sorted(nc.groups)}; sample_stats {found}")
    return found


def data(path, data_path, observed):
    values = json.load(open(data_path))
    groups = {"observed_data": xr.open_dataset(path, group="observed_data"),
              "constant_data": xr.open_dataset(path, group="constant_data")}
    for name, value in values.items():
        group = "observed_data" if name in observed else "constant_data"
        ds = groups[group]
        check(name in ds.data_vars, f"{group} has no {name}")
        got = ds[name].values
        expected = np.array(value)
        check(got.shape == expected.shape, f"{group}.{name} has shape {got.shape}, data {expected.shape}")
        check((got == expected).all(), f"{group}.{name} = {got}, data {expected}")
        check(ds[name].dims == tuple(f"{name}_dim_{k}" for k in range(expected.ndim)), f"{group}.{name} dims {ds[name].dims}")
    for group, ds in groups.items():
        check(set(ds.data_vars) <= set(values), f"{group} has {sorted(ds.data_vars)}")
    print(f"observed_data {sorted(groups['observed_data'].data_vars)}, constant_data {sorted(groups['constant_data'].data_vars)}")


def interrupted(path):
    nc = netCDF4.Dataset(path)
    num_draws = list(nc.getncattr("chain_num_draws"))
    complete = list(nc.getncattr("chain_complete"))
    post = xr.open_dataset(path, group="posterior")
    stats = xr.open_dataset(path, group="sample_stats")
    check(post.sizes["draw"] == max(num_draws), f"draw dimension {post.sizes['draw']}, chains made {num_draws}")
    for c, n in enumerate(num_draws):
        check(n >= 1, f"chain {c} made no draw")
        for name in list(post.data_vars) + ["lp"]:
            v = (post if name in post.data_vars else stats)[name].values[c]
            check(not np.isnan(v[:n]).any(), f"chain {c}: {name} has NaN among its {n} draws")
            check(np.isnan(v[n:]).all(), f"chain {c}: {name} has values after its {n} draws")
    check(complete == [0] * len(complete), f"chain_complete = {complete}")
    print(f"interrupted file: chains made {num_draws} draws; complete = {complete}")


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    command = argv[1]
    if command == "values":
        values(argv[2], argv[3:])
    elif command == "layout":
        found = [layout(p) for p in argv[2:]]
        for other, path in zip(found[1:], argv[3:]):
            check(other == found[0], f"sample_stats dtypes differ: {argv[2]} {found[0]}, {path} {other}")
    elif command == "data":
        data(argv[2], argv[3], argv[4].split(","))
    elif command == "interrupted":
        interrupted(argv[2])
    else:
        fail("unknown command " + command)
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
