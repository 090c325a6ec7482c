"""Amounts written out in words, as certificates state them: English, Spanish and Chinese."""

from __future__ import annotations

from decimal import Decimal

_EN_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _en_below_1000(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_EN_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(_EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_EN_ONES[n])
    return " ".join(words)


def english_number(n: int) -> str:
    """A whole number in English words ("twelve thousand three hundred forty-five")."""
    if n < 1000:
        return _en_below_1000(n)
    for scale, name in _EN_SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            tail = f" {english_number(rest)}" if rest else ""
            return f"{english_number(head)} {name}{tail}"
    raise AssertionError("unreachable")


_ES_UNITS = ("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
             "quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidós "
             "veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho "
             "veintinueve").split()
_ES_TENS = "_ _ _ treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
_ES_HUNDREDS = ("_ ciento doscientos trescientos cuatrocientos quinientos seiscientos "
                "setecientos ochocientos novecientos").split()


def _es_below_1000(n: int) -> str:
    if n == 100:
        return "cien"
    words = []
    if n >= 100:
        words.append(_ES_HUNDREDS[n // 100])
        n %= 100
    if n >= 30:
        words.append(_ES_TENS[n // 10] + (f" y {_ES_UNITS[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ES_UNITS[n])
    return " ".join(words)


def spanish_number(n: int) -> str:
    """A whole number in Spanish words ("doce mil trescientos cuarenta y cinco")."""
    if n < 1000:
        return _es_below_1000(n)
    if n < 10**6:
        thousands, rest = divmod(n, 1000)
        head = "mil" if thousands == 1 else f"{_es_apocope(spanish_number(thousands))} mil"
        return head + (f" {spanish_number(rest)}" if rest else "")
    millions, rest = divmod(n, 10**6)
    head = "un millón" if millions == 1 else f"{_es_apocope(spanish_number(millions))} millones"
    return head + (f" {spanish_number(rest)}" if rest else "")


def _es_apocope(words: str) -> str:
    # Before a noun "uno" becomes "un" and "veintiuno" becomes "veintiún".
    if words.endswith("veintiuno"):
        return words[:-3] + "ún"
    return words[:-3] + "un" if words.endswith("uno") else words


_ZH_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_ZH_SMALL = ("", "拾", "佰", "仟")
_ZH_GROUPS = ("", "万", "亿", "万亿")


def _zh_group(n: int) -> str:
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _ZH_DIGITS[digit] + _ZH_SMALL[position]
    return out


def chinese_number(n: int) -> str:
    """A whole number in the capital numerals used on Chinese financial documents."""
    if n == 0:
        return "零"
    groups, out, gap = [], "", False
    while n:
        n, group = divmod(n, 10000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = True
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _zh_group(group) + _ZH_GROUPS[index]
        gap = False
    return out


CURRENCY_WORDS = {
    "en": {"CNY": ("yuan", "fen"), "USD": ("US dollars", "cents"), "EUR": ("euros", "cents"),
           "HKD": ("Hong Kong dollars", "cents")},
    "es": {"CNY": ("yuanes", "fen"), "USD": ("dólares estadounidenses", "centavos"),
           "EUR": ("euros", "céntimos"), "HKD": ("dólares de Hong Kong", "centavos")},
    "zh": {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币"},
}


def amount_in_words(amount: Decimal, currency: str, language: str) -> str:
    """The amount as a certificate writes it out, in the document's language."""
    cents_total = int((abs(amount) * 100).to_integral_value())
    whole, cents = divmod(cents_total, 100)
    if language == "zh":
        return _chinese_amount(whole, cents, CURRENCY_WORDS["zh"].get(currency, currency))
    unit, minor = CURRENCY_WORDS[language].get(currency, (currency, "/100"))
    if language == "es":
        # "un millón de euros": a round million takes "de" before the currency.
        of = " de" if whole and whole % 10**6 == 0 else ""
        words = _es_apocope(spanish_number(whole))
        return _first_upper(f"{words}{of} {unit} con {cents:02d}/100")
    return _first_upper(f"{english_number(whole)} {unit} and {cents:02d}/100")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _chinese_amount(whole: int, cents: int, currency_name: str) -> str:
    jiao, fen = divmod(cents, 10)
    text = currency_name + (chinese_number(whole) + "元" if whole else "")
    if not cents:
        return text + ("整" if whole else "零元整")
    if jiao:
        text += _ZH_DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if fen:
        text += _ZH_DIGITS[fen] + "分"
    return text
