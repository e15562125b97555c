"""Thin views for child protection files: parse, ask safeguarding/access.py, one service call, render.

Every page that shows any part of a file needs a second-factor verification in the last 15 minutes
(pupils.twofactor) and writes a line in the file's who-viewed log: a read, a refused attempt or an export.
Reporting a concern, its receipt and adding to it need neither: any member of staff must be able to report
at once, and the reporter never reads the concern back.
"""

# The views live in modules by the pages they serve; each is re-exported here for safeguarding/urls.py
# (``views.<name>``).
from .dashboard import categories, counts, dashboard, inbox, incoming_attach
from .exports import file_export, incoming_download
from .file import (
    file_action,
    file_detail,
    file_flag,
    file_no_referral,
    file_note,
    file_outcome,
    file_referral,
    file_status,
    senco_told,
)
from .file_records import action_done, concern_triage, entry_correct, flag_end, referral_response
from .notice import pupil_notice
from .reporting import concern_add, concern_receipt, report
from .sharing import file_log, file_shares, share_revoke
from .transfers import file_transfer, transfer_receipt, transfer_sent

__all__ = [
    "action_done",
    "categories",
    "concern_add",
    "concern_receipt",
    "concern_triage",
    "counts",
    "dashboard",
    "entry_correct",
    "file_action",
    "file_detail",
    "file_export",
    "file_flag",
    "file_log",
    "file_no_referral",
    "file_note",
    "file_outcome",
    "file_referral",
    "file_shares",
    "file_status",
    "file_transfer",
    "flag_end",
    "inbox",
    "incoming_attach",
    "incoming_download",
    "pupil_notice",
    "referral_response",
    "report",
    "senco_told",
    "share_revoke",
    "transfer_receipt",
    "transfer_sent",
]
