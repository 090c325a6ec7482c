"""The words printed on documents, in English, Spanish and Chinese."""

from __future__ import annotations

from datetime import date

LANGUAGE_NAMES = {"en": "English", "es": "Español", "zh": "中文"}

_LABELS = {
    "holder": ("Account holder", "Titular", "户名"),
    "id_document": ("Identity document", "Documento de identidad", "证件号码"),
    "customer_no": ("Customer number", "Número de cliente", "客户号"),
    "account": ("Account", "Cuenta", "账号"),
    "product": ("Product", "Producto", "产品"),
    "currency": ("Currency", "Moneda", "币种"),
    "balance_as_of": ("Balance as of", "Saldo a fecha de", "截至日期余额"),
    "as_of": ("As of", "A fecha de", "截至日期"),
    "amount_figures": ("Amount in figures", "Importe en cifras", "金额（小写）"),
    "amount_words": ("Amount in words", "Importe en letras", "金额（大写）"),
    "issuing_branch": ("Issuing branch", "Sucursal emisora", "出具网点"),
    "issue_date": ("Date of issue", "Fecha de emisión", "出具日期"),
    "valid_until": ("Valid until", "Válido hasta", "有效期至"),
    "document_no": ("Document number", "Número de documento", "文件编号"),
    "verification_code": ("Verification code", "Código de verificación", "验证码"),
    "verify_at": ("Verify this document at", "Verifique este documento en",
                  "请在以下网址验证本文件"),
    "signed_note": (
        "This document carries the bank's digital signature. Any change to the file "
        "invalidates it.",
        "Este documento lleva la firma digital del banco. Cualquier cambio en el archivo "
        "la invalida.",
        "本文件带有银行数字签名，对文件的任何改动都会使签名失效。",
    ),
    "certify_balance": (
        "We certify that, on the date stated, the account below held the following balance.",
        "Certificamos que, en la fecha indicada, la cuenta siguiente tenía el saldo indicado.",
        "兹证明，截至下述日期，下列账户余额如下。",
    ),
    "certify_deposit": (
        "We certify that the amount below is held on deposit in the account below and is "
        "frozen until the end of this certificate's validity.",
        "Certificamos que el importe siguiente está depositado en la cuenta indicada y "
        "permanece bloqueado hasta el fin de la validez de este certificado.",
        "兹证明，下列金额存于下述账户，并在本证明有效期内冻结。",
    ),
    "period": ("Period", "Periodo", "期间"),
    "opening_balance": ("Opening balance", "Saldo inicial", "期初余额"),
    "closing_balance": ("Closing balance", "Saldo final", "期末余额"),
    "date": ("Date", "Fecha", "日期"),
    "description": ("Description", "Concepto", "摘要"),
    "channel": ("Channel", "Canal", "渠道"),
    "debit": ("Debit", "Cargo", "支出"),
    "credit": ("Credit", "Abono", "收入"),
    "running_balance": ("Balance", "Saldo", "余额"),
    "total_debits": ("Total debits", "Total cargos", "支出合计"),
    "total_credits": ("Total credits", "Total abonos", "收入合计"),
    "no_transactions": ("No transactions in this period.", "Sin movimientos en este periodo.",
                        "本期间无交易。"),
    "transactions_count": ("Transactions", "Movimientos", "交易笔数"),
    "bill_to": ("Billed to", "Facturado a", "付款方"),
    "item": ("Service", "Servicio", "服务项目"),
    "quantity": ("Qty", "Cant.", "数量"),
    "unit_price": ("Unit price", "Precio unitario", "单价"),
    "line_total": ("Amount", "Importe", "金额"),
    "net_total": ("Net total", "Base imponible", "不含税金额"),
    "tax": ("Tax", "Impuesto", "税额"),
    "gross_total": ("Total due", "Total a pagar", "价税合计"),
    "appointment_lead": (
        "We confirm the following appointment at our branch.",
        "Confirmamos la siguiente cita en nuestra sucursal.",
        "兹确认您在我行网点的以下预约。",
    ),
    "appointment_bring": (
        "Please bring the identity document shown above and arrive a few minutes early.",
        "Traiga el documento de identidad indicado y llegue unos minutos antes.",
        "请携带上述身份证件并提前几分钟到达。",
    ),
    "reference": ("Reference", "Referencia", "预约编号"),
    "service": ("Service", "Servicio", "业务类型"),
    "appointment_day": ("Date", "Fecha", "预约日期"),
    "appointment_time": ("Time", "Hora", "预约时间"),
    "branch": ("Branch", "Sucursal", "网点"),
    "cash_amount": ("Cash amount", "Importe en efectivo", "取现金额"),
    "purpose": ("Purpose", "Finalidad", "用途"),
}

_INDEX = {"en": 0, "es": 1, "zh": 2}
_MONTHS_ES = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre "
              "noviembre diciembre").split()


def labels(language: str) -> dict[str, str]:
    """Every printed label in one language."""
    index = _INDEX[language]
    return {key: values[index] for key, values in _LABELS.items()}


def format_date(value: date | str | None, language: str) -> str:
    """A date the way each language writes it on an official letter."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    if language == "es":
        return f"{value.day} de {_MONTHS_ES[value.month - 1]} de {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def format_money(amount, currency: str = "") -> str:
    """An amount with thousands separators and two decimals, then the currency code."""
    from decimal import Decimal

    text = f"{Decimal(str(amount)):,.2f}"
    return f"{text} {currency}".strip()
