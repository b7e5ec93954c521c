"""The import baseline: what a careful admin's script would do with pandas and phonenumbers —
read the CSV, parse each number against a default region, keep the valid ones as E.164, drop
duplicates, and write them out.

    pandas_import.py LIST.csv OUT.csv [REGION]      REGION: US (the default), CA or GB"""

import sys

import pandas as pd
import phonenumbers

path, out = sys.argv[1], sys.argv[2]
region = sys.argv[3].upper() if len(sys.argv) > 3 else "US"
frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
column = next(c for c in frame.columns if c.strip().lower().replace(" ", "") in ("phone", "phonenumber", "mobile", "cell", "number", "e164"))


def e164(text):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


frame["e164"] = frame[column].map(e164)
valid = frame.dropna(subset=["e164"])
unique = valid.drop_duplicates(subset=["e164"])
unique[["e164"]].to_csv(out, index=False)
print(f"{len(frame)} rows, {len(valid)} valid, {len(unique)} numbers, {len(frame) - len(valid)} rejected")
