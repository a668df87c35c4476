"""``lmdemo.pipeline``: one callable per task over one text or a batch, as Hugging Face's pipelines.

    >>> classify = lmdemo.pipeline("sentiment")
    >>> classify("a gorgeous, witty, seductive movie.")
    {'label': 'positive', 'score': 0.97, 'probabilities': {...}, 'truncated': False}
    >>> lmdemo.pipeline("translation")(["I love you.", "Where is the station?"])
    [{'translation_text': 'Te quiero.', ...}, {...}]

A single string gives one dict; a list gives a list of dicts, in order. Every result says
whether the input was cut to fit the model (``truncated``). A classifier with an n-gram expert
also gives each expert's own probabilities (``experts``).
"""

from lmdemo.data.chinese_script import check_script, convert_script
from lmdemo.lm.language_model import LanguageModel
from lmdemo.registry import LM_TASKS, TASKS, canonical_task

EXTRACTIVE = ("lead-3", "textrank")  # summarization methods that need no model
# Decoding a task's model uses unless the call says otherwise, as Hugging Face's models set in their
# generation configs: for summaries, beam search without repeated 3-grams (SAMSum val ROUGE-1 of
# samsum-summarization: 34.7 this way, 32.4 greedy); for translations, beam search with 4 beams, as the
# Marian (opus-mt) models do (Tatoeba valid BLEU of en-zh-translation: 26.56 this way, 24.13 greedy; see the
# cards). ``num_beams=1`` asks for greedy decoding.
DEFAULT_OPTIONS = {"summarization": {"num_beams": 4, "no_repeat_ngram_size": 3}, "translation": {"num_beams": 4}}
MAX_BATCH = 10_000


def pipeline(task, model=None, **options):
    """A callable for ``task`` backed by ``model``.

    Args:
        task: ``"sentiment"``, ``"translation"``, ``"summarization"``, ``"lm"``, ``"ner"`` or ``"poem"``
            (aliases, Hugging Face's names: ``"sentiment-analysis"``, ``"text-classification"``,
            ``"translation_en_to_es"``, ``"text-generation"``, ``"token-classification"``). The names and
            defaults come from ``lmdemo.registry.TASKS``.
        model: a shipped model name, a checkpoint folder, a loaded lmdemo model, or for
            summarization ``"lead-3"`` / ``"textrank"`` (extractive, no model). Default: the
            task's shipped model (``sst2-sentiment``, ``en-es-translation``,
            ``samsum-summarization``, ``shakespeare-char``, ``pii-ner``, ``tang-poems-char``).
        **options: defaults for every call: ``num_beams``, ``max_new_tokens``,
            ``length_penalty``, ``no_repeat_ngram_size`` (translation, summarization; their
            models default to ``DEFAULT_OPTIONS``: beam search), ``script`` (translation:
            ``"simplified"`` or ``"traditional"`` Chinese output), the arguments of ``generate``
            (text generation), and for poems ``lmdemo.tasks.poem.OPTIONS``.

    Returns:
        a ``Pipeline``: call it with a string or a list of strings.
    """
    from lmdemo.registry import load_model  # the registry imports this package's classes

    task = canonical_task(task)
    spec = TASKS[task]
    if task == "summarization" and model in EXTRACTIVE:
        return Pipeline(task, model, options)
    loaded = load_model(spec.default_model if model is None else model) if model is None or isinstance(model, str) \
        else model
    wanted_class = LanguageModel if task in ("lm", "poem") else object
    if not isinstance(loaded, wanted_class) or getattr(loaded, "kind", None) not in spec.kinds:
        raise ValueError(f"model={model!r} is a {getattr(loaded, 'kind', None)!r} model; task={task!r} needs a "
                         f"{' or '.join(repr(k) for k in spec.kinds)} model such as {spec.default_model!r}")
    if getattr(loaded, "task", None) not in (None, task) and not (task == "lm" and loaded.task in LM_TASKS):
        raise ValueError(f"model={model!r} was trained for task={loaded.task!r}, not task={task!r}")
    return Pipeline(task, loaded, {**DEFAULT_OPTIONS.get(task, {}), **options})


class Pipeline:
    """``pipe(text)`` → dict, ``pipe([texts])`` → list of dicts; keyword arguments override the defaults."""

    def __init__(self, task, model, options):
        self.task = task
        self.model = model
        self.options = dict(options)

    @property
    def output_key(self):
        """The key of the output text (``translation_text``...); None for sentiment."""
        return TASKS[self.task].output_key

    def __repr__(self):
        name = self.model if isinstance(self.model, str) else type(self.model).__name__
        return f"Pipeline(task={self.task!r}, model={name})"

    def __call__(self, inputs, **options):
        single = isinstance(inputs, str)
        texts = [inputs] if single else inputs
        if not isinstance(texts, (list, tuple)):
            raise TypeError(f"inputs must be a string or a list of strings, received {type(inputs).__name__}")
        if not texts:
            raise ValueError("inputs is an empty list: give at least one text")
        if len(texts) > MAX_BATCH:
            raise ValueError(f"inputs has {len(texts):,} texts; the limit per call is {MAX_BATCH:,}")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"inputs[{i}] must be a str, received {type(text).__name__}")
            if not text.strip():
                raise ValueError(f"inputs[{i}] is empty" if not single else "the text is empty")
        results = self._run(list(texts), **{**self.options, **options})
        return results[0] if single else results

    def _run(self, texts, **options):
        if self.task == "sentiment":
            _no_options(self.task, options)
            return [{k: r[k] for k in ("label", "score", "probabilities", "truncated", "experts") if k in r}
                    for r in self.model.classify(texts)]
        if self.task == "ner":  # entities grouped over words, as Hugging Face's aggregation_strategy="simple"
            unknown = sorted(set(options) - {"threshold"})
            if unknown:
                raise ValueError(f"ner takes ['threshold']; unknown: {unknown}")
            return [[{"entity_group": kind, "score": score, "word": t[a:b], "start": a, "end": b}
                     for a, b, kind, score in spans] for t, spans in zip(texts, self.model.tag(texts, **options))]
        if self.task == "poem":
            from lmdemo.tasks.poem import OPTIONS, write_poem

            unknown = sorted(set(options) - set(OPTIONS))
            if unknown:
                raise ValueError(f"poem takes {list(OPTIONS)}; unknown: {unknown}")
            return [write_poem(self.model, t, **options) for t in texts]
        if self.task == "lm":  # the prompt and its continuation, as Hugging Face's default
            return [{"generated_text": t + self.model.generate(t, **options)} for t in texts]
        key = self.output_key
        if isinstance(self.model, str):  # an extractive summary
            from lmdemo.tasks.extractive import METHODS

            _no_options(f"{self.model} summarization", options)
            return [{key: METHODS[self.model](t), "truncated": False} for t in texts]
        allowed = {"num_beams", "max_new_tokens", "length_penalty", "no_repeat_ngram_size"}
        if self.task == "translation":
            allowed.add("script")  # Chinese output in simplified or traditional characters (OpenCC)
        unknown = sorted(set(options) - allowed)
        if unknown:
            raise ValueError(f"{self.task} takes {sorted(allowed)}; unknown: {unknown}")
        script = check_script(options.pop("script", None))  # before decoding: a bad value costs nothing
        return [{key: convert_script(r["text"], script), "truncated": r["truncated"]}
                for r in self.model.generate(texts, **options)]


def _no_options(what, options):
    if options:
        raise ValueError(f"{what} takes no options; received {sorted(options)}")
