"""AR(1)-sieve residual bootstrap of the primary ITS tests (reports/its.csv `p_boot`).

At 15–41 annual points the t and F tests of the Prais–Winsten fit are too liberal
(reports/its_size.csv). The bootstrap p-value compares the reported statistic with
its distribution under the null of no break at the tested year, simulated from the
data's own AR(1) errors:

1. Null model: the primary model without the level and slope change of year T (the
   other break stays), fitted by Prais–Winsten: coefficients b0, rho0, residuals u0.
2. Innovations e_t = u0_t - rho0 * u0_{t-1} (t >= 1), centred.
3. Each draw resamples the innovations with replacement, builds AR(1) errors
   u*_t = rho0 * u*_{t-1} + e*_t from a stationary start u*_0 = e*_0 / sqrt(1 - rho0^2),
   and sets y* = X0 b0 + u*.
4. The full model is refitted by iterated Prais–Winsten on every draw at once
   (:func:`prais_winsten_batch`) and the same statistic is computed: the joint
   F = W / 2 of the level and slope change at T, and |t| of each of them.
5. p_boot = (1 + #{T* >= T}) / (B + 1).

The statistics are invariant to the scale of the errors, so the innovations need no
degrees-of-freedom inflation. Each (specification, year) gets its own generator,
seeded from the configured seed and the specification's name, so a p-value does not
depend on which other series are fitted.

Holm family (`p_boot_holm`): within one primary fit, the tests of the same kind
(joint, level change or slope change) at the pre-specified break years (2012 and
2015): m = 2 per family.

data/processed/its_boot.csv: one row per primary fit and term (joint_T,
level_change_T, slope_change_T for each break T), keyed like reports/its.csv, with
p_boot, p_boot_holm, n_boot, seed, the observed statistic (F, or |t|), rho_null (AR(1)
coefficient of the null model the draws come from), n_obs and a note. A fit that is
exact, or has a segment fitted exactly, has no test in its.csv and no p_boot here.
The rule `its` joins p_boot and p_boot_holm into reports/its.csv.
"""

from __future__ import annotations

import gc
import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from pairing_audit.errors import InputError
from pairing_audit.its import (
    KEYS,
    SORT,
    admissible,
    design_matrix,
    exact_segments,
    exact_solution,
    model_samples,
)
from pairing_audit.prais_winsten import RHO_BOUND, ar1_transform, prais_winsten
from pairing_audit.specs import primary_keys

TEST_KINDS = ("joint", "level_change", "slope_change")
NOTE_EXACT = "exact fit: no test, no bootstrap"
NOTE_EXACT_SEGMENT = "a segment fitted exactly (zero residuals): no test, no bootstrap"
BOOT_COLUMNS = [*KEYS, "term", "p_boot", "p_boot_holm", "n_boot", "seed", "statistic"]
BOOT_COLUMNS += ["rho_null", "n_obs", "note"]
BATCHED_SOLVE_MIN = 64  # from this many data columns on: spd_solve and einsum products


# --- Prais–Winsten on many data columns at once ---------------------------------


@dataclass(frozen=True)
class BatchFit:
    """Iterated Prais–Winsten fits of B data columns on one design (n x k)."""

    params: np.ndarray  # (B, k)
    xtx_inv: np.ndarray  # (B, k, k): inverse of the transformed X'X at the final rho
    sigma2: np.ndarray  # (B,): transformed SSR / (n - k)
    rho: np.ndarray  # (B,)
    converged: np.ndarray  # (B,) bool, as prais_winsten's `converged`
    df_resid: int

    @property
    def cov(self) -> np.ndarray:
        return self.sigma2[:, None, None] * self.xtx_inv


def batch_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for a small a (k x n) and b with one column per data column. With
    thousands of columns, einsum's single-threaded loop: multithreaded BLAS costs
    10–20 times more CPU on these thin products when the cores are busy. With few
    columns (the observed data's fit, whose statistic is written out), plain @."""
    if b.ndim == 2 and b.shape[1] >= BATCHED_SOLVE_MIN:
        return np.einsum("ij,jb->ib", a, b)
    return a @ b


class Ar1Moments:
    """Cross-products of the Prais–Winsten-transformed data as quadratics in rho.

    With x_t the rows of X: X~'X~ = (1 + r^2) X'X - r^2 (x_0 x_0' + x_l x_l') - r C,
    C = sum_{t>=1} (x_t x_{t-1}' + x_{t-1} x_t'), and likewise X~'y~; the residual
    autocovariances that update rho are quadratic forms in beta. So an iteration
    costs O(B k^2) for B columns, whatever n.
    """

    def __init__(self, X: np.ndarray, Y: np.ndarray):
        x0, xl = X[0], X[-1]
        self.k = X.shape[1]
        xx, xx_ends = X.T @ X, np.outer(x0, x0) + np.outer(xl, xl)
        cross = X[1:].T @ X[:-1]
        self.xx_lag = cross + cross.T
        self.xx_head = X[:-1].T @ X[:-1]
        # gram(r) = [1, r^2, r] @ this, one small matmul for all columns
        self.gram_basis = np.stack([xx, xx - xx_ends, -self.xx_lag]).reshape(3, -1)
        xy = batch_matmul(X.T, Y)  # (k, B)
        xy_ends = np.outer(x0, Y[0]) + np.outer(xl, Y[-1])
        self.xy_lag = batch_matmul(X[1:].T, Y[:-1]) + batch_matmul(X[:-1].T, Y[1:])
        self.xy_head = batch_matmul(X[:-1].T, Y[:-1])
        # cross(r) = [1, r^2, r] @ this per column (B x 3 x k)
        self.cross_basis = np.stack([xy, xy - xy_ends, -self.xy_lag], axis=1).transpose(2, 1, 0)
        self.yy = np.sum(Y**2, axis=0)  # (B,)
        self.yy_ends = Y[0] ** 2 + Y[-1] ** 2
        self.yy_lag = np.sum(Y[1:] * Y[:-1], axis=0)
        self.yy_head = np.sum(Y[:-1] ** 2, axis=0)

    def gram(self, rho: np.ndarray) -> np.ndarray:
        powers = np.stack([np.ones_like(rho), rho**2, rho], axis=1)
        # einsum, not matmul: BLAS' gemm with an inner dimension of 3 costs ~10x more
        return np.einsum("bj,jk->bk", powers, self.gram_basis).reshape(-1, self.k, self.k)

    def gram_columns(self, rho: np.ndarray) -> np.ndarray:
        """gram(rho) laid out (k, k, B): entry (i, j) of every system is one vector."""
        powers = np.stack([np.ones_like(rho), rho**2, rho])
        return np.einsum("jb,jm->mb", powers, self.gram_basis).reshape(self.k, self.k, -1)

    def cross_columns(self, rho: np.ndarray, cols) -> np.ndarray:
        """cross(rho, cols) laid out (k, B)."""
        powers = np.stack([np.ones_like(rho), rho**2, rho], axis=1)
        return np.einsum("bj,bjk->kb", powers, self.cross_basis[cols])

    def cross(self, rho: np.ndarray, cols) -> np.ndarray:
        powers = np.stack([np.ones_like(rho), rho**2, rho], axis=1)
        return np.einsum("bj,bjk->bk", powers, self.cross_basis[cols])  # (B, k)

    def transformed_yy(self, rho: np.ndarray, cols) -> np.ndarray:
        """y~'y~ per column: the transformed sum of squares of the data themselves."""
        yy, ends, lag = self.yy[cols], self.yy_ends[cols], self.yy_lag[cols]
        return (1 + rho**2) * yy - rho**2 * ends - 2 * rho * lag

    def residual_rho(self, beta: np.ndarray, cols, bound: float) -> np.ndarray:
        """AR(1) coefficient of u = y - X beta per column: sum u_t u_{t-1} / sum u_{t-1}^2
        (no intercept), clipped at +-bound, as prais_winsten.residual_rho."""

        def quad(M):
            if len(beta) < BATCHED_SOLVE_MIN:
                return np.sum((beta @ M) * beta, axis=1)
            return np.einsum("bi,ij,bj->b", beta, M, beta)  # no BLAS threads, see batch_matmul

        num = self.yy_lag[cols] - np.sum(self.xy_lag[:, cols].T * beta, axis=1)
        num += quad(self.xx_lag) / 2
        den = self.yy_head[cols] - 2 * np.sum(self.xy_head[:, cols].T * beta, axis=1)
        den += quad(self.xx_head)
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = np.where(den > 0, num / den, 0.0)
        return np.clip(rho, -bound, bound)


def spd_solve(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve gram[b] x[b] = rhs[b] for many small symmetric positive definite systems
    (B x k x k, B x k) by a Cholesky factorisation written out over the batch.

    With k = 4–6 and thousands of systems, numpy's batched LAPACK solve spends most of
    its time in per-matrix overhead; here each step is one vector operation over all
    B systems. A singular (not positive definite) system gives NaN, not an error.
    """
    a = np.ascontiguousarray(np.moveaxis(gram, 0, -1))  # (k, k, B): a[i, j] is one vector
    return _spd_solve_columns(a, np.ascontiguousarray(rhs.T)).T


def _spd_solve_columns(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`spd_solve` on systems laid out (k, k, B) and right-hand sides (k, B)."""
    k = a.shape[0]
    chol = [[None] * k for _ in range(k)]
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(k):
            diag = a[j, j].copy()
            for m in range(j):
                diag -= chol[j][m] ** 2
            chol[j][j] = np.sqrt(diag)
            for i in range(j + 1, k):
                off = a[i, j].copy()
                for m in range(j):
                    off -= chol[i][m] * chol[j][m]
                chol[i][j] = off / chol[j][j]
        z = [None] * k
        for i in range(k):
            acc = b[i].copy()
            for m in range(i):
                acc -= chol[i][m] * z[m]
            z[i] = acc / chol[i][i]
        x = [None] * k
        for i in reversed(range(k)):
            acc = z[i]
            for m in range(i + 1, k):
                acc = acc - chol[m][i] * x[m]
            x[i] = acc / chol[i][i]
    return np.stack(x)


def gls_beta(moments: Ar1Moments, rho: np.ndarray, cols) -> np.ndarray:
    """GLS (Prais–Winsten) coefficients at one rho per column (B x k).

    Few columns (the observed data's fit, whose statistic is written out): LAPACK's
    solve; thousands (bootstrap and Monte Carlo draws): the batched Cholesky, which
    agrees to rounding and is several times faster there.
    """
    if len(rho) < BATCHED_SOLVE_MIN:
        gram, cross = moments.gram(rho), moments.cross(rho, cols)
        return np.linalg.solve(gram, cross[..., None])[..., 0]
    return _spd_solve_columns(moments.gram_columns(rho), moments.cross_columns(rho, cols)).T


def prais_winsten_batch(
    Y: np.ndarray,
    X: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 500,
    bound: float = RHO_BOUND,
) -> BatchFit:
    """:func:`pairing_audit.prais_winsten.prais_winsten` on every column of Y (n x B).

    The same iteration (start at rho = 0; beta | rho by least squares on the
    transformed data; rho | beta from the residuals, clipped at +-bound; stop when rho
    moves less than tol; final fit at the last rho), run on all columns together;
    each column stops on its own.
    """
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    # The fits are equivariant to adding X g to y: iterate on the OLS residuals so the
    # cross-products are of residual size (no cancellation), add the OLS fit back.
    beta_ols = batch_matmul(np.linalg.pinv(X), np.asarray(Y, dtype=float))  # (k, B)
    Y = Y - batch_matmul(X, beta_ols)
    B = Y.shape[1]
    moments = Ar1Moments(X, Y)
    rho = np.zeros(B)
    done = np.zeros(B, dtype=bool)
    active = np.arange(B)
    for _ in range(max_iter):
        beta = gls_beta(moments, rho[active], active)
        new_rho = moments.residual_rho(beta, active, bound)
        settled = np.abs(new_rho - rho[active]) < tol
        rho[active] = new_rho
        done[active[settled]] = True
        active = active[~settled]
        if not len(active):
            break
    gram = moments.gram(rho)
    xtx_inv = np.linalg.inv(gram)
    params = (xtx_inv @ moments.cross(rho, slice(None))[..., None])[..., 0]
    resid = ar1_transform(Y - batch_matmul(X, params.T), rho)  # one rho per column
    sigma2 = np.sum(resid**2, axis=0) / (n - k)
    return BatchFit(
        params=params + beta_ols.T,
        xtx_inv=xtx_inv,
        sigma2=sigma2,
        rho=rho,
        converged=done & (np.abs(rho) < bound),
        df_resid=n - k,
    )


def break_statistics(fit: BatchFit, columns: list[str], year: int) -> dict[str, np.ndarray]:
    """The reported statistics of the break at `year`, per column of the batch:
    joint F = W / 2 (Wald test of level and slope change both 0) and |t| of each."""
    i, j = columns.index(f"level_change_{year}"), columns.index(f"slope_change_{year}")
    b = fit.params[:, [i, j]]
    V = fit.cov[:, [i, j]][:, :, [i, j]]
    with np.errstate(divide="ignore", invalid="ignore"):
        wald = np.einsum("bi,bi->b", b, np.linalg.solve(V, b[..., None])[..., 0])
        return {
            "joint": wald / 2,
            "level_change": np.abs(b[:, 0]) / np.sqrt(V[:, 0, 0]),
            "slope_change": np.abs(b[:, 1]) / np.sqrt(V[:, 1, 1]),
        }


# --- the bootstrap ------------------------------------------------------------------


def ar1_paths(innovations: np.ndarray, rho) -> np.ndarray:
    """AR(1) paths u_t = rho * u_{t-1} + e_t from a stationary start u_0 = e_0 / sqrt(1 - rho^2);
    one path per column of `innovations` (n x M), rho a scalar or one per column."""
    rho = np.asarray(rho, dtype=float)
    out = np.empty_like(innovations)
    out[0] = innovations[0] / np.sqrt(1 - rho**2)
    for t in range(1, len(innovations)):
        out[t] = rho * out[t - 1] + innovations[t]
    return out


def centred_innovations(resid: np.ndarray, rho) -> np.ndarray:
    """e_t = u_t - rho * u_{t-1} (t >= 1) of residuals (n,) or (n, C), centred per column."""
    innov = resid[1:] - rho * resid[:-1]
    return innov - innov.mean(axis=0)


def ar1_sieve_errors(
    resid: np.ndarray, rho: float, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """n x n_boot AR(1) error paths built from resampled, centred innovations of `resid`."""
    innov = centred_innovations(resid, rho)
    return ar1_paths(innov[rng.integers(0, len(innov), size=(len(resid), n_boot))], rho)


def _rng(seed: int, key: str) -> np.random.Generator:
    # crc32 of the key: stable across processes (str hash is salted per process)
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


def bootstrap_breaks(years, y, breaks, n_boot: int, seed: int, key: str) -> list[dict]:
    """Bootstrap p-values of the joint, level and slope tests at every break of one fit."""
    X = design_matrix(years, breaks)
    columns = list(X.columns)
    y = np.asarray(y, dtype=float)
    base = {"n_boot": n_boot, "seed": seed, "n_obs": len(y)}
    # the same exactness checks as its.csv, which reports no tests for these fits
    exact = NOTE_EXACT if exact_solution(y, X.to_numpy()) is not None else ""
    if not exact and exact_segments(years, y, breaks):
        exact = NOTE_EXACT_SEGMENT
    if exact:
        return [
            {**base, "term": f"{kind}_{T}", "p_boot": math.nan, "statistic": math.nan}
            | {"rho_null": math.nan, "note": exact}
            for T in breaks
            for kind in TEST_KINDS
        ]
    observed = prais_winsten_batch(y[:, None], X.to_numpy())
    rows = []
    for T in breaks:
        stat_obs = break_statistics(observed, columns, T)
        X0 = X.drop(columns=[f"level_change_{T}", f"slope_change_{T}"]).to_numpy()
        null = prais_winsten(y, X0)
        resid = y - X0 @ null.params
        errors = ar1_sieve_errors(resid, null.rho, n_boot, _rng(seed, f"{key}|{T}"))
        boot = prais_winsten_batch((X0 @ null.params)[:, None] + errors, X.to_numpy())
        stat_boot = break_statistics(boot, columns, T)
        for kind in TEST_KINDS:
            obs = float(stat_obs[kind][0])
            p = (1 + np.sum(stat_boot[kind] >= obs)) / (n_boot + 1)
            rows.append(
                {**base, "term": f"{kind}_{T}", "p_boot": float(p), "statistic": obs}
                | {"rho_null": null.rho, "note": ""}
            )
    return rows


def holm_within_fit(boot: pd.DataFrame) -> pd.Series:
    """p_boot_holm: Holm over the break years, per fit and test kind (see module doc)."""
    out = pd.Series(math.nan, index=boot.index)
    kind = boot["term"].str.rsplit("_", n=1).str[0]
    ok = boot["p_boot"].notna()
    # multipletests' Holm branch runs gc.collect() on every call; with large arrays
    # alive that costs ~0.1 s per call unless the heap is frozen first (as in its.py)
    gc.freeze()
    try:
        for _, grp in boot[ok].groupby([*KEYS, kind[ok]], sort=True):
            out[grp.index] = multipletests(grp["p_boot"].to_numpy(), method="holm")[1]
    finally:
        gc.unfreeze()
    return out


def bootstrap_table(prices: pd.DataFrame, models_cfg: dict) -> pd.DataFrame:
    """its_boot.csv: bootstrap p-values of the break tests of every primary fit."""
    cfg = models_cfg["bootstrap"]
    primary = primary_keys(prices, models_cfg)
    wanted = {tuple(r) for r in primary[["table", "series", "scale", "prices"]].itertuples(False)}
    spec_of = primary.set_index(["table", "series", "scale", "prices"])
    rows = []
    for meta, years, y in model_samples(prices, models_cfg):
        sample = (meta["table"], meta["series"], meta["scale"], meta["prices"])
        if sample not in wanted:
            continue
        spec = spec_of.loc[sample]
        breaks = models_cfg["break_specs"][spec["breaks"]]
        if not admissible(years, breaks):
            continue  # the primary fit itself is not made (a segment too short)
        keys = {k: meta[k] for k in ("series", "table", "scale", "prices")}
        keys |= {"breaks": spec["breaks"], "estimator": spec["estimator"]}
        if keys["estimator"] != "prais_winsten":
            raise InputError(
                "config/config.yaml",
                "models.primary",
                "estimator",
                f"the bootstrap refits Prais–Winsten only, not {keys['estimator']!r}",
            )
        key = "|".join(str(keys[k]) for k in KEYS)
        for row in bootstrap_breaks(years, y, breaks, cfg["n_boot"], cfg["seed"], key):
            rows.append({**keys, **row})
    boot = pd.DataFrame(rows, columns=[c for c in BOOT_COLUMNS if c != "p_boot_holm"])
    boot["p_boot_holm"] = holm_within_fit(boot)
    boot = boot[BOOT_COLUMNS]
    return boot.sort_values([*SORT, "term"], kind="stable").reset_index(drop=True)


# --- merging into reports/its.csv -------------------------------------------------

MERGED = ["p_boot", "p_boot_holm"]
BOOT_FILE = "data/processed/its_boot.csv"
STAT_RTOL = 1e-6


def merge_into_its(its_text: pd.DataFrame, boot_text: pd.DataFrame) -> pd.DataFrame:
    """its.csv with `p_boot` and `p_boot_holm` appended (blank on other rows).

    Both tables are text (cells pass through unchanged). The bootstrap's observed
    statistic must be the reported one (F = `estimate` on joint rows, estimate/std_err
    on coefficient rows): a mismatch means the two computations have drifted apart and
    stops the run. Where its.csv reports no test (blank p_value), p_boot stays blank.
    """
    on = [*KEYS, "term"]
    dup = boot_text.duplicated(on)
    if dup.any():
        key = "/".join(boot_text.loc[dup, on].iloc[0])
        raise InputError(BOOT_FILE, key, "term", "duplicate key")
    merged = its_text.merge(
        boot_text[[*on, "statistic", *MERGED]], on=on, how="left", validate="many_to_one"
    )
    tested = merged["p_value"].ne("") & merged["p_boot"].notna() & merged["p_boot"].ne("")
    for idx in merged.index[tested]:
        row = merged.loc[idx]
        reported = float(row["estimate"])
        if not row["term"].startswith("joint_"):
            reported = abs(reported) / float(row["std_err"])
        if not math.isclose(float(row["statistic"]), reported, rel_tol=STAT_RTOL):
            raise InputError(
                BOOT_FILE,
                "/".join(row[on]),
                "statistic",
                f"{row['statistic']} differs from the reported test in reports/its.csv "
                f"({reported}): rerun its_estimates and its_inference",
            )
    merged.loc[~tested, MERGED] = ""
    return merged[[*its_text.columns, *MERGED]].fillna("")
