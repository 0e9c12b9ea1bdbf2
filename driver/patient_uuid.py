"""The patient UUID rule in Python: a version 5 UUID of "patients:<v1 patients.id>" (or
"users:<v1 users.id>" for a patient made from a user alone) under a namespace made from the
secret. The migration computes the same in SQL (macros/prepare_work_schema.sql for the
namespace, int_patients_minted and macros/mapping.sql's uuid_v5_from_sha1 for the UUIDs);
tests/test_patient_uuid.py proves the two agree."""
from __future__ import annotations

import hashlib
import uuid


def namespace_hex(secret: str) -> str:
    """The namespace behind patient UUIDs: the first 32 hex digits of sha256(secret), UTF-8."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


def patient_uuid(namespace: str, name: str) -> str:
    """The UUID of `name` ("patients:17", "users:42") under a namespace from namespace_hex()."""
    return str(uuid.uuid5(uuid.UUID(hex=namespace), name))
