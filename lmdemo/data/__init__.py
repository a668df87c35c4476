"""Data in: reading text and example files (or Hugging Face datasets), batching and padding token ids,
and the argument checks every entry point shares."""
