"""Writes a CSV of N opt-out rows in the mixed formats real lists come in, and a file of the
distinct E.164 numbers, for bench/hub.sh. Deterministic for a given seed."""

import random
import sys

n, out, phones_out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
rng = random.Random(seed)
areas = [201, 212, 213, 305, 312, 404, 415, 503, 512, 614, 617, 702, 720, 813, 917]
names = ["Sam", "Maria", "Jo", "Priya", "Tom", "Aisha", "Luis", "Mei", "Kofi", "Ruth", "Dan, Jr.", 'Ines "Nes"']
seen = set()
with open(out, "w", newline="") as f, open(phones_out, "w") as p:
    f.write("\ufeffName,Phone Number,Notes\r\n")
    for i in range(n):
        if i > 0 and rng.random() < 0.05:  # a duplicate, written differently
            area, exch, line = rng.choice(recent)
        else:
            area, exch, line = rng.choice(areas), rng.randint(200, 999), rng.randint(0, 9999)
            recent = [(area, exch, line)] if i == 0 else (recent + [(area, exch, line)])[-100:]
        style = rng.randrange(6)
        if rng.random() < 0.01:
            phone = rng.choice(["12345", "call me", "555-CALL-NOW", ""])
        elif style == 0:
            phone = f"+1{area}{exch}{line:04d}"
        elif style == 1:
            phone = f"({area}) {exch}-{line:04d}"
        elif style == 2:
            phone = f"{area}.{exch}.{line:04d}"
        elif style == 3:
            phone = f"1-{area}-{exch}-{line:04d}"
        elif style == 4:
            phone = f"+1 {area} {exch} {line:04d}"
        else:
            phone = f"{area}{exch}{line:04d}"
        if phone and not phone[0].isalpha() and phone not in ("12345", "555-CALL-NOW"):
            e164 = f"+1{area}{exch}{line:04d}"
            if e164 not in seen:
                seen.add(e164)
                p.write(e164 + "\n")
        name = rng.choice(names)
        f.write(f'"{name.replace(chr(34), chr(34) * 2)}","{phone}",imported\r\n')
