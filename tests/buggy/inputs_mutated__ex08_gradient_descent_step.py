"""Right values, but updates Theta in place."""


def gradient_descent_step(Theta, D, alpha):
    for l in Theta:
        Theta[l] -= alpha * D[l]
    return Theta
