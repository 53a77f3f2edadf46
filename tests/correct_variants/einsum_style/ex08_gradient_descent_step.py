import copy


def gradient_descent_step(Theta, D, alpha):
    new = copy.deepcopy(Theta)
    for l in new:
        new[l] -= alpha * D[l]          # in place, but on a copy
    return new
