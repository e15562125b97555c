"""The records layer's deadline kinds: the school's duty when a pupil leaves."""

from __future__ import annotations

from deadlines.kinds import DeadlineKind

CTF_TRANSFER = DeadlineKind(
    "records.ctf_transfer",
    "Send the common transfer file and educational record to the new school",
    "Within 15 school days of the pupil ceasing to be registered (Education (Pupil Information) (England) "
    "Regulations 2005, reg 9); counted on the school's term days, weekends and bank holidays excluded.",
)
