#!/usr/bin/env python3
"""Writes the CSV fixtures of CsvPandasTests and what pandas reads from them (expected.json).

    /usr/bin/python3 make_fixtures.py          (Debian's python3-pandas; run from this folder)

written_by_pandas.csv: a DataFrame with NaN, +-inf, None, huge numbers and quoted labels, written by DataFrame.to_csv.
spellings.csv: every default missing spelling of pandas and the infinity spellings, by hand.
semicolon.csv: the same kind of data with ';' as the delimiter and a decimal point.
expected.json: per file and column, as pandas.read_csv reads it with its defaults (sep=None for semicolon.csv) as of
pandas 2.0, whose default missing spellings add "None" (Debian's pandas 1.5 is told so with na_values=["None"]):
whether the column is numeric, how many finite values it has, how many are missing once +-inf are dropped as
Evidently drops them, the sum of the finite values, and the distinct labels of a text column.
"""
import json
import math

import numpy as np
import pandas as pd


# pandas 2.0 added "None" to STR_NA_VALUES; the other defaults are the same in 1.5.
PANDAS_2_EXTRA_NA = ["None"]


def describe(frame: pd.DataFrame) -> dict:
    out = {}
    for name in frame.columns:
        col = frame[name]
        # Evidently (select_dtypes(np.number)) treats booleans as categorical, as mlmon reads "True"/"False".
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        if numeric:
            values = col.astype(float)
            finite = values[np.isfinite(values)]
            out[name] = {"numeric": True, "count": int(len(finite)), "missing": int(len(values) - len(finite)),
                         "sum": float(finite.sum())}
        else:
            present = col.dropna()
            out[name] = {"numeric": False, "count": int(len(present)), "missing": int(col.isna().sum()),
                         "labels": sorted(set(str(v) for v in present))}
    return out


def main() -> None:
    frame = pd.DataFrame({
        "price": [1.5, np.nan, np.inf, -np.inf, 1e308, -1e308, 2.25, 3.0],
        "count": [1, 2, 3, 4, 5, 6, 7, 8],
        "region": ["north", None, "south, east", 'say "hi"', "north", "NA", "", "west"],
        "flag": [True, False, True, True, False, False, True, False],
    })
    frame.to_csv("written_by_pandas.csv", index=False)

    missing = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
               "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
    infinities = ["inf", "-inf", "+inf", "Inf", "-Inf", "INF", "-INF", "infinity", "-Infinity", "INFINITY"]
    with open("spellings.csv", "w", newline="") as f:
        f.write("x,label\n")
        for i, spelling in enumerate(missing):
            f.write(f"{spelling},{spelling}\n")
            f.write(f"{i}.5,l{i}\n")
        for spelling in infinities:
            f.write(f"{spelling},{spelling}\n")

    with open("semicolon.csv", "w", newline="") as f:
        f.write("price;region;note\n")
        for i in range(12):
            f.write(f"{i * 1.25};{'north' if i % 3 else 'south'};\"a; b\"\n")

    expected = {
        "written_by_pandas.csv": describe(pd.read_csv("written_by_pandas.csv", na_values=PANDAS_2_EXTRA_NA)),
        "spellings.csv": describe(pd.read_csv("spellings.csv", na_values=PANDAS_2_EXTRA_NA)),
        "semicolon.csv": describe(pd.read_csv("semicolon.csv", sep=None, engine="python", na_values=PANDAS_2_EXTRA_NA)),
    }
    with open("expected.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
