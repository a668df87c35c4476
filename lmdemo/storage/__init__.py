"""Checkpoint folders: their layout, atomic writing, encryption at rest, and the one save/load every model kind uses."""
