"""How fast is backprop_course's backpropagation? Ratios measured in one run.

    python benchmarks/bench_backprop.py            # all cases, about a minute
    python benchmarks/bench_backprop.py --quick    # fewer repeats

Printed, for each network:
  * vectorized ``bp.backprop`` against ``bp.backprop_loop`` (the per-example loop);
  * ``bp.backprop`` against PyTorch CPU autograd computing the same float64 gradient of the same
    regularized cross-entropy cost, tensors already resident (what a torch user would run) —
    only when torch is installed; it is never a dependency;
  * the fraction of the machine's float64 matmul rate that backprop reaches: the floating-point
    work of its matrix products (per layer: z = Theta a, Delta = d a', and Theta' d except for
    layer 1, whose input delta nobody needs) divided by its time, over the rate of a large square
    matmul measured in the same run.

Times are taken as interleaved pairs (a block of calls of A, then of B, repeated) because a shared
machine's speed drifts; each ratio is the median of the per-pair ratios. Targets (issue 2, 2-core
CPU) are printed beside each figure with PASS/MISS.
"""

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

import backprop_course as bp

try:
    import torch
except ImportError:  # torch is optional
    torch = None

CASES = [
    # name, layer sizes, m, targets: (max time vs torch, min fraction of matmul rate)
    ("digits 64-25-10", [64, 25, 10], 1797, 0.8, None),
    ("2 hidden 64-32-32-10", [64, 32, 32, 10], 256, 0.8, None),
    ("large 784-512-512-10", [784, 512, 512, 10], 4096, 1.2, 0.70),
]
LAMBDA = 1.0


def problem(sizes, m, seed=0):
    rng = np.random.default_rng(seed)
    Theta = bp.init_thetas(sizes, epsilon_init=0.5, seed=seed)
    X = rng.standard_normal((sizes[0], m))
    Y = bp.one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    return Theta, X, Y


def per_call(fn, calls):
    """Seconds per call over `calls` back-to-back calls (what a training loop does)."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def calls_for(fn, block=0.05):
    """How many back-to-back calls fill about `block` seconds."""
    return max(1, round(block / per_call(fn, 1)))


def interleaved(fn_a, fn_b, pairs):
    """Median time per call of a, of b, and the median of the per-pair ratios a/b.

    Each pair times a block of back-to-back calls of a, then of b (about 50 ms each). Blocks,
    not single calls: both numpy's BLAS and torch keep worker threads spinning for a while after
    a call, and single alternating calls would measure each library fighting the other's idle
    threads for the two cores rather than its own speed.
    """
    n_a, n_b = calls_for(fn_a), calls_for(fn_b)  # also warms caches, allocators and thread pools
    t_a, t_b = [], []
    for _ in range(pairs):
        t_a.append(per_call(fn_a, n_a))
        t_b.append(per_call(fn_b, n_b))
    ratios = [a / b for a, b in zip(t_a, t_b, strict=True)]
    return statistics.median(t_a), statistics.median(t_b), statistics.median(ratios)


def matmul_flops(sizes, m):
    """Floating-point operations in backprop's matrix products for one call."""
    flops = 0
    for l in range(1, len(sizes)):
        rows, cols = sizes[l], sizes[l - 1] + 1
        flops += 2 * rows * cols * m          # z(l+1) = Theta(l) a(l)
        flops += 2 * rows * cols * m          # Delta(l) = d(l+1) a(l)'
        if l > 1:
            flops += 2 * rows * (cols - 1) * m  # Theta(l)' d(l+1), bias row skipped
    return flops


def torch_gradient_fn(Theta, X, Y, lambda_):
    """A closure computing dJ/dTheta with torch autograd, same cost and dtype as bp.backprop."""
    L = len(Theta) + 1
    m = X.shape[1]
    T = {l: torch.tensor(Theta[l], dtype=torch.float64, requires_grad=True) for l in Theta}
    Xt = torch.tensor(X, dtype=torch.float64)
    Yt = torch.tensor(Y, dtype=torch.float64)
    ones = torch.ones(1, m, dtype=torch.float64)

    def gradient():
        a = torch.cat([ones, Xt])
        for l in range(1, L - 1):
            a = torch.cat([ones, torch.sigmoid(T[l] @ a)])
        z_L = T[L - 1] @ a
        J = torch.nn.functional.binary_cross_entropy_with_logits(z_L, Yt, reduction="sum") / m
        J = J + lambda_ / (2 * m) * sum((T[l][:, 1:] ** 2).sum() for l in T)
        return torch.autograd.grad(J, [T[l] for l in sorted(T)])

    return gradient


def peak_matmul_rate(n=2048, repeats=5):
    A = np.random.default_rng(1).standard_normal((n, n))
    B = np.random.default_rng(2).standard_normal((n, n))
    A @ B
    best = min(per_call(lambda: A @ B, 1) for _ in range(repeats))
    return 2 * n**3 / best


def verdict(value, target, smaller_is_better=True):
    ok = value <= target if smaller_is_better else value >= target
    return "PASS" if ok else "MISS"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a rough look)")
    args = parser.parse_args(argv)
    pairs = 5 if args.quick else 15

    print(f"backprop_course {bp.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
          f"{os.cpu_count()} cores" + (f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
                                       if torch else ", torch not installed"))
    rate = peak_matmul_rate()
    print(f"float64 matmul rate (2048x2048 @ 2048x2048): {rate / 1e9:.1f} GFLOP/s\n")

    # The per-example loop against the vectorized form, on the digits network.
    Theta, X, Y = problem([64, 25, 10], 1797)
    D_loop = bp.backprop_loop(Theta, X, Y, LAMBDA)
    D_vec = bp.backprop(Theta, X, Y, LAMBDA)
    agree = bp.relative_error(D_loop, D_vec)
    t_loop, t_vec, ratio = interleaved(lambda: bp.backprop_loop(Theta, X, Y, LAMBDA),
                                       lambda: bp.backprop(Theta, X, Y, LAMBDA), max(3, pairs // 3))
    print(f"loop vs vectorized, 64-25-10, m=1797: loop {t_loop * 1e3:.1f} ms, vectorized {t_vec * 1e3:.2f} ms, "
          f"speed-up {ratio:.0f}x (target >= 50x: {verdict(ratio, 50, False)}); relative difference {agree:.1e}\n")

    print(f"{'network':24} {'m':>5} {'numpy ms':>9} {'torch ms':>9} {'np/torch':>9} {'target':>7}"
          f" {'':5} {'matmul rate':>11} {'target':>7}")
    for name, sizes, m, torch_target, rate_target in CASES:
        Theta, X, Y = problem(sizes, m)
        def ours(Theta=Theta, X=X, Y=Y):
            return bp.backprop(Theta, X, Y, LAMBDA)

        if torch is not None:
            theirs = torch_gradient_fn(Theta, X, Y, LAMBDA)
            D_torch = {l: g.numpy() for l, g in zip(sorted(Theta), theirs(), strict=True)}
            mismatch = bp.relative_error(ours(), D_torch)
            if mismatch > 1e-10:
                sys.exit(f"{name}: torch and backprop_course disagree (relative error {mismatch:.1e})")
            t_np, t_torch, ratio = interleaved(ours, theirs, pairs)
            torch_cols = f"{t_torch * 1e3:9.2f} {ratio:9.2f} {'<=' + str(torch_target):>7} " \
                         f"{verdict(ratio, torch_target):5}"
        else:
            t_np = statistics.median(per_call(ours, calls_for(ours)) for _ in range(pairs))
            torch_cols = f"{'-':>9} {'-':>9} {'':>7} {'':5}"
        fraction = matmul_flops(sizes, m) / t_np / rate
        rate_cols = f"{fraction:10.0%}"
        if rate_target is not None:
            rate_cols += f" {'>=' + format(rate_target, '.0%'):>7} {verdict(fraction, rate_target, False)}"
        print(f"{name:24} {m:5d} {t_np * 1e3:9.2f} {torch_cols} {rate_cols}")


if __name__ == "__main__":
    main()
