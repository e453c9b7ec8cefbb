#!/usr/bin/env python3
"""Evidently's data drift recipe done directly with pandas + numpy/scipy: the anchor mlmon's speed is measured
against (docs/benchmarks.md, "mlmon at scale"). Not a test, not part of mlmon.

    /usr/bin/python3 evidently_recipe.py REFERENCE.csv CURRENT.csv

Reads both files with pandas.read_csv (default options: its missing spellings, inf as infinity), then per column
does what Evidently's legacy DataDriftTable does with its defaults:
  - type: numerical when pandas parsed a numeric dtype, else categorical;
  - drop NaN and +-inf;
  - method: reference of at most 1000 rows -> ks (numerical, > 5 unique) else chisquare (> 2 unique) or z;
    larger reference -> wasserstein normed by the reference's std (numerical, > 5 unique, drift at >= 0.1),
    else Jensen-Shannon distance of the value shares (drift at >= 0.1);
  - dataset drift when at least half of the columns drift.
Prints one JSON object (method, score and drift per column, and the dataset verdict) and the time per step on
stderr. Needs Debian's python3-pandas and python3-scipy.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance


def shares(reference: pd.Series, current: pd.Series, numerical: bool):
    # Evidently's get_binned_data(feel_zeroes=False): Sturges bins over both sides for a numerical column with more
    # than 20 distinct reference values, else one bin per value seen on either side.
    if numerical and reference.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([reference, current], axis=0).values, bins="sturges")
        return np.histogram(reference, bins)[0] / len(reference), np.histogram(current, bins)[0] / len(current)
    keys = list(set(reference.unique()) | set(current.unique()))
    ref_counts = reference.value_counts()
    cur_counts = current.value_counts()
    ref = np.array([ref_counts.get(k, 0) for k in keys]) / len(reference)
    cur = np.array([cur_counts.get(k, 0) for k in keys]) / len(current)
    return ref, cur


def column_drift(reference: pd.Series, current: pd.Series):
    numerical = pd.api.types.is_numeric_dtype(reference) and pd.api.types.is_numeric_dtype(current)
    if numerical:
        reference = reference.replace([np.inf, -np.inf], np.nan)
        current = current.replace([np.inf, -np.inf], np.nan)
    reference = reference.dropna()
    current = current.dropna()
    n_unique = reference.nunique()
    if len(reference) <= 1000:
        if numerical and n_unique > 5:
            return "ks", stats.ks_2samp(reference, current)[1], None
        if n_unique > 2:
            keys = sorted(set(reference.unique()) | set(current.unique()))
            ref_counts = reference.value_counts()
            cur_counts = current.value_counts()
            expected = np.array([ref_counts.get(k, 0) for k in keys]) / len(reference) * len(current)
            observed = np.array([cur_counts.get(k, 0) for k in keys])
            return "chisquare", stats.chisquare(observed, expected)[1], None
        return "z", None, None  # not reached with the scale data (1M rows)
    if numerical and n_unique > 5:
        score = stats.wasserstein_distance(reference, current) / np.std(reference)
        return "wasserstein", score, score >= 0.1
    ref, cur = shares(reference, current, numerical)
    score = distance.jensenshannon(ref, cur)
    return "jensenshannon", score, score >= 0.1


def main() -> None:
    start = time.perf_counter()
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    read = time.perf_counter()
    columns = []
    for name in reference.columns:
        method, score, drift = column_drift(reference[name], current[name])
        if drift is None:
            drift = bool(score < 0.05) if score is not None else False
        columns.append({"name": name, "method": method, "score": float(score), "drift": bool(drift)})
    done = time.perf_counter()
    drifted = sum(c["drift"] for c in columns)
    print(json.dumps({
        "columns": columns,
        "dataset": {"drifted_columns": drifted, "columns": len(columns), "drift": drifted >= 0.5 * len(columns)},
    }, indent=1))
    print(f"recipe: read_csv both files {read - start:.3f} s; drift {done - read:.3f} s; total {done - start:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
