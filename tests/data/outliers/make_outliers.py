#!/usr/bin/python3
"""Fixtures for the outlier scorers, checked by tests/ModelMonitoring.Statistics.Tests/OutlierGoldenTests.cs.

Run with Debian's python3-sklearn (1.2), python3-scipy (1.10) and python3-numpy (1.24):
    /usr/bin/python3 make_outliers.py > outliers.json

- "mad": samples (with ties, even and odd counts) and scipy.stats.median_abs_deviation of each, with scale=1 and
  scale="normal", plus the robust z-scores (x - median) / MAD_normal of a few probe values.
- "average_path_length": scikit-learn's c(n) (sklearn.ensemble._iforest._average_path_length) for a few n.
- "forest": a planted-outlier set. 'train' has 1000 correlated normal rows of 4 features; 'score' has 570 ordinary
  rows and 30 planted outliers (two coordinates pushed 3 to 5 standard deviations out), 'labels' says which.
  For seeds 0 to 4, scikit-learn's IsolationForest (defaults) gives -score_samples(score) in 'sklearn_scores' (higher is
  more anomalous, the paper's score), its ROC AUC against the labels, and the share of 'score' rows predict() flags
  with contamination="auto" and with contamination=0.05.
  Trees are random and our generator is not numpy's: the test compares ranking agreement (Spearman) and AUC, not
  individual scores.
"""
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(20261202)

mad_cases = []
samples = {
    "normal_odd": rng.normal(10.0, 2.0, 101),
    "normal_even": rng.normal(-3.0, 0.5, 200),
    "heavy_tail": rng.standard_t(2, 301) * 4.0 + 50.0,
    "with_outliers": np.concatenate([rng.normal(0.0, 1.0, 95), [40.0, -35.0, 60.0, 80.0, 1e4]]),
    "ties": np.round(rng.normal(5.0, 1.0, 150), 0),
    "two_values": np.array([1.0, 1.0, 2.0, 2.0]),
}
for name, values in samples.items():
    median = float(np.median(values))
    mad = float(stats.median_abs_deviation(values, scale=1.0))
    mad_normal = float(stats.median_abs_deviation(values, scale="normal"))
    probes = [float(np.min(values)), float(np.max(values)), median, float(np.percentile(values, 90)), median + 7.0]
    z = [(p - median) / mad_normal for p in probes]
    mad_cases.append({"name": name, "values": [float(v) for v in values], "median": median, "mad": mad,
                      "mad_normal": mad_normal, "probes": probes, "robust_z": z})

paths = {str(n): float(_average_path_length(np.array([n]))[0]) for n in [1, 2, 3, 5, 10, 100, 256, 1000, 4096]}

covariance = [[1.0, 0.6, 0.0, 0.2], [0.6, 1.0, 0.3, 0.0], [0.0, 0.3, 1.0, -0.4], [0.2, 0.0, -0.4, 1.0]]
mean = [0.0, 5.0, -2.0, 10.0]
train = rng.multivariate_normal(mean, covariance, 1000)
ordinary = rng.multivariate_normal(mean, covariance, 570)
planted = rng.multivariate_normal(mean, covariance, 30)
for row in planted:
    columns = rng.choice(4, size=2, replace=False)
    row[columns] += rng.choice([-1.0, 1.0], size=2) * rng.uniform(3.0, 5.0, size=2)
score = np.vstack([ordinary, planted])
labels = np.array([0] * 570 + [1] * 30)
order = rng.permutation(len(score))
score, labels = score[order], labels[order]

runs = []
for seed in range(5):
    forest = IsolationForest(random_state=seed).fit(train)
    s = -forest.score_samples(score)
    five = IsolationForest(random_state=seed, contamination=0.05).fit(train)
    runs.append({"seed": seed, "auc": float(roc_auc_score(labels, s)),
                 "flagged_auto": float(np.mean(forest.predict(score) == -1)),
                 "flagged_005": float(np.mean(five.predict(score) == -1)),
                 "train_flagged_005": float(np.mean(five.predict(train) == -1)),
                 "sklearn_scores": [round(float(v), 12) for v in s]})

json.dump({
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
    "mad": mad_cases,
    "average_path_length": paths,
    "forest": {
        "features": ["a", "b", "c", "d"],
        "train": [[round(float(v), 9) for v in row] for row in train],
        "score": [[round(float(v), 9) for v in row] for row in score],
        "labels": [int(v) for v in labels],
        "runs": runs,
    },
}, sys.stdout, separators=(",", ":"))
