"""Member writes: policy publication, the consent ledger, registration, profiles, data
rights. Import from here: `from members import services`."""

from .accounts import account_delete, member_register, sessions_end
from .consent import consent_accept, consent_record_current
from .policies import policy_publish, policy_translation_add
from .profiles import profile_update

__all__ = [
    "account_delete",
    "consent_accept",
    "consent_record_current",
    "member_register",
    "policy_publish",
    "policy_translation_add",
    "profile_update",
    "sessions_end",
]
