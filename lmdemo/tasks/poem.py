"""Writing a poem of a given form and title with a character model trained on poem records
(``lmdemo.data.poems``): the ``"poem"`` task of ``lmdemo.pipeline``.

    >>> write = lmdemo.pipeline("poem", model="tang-poems-char")
    >>> write("春夜", form="七言绝句", temperature=0.8, seed=0)["poem"]

By default decoding is constrained (``FormConstraint``): each line gets exactly
its characters and its closing mark, so every poem has the form asked for. ``constrained=False`` lets
the model write until it ends the record itself, which measures how well it learned the form.
"""

import unicodedata

import numpy as np

from lmdemo.data.chinese_script import check_script, convert_script, to_traditional
from lmdemo.data.poem_form import EVEN_LINE_ENDS, FORMS, ODD_LINE_ENDS, check_form, parse_form, split_lines
from lmdemo.data.poems import clean_title, poem_prompt

DEFAULT_FORM = "五言絕句"
SAMPLERS = ("temperature", "top_k", "top_p", "greedy")
OPTIONS = ("form", "sampler", "temperature", "top_k", "top_p", "seed", "constrained", "script")


def write_poem(lm, title, form=DEFAULT_FORM, sampler="temperature", temperature=0.8, top_k=None, top_p=None,
               seed=None, constrained=True, script=None):
    """A poem of ``form`` titled ``title``, written by ``lm`` (a model trained on poem records).

    Args:
        lm: a language model whose checkpoint records ``task="poem"``.
        title: the title, in simplified or traditional characters (the model reads traditional ones:
            a simplified title is converted with OpenCC first).
        form: ``"五言絕句"``, ``"七言絕句"``, ``"五言律詩"`` or ``"七言律詩"`` (simplified names too).
        sampler, temperature, top_k, top_p, seed: as in ``LanguageModel.generate`` (no beam search).
        constrained: mask every token that would break the form (True), or let the model end the poem.
        script: ``"simplified"`` or ``"traditional"`` to convert the poem into; None keeps the model's
            own (traditional for ``tang-poems-char``).

    Returns:
        dict: ``poem`` (its lines joined, with their marks), ``lines`` (one string per line, with its
        mark), ``title`` and ``form`` (as the model read them), ``form_ok`` (it has the form's lines and
        widths), ``constrained``, and ``truncated`` (always False: a title too long is refused, not cut).
    """
    name = parse_form(form)
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {SAMPLERS} for a poem, received sampler={sampler!r}")
    if not isinstance(constrained, bool):
        raise ValueError(f"constrained must be True or False, received constrained={constrained!r}")
    check_script(script)
    read_title = clean_title(to_traditional(title))
    prompt = poem_prompt(read_title, name)
    if constrained:
        constraint = FormConstraint(lm.tokenizer, name)
        poem = lm.generate(prompt, max_new_tokens=constraint.num_tokens, sampler=sampler, temperature=temperature,
                           top_k=top_k, top_p=top_p, seed=seed, allowed_tokens=constraint)
    else:
        lines, width = FORMS[name]  # room for the form's length and half again: a longer poem is cut there
        poem = lm.generate(prompt, max_new_tokens=(lines * (width + 1) * 3) // 2, sampler=sampler,
                           temperature=temperature, top_k=top_k, top_p=top_p, seed=seed, stop="\n")
    poem = convert_script(poem.strip(), script)
    return {"poem": poem, "lines": [chars + marks for chars, marks in split_lines(poem)],
            "title": read_title, "form": name, "form_ok": check_form(poem, name)["form_ok"],
            "constrained": constrained, "truncated": False}


class FormConstraint:
    """The tokens a character model may write next so that its poem keeps ``form``.

    Line by line: ``width`` characters that are letters of a script (CJK ideographs; no marks, digits,
    spaces or ``<unk>``), then one mark: from ``ODD_LINE_ENDS`` after lines 1, 3, ... and from
    ``EVEN_LINE_ENDS`` after lines 2, 4, .... Decoding masks every other token, so the poem has the form
    whatever the model would have preferred; the model still chooses among the allowed tokens. A poem is
    ``num_tokens`` tokens long.

    Args:
        tokenizer: a character tokenizer (one token per character).
        form: a form name (``parse_form``).
    """

    def __init__(self, tokenizer, form):
        if getattr(tokenizer, "type_name", None) != "char":
            raise ValueError(f"a form constraint needs a character tokenizer (one token per character), received a "
                             f"{getattr(tokenizer, 'type_name', type(tokenizer).__name__)!r} tokenizer")
        self.form = parse_form(form)
        self.lines, self.width = FORMS[self.form]
        chars = list(tokenizer.chars)
        ids = {c: i for i, c in enumerate(chars)}
        size = tokenizer.vocab_size  # the characters, then <unk>
        self.char_mask = np.zeros(size, bool)
        self.char_mask[:len(chars)] = [unicodedata.category(c) == "Lo" for c in chars]
        self.odd_mask = np.zeros(size, bool)
        self.even_mask = np.zeros(size, bool)
        for mask, marks in ((self.odd_mask, ODD_LINE_ENDS), (self.even_mask, EVEN_LINE_ENDS)):
            for mark in marks:
                if mark in ids:
                    mask[ids[mark]] = True
        for name, mask in (("a character", self.char_mask), (f"any of {ODD_LINE_ENDS!r}", self.odd_mask),
                           (f"any of {EVEN_LINE_ENDS!r}", self.even_mask)):
            if not mask.any():
                raise ValueError(f"the tokenizer has no token for {name}: it cannot write a {self.form}")
        self._is_mark = self.odd_mask | self.even_mask

    @property
    def num_tokens(self):
        """Tokens in a whole poem: every line's characters and its mark."""
        return self.lines * (self.width + 1)

    def __call__(self, new_ids):
        """The boolean mask over the vocabulary of the tokens allowed after ``new_ids`` (the poem so far)."""
        line = count = 0
        for token in new_ids:
            if self._is_mark[token]:
                line, count = line + 1, 0
            else:
                count += 1
        if line >= self.lines:
            raise ValueError(f"the poem already has its {self.lines} lines: nothing may follow")
        if count < self.width:
            return self.char_mask
        return self.odd_mask if line % 2 == 0 else self.even_mask
