#!/usr/bin/python3
"""Golden cases for the drift methods Evidently calls scipy for (and the two it computes by permutation).

Run with Debian's python3-scipy (1.10) and python3-numpy:  /usr/bin/python3 make_stattests.py > stattests.json
Each case gives the reference and current values, the scipy function and arguments as Evidently calls it, and the
score it returns; the C# test (tests/ModelMonitoring.Statistics.Tests/StatTestGoldenTests.cs) compares with it.
Every small-sample and tie path of each method has a case; `path` names it.
"""
import json
import sys
import warnings
from collections import Counter

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")  # anderson_ksamp warns when it caps or floors the p-value
rng = np.random.default_rng(20240909)
cases = []


def add(method, path, reference, current, score, effect=None, note=None):
    case = {"method": method, "path": path, "reference": list(reference), "current": list(current), "score": float(score)}
    if effect is not None:
        case["effect"] = float(effect)
    if note:
        case["note"] = note
    cases.append(case)


def normal(n, loc=0.0, scale=1.0, digits=6):
    return [round(float(v), digits) for v in rng.normal(loc, scale, n)]


def integers(n, low, high):
    return [float(v) for v in rng.integers(low, high, n)]


def ks_d(a, b):
    return stats.ks_2samp(a, b).statistic


# anderson: scipy.stats.anderson_ksamp([reference, current]).significance_level (midrank), Evidently threshold 0.1
for path, ref, cur in [
    ("interpolated", normal(60), normal(50, 0.35)),
    ("ties", integers(80, 0, 6), integers(70, 0, 6)),
    ("floored at 0.001", normal(60), normal(60, 2.0)),
    ("capped at 0.25", normal(40), normal(40)),
    ("small sample (N = 6)", [1.0, 2.0, 3.0], [2.5, 4.0, 5.0]),
]:
    add("anderson", path, ref, cur, stats.anderson_ksamp([np.array(ref), np.array(cur)]).significance_level, ks_d(ref, cur))

# cramer_von_mises: scipy.stats.cramervonmises_2samp(reference, current) (exact when both sizes <= 20)
for path, ref, cur in [
    ("exact", normal(8), normal(10, 0.8)),
    ("exact with ties", integers(12, 0, 5), integers(15, 1, 6)),
    ("exact, equal sizes", normal(6), normal(6, 1.5)),
    ("asymptotic", normal(100), normal(80, 0.3)),
    ("asymptotic with ties", integers(150, 0, 8), integers(120, 0, 8)),
    ("asymptotic, no drift (p = 1 branch)", list(np.arange(40.0)), list(np.arange(40.0) + 0.5)),
]:
    add("cramer_von_mises", path, ref, cur, stats.cramervonmises_2samp(ref, cur).pvalue, ks_d(ref, cur))

# ed: scipy.stats.energy_distance(reference, current)
for path, ref, cur in [
    ("continuous", normal(70), normal(60, 0.4, 1.3)),
    ("ties", integers(50, 0, 4), integers(40, 0, 6)),
]:
    d = stats.energy_distance(ref, cur)
    add("ed", path, ref, cur, d, d)

# es: scipy.stats.epps_singleton_2samp(reference, current)
for path, ref, cur in [
    ("large (no small-sample correction)", normal(60), normal(50, 0.5)),
    ("small (correction, max size < 25)", normal(12), normal(15, 1.0)),
    ("ties", integers(40, 0, 10), integers(45, 2, 12)),
]:
    add("es", path, ref, cur, stats.epps_singleton_2samp(ref, cur).pvalue, ks_d(ref, cur))


# fisher_exact: Evidently's 2x2 table [[current a, current b], [reference a, reference b]], scipy.stats.fisher_exact
def fisher(ref, cur):
    keys = sorted(set(ref) | set(cur))
    if len(keys) < 2:
        keys.append("placeholder")
    a, b = keys
    table = [[cur.count(a), cur.count(b)], [ref.count(a), ref.count(b)]]
    return stats.fisher_exact(table)[1]


for path, ref, cur in [
    ("small table", ["yes"] * 3 + ["no"] * 7, ["yes"] * 8 + ["no"] * 2),
    ("equal sizes, no drift", ["a"] * 40 + ["b"] * 60, ["a"] * 42 + ["b"] * 58),
    ("different sizes, drift", ["a"] * 120 + ["b"] * 80, ["a"] * 30 + ["b"] * 70),
    ("one category (zero column, p = 1)", ["a"] * 10, ["a"] * 12),
    ("observed table at the mode (p = 1)", ["a"] * 5 + ["b"] * 5, ["a"] * 5 + ["b"] * 5),
]:
    add("fisher_exact", path, ref, cur, fisher(ref, cur), None)


# g_test: scipy.stats.power_divergence(f_obs, f_exp=reference counts * n_cur / n_ref, lambda_="log-likelihood")
def g_test(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rc, cc = Counter(ref), Counter(cur)
    k = len(cur) / len(ref)
    return stats.power_divergence([cc[x] for x in keys], [rc[x] * k for x in keys], lambda_="log-likelihood").pvalue


labels = ["red", "green", "blue", "black"]
for path, ref, cur in [
    ("categories", list(rng.choice(labels, 300, p=[0.4, 0.3, 0.2, 0.1])), list(rng.choice(labels, 200, p=[0.35, 0.3, 0.2, 0.15]))),
    ("a category absent from the current data", ["a"] * 30 + ["b"] * 20 + ["c"] * 5, ["a"] * 25 + ["b"] * 25),
    ("a category absent from the reference (p = 0)", ["a"] * 30 + ["b"] * 20, ["a"] * 25 + ["b"] * 20 + ["c"] * 5),
]:
    add("g_test", path, [str(v) for v in ref], [str(v) for v in cur], g_test(ref, cur), None)

# mannw: scipy.stats.mannwhitneyu(x=reference, y=current, alternative="less")
for path, ref, cur in [
    ("exact (both sizes <= 8, no ties)", normal(5), normal(7, 1.0)),
    ("exact (one side <= 8, no ties)", normal(4), normal(40, 0.5)),
    ("exact, reference larger", normal(6, 1.0), normal(5)),
    ("asymptotic with ties", integers(30, 0, 5), integers(25, 1, 6)),
    ("asymptotic (both sizes > 8)", normal(60), normal(70, 0.3)),
    ("small sample with ties (asymptotic)", [1.0, 2.0, 2.0], [2.0, 3.0, 4.0]),
]:
    add("mannw", path, ref, cur, stats.mannwhitneyu(x=ref, y=cur, alternative="less").pvalue, None)

# t_test: scipy.stats.ttest_ind(reference, current)
for path, ref, cur in [
    ("equal sizes", normal(50), normal(50, 0.3)),
    ("unequal sizes", normal(80, 1.0, 2.0), normal(30, 1.5, 2.0)),
    ("small samples", [1.0, 2.0], [2.5, 3.5, 4.0]),
    ("large difference (small p)", normal(40), normal(40, 3.0)),
]:
    add("t_test", path, ref, cur, stats.ttest_ind(ref, cur).pvalue, None)


# TVD: Evidently's permutation test (1,000 random splits). The statistic is exact; the p-value is estimated here with
# 20,000 splits, and the C# test allows the sampling error of 1,000 splits.
def tvd(ref, cur):
    keys = set(ref) | set(cur)
    rc, cc = Counter(ref), Counter(cur)
    return 0.5 * sum(abs(rc[k] / len(ref) - cc[k] / len(cur)) for k in keys)


def permutation_p(ref, cur, statistic, iterations, seed):
    generator = np.random.default_rng(seed)
    observed = statistic(ref, cur)
    pooled = np.array(ref + cur, dtype=object)
    hits = 0
    for _ in range(iterations):
        order = generator.permutation(len(pooled))
        hits += observed <= abs(statistic(list(pooled[order[: len(ref)]]), list(pooled[order[len(ref):]])))
    return hits / iterations


for path, ref, cur in [
    ("no drift", list(rng.choice(labels, 200, p=[0.4, 0.3, 0.2, 0.1])), list(rng.choice(labels, 150, p=[0.4, 0.3, 0.2, 0.1]))),
    ("drift", list(rng.choice(labels, 200, p=[0.4, 0.3, 0.2, 0.1])), list(rng.choice(labels, 150, p=[0.2, 0.3, 0.2, 0.3]))),
    ("borderline", list(rng.choice(labels[:2], 120, p=[0.5, 0.5])), list(rng.choice(labels[:2], 100, p=[0.38, 0.62]))),
]:
    ref = [str(v) for v in ref]
    cur = [str(v) for v in cur]
    add("TVD", path, ref, cur, permutation_p(ref, cur, tvd, 20000, 7), tvd(ref, cur), note="p-value by 20,000 random splits")


# empirical_mmd: Evidently's RBF kernel, median heuristic on the reference, unbiased MMD², 100 permutations. The MMD²
# is exact; the p-value is estimated with 5,000 permutations.
def mmd_parts(x, y):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    y = np.asarray(y, dtype=float).reshape(-1, 1)

    def dist(a, b):
        return (b**2).T - 2 * np.dot(a, b.T) + a**2

    dxx = dist(x, x)
    sigma = (0.5 * np.percentile(dxx.flatten(), 50, method="nearest")) ** 0.5
    if sigma == 0:
        sigma = 0.5**0.5
    gamma = 1.0 / (2.0 * sigma**2)
    kxx, kxy, kyy = np.exp(-gamma * dxx), np.exp(-gamma * dist(x, y)), np.exp(-gamma * dist(y, y))
    k = np.concatenate((np.concatenate((kxx, kxy), axis=1), np.concatenate((kxy.T, kyy), axis=1)), axis=0)
    return k - np.diag(np.diagonal(k))


def mmd_of(k, ny, index=None):
    if index is not None:
        k = k[index][:, index]
    nx = k.shape[0] - ny
    return (k[:-ny, :-ny].sum() / (nx * (nx - 1)) + k[-ny:, -ny:].sum() / (ny * (ny - 1)) - 2.0 * k[-ny:, :-ny].mean())


for path, ref, cur in [
    ("no drift", normal(80), normal(60)),
    ("drift", normal(80), normal(60, 1.0)),
    ("ties", integers(70, 0, 5), integers(60, 0, 5)),
]:
    k = mmd_parts(ref, cur)
    observed = mmd_of(k, len(cur))
    generator = np.random.default_rng(11)
    permuted = np.array([mmd_of(k, len(cur), generator.permutation(k.shape[0])) for _ in range(5000)])
    add("empirical_mmd", path, ref, cur, (observed <= permuted).mean(), observed, note="p-value by 5,000 permutations")

json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, sys.stdout, indent=1)
sys.stdout.write("\n")
