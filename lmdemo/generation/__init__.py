"""Generation: how the next token is picked (samplers) and the compiled loops that feed it back."""

from lmdemo.generation.samplers import (SAMPLERS, BeamSampler, GreedySampler, Sampler, TemperatureSampler,
                                        TopKSampler, TopPSampler, make_sampler)

__all__ = ["BeamSampler", "GreedySampler", "SAMPLERS", "Sampler", "TemperatureSampler", "TopKSampler", "TopPSampler",
           "make_sampler"]
