"""Muon: momentum whose update is orthogonalised by Newton–Schulz iterations, for the hidden weight matrices.

Jordan et al., "Muon: An optimizer for hidden layers in neural networks" (2024), as used by the
modded-nanoGPT speedruns; the learning-rate scale follows Liu et al., "Muon is Scalable for LLM
Training" (2025). For a weight matrix W with gradient G at step t:

    B_t = μ B_{t-1} + G_t                          momentum
    M_t = G_t + μ B_t                              Nesterov: look one step ahead
    O_t = NewtonSchulz5(M_t) ≈ U Vᵀ                where M_t = U Σ Vᵀ: every singular value set to ~1
    W_t = W_{t-1} − η · √max(1, n_out / n_in) · O_t

``NewtonSchulz5`` runs five steps of the quintic X ← a X + (b A + c A²) X with A = X Xᵀ, starting
from X = M / ‖M‖_F, with (a, b, c) = (3.4445, −4.7750, 2.0315): coefficients chosen so that the
singular values climb quickly into [0.7, 1.2] rather than converge exactly (Jordan et al.).

Everything that is not a hidden matrix (embeddings, the output layer, biases, norms) is updated by
AdamW, as in the speedruns. One schedule drives both: Muon's rate is ``muon_learning_rate`` times
the schedule's fraction of its peak, and decoupled weight decay applies to both.
"""

import keras
from keras import ops

NEWTON_SCHULZ = (3.4445, -4.7750, 2.0315)


def newton_schulz(matrix, steps=5, eps=1e-7):
    """An approximate orthogonalisation of a 2-D ``matrix`` (its U Vᵀ), by ``steps`` quintic iterations."""
    a, b, c = NEWTON_SCHULZ
    x = matrix / (ops.sqrt(ops.sum(ops.square(matrix))) + eps)
    transposed = x.shape[0] > x.shape[1]
    if transposed:  # iterate on the wide side: A = X Xᵀ is the smaller square
        x = ops.transpose(x)
    for _ in range(steps):
        gram = ops.matmul(x, ops.transpose(x))
        x = a * x + ops.matmul(b * gram + c * ops.matmul(gram, gram), x)
    return ops.transpose(x) if transposed else x


def is_hidden_matrix(variable):
    """Muon's weights: the 2-D kernels of the blocks (attention and feed-forward), not the token or position
    embeddings and not the output layer, which AdamW updates."""
    path = variable.path
    return len(variable.shape) == 2 and "embedding" not in path and "lm_head" not in path


@keras.saving.register_keras_serializable(package="lmdemo")
class Muon(keras.optimizers.Optimizer):
    """Muon for the hidden matrices, AdamW for every other weight.

    Args:
        learning_rate: AdamW's rate (a float or a schedule).
        muon_learning_rate: Muon's rate where AdamW's is ``peak_learning_rate`` (η above).
        peak_learning_rate: the schedule's peak (default: ``learning_rate`` when it is a float).
        momentum: μ, Muon's momentum.
        beta_1, beta_2, epsilon: AdamW's.
        ns_steps: Newton–Schulz iterations.
        weight_decay: decoupled, on both (exclude names with ``exclude_from_weight_decay``).
    """

    def __init__(self, learning_rate=1e-3, muon_learning_rate=0.02, peak_learning_rate=None, momentum=0.95,
                 beta_1=0.9, beta_2=0.99, epsilon=1e-8, ns_steps=5, weight_decay=None, name="muon", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, name=name, **kwargs)
        self.muon_learning_rate = muon_learning_rate
        self.momentum = momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.ns_steps = ns_steps
        if peak_learning_rate is None and not isinstance(learning_rate, (int, float)):
            raise ValueError("peak_learning_rate is needed when learning_rate is a schedule, received "
                             "peak_learning_rate=None")
        self.peak_learning_rate = float(learning_rate if peak_learning_rate is None else peak_learning_rate)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        m = self._momentums[self._get_variable_index(variable)]
        if is_hidden_matrix(variable):
            self.assign(m, self.momentum * m + gradient)  # B_t = μ B_{t-1} + G_t
            ahead = gradient + self.momentum * m  # M_t = G_t + μ B_t
            shape = variable.shape  # Keras kernels are (n_in, n_out)
            scale = max(1.0, shape[1] / shape[0]) ** 0.5
            eta = lr * (self.muon_learning_rate / self.peak_learning_rate)
            self.assign_sub(variable, eta * scale * newton_schulz(ahead, self.ns_steps))
            return
        v = self._velocities[self._get_variable_index(variable)]  # AdamW (its decay applied by the base class)
        step = ops.cast(self.iterations + 1, variable.dtype)
        alpha = lr * ops.sqrt(1 - ops.power(self.beta_2, step)) / (1 - ops.power(self.beta_1, step))
        self.assign_add(m, (gradient - m) * (1 - self.beta_1))
        self.assign_add(v, (ops.square(gradient) - v) * (1 - self.beta_2))
        self.assign_sub(variable, m * alpha / (ops.sqrt(v) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"muon_learning_rate": self.muon_learning_rate, "peak_learning_rate": self.peak_learning_rate,
                       "momentum": self.momentum,
                       "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "ns_steps": self.ns_steps})
        return config
