"""Checks that turn a pattern match into a confident finding: checksums, number rules and entropy.

Every recognizer that has a check digit verifies it here, so an invalid number (a typo, a made-up
example, an order id that merely looks like a card) is not reported. All functions are pure and take
the compact string (separators already removed).
"""

import calendar
import math
from collections import Counter

# ISO 13616 IBAN lengths per country (SWIFT IBAN registry). A checksum-valid IBAN whose length does not
# match still counts, at a lower score, because generated test data is not always registry-exact.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

# GB 11643-1999: weights of the first 17 digits and the check character for each remainder mod 11.
_CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_ID_CHECK = "10X98765432"
# First two digits of a resident ID: the province-level division (GB/T 2260), plus 71/81/82/83 used
# for residence permits of Taiwan, Hong Kong and Macau residents.
_CN_PROVINCES = frozenset({
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
})

_LUHN_DOUBLED = {str(d): d * 2 - 9 if d > 4 else d * 2 for d in range(10)}
# The IBAN letter encoding: A (or a) is 10, ..., Z is 35, as int(c, 36) reads them.
_IBAN_DIGITS = str.maketrans({c: str(int(c, 36)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})


def luhn_valid(digits):
    """Whether a digit string passes the Luhn (mod 10) check used by payment cards.

    Args:
        digits: A string of ASCII digits only.

    Returns:
        True when the Luhn sum is a multiple of 10.

    Example:
        >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
        (True, False)
    """
    # Every second digit from the right is doubled (minus 9 when that reaches 10 or more).
    return (sum(map(int, digits[::-2])) + sum(map(_LUHN_DOUBLED.__getitem__, digits[-2::-2]))) % 10 == 0


def iban_valid(iban):
    """Whether a compact, upper-case IBAN passes the ISO 7064 mod-97 check.

    Args:
        iban: Country code, two check digits and the BBAN, without spaces.

    Returns:
        True when the rearranged number is congruent to 1 mod 97.

    Example:
        >>> iban_valid("GB82WEST12345698765432"), iban_valid("GB82WEST12345698765433")
        (True, False)
    """
    if not (15 <= len(iban) <= 34) or not iban.isalnum() or not iban.isascii():
        return False
    rearranged = iban[4:] + iban[:4]
    return int(rearranged.translate(_IBAN_DIGITS)) % 97 == 1


def cn_id_valid(number):
    """Whether an 18-character Chinese resident ID number is well formed (GB 11643-1999).

    Checks the province code, that digits 7-14 are a real calendar date (1800-2099) and the check
    character, which is X for a remainder of 10.

    Args:
        number: 17 digits followed by a digit or ``X``/``x``.

    Returns:
        True when province, birth date and check character are all valid.

    Example:
        >>> cn_id_valid("11010519491231002X"), cn_id_valid("110105194912310021")
        (True, False)
    """
    if len(number) != 18 or not number[:17].isdigit() or not number.isascii():
        return False
    if int(number[:2]) not in _CN_PROVINCES:
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1800 <= year <= 2099 and 1 <= month <= 12):
        return False
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _CN_ID_WEIGHTS))
    return _CN_ID_CHECK[total % 11] == number[17].upper()


def us_ssn_valid(area, group, serial):
    """Whether the three parts of a US Social Security number follow the SSA's issuance rules.

    Area 000, 666 and 900-999 are never issued, nor is group 00 or serial 0000.

    Args:
        area: The first three digits.
        group: The middle two digits.
        serial: The last four digits.

    Returns:
        True when none of the never-issued values occurs.

    Example:
        >>> us_ssn_valid("536", "22", "1234"), us_ssn_valid("666", "22", "1234")
        (True, False)
    """
    if len(area) != 3 or len(group) != 2 or len(serial) != 4:
        return False
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


_ENTROPY_TERMS = {}  # length -> [term of count 0, 1, ..., length]


def shannon_entropy(s):
    """The empirical Shannon entropy of a string, in bits per character.

    Args:
        s: Any string; the empty string has entropy 0.

    Returns:
        ``sum(p * log2(1 / p))`` over the character frequencies ``p`` of ``s``.

    Example:
        >>> shannon_entropy("aaaa"), shannon_entropy("abcd")
        (0.0, 2.0)
    """
    n = len(s)
    if n == 0:
        return 0.0
    terms = _ENTROPY_TERMS.get(n)
    if terms is None:
        if n > 512:
            return sum(c / n * math.log2(n / c) for c in Counter(s).values())
        # The term of each count, computed once per length: the same floats, summed in the same order.
        terms = _ENTROPY_TERMS[n] = [0.0] + [c / n * math.log2(n / c) for c in range(1, n + 1)]
    return sum(map(terms.__getitem__, Counter(s).values()))
