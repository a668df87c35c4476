"""Recognizer for credentials: API keys with a known prefix, private keys, passwords and random strings.

Known prefixes are precise and score high. Anything else is judged by Shannon entropy: a long run of
letters and digits that mixes character classes and is close to random is more likely a token than a
word. Hex strings (hashes, UUIDs) score lower, since many of them are identifiers rather than secrets.
"""

import math
import re

from evals.privacy.checksums import shannon_entropy
from evals.privacy.finding import Finding

# Vendor token formats, from each vendor's documentation of its key format. Every repetition is
# bounded so a pathological input cannot make a candidate grow without limit, and every branch starts
# with a literal so the engine can skip ahead to the few places where a prefix may start.
_PREFIXED = re.compile(
    r"(?:"
    r"sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_\-]{20,256}"   # OpenAI, Anthropic
    r"|sk_(?:live|test)_[A-Za-z0-9]{16,256}|pk_(?:live|test)_[A-Za-z0-9]{16,256}"  # Stripe
    r"|rk_(?:live|test)_[A-Za-z0-9]{16,256}"
    r"|gh[pousr]_[A-Za-z0-9]{30,255}"                          # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{40,255}"                        # GitHub fine-grained tokens
    r"|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"                     # AWS access key ids
    r"|xox[abposr]-[A-Za-z0-9\-]{10,255}"                      # Slack
    r"|AIza[0-9A-Za-z_\-]{35}"                                 # Google API keys
    r"|glpat-[0-9A-Za-z_\-]{20,64}"                            # GitLab
    r"|hf_[A-Za-z0-9]{30,64}"                                  # Hugging Face
    r"|npm_[A-Za-z0-9]{36}"                                    # npm
    r"|eyJ[A-Za-z0-9_\-]{8,4096}\.eyJ[A-Za-z0-9_\-]{8,4096}\.[A-Za-z0-9_\-]{8,4096}"  # JSON Web Token
    r")", re.ASCII)
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]{0,24}PRIVATE KEY-----[\s\S]{0,16384}?"
                          r"-----END [A-Z ]{0,24}PRIVATE KEY-----")
# "password: hunter2": only the value after the key is reported. Found from the separator, which is
# rare in prose, by checking which word ends just before it.
_ASSIGN_KEYS = ("password", "passwd", "pwd", "passcode", "passphrase", "secret", "apikey", "api_key", "api-key",
                "api key", "access_token", "access-token", "auth_token", "token", "passwort", "mot de passe")
_ASSIGN_KEYS = tuple(sorted({k for w in _ASSIGN_KEYS for k in (w, w.title(), w.upper())})) + ("密码", "口令")
# A separator is worth a look only if, past at most four blanks or quotes, a key's last character
# precedes it ("password:", "Token ="); one fixed-width look-behind per number of blanks.
_KEY_LAST = "[" + re.escape("".join(sorted({k[-1] for k in _ASSIGN_KEYS}))) + "]"
_ASSIGN_SEP = re.compile("[:=：](?:" + "|".join(f"(?<={_KEY_LAST}[ \t\"']{{{n}}}.)" for n in range(5)) + ")")
_ASSIGN_HINTS = ("ass", "ASS", "wd", "WD", "ecret", "ECRET", "oken", "OKEN", "key", "Key", "KEY", "密码", "口令")
_ASSIGNED_VALUE = re.compile(r"[:=：][ \t]{0,3}[\"']?([^\s\"',;\u3000-\u9fff\uff00-\uffef]{4,128})")
# Candidates for the entropy test start after a character outside the token alphabet (or at the
# start of the text), so each run of token characters is read once.
_RANDOM = re.compile(r"[^A-Za-z0-9+/_=\-]([A-Za-z0-9+/_=\-]{24,512})")
_RANDOM_AT_START = re.compile(r"[A-Za-z0-9+/_=\-]{24,512}")
# Substrings without which no vendor prefix can match, by the separator they contain: `in` scans far
# faster than a regex, and most texts have neither "_" nor a vendor prefix.
_PREFIX_HINTS = {"_": ("sk_", "pk_", "rk_", "gh", "github_pat_", "hf_", "npm_"), "-": ("sk-", "xox", "glpat-"),
                 "": ("AKIA", "ASIA", "AIza", "eyJ")}
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_\-]", re.ASCII)
_HEX = re.compile(r"[0-9a-fA-F\-]+")
_DIGIT = re.compile(r"[0-9]")


def _entropy_score(token):
    """Score a run of token characters by how random it looks; 0 for words, paths and identifiers."""
    if not _DIGIT.search(token):
        return 0.0
    mixed_case = token.lower() != token and token.upper() != token
    if mixed_case:
        # The entropy a random base-62 string of this length reaches, capped: short strings cannot
        # show many distinct symbols, so the bar scales with log2(len).
        return 0.7 if shannon_entropy(token) >= min(4.3, 0.85 * math.log2(len(token))) else 0.0
    if len(token) >= 32 and _HEX.fullmatch(token) and shannon_entropy(token) >= 3.0:
        return 0.55
    return 0.0


def _may_have_prefix(text):
    """`_PREFIX_HINTS` written out: plain `in` tests without a generator per call."""
    if "AKIA" in text or "ASIA" in text or "AIza" in text or "eyJ" in text:
        return True
    if "-" in text and ("sk-" in text or "xox" in text or "glpat-" in text):
        return True
    return "_" in text and ("sk_" in text or "pk_" in text or "rk_" in text or "gh" in text or "hf_" in text
                            or "npm_" in text)


def find_secrets(text):
    """API keys and tokens with well-known prefixes, PEM private keys, assigned passwords, random strings."""
    out = []
    if _may_have_prefix(text):
        for m in _PREFIXED.finditer(text):
            if not (m.start() and _TOKEN_CHAR.match(text, m.start() - 1)):  # not inside a longer word
                out.append(Finding(m.start(), m.end(), "SECRET", 0.95))
    if "-----BEGIN" in text:
        out += [Finding(m.start(), m.end(), "SECRET", 0.95) for m in _PRIVATE_KEY.finditer(text)]
    # No `_ASSIGN_HINTS` test first: with its look-behinds the scan is cheaper than 13 substring tests.
    for sep in _ASSIGN_SEP.finditer(text):
        key_end = sep.start()
        while key_end > sep.start() - 4 and key_end and text[key_end - 1] in " \t\"'":
            key_end -= 1
        if text.endswith(_ASSIGN_KEYS, max(0, key_end - 16), key_end):
            m = _ASSIGNED_VALUE.match(text, sep.start())
            if m:
                out.append(Finding(m.start(1), m.end(1), "SECRET", 0.75))
    first = _RANDOM_AT_START.match(text)
    for m in ([first] if first else []) + list(_RANDOM.finditer(text)):
        token = m.group(m.lastindex or 0)
        score = _entropy_score(token)
        if score:
            start = m.start(m.lastindex or 0)
            out.append(Finding(start, start + len(token), "SECRET", score))
    return out
