#!/usr/bin/python3
"""Generates the performance fixtures and the values scikit-learn computes on them.

Run with Debian's python3 (apt-get install -y python3-sklearn python3-pandas), from this directory:
    /usr/bin/python3 generate.py
Written: binary.csv, multiclass.csv, multiclass_scores.csv, regression.csv, isotonic.csv, cbpe_reference.csv, cbpe_current.csv and
expected.json (metrics by fixture, scikit-learn's version). The C# tests compare to 1e-9.
"""
import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, f1_score, log_loss, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error, precision_score,
                             r2_score, recall_score, roc_auc_score)

rng = np.random.default_rng(20261202)
expected = {"sklearn": sklearn.__version__}


def classification(actual, predicted, positive=None, score=None):
    out = {"accuracy": accuracy_score(actual, predicted)}
    for average in ("macro", "weighted"):
        out[f"precision_{average}"] = precision_score(actual, predicted, average=average, zero_division=0)
        out[f"recall_{average}"] = recall_score(actual, predicted, average=average, zero_division=0)
        out[f"f1_{average}"] = f1_score(actual, predicted, average=average, zero_division=0)
    if positive is not None:
        out["precision"] = precision_score(actual, predicted, pos_label=positive, zero_division=0)
        out["recall"] = recall_score(actual, predicted, pos_label=positive, zero_division=0)
        out["f1"] = f1_score(actual, predicted, pos_label=positive, zero_division=0)
    if score is not None:
        truth = (np.asarray(actual) == positive).astype(int)
        out["roc_auc"] = roc_auc_score(truth, score)
        out["log_loss"] = log_loss(truth, score)
    return {k: float(v) for k, v in out.items()}


# Binary, string labels, with tied scores (rounded to 2 decimals) and a few extreme probabilities.
n = 2000
score = np.round(rng.beta(2, 2, n), 2)
score[:5] = [0.0, 1.0, 0.0, 1.0, 0.5]
actual = np.where(rng.random(n) < score * 0.8 + 0.1, "churn", "stay")
predicted = np.where(score >= 0.5, "churn", "stay")
pd.DataFrame({"actual": actual, "predicted": predicted, "score": score}).to_csv("binary.csv", index=False)
expected["binary"] = classification(actual, predicted, positive="churn", score=score)

# Multiclass, one label ("d") only ever predicted, never actual.
n = 1500
actual = rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])
predicted = np.where(rng.random(n) < 0.7, actual, rng.choice(["a", "b", "c", "d"], size=n))
pd.DataFrame({"actual": actual, "predicted": predicted}).to_csv("multiclass.csv", index=False)
expected["multiclass"] = classification(actual, predicted)

# Regression, with actual values near zero for MAPE.
n = 1000
actual = rng.normal(100, 30, n)
actual[:3] = [0.5, -2.0, 1e-3]
predicted = actual + rng.normal(0, 10, n)
pd.DataFrame({"actual": actual, "predicted": predicted}).to_csv("regression.csv", index=False, float_format="%.17g")
expected["regression"] = {
    "mae": float(mean_absolute_error(actual, predicted)),
    "rmse": float(mean_squared_error(actual, predicted, squared=False)),
    "mape": float(mean_absolute_percentage_error(actual, predicted)),
    "r2": float(r2_score(actual, predicted)),
}

# Isotonic calibration: fit on (score, label), predict on queries inside and outside the fitted range.
n = 500
score = np.round(rng.random(n) * 0.8 + 0.1, 3)
label = (rng.random(n) < score ** 2).astype(int)
queries = np.linspace(0, 1, 101)
iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(score, label)
pd.DataFrame({"score": score, "label": label}).to_csv("isotonic.csv", index=False)
expected["isotonic"] = {"queries": queries.tolist(), "predictions": iso.predict(queries).tolist()}

# CBPE: a logistic model, a reference from the training distribution, a current set with covariate shift (the
# inputs move; P(y | x) does not). Labels of the current set are kept for the test only.
def draw(n, mean):
    x = rng.normal(mean, 1.0, size=(n, 2))
    p = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.5 * x[:, 1] + 0.3)))
    return x, (rng.random(n) < p).astype(int)

x_train, y_train = draw(5000, [0.0, 0.0])
model = LogisticRegression().fit(x_train, y_train)
x_ref, y_ref = draw(10000, [0.0, 0.0])
shifts = [[0.0, 0.0], [0.5, 0.0], [1.0, 0.5], [-0.5, 1.0], [1.5, -1.0]]
parts = [draw(2000, m) for m in shifts]
x_cur = np.vstack([p[0] for p in parts])
y_cur = np.concatenate([p[1] for p in parts])
for name, x, y in (("cbpe_reference.csv", x_ref, y_ref), ("cbpe_current.csv", x_cur, y_cur)):
    s = model.predict_proba(x)[:, 1]
    pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "score": s, "prediction": (s >= 0.5).astype(int), "target": y}).to_csv(
        name, index=False, float_format="%.17g")
expected["cbpe"] = {"chunk_size": 2000, "realized_accuracy": [
    float(accuracy_score(y_cur[i:i + 2000], (model.predict_proba(x_cur[i:i + 2000])[:, 1] >= 0.5).astype(int)))
    for i in range(0, len(y_cur), 2000)]}

# Multiclass with class probabilities (one column per class, rows summing to 1, rounded so that ties occur):
# ROC AUC one-vs-rest, macro-averaged, and log loss, as the runtime computes them from one [PredictionScore] per class.
n = 1200
classes = ["a", "b", "c"]
logits = rng.normal(0, 1.5, size=(n, 3))
proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
proba = np.round(proba, 3)
proba[:, 2] = np.round(1 - proba[:, 0] - proba[:, 1], 3)
proba[:3] = [[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.2, 0.3, 0.5]]
actual = np.array([rng.choice(classes, p=np.clip(row, 0, None) / np.clip(row, 0, None).sum()) for row in proba])
predicted = np.array(classes)[proba.argmax(axis=1)]
pd.DataFrame({"actual": actual, "predicted": predicted, "p_a": proba[:, 0], "p_b": proba[:, 1], "p_c": proba[:, 2]}).to_csv(
    "multiclass_scores.csv", index=False, float_format="%.17g")
expected["multiclass_scores"] = classification(actual, predicted)
expected["multiclass_scores"]["roc_auc"] = float(roc_auc_score(actual, proba, multi_class="ovr", average="macro", labels=classes))
expected["multiclass_scores"]["log_loss"] = float(log_loss(actual, proba, labels=classes))

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
