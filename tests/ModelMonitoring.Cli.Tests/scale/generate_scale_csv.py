#!/usr/bin/env python3
"""Writes the CSV files of the mlmon scale measurement (docs/benchmarks.md ("mlmon at scale")). Not a test, not part of mlmon.

    python3 generate_scale_csv.py OUT_DIR [ROWS]

OUT_DIR/reference.csv and OUT_DIR/current.csv: ROWS rows (default 1,000,000) x 20 columns each
(15 continuous numbers, 1 small integer, 4 categories), with a shift in 6 columns of current.
OUT_DIR/ks_reference.csv and OUT_DIR/ks_current.csv: the single column `noise` of the same files (shifted by
0.005 standard deviations, so the KS p-value is neither 0 nor 1), for the scipy ks_2samp comparison. Standard library only; fixed seed, so the files are the same on every run.
"""
import os
import random
import sys


def main() -> None:
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "reference.csv"), os.path.join(out, "ks_reference.csv"), rows, shifted=False, seed=1)
    write(os.path.join(out, "current.csv"), os.path.join(out, "ks_current.csv"), rows, shifted=True, seed=2)


def write(path: str, ks_path: str, rows: int, shifted: bool, seed: int) -> None:
    rng = random.Random(seed)
    gauss, expo, uniform, choice = rng.gauss, rng.expovariate, rng.random, rng.choice
    regions = ["north", "south", "east", "west", "center"]
    segments = [f"seg{i:02d}" for i in range(20)]
    channels = ["web", "app", "store"]
    header = ["price", "area", "score", "age", "income", "tenure", "latency", "clicks_rate", "temp", "lat", "lon",
              "discount", "weight", "margin", "noise", "rooms", "region", "is_new", "segment", "channel"]
    s = 1.0 if shifted else 0.0
    with open(path, "w", newline="") as f, open(ks_path, "w", newline="") as k:
        f.write(",".join(header) + "\n")
        k.write("noise\n")
        for _ in range(rows):
            noise = gauss(0.005 * s, 1)
            row = (
                f"{gauss(20 + 2 * s, 8):.4f},{gauss(80, 25):.3f},{uniform() ** (1 + 0.5 * s):.5f},{gauss(40, 12):.1f},"
                f"{expo(1 / 50000):.2f},{expo(1 / (3 + s)):.3f},{expo(1 / 120):.2f},{uniform():.5f},"
                f"{gauss(15 + 3 * s, 6):.2f},{gauss(48.8, 1):.5f},{gauss(2.3, 1):.5f},{uniform() * 0.3:.4f},"
                f"{gauss(70, 15):.2f},{gauss(0.2 + 0.05 * s, 0.1):.5f},{noise:.5f},{rng.randint(1, 5)}.0,"
                f"{choice(regions) if not shifted or uniform() > 0.2 else 'north'},{'yes' if uniform() < 0.3 + 0.2 * s else 'no'},"
                f"{choice(segments)},{choice(channels)}\n"
            )
            f.write(row)
            k.write(f"{noise:.5f}\n")


if __name__ == "__main__":
    main()
