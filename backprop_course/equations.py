r"""The course's equations, one label each, in the course's Theta / a / z / d notation.

Code comments such as ``# (BP2)`` refer to these labels; the notebooks, the step-through widget
and the grader's feedback quote the same LaTeX, so a learner sees one form of every equation.
"""

EQUATIONS = {
    "F1": r"a^{(1)} = \begin{bmatrix} 1 \\ x \end{bmatrix}",
    "F2": r"z^{(l+1)} = \Theta^{(l)}\, a^{(l)}",
    "F3": r"a^{(l+1)} = \begin{bmatrix} 1 \\ g\bigl(z^{(l+1)}\bigr) \end{bmatrix}",
    "F4": r"a^{(L)} = h\bigl(z^{(L)}\bigr) \quad\text{(no bias unit on the output layer)}",
    "J": (
        r"J(\Theta) = -\frac{1}{m}\sum_{t=1}^{m}\sum_{k=1}^{K}\Bigl[y^{(t)}_k \log a^{(L)}_{kt}"
        r" + \bigl(1 - y^{(t)}_k\bigr)\log\bigl(1 - a^{(L)}_{kt}\bigr)\Bigr]"
        r" + \frac{\lambda}{2m}\sum_{l=1}^{L-1}\sum_{i}\sum_{j \ge 1}\bigl(\Theta^{(l)}_{ij}\bigr)^2"
    ),
    "BP0": r"\Delta^{(l)} := 0 \quad\text{for } l = 1, \dots, L-1",
    "BP1": r"d^{(L)} = a^{(L)} - y",
    "BP2": (
        r"d^{(l)} = \Bigl[\bigl(\Theta^{(l)}\bigr)^{\top} d^{(l+1)}\Bigr]_{1:}"
        r" \odot g'\bigl(z^{(l)}\bigr)"
    ),
    "BP3": r"\Delta^{(l)} := \Delta^{(l)} + d^{(l+1)} \bigl(a^{(l)}\bigr)^{\top}",
    "BP4": r"D^{(l)}_{ij} = \frac{1}{m}\Bigl(\Delta^{(l)}_{ij} + \lambda\,\Theta^{(l)}_{ij}\Bigr) \quad (j \ge 1)",
    "BP5": r"D^{(l)}_{i0} = \frac{1}{m}\,\Delta^{(l)}_{i0} \quad (j = 0,\ \text{the bias column})",
    "GD": r"\Theta^{(l)} := \Theta^{(l)} - \alpha\, D^{(l)}",
    "G1": r"g(z) = \frac{1}{1 + e^{-z}}",
    "G2": r"g'(z) = g(z)\,\bigl(1 - g(z)\bigr)",
    "NG": (
        r"\frac{\partial J}{\partial \Theta^{(l)}_{ij}} \approx"
        r" \frac{J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})}{2\epsilon}"
    ),
}
