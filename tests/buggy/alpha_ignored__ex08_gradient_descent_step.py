"""Forgets the learning rate."""


def gradient_descent_step(Theta, D, alpha):
    return {l: Theta[l] - D[l] for l in Theta}
