"""The bank's signing key and certificate, and PAdES signatures with pyHanko."""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from workstation.errors import Conflict

SIGNATURE_FIELD = "BankSignature"
DEMO_KEY_FILE = "documents_signing_key.pem"
DEMO_CERT_FILE = "documents_signing_cert.pem"
_demo_lock = threading.Lock()


@dataclass(frozen=True)
class SigningMaterial:
    """Paths to the PEM key and certificate; picklable, so worker processes can load them."""

    key_path: str
    cert_path: str
    passphrase: str | None = None


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def create_demo_material(directory: Path, bank_name: str) -> SigningMaterial:
    """A self-signed EC P-256 certificate for demo mode, made once and kept in `directory`."""
    key_path, cert_path = directory / DEMO_KEY_FILE, directory / DEMO_CERT_FILE
    with _demo_lock:
        if key_path.exists() and cert_path.exists():
            return SigningMaterial(str(key_path), str(cert_path))
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, f"{bank_name} document signing (demo)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, bank_name),
        ])
        now = datetime.now(UTC)
        usage = x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
            encipher_only=False, decipher_only=False,
        )
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=5 * 365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(key, hashes.SHA256())
        )
        key_path.unlink(missing_ok=True)
        _write_private(key_path, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return SigningMaterial(str(key_path), str(cert_path))


def signing_material(config: dict, instance_path: str) -> SigningMaterial:
    """The configured key and certificate; in demo mode a self-signed pair is made if none."""
    key_path, cert_path = config.get("SIGNING_KEY_PATH"), config.get("SIGNING_CERT_PATH")
    if key_path and cert_path:
        if not (Path(key_path).is_file() and Path(cert_path).is_file()):
            raise Conflict("The document signing key or certificate file is missing.")
        return SigningMaterial(key_path, cert_path, config.get("SIGNING_KEY_PASSPHRASE"))
    if config.get("DEMO_MODE"):
        return create_demo_material(Path(instance_path), config.get("BANK_NAME", "Bank"))
    raise Conflict("No document signing certificate is configured (SIGNING_KEY_PATH, "
                   "SIGNING_CERT_PATH), so documents cannot be issued.")


_signers: dict[SigningMaterial, object] = {}


def _signer(material: SigningMaterial):
    from pyhanko.sign import signers

    signer = _signers.get(material)
    if signer is None:
        passphrase = material.passphrase.encode() if material.passphrase else None
        signer = signers.SimpleSigner.load(material.key_path, material.cert_path,
                                           key_passphrase=passphrase)
        if signer is None:
            raise Conflict("The document signing key could not be loaded.")
        _signers[material] = signer
    return signer


def sign_pdf(pdf: bytes, material: SigningMaterial, reason: str, location: str) -> bytes:
    """The PDF with a PAdES signature over the whole file appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=_signer(material)).getvalue()
