"""What a layer returns when it can give more than its output: one named result, the same shape every call."""

from typing import Any, NamedTuple


class LayerOutput(NamedTuple):
    """The result of a layer or network call that can return more than one thing.

    Fields that were not asked for are None, so callers read them by name and never count
    positions: ``block(x, cache=c).cache``, ``attention(x, return_details=True).details["weights"]``.

    Attributes:
        output: the layer's output (hidden states, or logits for a network).
        cache: the updated key/value cache (or recurrent state) when one was given.
        details: a dict of intermediate values when asked for (attention weights, activations).
    """

    output: Any
    cache: Any = None
    details: Any = None
