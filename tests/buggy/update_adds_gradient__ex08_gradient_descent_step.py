"""Steps uphill."""


def gradient_descent_step(Theta, D, alpha):
    return {l: Theta[l] + alpha * D[l] for l in Theta}
