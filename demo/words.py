"""Short, plain-English text for EHC plans and support plans, by primary need. Kept general: no real child."""

NEED_WORDS = {
    # code: (section B, section E outcomes, section F provision, broad area, support plan need)
    "ASD": (
        "{name} is autistic. They find changes to routine, busy places and noise hard, and can become "
        "overwhelmed, especially at lunchtime and in PE. They understand more than they can say when anxious.",
        [
            "By the end of Key Stage {ks}, {name} will use a visual timetable to move between activities without "
            "adult prompting",
            "{name} will tell an adult when they need a break, using a break card or words",
            "{name} will take part in a small-group game with two peers for ten minutes",
        ],
        "A visual timetable and now-and-next board in class. A named adult at lunchtime and at transitions. "
        "Access to a quiet space when needed. Social communication group (Lego-based) twice a week for 30 "
        "minutes. Advice from the Autism Team once a term.",
        "needs_communication",
        "Finds changes in routine very hard; needs warning before transitions and a quiet space to calm.",
    ),
    "SLCN": (
        "{name} has a speech, language and communication need. Their understanding of spoken language is well "
        "below that of children of the same age and they find it hard to find words and put sentences together.",
        [
            "{name} will follow two-part instructions in class without a visual prompt",
            "{name} will retell a short story in the right order using four key words",
            "{name} will use new topic vocabulary in their own sentences",
        ],
        "Speech and language therapy programme set by the NHS therapist, delivered by a trained teaching "
        "assistant three times a week for 20 minutes. Pre-teaching of topic vocabulary. Instructions chunked "
        "and backed up with pictures. Therapist review each term.",
        "needs_communication",
        "Struggles to understand longer instructions and to find the words to explain ideas.",
    ),
    "SEMH": (
        "{name} has social, emotional and mental health needs. They can find it hard to manage strong feelings, "
        "particularly when work feels difficult or at unstructured times, and may leave the classroom.",
        [
            "{name} will name how they are feeling using the zones of regulation and choose a calming strategy",
            "{name} will stay in class for whole lessons on four days out of five",
            "{name} will repair a friendship after a falling-out with adult support",
        ],
        "A consistent key adult with a daily check-in. Emotional literacy support (ELSA) once a week for 30 "
        "minutes. A calm space and agreed exit card. Lunchtime club. Advice from the educational psychologist.",
        "needs_semh",
        "Becomes upset and leaves the room when work feels hard; settles with a calm adult and a quiet space.",
    ),
    "MLD": (
        "{name} has moderate learning difficulties. They learn new skills slowly, need a lot of repetition and "
        "find it hard to remember what they have learned from one day to the next.",
        [
            "{name} will read and understand a book at their level with 95% accuracy",
            "{name} will add and subtract numbers to 20 using objects or a number line",
            "{name} will write two sentences independently using a word mat",
        ],
        "Teaching in small steps with daily over-learning. Precision teaching for reading and number facts, "
        "10 minutes daily. Small-group literacy and numeracy with a teaching assistant four times a week. "
        "Practical resources in every lesson.",
        "needs_cognition",
        "Learns new skills slowly and forgets them quickly; needs lots of practice and practical resources.",
    ),
    "SPLD": (
        "{name} has specific learning difficulties (dyslexic-type difficulties). They are articulate and "
        "understand well, but reading and spelling are much harder for them than for their classmates.",
        [
            "{name} will read age-appropriate texts at 80 words a minute",
            "{name} will spell the Year {year} common exception words correctly in their writing",
            "{name} will record their ideas using a laptop or scribe when writing at length",
        ],
        "Structured, multi-sensory phonics and spelling programme four times a week for 20 minutes. Coloured "
        "overlays and a reading ruler. Access to a laptop for longer writing. Extra time and a reader in tests.",
        "needs_cognition",
        "Reads and spells well below their understanding; written work does not show what they know.",
    ),
    "SLD": (
        "{name} has severe learning difficulties and needs support in all areas of learning and self-care. "
        "They communicate using some single words, signs and pictures.",
        [
            "{name} will use 20 Makaton signs or symbols to make choices and requests",
            "{name} will recognise and count objects to 5",
            "{name} will wash and dry their hands independently",
        ],
        "Full-time support from a trained teaching assistant, shared with one other pupil. A personalised "
        "curriculum based on engagement steps. Total communication approach (Makaton, symbols). Daily "
        "self-care programme. Termly advice from the speech and language therapist.",
        "needs_cognition",
        "Needs support in all areas of learning; communicates with single words and signs.",
    ),
    "PD": (
        "{name} has a physical disability (cerebral palsy) that affects their balance and fine motor control. "
        "They tire easily and need help with dressing, writing and moving around safely.",
        [
            "{name} will move around school safely using their walker, with one adult nearby",
            "{name} will record their work using a writing slope and adapted pencil or a tablet",
            "{name} will dress for PE with minimal help",
        ],
        "Daily physiotherapy programme set by the NHS physiotherapist, delivered by a trained teaching "
        "assistant. Adapted equipment (writing slope, chair, cutlery). Extra time to move between lessons. "
        "Occupational therapy review each term.",
        "needs_sensory",
        "Fine motor skills are weak; finds handwriting tiring and needs adapted equipment.",
    ),
    "HI": (
        "{name} has a moderate hearing loss in both ears and wears hearing aids. They miss parts of what is said, "
        "especially in noisy rooms, and their vocabulary is behind that of their classmates.",
        [
            "{name} will check and report when their hearing aids are not working",
            "{name} will learn and use five new topic words each half term",
            "{name} will ask for repetition when they have not heard",
        ],
        "A radio aid used by all staff. Seating near the teacher, away from noise. Pre-teaching of vocabulary. "
        "Visits from the Teacher of the Deaf twice a term.",
        "needs_sensory",
        "Misses parts of what is said in noisy rooms; needs to sit near the teacher.",
    ),
}
NEED_WORDS["PMLD"] = NEED_WORDS["SLD"]
for _code in ("VI", "MSI", "OTH", "NSA"):
    NEED_WORDS[_code] = NEED_WORDS["PD"] if _code in ("VI", "MSI") else NEED_WORDS["MLD"]

LIKES = [
    "football and the park",
    "drawing and Lego",
    "dinosaurs and trains",
    "music and dancing",
    "swimming and their bike",
    "animals, especially their cat",
    "cooking with grandma",
    "books about space",
]
HOPES = [
    "wants to have more friends to play with",
    "wants to be a vet when they grow up",
    "wants to read stories to their little sister",
    "wants to play for a football team",
    "wants to feel calm at school",
    "wants to go to secondary school with their friends",
]

SUPPORT_PLAN_OUTCOMES = {
    "needs_communication": [
        ("Follows two-step instructions in class", "Observed in four lessons out of five"),
        ("Uses three new topic words in their own sentences", "Teacher notes during topic lessons"),
    ],
    "needs_cognition": [
        ("Reads and spells the next 20 high-frequency words", "Precision teaching record"),
        ("Recalls number bonds to 10 within three seconds", "Weekly quick check"),
    ],
    "needs_semh": [
        ("Names feelings and chooses a calming strategy", "Check-in record, four days out of five"),
        ("Stays in class for whole lessons", "Behaviour log: no more than one exit a week"),
    ],
    "needs_sensory": [
        ("Forms letters correctly on a writing slope", "Handwriting sample each half term"),
        ("Sets up own equipment at the start of lessons", "Teaching assistant observation"),
    ],
}
SUPPORT_PLAN_SUPPORT = {
    "needs_communication": ("Language group (Talk Boost)", "Teaching assistant", "3 times a week, 20 minutes"),
    "needs_cognition": ("Precision teaching for reading and number", "Teaching assistant", "Daily, 10 minutes"),
    "needs_semh": (
        "Daily check-in with a key adult and ELSA sessions",
        "ELSA-trained teaching assistant",
        "Daily check-in; ELSA weekly",
    ),
    "needs_sensory": ("Fine motor group (Clever Hands)", "Teaching assistant", "3 times a week, 15 minutes"),
}
EXPECTED_IMPACT = "Closes part of the gap with peers and works with less adult help."
ADJUSTMENTS = {
    "needs_communication": "Instructions given one step at a time with pictures; key words on the board.",
    "needs_cognition": "Word mat and number line on the desk; work broken into small steps; extra thinking time.",
    "needs_semh": "Seat near the door; a calm corner and an exit card; warning before transitions.",
    "needs_sensory": "Writing slope and pencil grip; seat near the front; extra time to finish written work.",
}
