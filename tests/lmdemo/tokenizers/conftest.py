"""Texts shared by the tokenizer tests."""

# every script and kind of character a tokenizer must round-trip: CJK, emoji (a ZWJ sequence), control
# characters, accents and a ligature
TEXTS = ["hello world", "床前明月光，疑是地上霜。", "emoji 🙂 and ZWJ 👩‍💻", "tabs\tand\nnewlines", "ÀÉÎõü ß ﬁ"]
