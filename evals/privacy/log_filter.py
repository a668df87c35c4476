"""A `logging.Filter` that sanitizes every record before any handler writes it.

Attach it to handlers rather than loggers: a logger's filters do not see records that propagate up
from child loggers, a handler's filters see everything it is about to write.

    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
"""

import logging
import traceback

from evals.privacy.operators import Pseudonymizer, check_operator
from evals.privacy.sanitizer import DEFAULT_MIN_SCORE, check_min_score, check_types, sanitize


class RedactingFilter(logging.Filter):
    """Replaces PII in a record's message, arguments, exception text and stack with placeholders.

    The message is formatted first (``msg % args``) and then sanitized, so PII passed as an argument
    (``log.info("user %s", email)``) is caught as well as PII in the format string; ``args`` is then
    emptied so no handler can format the raw values again. The filter never drops a record.

    Args:
        operator: As for `sanitize`; ``"placeholder"`` keeps logs readable.
        types: Entity types to redact; ``None`` means all.
        min_score: As for `sanitize`.
        salt: For ``operator="pseudonym"``: one salt for the filter's lifetime, so the same value gets
            the same pseudonym in every record (``None``: random, consistent until restart).

    Example:
        >>> import io
        >>> stream = io.StringIO()
        >>> handler = logging.StreamHandler(stream)
        >>> handler.addFilter(RedactingFilter())
        >>> log = logging.getLogger("doctest.redact")
        >>> log.addHandler(handler)
        >>> log.warning("login failed for %s", "ann.lee@example.com")
        >>> stream.getvalue()
        'login failed for [EMAIL]\\n'
    """

    def __init__(self, operator="placeholder", types=None, min_score=DEFAULT_MIN_SCORE, salt=None):
        super().__init__()
        check_operator(operator)
        check_min_score(min_score)
        self.operator = operator
        self.types = check_types(types)
        self.min_score = min_score
        self.pseudonymizer = Pseudonymizer(salt) if operator == "pseudonym" else None

    def _clean(self, text):
        return sanitize(text, self.operator, self.types, min_score=self.min_score, pseudonymizer=self.pseudonymizer)[0]

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A broken format string: sanitize its parts instead of letting the handler fail later.
            message = f"{record.msg} {record.args}"
        record.msg = self._clean(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            # Formatters print exc_text when it is set, so the traceback is redacted too.
            record.exc_text = self._clean("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        elif record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True
