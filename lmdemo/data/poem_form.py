"""The forms of regulated Tang verse (近體詩): lines, characters per line, and the marks between lines.

A 絕句 (quatrain) has 4 lines, a 律詩 (regulated verse) 8; each line has 5 (五言) or 7 (七言) characters.
The poems of ``../shared/data/tang_poems`` end lines 1, 3, 5, 7 with "，" and lines 2, 4, 6, 8 with "。"
(224,792 of 225,265 lines; the rest with "？", "！" or "；"). ``check_form`` measures a poem against a form
(``lmdemo.tasks.poem.FormConstraint`` makes a decoder keep one).

    >>> check_form("床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。", "五言绝句")["form_ok"]
    True
"""

FORMS = {"五言絕句": (4, 5), "七言絕句": (4, 7), "五言律詩": (8, 5), "七言律詩": (8, 7)}  # name → (lines, width)
SIMPLIFIED_NAMES = {"五言绝句": "五言絕句", "七言绝句": "七言絕句", "五言律诗": "五言律詩", "七言律诗": "七言律詩"}
ODD_LINE_ENDS = "，；？！"  # right after lines 1, 3, 5, 7
EVEN_LINE_ENDS = "。？！"  # right after lines 2, 4, 6, 8
LINE_ENDS = "，。？！；、：,.?!;:"  # marks that end a line when a poem is read (the ASCII ones are wrong marks)


def parse_form(form):
    """The traditional name of ``form`` (simplified names accepted); ValueError naming the choices."""
    if isinstance(form, str):
        name = SIMPLIFIED_NAMES.get(form.strip(), form.strip())
        if name in FORMS:
            return name
    raise ValueError(f"unknown form={form!r}; choose one of {list(FORMS)} (or in simplified characters: "
                     f"{list(SIMPLIFIED_NAMES)})")


def split_lines(poem):
    """The poem's lines as ``(characters, marks after them)`` pairs.

    A line ends at a mark of ``LINE_ENDS`` or a newline; a run of marks ("。。") stays with its line;
    spaces are not characters. ``"床前明月光，疑是地上霜"`` → ``[("床前明月光", "，"), ("疑是地上霜", "")]``.
    """
    if not isinstance(poem, str):
        raise TypeError(f"poem must be a str, received {type(poem).__name__}")
    lines, body = [], []
    for ch in poem.strip():
        if ch in LINE_ENDS:
            if body:
                lines.append(["".join(body), ch])
                body = []
            elif lines:
                lines[-1][1] += ch
        elif ch == "\n":
            if body:
                lines.append(["".join(body), ""])
                body = []
        elif not ch.isspace():
            body.append(ch)
    if body:
        lines.append(["".join(body), ""])
    return [tuple(line) for line in lines]


def right_mark(index, marks):
    """Whether ``marks`` is the right punctuation after the line at 0-based ``index``: one mark, from
    ``ODD_LINE_ENDS`` after lines 1, 3, ... and from ``EVEN_LINE_ENDS`` after lines 2, 4, ..."""
    return len(marks) == 1 and marks in (ODD_LINE_ENDS if index % 2 == 0 else EVEN_LINE_ENDS)


def check_form(poem, form):
    """How ``poem`` keeps ``form``.

    Returns:
        dict: ``form`` (its traditional name), ``form_ok`` (the right number of lines, each of the right
        width), ``lines`` (how many), ``widths`` (characters per line), ``marks_ok`` (lines ending in the
        right mark, ``right_mark``) and ``marks_total`` (the number of lines the form asks for, or more if
        the poem has more).
    """
    name = parse_form(form)
    n_lines, width = FORMS[name]
    lines = split_lines(poem)
    widths = [len(body) for body, _ in lines]
    return {"form": name, "form_ok": len(lines) == n_lines and all(w == width for w in widths),
            "lines": len(lines), "widths": widths,
            "marks_ok": sum(right_mark(i, marks) for i, (_, marks) in enumerate(lines)),
            "marks_total": max(n_lines, len(lines))}


def detect_form(poem):
    """The form ``poem`` has (its traditional name), or None if it has none of them."""
    lines = split_lines(poem)
    for name, (n_lines, width) in FORMS.items():
        if len(lines) == n_lines and all(len(body) == width for body, _ in lines):
            return name
    return None
