"""Writes a CSV of N opt-out rows in the formats real lists come in, and a file of the distinct
E.164 numbers, for bench/hub.sh. Deterministic for a given kind and seed.

    make_list.py N LIST.csv PHONES.txt [SEED] [--kind us|gb|mixed]

us (the default): US numbers in the North American layouts. gb: UK mobiles as UK lists write
them (07..., +44, 0044, +44 (0), bare 44, spaced and dashed), to import with --region GB. mixed:
US, Canadian and UK numbers in international format (+1, +44), as a list kept across markets."""

import argparse
import random

parser = argparse.ArgumentParser()
parser.add_argument("n", type=int)
parser.add_argument("out")
parser.add_argument("phones_out")
parser.add_argument("seed", type=int, nargs="?", default=7)
parser.add_argument("--kind", choices=["us", "gb", "mixed"], default="us")
args = parser.parse_args()
n, out, phones_out = args.n, args.out, args.phones_out
rng = random.Random(args.seed)
areas = [201, 212, 213, 305, 312, 404, 415, 503, 512, 614, 617, 702, 720, 813, 917]
canadian_areas = [204, 306, 403, 416, 514, 519, 604, 613, 780, 902]
# UK mobile blocks whose every number is valid in libphonenumber's metadata (the Python and the
# Rust copies alike), so that the distinct numbers written below are the valid ones.
uk_blocks = [7123, 7245, 7387, 7400, 7432, 7507, 7555, 7701, 7722, 7766, 7802, 7890, 7900, 7944, 7956, 7984]
names = ["Sam", "Maria", "Jo", "Priya", "Tom", "Aisha", "Luis", "Mei", "Kofi", "Ruth", "Dan, Jr.", 'Ines "Nes"']


def us_rows():
    """The North American list, row for row as this script always wrote it."""
    for i in range(n):
        if i > 0 and rng.random() < 0.05:  # a duplicate, written differently
            area, exch, line = rng.choice(recent)
        else:
            area, exch, line = rng.choice(areas), rng.randint(200, 999), rng.randint(0, 9999)
            recent = [(area, exch, line)] if i == 0 else (recent + [(area, exch, line)])[-100:]
        style = rng.randrange(6)
        e164 = f"+1{area}{exch}{line:04d}"
        if rng.random() < 0.01:
            yield rng.choice(["12345", "call me", "555-CALL-NOW", ""]), None
            continue
        if style == 0:
            phone = e164
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
        yield phone, e164


def uk_mobile(national):
    """A UK mobile's ten national digits written one of the ways UK lists write them."""
    a, b = national[:4], national[4:]
    return rng.choice([
        f"0{a} {b}",
        f"0{national}",
        f"0{a}-{b}",
        f"0{a} {b[:3]} {b[3:]}",
        f"0{a[:3]} {a[3]}{b[:2]} {b[2:]}",
        f"+44 {a} {b}",
        f"+44{national}",
        f"+44 (0){a} {b}",
        f"0044 {a} {b}",
        f"44{national}",
    ])


def international(country, national):
    """A +1 or +44 number in one of the international layouts."""
    if country == "44":
        a, b = national[:4], national[4:]
        return rng.choice([f"+44{national}", f"+44 {a} {b}", f"+44 {a} {b[:3]} {b[3:]}", f"+44-{a}-{b}"])
    area, exch, line = national[:3], national[3:6], national[6:]
    return rng.choice([f"+1{national}", f"+1 {area} {exch} {line}", f"+1 ({area}) {exch}-{line}", f"+1-{area}-{exch}-{line}"])


def other_rows(kind):
    """The UK or the mixed list: 5 % duplicates written differently, 1 % cells that are no number."""
    recent = []
    for i in range(n):
        if recent and rng.random() < 0.05:
            country, national = rng.choice(recent)
        else:
            pick = rng.random()
            if kind == "gb" or pick < 0.4:
                country, national = "44", f"{rng.choice(uk_blocks)}{rng.randint(0, 999999):06d}"
            else:
                area = rng.choice(canadian_areas if pick < 0.6 else areas)
                country, national = "1", f"{area}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            recent = (recent + [(country, national)])[-100:]
        if rng.random() < 0.01:
            yield rng.choice(["12345", "call me", "not a number", ""]), None
        elif kind == "gb":
            yield uk_mobile(national), f"+44{national}"
        else:
            yield international(country, national), f"+{country}{national}"


seen = set()
with open(out, "w", newline="") as f, open(phones_out, "w") as p:
    f.write("\ufeffName,Phone Number,Notes\r\n")
    for phone, e164 in us_rows() if args.kind == "us" else other_rows(args.kind):
        if e164 and e164 not in seen:
            seen.add(e164)
            p.write(e164 + "\n")
        name = rng.choice(names)
        f.write(f'"{name.replace(chr(34), chr(34) * 2)}","{phone}",imported\r\n')
