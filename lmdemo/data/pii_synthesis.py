"""Texts full of personal data whose every span is known: the training data of the PII tagger.

Four sources, mixed by ``build_examples``:

- **templates** written here (chat, e-mail, forms, shipping labels, reviews, news, support tickets, in
  English, Chinese, German, French, Spanish, Italian, Portuguese, Dutch), their slots filled by Faker in
  every locale it has, so an English sentence meets Icelandic, Greek, Hungarian or Vietnamese names and
  addresses, as real text does;
- **chats** put together from speaker lines and utterances, first names alone, sometimes in lower case;
- **SAMSum dialogues** (``--samsum``, the train split): the speakers' names and their mentions are weak
  labels, and half of the dialogues get every speaker renamed with a Faker first name;
- **Tatoeba sentences** (``--tatoeba``, the train split of an English–X pair file): the project's name
  lists mark names such as "Tom" and "Mary" (and their Chinese transliterations), most of them renamed.

Slots are written ``{TYPE}`` or ``{TYPE:k}``: slots with the same ``k`` name the same person, so
``"{FIRST:1} told {FIRST:2} ... {NAME:1}"`` keeps one person's first name and full name together. The
types labelled PERSON and ADDRESS are what the tagger learns; EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN,
IP_ADDRESS, URL and DATE_OF_BIRTH are labelled for the benchmark (the sanitizer's patterns find them);
the rest (CITY, COMPANY, MONTH, ...) are distractors left unlabelled: capitalized words that are not
personal data.

Dev templates live apart (``lmdemo.data.pii_dev_templates``, written by another hand) and are filled
with another seed, so a dev score measures templates the tagger never saw.
"""

import random
import re

# -- slots -------------------------------------------------------------------------------------------------
PERSON_SLOTS = ("NAME", "FIRST", "LAST", "NAME_INITIAL", "FIRST_LOWER", "NAME_LOWER", "NAME_UPPER", "LAST_FIRST",
                "TITLED_LAST")
ADDRESS_SLOTS = ("STREET", "ADDRESS", "ADDRESS_LINES", "NUMBER_STREET")
STRUCTURED_SLOTS = ("EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "URL", "DATE_OF_BIRTH")
DISTRACTOR_SLOTS = ("CITY", "COUNTRY", "COMPANY", "DATE", "MONTH", "WEEKDAY", "NUMBER", "AMOUNT", "ORDER", "JOB",
                    "PRODUCT", "TIME", "STATE")
SLOT_TYPES = {**{s: "PERSON" for s in PERSON_SLOTS}, **{s: "ADDRESS" for s in ADDRESS_SLOTS},
              **{s: s for s in STRUCTURED_SLOTS}, **{s: None for s in DISTRACTOR_SLOTS}}
TAGGED_TYPES = ("PERSON", "ADDRESS")  # what the tagger learns
SLOT = re.compile(r"\{([A-Z_]+)(?::(\d))?\}")

# -- locales -------------------------------------------------------------------------------------------------
ENGLISH = ("en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "en_IN", "en_PH")
CHINESE = ("zh_CN", "zh_TW")
BY_LANGUAGE = {
    "en": ENGLISH, "zh": CHINESE, "de": ("de_DE", "de_AT", "de_CH"), "fr": ("fr_FR", "fr_BE", "fr_CA", "fr_CH"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CO", "es_CL"), "it": ("it_IT", "it_CH"), "pt": ("pt_BR", "pt_PT"),
    "nl": ("nl_NL", "nl_BE"),
}
# locales whose Faker data is deprecated, or mostly English under another name
_SKIP_LOCALES = {"fr_QC", "dk_DK", "en", "la"}
HOME_SHARE = 0.45  # the share of values drawn from the template language's own locales; the rest from anywhere


def all_locales():
    from faker.config import AVAILABLE_LOCALES

    return tuple(loc for loc in AVAILABLE_LOCALES if loc not in _SKIP_LOCALES)


_TITLE_TOKEN = re.compile(r"^(?:[^\W\d_]{1,6}\.)+$|^(?:MD|DDS|DVM|PhD|II|III|IV|Jr|Sr|Esq|CPA|RN|MBA|BSc|MSc)$")


def strip_titles(name):
    """A Faker name without its titles: "Dr. Kiss György" → "Kiss György", "John Doe MD" → "John Doe"."""
    words = name.split()
    while len(words) > 1 and _TITLE_TOKEN.match(words[0]):
        words.pop(0)
    while len(words) > 1 and _TITLE_TOKEN.match(words[-1].rstrip(",")):
        words.pop()
    return " ".join(words)


def _is_han(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


class Filler:
    """Draws slot values: Faker objects per locale, seeded once, and a ``random.Random`` for choices."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seed = seed
        self._fakers = {}
        self.locales = all_locales()

    def faker(self, locale):
        f = self._fakers.get(locale)
        if f is None:
            import warnings

            from faker import Faker

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f = Faker(locale)
            f.seed_instance(f"{self.seed}-{locale}")
            self._fakers[locale] = f
        return f

    def locale(self, language):
        home = BY_LANGUAGE.get(language, ENGLISH)
        return self.rng.choice(home) if self.rng.random() < HOME_SHARE else self.rng.choice(self.locales)

    def person(self, language):
        """A person: first name, last name and the full name as the locale writes it, all of one draw."""
        loc = self.locale(language)
        f = self.faker(loc)
        first, last, full = _name_parts(f)
        if _is_han(full) and not _is_han(first):  # a few CJK locales mix scripts; keep one person in one script
            first, last = full[1:], full[:1]
        return {"first": first, "last": last, "full": full, "locale": loc}

    def value(self, slot, language, person):
        rng = self.rng
        if slot in PERSON_SLOTS:
            return self._person_value(slot, person)
        loc = self.locale(language)
        f = self.faker(loc)
        en = self.faker("en_US")
        if slot == "STREET":
            return _one_line(_try(f, en, "street_address"))
        if slot == "NUMBER_STREET":  # "28245 Puruntie 82 Apt. 595": a number before any locale's street
            street = _one_line(_try(f, en, "street_address"))
            extra = rng.choice(["", "", f" Apt. {rng.randint(1, 999)}", f" Suite {rng.randint(100, 999)}",
                                f", Unit {rng.randint(1, 60)}"])
            return f"{rng.randint(1, 99999)} {street}{extra}"
        if slot == "ADDRESS":
            return _one_line(_try(f, en, "address"), rng.choice([", ", ", ", " "]))
        if slot == "ADDRESS_LINES":
            return _try(f, en, "address").replace("\r", "")
        if slot == "EMAIL":
            return rng.choice([f.email, f.free_email, en.company_email, en.email])()
        if slot == "PHONE":
            return _try(f, en, "phone_number")
        if slot == "CREDIT_CARD":
            number = en.credit_card_number()
            return " ".join(number[i:i + 4] for i in range(0, len(number), 4)) if rng.random() < 0.4 else number
        if slot == "IBAN":
            iban = _try(f, en, "iban")
            if rng.random() < 0.4:
                iban = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
            return iban.lower() if rng.random() < 0.1 else iban
        if slot == "US_SSN":
            return en.ssn()
        if slot == "IP_ADDRESS":
            return en.ipv4() if rng.random() < 0.8 else en.ipv6()
        if slot == "URL":
            return en.url() + rng.choice(["", "profile", "account/settings", f"u/{en.user_name()}"])
        if slot in ("DATE_OF_BIRTH", "DATE"):
            d = en.date_of_birth(minimum_age=1, maximum_age=90) if slot == "DATE_OF_BIRTH" else en.date_object()
            fmt = rng.choice(["%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%-m/%-d/%Y", "%d/%m/%Y"])
            return d.strftime(fmt) if language != "zh" else f"{d.year}年{d.month}月{d.day}日"
        if slot == "CITY":
            return _try(f, en, "city")
        if slot == "STATE":
            return _try(f, en, "state")
        if slot == "COUNTRY":
            return _try(f, en, "country")
        if slot == "COMPANY":
            return _try(f, en, "company")
        if slot == "MONTH":
            return en.month_name()
        if slot == "WEEKDAY":
            return en.day_of_week()
        if slot == "NUMBER":
            return str(rng.choice([rng.randint(2, 60), rng.randint(100, 9999)]))
        if slot == "AMOUNT":
            return rng.choice(["$", "€", "£", ""]) + f"{rng.uniform(3, 3000):,.2f}"
        if slot == "ORDER":
            return rng.choice(["#", "A-", "ORD-", "", "INV-"]) + str(rng.randint(10000, 99999999))
        if slot == "JOB":
            return en.job()
        if slot == "PRODUCT":
            return rng.choice(PRODUCTS)
        if slot == "TIME":
            return f"{rng.randint(1, 12)}:{rng.choice(['00', '15', '30', '45'])} {rng.choice(['am', 'pm', 'AM', 'PM'])}"
        raise ValueError(f"unknown slot={slot!r}; slots: {sorted(SLOT_TYPES)}")

    def _person_value(self, slot, p):
        rng = self.rng
        first, last, full = p["first"], p["last"], p["full"]
        if slot == "NAME":
            if rng.random() < 0.25 and not _is_han(full):
                return f"{first} {last}"
            return full
        if slot == "FIRST":
            return first
        if slot == "LAST":
            return last
        if slot == "NAME_INITIAL":
            if _is_han(full):
                return full
            initial = rng.choice("ABCDEFGHIJKLMNOPRSTW")
            return rng.choice([f"{first} {initial}. {last}", f"{first[0]}. {last}", f"{first} {initial} {last}"])
        if slot == "FIRST_LOWER":
            return first.lower()
        if slot == "NAME_LOWER":
            return full.lower()
        if slot == "NAME_UPPER":
            return full.upper()
        if slot == "LAST_FIRST":
            return f"{last}, {first}" if not _is_han(full) else full
        if slot == "TITLED_LAST":  # the title stays outside the span: "Dr. " + last name
            return last
        raise ValueError(slot)


_NAME_TOKEN = re.compile(r"\{\{\s*(\w+)(?::\s*\w+?)?\s*\}\}")


def _name_parts(faker):
    """``(first, last, full)`` of one person: one of the locale's name formats filled token by token (as
    ``faker.name()`` does), its titles left out, so that the full name holds that first and last name."""
    provider = next((p for p in faker.providers if type(p).__module__.startswith("faker.providers.person")), None)
    first = last = None
    if provider is not None:
        pattern, parts, pos = faker.random_element(provider.formats), [], 0
        for m in _NAME_TOKEN.finditer(pattern):
            parts.append(pattern[pos:m.start()])
            pos, token = m.end(), m.group(1)
            if token.startswith(("prefix", "suffix")):
                continue
            value = " ".join(faker.format(token).split())  # a few names hold double spaces
            if first is None and token.startswith("first_name") and not token.endswith("abbreviated"):
                first = value
            elif last is None and token.startswith("last_name"):
                last = value
            parts.append(value)
        parts.append(pattern[pos:])
    if not first or not last:
        first, last = strip_titles(faker.first_name()), strip_titles(faker.last_name())
        return first, last, f"{first} {last}"
    return first, last, " ".join("".join(parts).split())


def _try(faker, fallback, method):
    """``faker.method()``, or the fallback Faker's where the locale lacks the provider or fails in it."""
    try:
        return getattr(faker, method)()
    except (AttributeError, KeyError, ValueError, IndexError, TypeError):
        return getattr(fallback, method)()


def _one_line(address, sep=", "):
    return sep.join(part.strip() for part in address.replace("\r", "").split("\n") if part.strip())


def fill(template, filler, language):
    """A template with its slots filled: ``(text, [(start, end, type), ...])``, only labelled types kept."""
    persons, parts, spans, pos, length = {}, [], [], 0, 0
    for m in SLOT.finditer(template):
        literal = template[pos:m.start()]
        parts.append(literal)
        length += len(literal)
        slot, key = m.group(1), m.group(2)
        if slot not in SLOT_TYPES:
            raise ValueError(f"template {template!r} has an unknown slot {{{slot}}}; slots: {sorted(SLOT_TYPES)}")
        person = None
        if slot in PERSON_SLOTS:
            person = persons.get(key) if key else None
            if person is None:
                person = filler.person(language)
                if key:
                    persons[key] = person
        value = filler.value(slot, language, person)
        if slot == "TITLED_LAST" and not parts[-1].endswith(" "):
            parts.append(" ")
            length += 1
        kind = SLOT_TYPES[slot]
        if kind is not None and value:
            spans.append((length, length + len(value), kind))
        parts.append(value)
        length += len(value)
        pos = m.end()
    parts.append(template[pos:])
    return "".join(parts), spans


# -- chats ---------------------------------------------------------------------------------------------------
# {OTHER} is the other speaker's first name, {THIRD} a third person's; {other}, {third}: in lower case
CHAT_LINES = [
    "hi {OTHER}!", "hey {other}, you there?", "Morning {OTHER} :)", "Did you talk to {THIRD}?", "yes", "no way",
    "ok", "I'll ask {THIRD} tomorrow", "{OTHER}, can you pick me up at {TIME}?", "Sure", "lol", "haha ok",
    "Where are you?", "On my way", "Tell {THIRD} I said hi", "thx {other}", "Thanks {OTHER}!", "<file_photo>",
    "Is {THIRD} coming to the party?", "I think {THIRD} and {FOURTH} are coming", "not sure yet",
    "{THIRD} said the meeting moved to {WEEKDAY}", "Call me when you can", "Love you {OTHER}",
    "What did {third} say?", "ask {third}", "{OTHER} please don't forget the tickets", "I won't",
    "See you at {TIME}", "Can't wait!", "Happy birthday {OTHER}!!!", "thank you so much!",
    "Have you seen {THIRD}'s new car?", "Yes, it's awesome", "Did {OTHER} reply?", "Not yet",
    "I'm at {THIRD}'s place", "My new address is {STREET}", "send it to {ADDRESS}", "ok I'll send it today",
    "How was the trip to {CITY}?", "Great, we saw {THIRD} there", "Is it ok if {THIRD} joins us?", "of course",
    "{OTHER}???", "sorry, was driving", "no worries", "Guys, dinner at mine on {WEEKDAY}?", "I'm in",
    "count me in", "me too", "Can you send me {THIRD}'s number?", "it's {PHONE}", "my email is {EMAIL}",
    "Say hello to {Third} from me", "we miss you {other}", "Where's {THIRD}?", "with {FOURTH} at the gym",
    "Did you buy the {PRODUCT}?", "Not yet, it's {AMOUNT}", "too expensive", "I know right",
    "{OTHER} and I are going to {CITY} in {MONTH}", "cool, with {THIRD}?", "I'll be late, tell {third}",
]


def chat(filler, rng):
    """A chat of 3–10 lines between 2–3 speakers ``Name: text``, with the names labelled PERSON."""
    language = "en"
    n_speakers = rng.choice([2, 2, 2, 3])
    names = []
    while len(names) < n_speakers + 2:
        first = filler.person(language)["first"].split()[0]
        if first not in names:
            names.append(first)
    speakers, third, fourth = names[:n_speakers], names[n_speakers], names[n_speakers + 1]
    roles = rng.random() < 0.2  # a support chat or a family group: the speakers are roles, not names
    if roles:
        speakers = rng.sample(ROLES, n_speakers)
    newline = rng.choice(["\n", "\n", "\r\n"])
    text, spans, last = "", [], None
    for i in range(rng.randint(3, 10)):
        speaker = rng.choice([s for s in speakers if s != last] or speakers)
        last = speaker
        other = rng.choice([s for s in speakers if s != speaker])
        if i:
            text += newline
        if not roles:
            spans.append((len(text), len(text) + len(speaker), "PERSON"))
        text += speaker + ": "
        line = rng.choice(CHAT_LINES)
        if roles:  # a role is addressed by a name of its own
            other = fourth
        values = {"OTHER": other, "other": other.lower(), "THIRD": third, "third": third.lower(), "Third": third,
                  "FOURTH": fourth}
        pos = 0
        for m in re.finditer(r"\{([A-Za-z_]+)\}", line):
            text += line[pos:m.start()]
            name = m.group(1)
            if name in values:
                value, kind = values[name], "PERSON"
            else:
                value, kind = filler.value(name, language, None), SLOT_TYPES[name]
            if kind:
                spans.append((len(text), len(text) + len(value), kind))
            text += value
            pos = m.end()
        text += line[pos:]
    return text, spans


ROLES = ("Customer", "Agent", "Support", "Me", "Mom", "Dad", "Mum", "Bot", "Host", "Guest", "Driver", "Teacher",
         "Boss", "Admin", "Moderator", "Client", "Seller", "Buyer", "Nurse", "Doctor", "Operator", "Caller",
         "Interviewer", "Candidate", "User", "Assistant", "Reception", "Manager", "Grandma", "Coach")

# -- forms -----------------------------------------------------------------------------------------------
# field labels in several languages: (slot, labels); a form is a few fields, one per line or on one line
FORM_FIELDS = [
    ("NAME", ("Name", "Full name", "Customer", "Patient", "Recipient", "Insured", "Nome", "Nombre", "Nom",
              "Naam", "Name des Kunden", "姓名", "收件人", "NAME", "Contact", "Guest", "Employee", "Cardholder")),
    ("FIRST", ("First name", "Given name", "Vorname", "Prénom", "Nome proprio", "名")),
    ("LAST", ("Last name", "Surname", "Family name", "Nachname", "Nom de famille", "Apellido", "Cognome", "姓")),
    ("ADDRESS", ("Address", "Home address", "Adresse", "Dirección", "Indirizzo", "Endereço", "Adres", "Anschrift",
                 "地址", "住址", "Mailing address", "ADDRESS")),
    ("ADDRESS_LINES", ("Address", "Ship to", "Deliver to", "Lieferadresse", "Adresse de livraison", "收货地址")),
    ("STREET", ("Street", "Street address", "Straße", "Rue", "Calle", "Via", "Straat", "街道")),
    ("DATE_OF_BIRTH", ("Date of birth", "DOB", "Born", "Geburtsdatum", "Date de naissance", "Fecha de nacimiento",
                       "Data di nascita", "Geboortedatum", "出生日期")),
    ("PHONE", ("Phone", "Tel", "Mobile", "Telefon", "Téléphone", "Teléfono", "Cellulare", "电话", "手机")),
    ("EMAIL", ("Email", "E-mail", "Courriel", "Correo", "邮箱")),
    ("US_SSN", ("SSN", "Social Security No.")), ("IBAN", ("IBAN", "Bank account", "Konto")),
    ("CREDIT_CARD", ("Card number", "Card", "Kartennummer", "卡号")), ("IP_ADDRESS", ("IP", "Last login IP")),
    ("CITY", ("City", "Stadt", "Ville", "Ciudad", "城市", "Place of birth")), ("COUNTRY", ("Country", "Land", "Pays", "国家")),
    ("COMPANY", ("Company", "Employer", "Firma", "Société", "Empresa", "公司")), ("JOB", ("Occupation", "Job", "Beruf")),
    ("DATE", ("Date", "Datum", "Issued", "Check-in", "日期")), ("ORDER", ("Order", "Reference", "Ref.", "订单号")),
    ("AMOUNT", ("Amount", "Total", "Betrag", "金额")), ("PRODUCT", ("Item", "Product", "Artikel")),
]


def form(filler, rng):
    """A form of 2–8 ``Label: value`` fields on lines (or on one line, separated by ``;`` or ``|``)."""
    fields = rng.sample(FORM_FIELDS, rng.randint(2, 8))
    language = rng.choice(["en", "en", "en", "de", "fr", "es", "it", "pt", "nl", "zh"])
    sep = rng.choice(["\n", "\n", "\n", "; ", " | ", "\r\n"])
    colon = rng.choice([": ", ": ", ":", " - ", "：", ":\t"])
    upper = rng.random() < 0.1
    template = sep.join(f"{rng.choice(labels)}{colon}{{{slot}:1}}" if slot in PERSON_SLOTS else
                        f"{rng.choice(labels)}{colon}{{{slot}}}" for slot, labels in fields)
    text, spans = fill(template, filler, language)
    if upper:
        text = text.upper() if len(text.upper()) == len(text) else text
    return text, spans


# -- weak labels from real text ----------------------------------------------------------------------------
_SPEAKER = re.compile(r"^([^\W\d_][^\s:]{0,30}(?: [^\W\d_][^\s:]{0,30})?):", re.M)


def samsum_example(dialogue, filler, rng, rename=0.5):
    """A SAMSum dialogue with its speakers' names (and every mention of them) labelled PERSON; with
    probability ``rename`` every speaker gets a Faker first name first (so names are not memorized)."""
    speakers = sorted(set(_SPEAKER.findall(dialogue)), key=lambda s: (-len(s), s))  # ties by name: the same order in every process
    if not speakers:
        return dialogue, []
    if rng.random() < rename:
        new = {}
        for s in speakers:
            first = filler.person("en")["first"].split()[0]
            new[s] = first
        pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(s) for s in speakers) + r")(?![\w])", re.I)

        def sub(m):
            name = new[next(s for s in speakers if s.lower() == m.group(1).lower())]
            return name.lower() if m.group(1).islower() else name

        dialogue = pattern.sub(sub, dialogue)
        speakers = sorted(set(new.values()), key=lambda s: (-len(s), s))
    words = set()
    for s in speakers:
        words.add(s)
        words.update(w for w in s.split() if len(w) > 1)
    pattern = re.compile(r"(?<![\w@/.])(" + "|".join(re.escape(w) for w in sorted(words, key=lambda s: (-len(s), s)))
                         + r")(?![\w@])", re.I)
    return dialogue, _merge_adjacent([(m.start(), m.end(), "PERSON") for m in pattern.finditer(dialogue)], dialogue)


def _merge_adjacent(spans, text):
    out = []
    for s in spans:
        if out and text[out[-1][1]:s[0]] == " " and out[-1][2] == s[2]:
            out[-1] = (out[-1][0], s[1], s[2])
        else:
            out.append(s)
    return out


TATOEBA_NAMES = ("Tom", "Mary", "John", "Alice", "Bob", "Jack", "Ken", "Mike", "Jim", "Tony", "Lucy", "Jane",
                 "Bill", "Emily", "Paul", "Taro", "Kate", "Nancy", "Susan", "Judy", "Betty", "George", "Maria",
                 "Sami", "Layla", "Muiriel", "Dan", "Linda", "Yanni", "Skura", "Mennad", "Baya", "Ziri", "Rima")
TATOEBA_ZH = ("汤姆", "玛丽", "约翰", "爱丽丝", "杰克", "肯", "迈克", "吉姆", "露西", "简", "比尔", "保罗", "凯特",
              "南希", "苏珊", "乔治", "玛利亚", "琳达", "托尼", "艾米丽")


def tatoeba_negative(sentence):
    """A Tatoeba sentence without any of the common names, as an example with no entity; None otherwise.

    Chinese sentences are kept; English ones only when no word but the first is capitalized, since
    other names ("Sami", "Tokyo") are not in the lists and would teach the tagger that names are outside."""
    if _tatoeba_pattern(_is_han(sentence)).search(sentence):
        return None
    if not _is_han(sentence) and any(w[:1].isupper() for w in sentence.split()[1:] if w not in ("I", "I'm", "I'll",
                                                                                              "I've", "I'd")):
        return None
    return sentence, []


def tatoeba_example(sentence, filler, rng, rename=0.7):
    """A Tatoeba sentence with its names (the common ones, in English or in Chinese) labelled PERSON; most
    are renamed with a Faker name of the sentence's script first. None when it holds no such name."""
    zh = _is_han(sentence)
    names = TATOEBA_ZH if zh else TATOEBA_NAMES
    pattern = _tatoeba_pattern(zh)
    if not pattern.search(sentence):
        return None
    renamed = {}

    def sub(m):
        if rng.random() >= rename:
            return m.group(0)
        if m.group(0) not in renamed:
            p = filler.person("zh" if zh else "en")
            value = p["full"] if zh and _is_han(p["full"]) else p["first"].split()[0]
            if zh and not _is_han(value):
                value = p["full"]
            renamed[m.group(0)] = value
        return renamed[m.group(0)]

    sentence = pattern.sub(sub, sentence)
    found = list(renamed.values()) + list(names)
    finder = re.compile("|".join(re.escape(n) for n in sorted(set(found), key=lambda s: (-len(s), s))))
    spans = []
    for m in finder.finditer(sentence):
        if not zh and ((m.start() and sentence[m.start() - 1].isalnum()) or
                       (m.end() < len(sentence) and sentence[m.end()].isalnum())):
            continue
        spans.append((m.start(), m.end(), "PERSON"))
    return sentence, _merge_adjacent(spans, sentence)


_TATOEBA_PATTERNS = {}


def _tatoeba_pattern(zh):
    if zh not in _TATOEBA_PATTERNS:
        names = TATOEBA_ZH if zh else TATOEBA_NAMES
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        _TATOEBA_PATTERNS[zh] = re.compile(alternation if zh else rf"\b(?:{alternation})\b")
    return _TATOEBA_PATTERNS[zh]


# -- the mix ---------------------------------------------------------------------------------------------------
def template_examples(templates, n, seed):
    """``n`` examples from ``templates`` ({language: [template, ...]}), languages drawn by template count."""
    filler = Filler(seed)
    pool = [(lang, t) for lang, ts in templates.items() for t in ts]
    return [fill(t, filler, lang) for lang, t in (filler.rng.choice(pool) for _ in range(n))]


def build_examples(n, seed=0, samsum=None, tatoeba=(), templates=None, chat_share=0.15, samsum_share=0.2,
                   tatoeba_share=0.15, negative_share=0.12, form_share=0.12, lower_share=0.0, joined_share=0.1,
                   prose=(), prose_share=0.1):
    """The training mix: ``n`` tagged examples ``(text, spans)``, shuffled, deterministic for ``seed``.

    Args:
        n: how many examples.
        samsum: a SAMSum JSON file (``train.json.gz``) for weak labels, or None.
        tatoeba: Tatoeba pair files (TSV, ``.gz`` ok) whose sentences with common names are weak labels.
        templates: {language: [template, ...]}; None: ``TRAIN_TEMPLATES``.
        chat_share, samsum_share, tatoeba_share, form_share: the shares of the mix; templates fill the rest.
        negative_share: Tatoeba sentences without names (``tatoeba_negative``), Chinese and English.
        joined_share: the share of examples replaced by 2–8 others joined into one longer text.
        prose: files of long name-free prose (``load_prose``); ``prose_share`` of the examples become one of
            their paragraphs with 0–3 examples put between its sentences.
        lower_share: the share of examples (of every source) written all in lower case (0.08 gave no
            gain on the dev set: see the pii-ner card).
    """
    from lmdemo.data.examples import load_examples

    rng = random.Random(seed)
    filler = Filler(seed)
    templates = TRAIN_TEMPLATES if templates is None else templates
    out = []
    n_samsum = int(n * samsum_share) if samsum else 0
    if n_samsum:
        dialogues = [x for x, _ in load_examples("summarization", samsum, skip_empty=True)]
        dialogues = [d for d in dialogues if all(len(s) > 1 for s in _SPEAKER.findall(d))]  # not "A:", "B:"
        rng.shuffle(dialogues)
        for d in (dialogues * (1 + n_samsum // max(len(dialogues), 1)))[:n_samsum]:
            out.append(samsum_example(d.replace("\r\n", "\n") if rng.random() < 0.5 else d, filler, rng))
    n_tatoeba = int(n * tatoeba_share) if tatoeba else 0
    if n_tatoeba:
        sentences = []
        for path in tatoeba:
            for a, b in load_examples("translation", path):
                sentences += [a, b]
        rng.shuffle(sentences)
        named, negatives, n_negative = [], [], int(n * negative_share)
        for s in sentences:
            if len(named) >= n_tatoeba and len(negatives) >= n_negative:
                break
            ex = tatoeba_example(s, filler, rng)
            if ex is not None:
                if len(named) < n_tatoeba:
                    named.append(ex)
            elif len(negatives) < n_negative:
                neg = tatoeba_negative(s)
                if neg is not None:
                    negatives.append(neg)
        out += named + negatives
    out += [chat(filler, rng) for _ in range(int(n * chat_share))]
    out += [form(filler, rng) for _ in range(int(n * form_share))]
    out += template_examples(templates, n - len(out), seed + 1)
    # names inside long formal prose: paragraphs of ``prose`` with 0–3 examples put between their sentences
    if prose:
        paragraphs = load_prose(prose)
        for i in range(int(len(out) * prose_share)):
            sentences = [(sentence, []) for sentence in _SENTENCE_END.split(rng.choice(paragraphs))]
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                sentences.insert(rng.randint(0, len(sentences)), out[rng.randrange(len(out))])
            out[len(out) - 1 - i] = joined(sentences, " ")
    # documents are longer than one template: join a share of the examples into texts of 2–8 of them, so that
    # a name after a long stretch of plain text is still a name
    n_joined = int(len(out) * joined_share)
    for i in range(n_joined):
        parts = [out[rng.randrange(len(out))] for _ in range(rng.randint(2, 8))]
        out[i] = joined(parts, rng.choice([" ", "\n", "\n\n"]))
    # chat and notes are often typed in lower case: a share of every source, names and all (when lower-casing
    # keeps every character's offset, which it does except for a few letters such as "İ")
    for i in range(len(out) if lower_share else 0):
        text, spans = out[i]
        if rng.random() < lower_share and len(text.lower()) == len(text):
            out[i] = (text.lower(), spans)
    rng.shuffle(out)
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def joined(parts, sep):
    """Tagged texts ``(text, spans)`` joined by ``sep`` into one, their spans moved along."""
    text, spans = "", []
    for part_text, part_spans in parts:
        if text:
            text += sep
        spans += [(start + len(text), end + len(text), kind) for start, end, kind in part_spans]
        text += part_text
    return text, spans


def load_prose(paths):
    """Paragraphs of plain prose: JSON lines whose ``source`` is a list of sentences (SciTLDR's abstracts)
    or whose ``text`` is a string, or a text file of one paragraph per line."""
    import gzip
    import json

    out = []
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                if line.startswith("{"):
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise ValueError(f"prose file {path!r} line {number} is not JSON ({e.msg})") from None
                    line = " ".join(row["source"]) if isinstance(row.get("source"), list) else row.get("text", "")
                if line:
                    out.append(line)
    if not out:
        raise ValueError(f"prose={list(paths)!r} holds no paragraphs")
    return out


def dev_examples(n, seed=12345):
    """``n`` examples from the dev templates only (``lmdemo.data.pii_dev_templates``), never used to train."""
    from lmdemo.data.pii_dev_templates import DEV_TEMPLATES

    return template_examples(DEV_TEMPLATES, n, seed)


def write_datasets(out_dir, examples, dev_examples_count, samsum=None, tatoeba=(), samsum_dev=None,
                   samsum_dev_examples=300, seed=0, prose=()):
    """Write ``train.jsonl.gz`` (``build_examples``) and ``dev.jsonl.gz`` (the dev templates, and
    ``samsum_dev_examples`` dialogues of ``samsum_dev`` with their speakers' names) to ``out_dir``.

    Returns:
        ``{"train": n, "dev": n}``.
    """
    import os

    from lmdemo.data.examples import load_examples
    from lmdemo.data.tagged_examples import write_tagged

    os.makedirs(out_dir, exist_ok=True)
    train = build_examples(examples, seed, samsum=samsum, tatoeba=tatoeba, prose=prose)
    dev = dev_examples(dev_examples_count, seed=seed + 12345)
    if samsum_dev:
        rng = random.Random(seed + 99)
        filler = Filler(seed + 99)
        dialogues = [x for x, _ in load_examples("summarization", samsum_dev, skip_empty=True)]
        # one-letter speakers ("A:", "B:") would make every article a name
        dialogues = [d for d in dialogues if all(len(s) > 1 for s in _SPEAKER.findall(d))]
        dev += [samsum_example(d, filler, rng, rename=0) for d in rng.sample(dialogues, min(samsum_dev_examples,
                                                                                         len(dialogues)))]
    write_tagged(os.path.join(out_dir, "train.jsonl.gz"), train)
    write_tagged(os.path.join(out_dir, "dev.jsonl.gz"), dev)
    return {"train": len(train), "dev": len(dev)}


PRODUCTS = ("iPhone 15", "Galaxy S24", "ThinkPad X1", "Kindle", "PlayStation 5", "Nespresso Vertuo", "AirPods Pro",
            "Model 3", "Surface Pro", "Dyson V15", "Instant Pot", "Pixel 8", "MacBook Air", "Xbox Series X",
            "Roomba", "Fitbit Charge", "GoPro Hero", "Nintendo Switch", "Echo Dot", "Apple Watch")

# -- training templates -----------------------------------------------------------------------------------------
TRAIN_TEMPLATES = {
    "en": [
        # support and forms
        "Name: {NAME}\nAddress: {ADDRESS_LINES}\nPhone: {PHONE}\nEmail: {EMAIL}",
        "Full name: {NAME_UPPER}\nDate of birth: {DATE_OF_BIRTH}\nSSN: {US_SSN}",
        "Customer: {NAME} | Order {ORDER} | Ship to: {ADDRESS}",
        "Account holder {NAME}, IBAN {IBAN}, branch in {CITY}.",
        "Patient {LAST_FIRST}, DOB {DATE_OF_BIRTH}, referred by Dr. {LAST}.",
        "Billing address: {STREET}, {CITY}. Card ending in {NUMBER}.",
        "Applicant: {NAME_INITIAL}; employer: {COMPANY}; position: {JOB}.",
        "Contact person: {NAME} ({EMAIL}), tel. {PHONE}",
        "Sender: {NAME}\n{ADDRESS_LINES}\n\nRecipient: {NAME}\n{ADDRESS_LINES}",
        "SHIP TO:\n{NAME_UPPER}\n{ADDRESS_LINES}",
        "Ticket {ORDER} opened by {NAME} from {IP_ADDRESS} at {TIME}.",
        "User {FIRST_LOWER} logged in from {IP_ADDRESS}; profile {URL}",
        "Please update my address to {NUMBER_STREET}. Thanks, {FIRST}",
        "Deliver to {NUMBER_STREET}, {CITY} before {WEEKDAY}.",
        "The package for {NAME} was left at {STREET}.",
        "Refund of {AMOUNT} to card {CREDIT_CARD}, holder {NAME}.",
        "Emergency contact: {NAME} ({PHONE}), {STREET}",
        "I, {NAME}, residing at {ADDRESS}, declare that the above is true.",
        # e-mail and letters
        "Dear {FIRST},\n\nthank you for your order. It ships to {ADDRESS} on {WEEKDAY}.\n\nBest,\n{NAME}",
        "Hi {FIRST}, can you send the report to {NAME} by {WEEKDAY}? Thanks! {FIRST}",
        "Dear Mr. {TITLED_LAST}, your appointment is on {DATE} at {TIME}.",
        "Dear Ms. {TITLED_LAST},\nplease find the invoice attached.\nKind regards,\n{NAME}\n{COMPANY}",
        "Hello {NAME}, welcome to {COMPANY}! Your manager is {NAME}.",
        "From: {NAME} <{EMAIL}>\nTo: {NAME} <{EMAIL}>\nSubject: {MONTH} plans",
        "Regards,\n{NAME}\n{JOB}, {COMPANY}\n{PHONE}",
        "cc {NAME}, {NAME} and {FIRST}",
        "Thanks {FIRST}! I'll forward it to {FIRST} and {FIRST}.",
        "Sincerely, {NAME_INITIAL}",
        # casual
        "Why is {FIRST} so upset today?", "said {FIRST} to {FIRST}.", "{FIRST} told me that {FIRST} moved to {CITY}.",
        "I met {NAME} at the {COMPANY} party last {WEEKDAY}.", "{FIRST} and {FIRST} are getting married in {MONTH}!",
        "Has anyone seen {FIRST_LOWER}?", "my friend {FIRST_LOWER} lives on {STREET}",
        "{NAME} was born on {DATE_OF_BIRTH} in {CITY}.", "Ask {FIRST}, she knows {LAST} well.",
        "It was {FIRST}'s idea, not {FIRST}'s.", "Is {FIRST} coming with us to {CITY}?",
        "We stayed with {NAME} at {ADDRESS} for a week.", "According to {NAME}, the {PRODUCT} sold out in {MONTH}.",
        "{NAME_LOWER} here, I lost my phone", "lol {FIRST_LOWER} you're crazy",
        "Thanks to {FIRST} for the {PRODUCT} recommendation!",
        # reviews and news
        "Great service! {FIRST} at the {CITY} store helped me choose a {PRODUCT}.",
        "Our waiter {FIRST} was rude, and the manager {NAME} did nothing.",
        "{NAME}, a {JOB} from {CITY}, was arrested on {DATE}.",
        "{NAME}, CEO of {COMPANY}, said the results for {MONTH} were strong.",
        "The suspect, {NAME} of {ADDRESS}, appeared in court on {WEEKDAY}.",
        "Police said {NAME_INITIAL}, {NUMBER}, was taken to hospital.",
        "In {MONTH}, {NAME} opened a bakery at {STREET}.",
        "{LAST} scored twice as {COMPANY} beat {CITY} on {WEEKDAY}.",
        "The {PRODUCT} review by {NAME} got {NUMBER} likes.",
        # hard negatives: capitalized words, places, products, months; no person
        "The {PRODUCT} costs {AMOUNT} in {CITY} since {MONTH}.", "{COMPANY} opened an office in {CITY}, {COUNTRY}.",
        "Meeting moved to {WEEKDAY} {TIME} in the {CITY} office.", "Order {ORDER} ships on {DATE} from {CITY}.",
        "Welcome to {CITY}! Population {NUMBER}.", "{COMPANY} reported {AMOUNT} in revenue for {MONTH}.",
        "The May Day parade on Church Street starts at {TIME}.", "Turn left on Main Street, then right at the Bank.",
        "Grand Hotel, {CITY}: rooms from {AMOUNT} a night.", "Call Center Hours: Monday to Friday, {TIME}.",
        "The Will of the People party won in {STATE}.", "Apple, Amazon and Google fell {NUMBER}% in {MONTH}.",
        "Our Customer Support Team replies within {NUMBER} hours.", "Read the Terms of Service of {COMPANY}.",
        "The new {PRODUCT} from {COMPANY} arrives in {MONTH}.", "Flights from {CITY} to {CITY} are delayed.",
        "Room {NUMBER}, Building B, {COMPANY} Campus.", "Version {NUMBER} fixes the login bug on {WEEKDAY}.",
    ],
    "zh": [
        "我叫{NAME}，住在{ADDRESS}。", "{NAME}给{NAME}发了邮件。", "请联系{NAME}，电话{PHONE}。",
        "收件人：{NAME}\n地址：{ADDRESS}\n电话：{PHONE}", "{NAME}和{NAME}昨天在{CITY}见面了。",
        "客户{NAME}的邮箱是{EMAIL}。", "{NAME}说明天不来了。", "你见过{NAME}吗？", "我和{NAME}是大学同学。",
        "{NAME}老师今天请假。", "经理{NAME}批准了{NAME}的申请。", "快递已送到{ADDRESS}，签收人{NAME}。",
        "{NAME}，男，出生于{DATE_OF_BIRTH}，住址{ADDRESS}。", "谢谢{NAME}的帮助！", "{NAME}在{COMPANY}工作。",
        "{CITY}今天下雨，气温{NUMBER}度。", "{COMPANY}发布了新产品。", "订单{ORDER}将于{DATE}发货。",
        "请把文件交给{NAME}。", "{NAME}的新家在{ADDRESS}。", "报名人：{NAME}，联系电话：{PHONE}",
        "{NAME}：你好，{NAME}在吗？", "据{NAME}介绍，{COMPANY}今年收入增长。", "{NAME}先生，您的包裹到了。",
    ],
    "de": [
        "Sehr geehrte Frau {TITLED_LAST}, Ihre Bestellung {ORDER} wird an {ADDRESS} geliefert.",
        "{NAME} wohnt in der {STREET} in {CITY}.", "Ansprechpartner: {NAME}, Tel. {PHONE}",
        "Viele Grüße\n{NAME}", "Hallo {FIRST}, kannst du {FIRST} morgen anrufen?", "{NAME} zieht im {MONTH} nach {CITY}.",
        "Die Firma {COMPANY} hat ihren Sitz in {CITY}.",
    ],
    "fr": [
        "Bonjour {FIRST}, votre colis est livré au {ADDRESS}.", "{NAME} habite {STREET}, à {CITY}.",
        "Cordialement,\n{NAME}", "Contact : {NAME} ({EMAIL})", "{FIRST} a dit à {FIRST} de venir lundi.",
        "La société {COMPANY} s'installe à {CITY}.",
    ],
    "es": [
        "Hola {FIRST}, ¿viste a {FIRST} ayer?", "{NAME} vive en {ADDRESS}.", "Atentamente,\n{NAME}",
        "Enviar a: {NAME}, {STREET}, {CITY}", "La empresa {COMPANY} abrió una tienda en {CITY}.",
    ],
    "it": [
        "Ciao {FIRST}, domani vado da {FIRST}.", "{NAME} abita in {ADDRESS}.", "Cordiali saluti,\n{NAME}",
        "Spedire a {NAME}, {STREET}", "{COMPANY} ha aperto a {CITY}.",
    ],
    "pt": ["Olá {FIRST}, falei com {NAME} ontem.", "{NAME} mora na {ADDRESS}.", "Atenciosamente, {NAME}"],
    "nl": ["Hoi {FIRST}, heb je {FIRST} gezien?", "{NAME} woont op {ADDRESS}.", "Met vriendelijke groet,\n{NAME}"],
}
