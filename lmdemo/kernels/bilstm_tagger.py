"""The PII tagger's BiLSTM context and tag head for one text, in C++ (``bilstm_tagger.cc``), called with ctypes.

A sanitizer checks texts one call at a time; for one short text the tagger's network (a few thousand
multiply-adds per word) costs far less than handing a compiled XLA program over to XLA's thread and back:
on the dense dev documents a call took ~270 µs with the network and ~80 µs with it skipped
(docs/privacy.md). ``BiLSTMTagger`` runs the same arithmetic as ``TokenTagger.tag_logits`` followed by
``best_tags`` (float32, the text's words only, no padding) on the calling thread.

    tagger = BiLSTMTagger(weights)            # the arrays, read once (``weights``: see ``__init__``)
    tags, scores = tagger.tag(features)       # (n, in_dim) float32 word vectors → (n,) int32, (n,) float32
"""

import ctypes
from pathlib import Path

import numpy as np

from lmdemo.kernels import build

SOURCE = Path(__file__).with_name("bilstm_tagger.cc")
FLAGS = ("-fno-trapping-math",)  # lets the compiler vectorize the gate loop (its float → int conversion)
_library = None  # loaded on first use; a KernelUnavailable when it cannot be built


class _Layer(ctypes.Structure):
    _fields_ = [("kernel", ctypes.c_void_p * 2), ("recurrent", ctypes.c_void_p * 2), ("bias", ctypes.c_void_p * 2)]


class _Tagger(ctypes.Structure):
    _fields_ = [("in_dim", ctypes.c_int64), ("d_model", ctypes.c_int64), ("num_layers", ctypes.c_int64),
                ("num_labels", ctypes.c_int64), ("epsilon", ctypes.c_float),
                ("projection_kernel", ctypes.c_void_p), ("projection_bias", ctypes.c_void_p),
                ("layers", ctypes.POINTER(_Layer)), ("norm_gamma", ctypes.c_void_p), ("norm_beta", ctypes.c_void_p),
                ("head_kernel", ctypes.c_void_p), ("head_bias", ctypes.c_void_p)]


def load():
    """The compiled library (``lmdemo.kernels.build``).

    Raises:
        KernelUnavailable: it cannot be compiled here.
    """
    global _library
    if _library is None:
        try:
            lib = build.load_library(SOURCE, FLAGS)
            lib.lmdemo_bilstm_tag.restype = ctypes.c_int
            lib.lmdemo_bilstm_tag.argtypes = [ctypes.POINTER(_Tagger), ctypes.c_void_p, ctypes.c_int64,
                                              ctypes.c_void_p, ctypes.c_void_p]
            _library = lib
        except build.KernelUnavailable as error:
            _library = error
    if isinstance(_library, build.KernelUnavailable):
        raise _library
    return _library


class BiLSTMTagger:
    """``TokenTagger.tag_logits`` + ``best_tags`` for one text, for a tagger whose context is a BiLSTM.

    Args:
        weights: a dict of arrays: ``projection_kernel`` (in_dim, d_model), ``projection_bias``;
            ``layers``, a list of ``{"kernel": (forward, backward), "recurrent": (...), "bias": (...)}``
            (each LSTM of d_model / 2 units: kernels (d_model, 4 units), recurrent (units, 4 units));
            ``norm_gamma``, ``norm_beta`` (d_model); ``head_kernel`` (d_model, num_labels), ``head_bias``.
        epsilon: the final LayerNorm's epsilon.

    Raises:
        ValueError: the shapes do not fit together (an odd d_model, a head that is not O + B/I pairs).
        KernelUnavailable: the kernel cannot be compiled here.
    """

    def __init__(self, weights, epsilon):
        self._lib = load()
        arrays = []  # every array the struct points into, kept alive with it

        def pointer(a):
            a = np.ascontiguousarray(a, dtype=np.float32)
            arrays.append(a)
            return a.ctypes.data

        in_dim, d_model = np.shape(weights["projection_kernel"])
        num_labels = np.shape(weights["head_kernel"])[1]
        if d_model % 2 or num_labels < 3 or num_labels % 2 == 0:
            raise ValueError(f"BiLSTMTagger needs an even d_model and O + B/I labels, received d_model={d_model}, "
                             f"num_labels={num_labels}")
        for i, layer in enumerate(weights["layers"]):
            for name, shape in (("kernel", (d_model, 2 * d_model)), ("recurrent", (d_model // 2, 2 * d_model))):
                if any(np.shape(a) != shape for a in layer[name]):
                    raise ValueError(f"layers[{i}][{name!r}] must be two {shape} arrays, received "
                                     f"{[np.shape(a) for a in layer[name]]}")
        layers = (_Layer * max(1, len(weights["layers"])))()
        for slot, layer in zip(layers, weights["layers"]):
            for name in ("kernel", "recurrent", "bias"):
                getattr(slot, name)[:] = [pointer(a) for a in layer[name]]
        self._struct = _Tagger(in_dim, d_model, len(weights["layers"]), num_labels, epsilon,
                               pointer(weights["projection_kernel"]), pointer(weights["projection_bias"]),
                               layers, pointer(weights["norm_gamma"]), pointer(weights["norm_beta"]),
                               pointer(weights["head_kernel"]), pointer(weights["head_bias"]))
        self._keep = (arrays, layers)
        self.in_dim = in_dim

    def tag(self, features):
        """(n, in_dim) word vectors → each word's tag (``best_tags``: 1 + 2·type + inside) and its score."""
        features = np.ascontiguousarray(features, dtype=np.float32)
        n = len(features)
        if features.ndim != 2 or features.shape[1] != self.in_dim or n == 0:
            raise ValueError(f"features must be (n ≥ 1, {self.in_dim}) word vectors, received shape {features.shape}")
        tags, scores = np.empty(n, np.int32), np.empty(n, np.float32)
        self._lib.lmdemo_bilstm_tag(ctypes.byref(self._struct), features.ctypes.data, n, tags.ctypes.data,
                                    scores.ctypes.data)
        return tags, scores
