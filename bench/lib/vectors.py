# Synthetic CLIP-like vectors for the bench scripts: a mixture of Gaussians on the unit sphere, and exact
# cosine nearest neighbours to check approximate search against.
import numpy as np


class Mixture:
    """Unit vectors drawn around `clusters` random centres. Each cluster has its own spread, so some are
    tight and some loose, as image embeddings of different subjects are."""

    def __init__(self, dimension, clusters=100, seed=42, spread=(0.6, 1.2)):
        self.rng = np.random.default_rng(seed)
        self.dimension = dimension
        self.centres = unit(self.rng.standard_normal((clusters, dimension), dtype=np.float32))
        # spread = expected norm of the noise added to a unit centre before renormalising
        self.spreads = self.rng.uniform(*spread, clusters).astype(np.float32)

    def sample(self, n):
        which = self.rng.integers(0, len(self.centres), n)
        noise = self.rng.standard_normal((n, self.dimension), dtype=np.float32)
        noise *= (self.spreads[which] / np.sqrt(self.dimension))[:, None]
        return unit(self.centres[which] + noise)


def unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def exact_top_k(corpus, queries, k, chunk=200_000):
    """Indices of the k highest cosine similarities for each query (rows are unit vectors), best first."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(corpus), chunk):
        scores = queries @ corpus[start:start + chunk].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, top, 1)], axis=1)
        best_ids = np.concatenate([best_ids, top + start], axis=1)
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, 1)
        best_ids = np.take_along_axis(best_ids, keep, 1)
    return best_ids


def vector_json(v, decimals=5):
    """A compact JSON array: 5 decimals keep cosine errors below 1e-4 and halve the bulk size."""
    return "[" + ",".join(f"{x:.{decimals}f}" for x in v.tolist()) + "]"
