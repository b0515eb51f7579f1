#!/usr/bin/env python3
"""How well certready's control-to-requirement mappings agree with the Secure Controls
Framework (SCF) crosswalk.

Usage:
    python3 scripts/crosswalk-agreement.py CROSSWALK_FILE [CONTROLS_DIR] [--explain]

CONTROLS_DIR defaults to assets/controls (relative to the working directory, else to this
repository). Every top-level NAME.yaml there is joined with NAME/*.yaml in file-name order into
one YAML document with `controls:`, exactly as catalog.rs does. --explain also prints, for each
supported mapping, the SCF control and the other requirement that support it.

Where to get CROSSWALK_FILE
---------------------------
The SCF is published by the SCF Council (securecontrolsframework.com, CC BY-ND 4.0) as an Excel
workbook whose "SCF <version>" sheet has one row per SCF control and one column per mapped
framework. Any of these public, machine-readable renderings of it can be given:

  * the SCF workbook itself (.xlsx, read with the standard library only): columns "SCF #",
    AICPA TSC 2017 (SOC 2), ISO 27001 v2022, ISO 27002 v2022, ISO 27701, HIPAA Security Rule and
    PCI DSS v4.0.1 are picked up by their headers;
  * the reverse index `framework-to-scf.json` shipped by the open-source Security Controls MCP
    server (Ansvar Systems, GitHub Ansvar-Systems/security-controls-mcp, file
    src/security_controls_mcp/data/framework-to-scf.json, SCF 2025.4):
    {framework_key: {requirement_id: [SCF ids]}}, keys soc_2_tsc, iso_27001_2022,
    iso_27002_2022, iso_27701_2025, hipaa_security_rule, pci_dss_4.0.1;
  * a per-control JSON with {"controls": [{"id", "framework_mappings": {...}}]} (the same
    project's scf-controls.json) or the SCF API static site's controls.json / controls/*.json
    ({"control_id", "crosswalks": {...}});
  * SCF API (hackIDLE/scf-api) crosswalk files api/crosswalks/<framework>.json, or a directory
    holding several of them. Caution: the SCF 2026.1 build of that site turns single-valued
    ISO 27002 cells such as "8.10", "8.20", "8.30" into "8.1", "8.2", "8.3" (spreadsheet numbers),
    which corrupts ISO 27001 Annex A; the script warns when it sees this;
  * CISO Assistant (intuitem/ciso-assistant-community) mapping libraries
    backend/library/libraries/mapping-*-scf-*.yaml (requirement_mappings between SCF and SOC 2,
    ISO 27001:2022, PCI DSS 4.0), one file or a directory of them. These cover only three of
    the five frameworks.
A directory is read file by file and the mappings are merged.

Normalisation to certready ids
------------------------------
  SOC 2      points of focus "CC6.1-POF3" count as their criterion CC6.1.
  ISO 27001  clause sub-items "6.1.2(a)(1)" count as 6.1.2; Annex A controls come from the
             SCF's ISO 27002:2022 column ("8.24" -> A.8.24), the SCF's ISO 27001 column holds
             clauses only.
  ISO 27701  (2025) clauses 4-10 come from the SCF's ISO 27701 column (sub-items stripped).
             Table A.3 (A.3.3 ... A.3.31) repeats ISO 27001 Annex A controls, so each A.3 item
             takes the SCF controls of its 27001 twin (A.3.26 <- A.8.24, full table below).
             Tables A.1 (controllers) and A.2 (processors) are 2019's Annex A and Annex B
             renumbered: where a crosswalk has 2019 ids they are converted (A.7.x.y or clause
             7.x.y -> A.1.x.(y+1); B.8.x.y or clause 8.x.y -> A.2.x.(y+1); 2019 clause 6
             items with a Table A.3 twin -> that A.3 item; 2019 clause 5.N.rest -> 2025
             clause (N+2).rest, e.g. 5.4.1.2 -> 6.1.2). SCF 2025.x/2026.1 map ISO 27701:2025 clauses 4-10 only, so with
             them A.1/A.2 mappings are "not assessable" (no SCF control maps the requirement).
  HIPAA      ids as in 45 CFR ("164.312(a)(2)(iv)"); "§", "45 CFR" and spaces dropped.
  PCI DSS    ids as published ("8.4.2").

Method
------
From the crosswalk, each SCF control s has a set maps(s) of (framework, requirement) pairs in
the five frameworks, and each requirement R of framework F has the set SCF(F, R) of SCF controls
that map it. For a certready control C with mapping set M(C):

  strict   the mapping (C, F, R) is supported when some s in SCF(F, R) also maps at least one
           other pair of M(C) (any of the five frameworks), i.e. maps(s) meets
           M(C) - {(F, R)} - twins(F, R). The ISO 27001 / ISO 27701 Table A.3 twin of R is left
           out because its SCF set is copied from R's and would support it trivially.
  loose    the same with SCF controls collapsed to their base control (IAC-06.1 counts as
           IAC-06): some base control mapping R also maps another requirement of C.

A mapping is "not assessable" when SCF(F, R) is empty (the crosswalk does not map R at all);
such mappings are listed apart and left out of the agreement percentages (figures over all
mappings are printed too). Agreement is a plausibility signal, not a verdict: a crosswalk maps
topics, not the completeness that a `full` relationship claims, and a control that maps a
single requirement can never be supported. Unsupported mappings are listed `full` first.

ISO 27701:2025 Table A.3 twins: A.3.3=A.5.1 A.3.4=A.5.2 A.3.5=A.5.12 A.3.6=A.5.13 A.3.7=A.5.14
A.3.8=A.5.16 A.3.9=A.5.18 A.3.10=A.5.20 A.3.11=A.5.24 A.3.12=A.5.26 A.3.13=A.5.31 A.3.14=A.5.33
A.3.15=A.5.35 A.3.16=A.5.36 A.3.17=A.6.3 A.3.18=A.6.6 A.3.19=A.7.7 A.3.20=A.7.10 A.3.21=A.7.14
A.3.22=A.8.1 A.3.23=A.8.5 A.3.24=A.8.13 A.3.25=A.8.15 A.3.26=A.8.24 A.3.27=A.8.25 A.3.28=A.8.26
A.3.29=A.8.27 A.3.30=A.8.30 A.3.31=A.8.33
"""

import collections
import glob
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

import yaml

FRAMEWORKS = ["soc2", "iso27001", "iso27701", "hipaa", "pci-dss"]
REL_ORDER = {"full": 0, "partial": 1, "inherited": 2}
CHANCE_RUNS = 20

A3_TWINS = {
    "A.3.3": "A.5.1", "A.3.4": "A.5.2", "A.3.5": "A.5.12", "A.3.6": "A.5.13", "A.3.7": "A.5.14",
    "A.3.8": "A.5.16", "A.3.9": "A.5.18", "A.3.10": "A.5.20", "A.3.11": "A.5.24",
    "A.3.12": "A.5.26", "A.3.13": "A.5.31", "A.3.14": "A.5.33", "A.3.15": "A.5.35",
    "A.3.16": "A.5.36", "A.3.17": "A.6.3", "A.3.18": "A.6.6", "A.3.19": "A.7.7",
    "A.3.20": "A.7.10", "A.3.21": "A.7.14", "A.3.22": "A.8.1", "A.3.23": "A.8.5",
    "A.3.24": "A.8.13", "A.3.25": "A.8.15", "A.3.26": "A.8.24", "A.3.27": "A.8.25",
    "A.3.28": "A.8.26", "A.3.29": "A.8.27", "A.3.30": "A.8.30", "A.3.31": "A.8.33",
}
A3_BY_27001 = {v: k for k, v in A3_TWINS.items()}

# ISO/IEC 27701:2019 clause 6 items (extra PII guidance on ISO/IEC 27002:2013 controls) whose
# control is one of the 2025 Table A.3 items.
ISO27701_2019_CLAUSE6_TO_A3 = {
    "6.2.1.1": "A.3.3", "6.3.1.1": "A.3.4", "6.3.2.1": "A.3.22", "6.4.2.2": "A.3.17",
    "6.5.2.1": "A.3.5", "6.5.2.2": "A.3.6", "6.5.3.1": "A.3.20", "6.5.3.2": "A.3.20",
    "6.5.3.3": "A.3.20", "6.6.2.1": "A.3.8", "6.6.2.2": "A.3.9", "6.6.4.2": "A.3.23",
    "6.7.1.1": "A.3.26", "6.8.2.7": "A.3.21", "6.8.2.9": "A.3.19", "6.9.3.1": "A.3.24",
    "6.9.4.1": "A.3.25", "6.9.4.2": "A.3.25", "6.10.2.1": "A.3.7", "6.10.2.4": "A.3.18",
    "6.11.1.2": "A.3.28", "6.11.2.1": "A.3.27", "6.11.2.5": "A.3.29", "6.11.2.7": "A.3.30",
    "6.11.3.1": "A.3.31", "6.12.1.2": "A.3.10", "6.13.1.1": "A.3.11", "6.13.1.5": "A.3.12",
    "6.15.1.1": "A.3.13", "6.15.1.3": "A.3.14", "6.15.2.1": "A.3.15", "6.15.2.3": "A.3.16",
}


def die(msg):
    sys.stderr.write("crosswalk-agreement: %s\n" % msg)
    sys.exit(2)


# --------------------------------------------------------------------------- source columns

def classify_source(name):
    """Map a crosswalk's framework key / column header / framework id to one of
    soc2, iso27001 (clauses), iso27002 (Annex A), iso27701-2025, iso27701-2019, hipaa, pci-dss;
    None for anything else."""
    n = re.sub(r"\s+", " ", str(name)).strip().lower()
    if re.search(r"saq|hicp|simplification|admin_2013|pmf|privacy management", n):
        return None
    if re.search(r"tsc|soc ?2|soc_2|trust services", n) and "point" not in n:
        return "soc2"
    if re.search(r"27002", n) and re.search(r"2022", n):
        return "iso27002"
    if re.search(r"27001", n) and re.search(r"2022", n):
        return "iso27001"
    if re.search(r"27701", n):
        return "iso27701-2019" if "2019" in n else "iso27701-2025"
    if re.search(r"hipaa", n) and re.search(r"security", n):
        return "hipaa"
    if re.search(r"pci ?-?_?dss", n) and re.search(r"4[._-]?0[._-]?1|v?4\.?0\.?1", n):
        return "pci-dss"
    return None


def strip_subitems(rid):
    """'6.1.2(a)(1)' -> '6.1.2' (ISO clause sub-items)."""
    return re.sub(r"\(.*$", "", rid).strip()


def iso27701_2019_to_2025(rid):
    rid = rid.strip()
    m = re.match(r"^(?:A\.)?7\.(\d+)\.(\d+)$", rid)
    if m:
        return "A.1.%s.%d" % (m.group(1), int(m.group(2)) + 1)
    m = re.match(r"^(?:B\.)?8\.(\d+)\.(\d+)$", rid)
    if m:
        return "A.2.%s.%d" % (m.group(1), int(m.group(2)) + 1)
    if rid in ISO27701_2019_CLAUSE6_TO_A3:
        return ISO27701_2019_CLAUSE6_TO_A3[rid]
    # 2019 clause 5.N (5.2 context ... 5.8 improvement) is ISO 27001 clause N+2, which the
    # 2025 edition now states itself
    m = re.match(r"^5\.(\d+)((?:\.\d+)*)$", strip_subitems(rid))
    if m and 2 <= int(m.group(1)) <= 8:
        return "%d%s" % (int(m.group(1)) + 2, m.group(2))
    return None


def normalise(kind, rid):
    """Return (certready framework key, requirement id) or None."""
    rid = str(rid).replace("\u00a7", "").replace("\u2013", "-").strip()
    rid = re.sub(r"^45 ?CFR ?", "", rid, flags=re.I).replace(" ", "")
    if not rid:
        return None
    if kind == "soc2":
        rid = re.sub(r"-?POF\d+$", "", rid, flags=re.I).upper()
        # points of focus numbered under their criterion (CISO Assistant: cc6.1.3)
        rid = re.sub(r"^((?:CC|PI|A|C|P)\d+\.\d+)\.\d+$", r"\1", rid)
        return ("soc2", rid)
    if kind == "iso27001":
        if rid.upper().startswith("A."):
            return ("iso27001", "A." + rid[2:])
        return ("iso27001", strip_subitems(rid))
    if kind == "iso27002":
        r = rid[2:] if rid.upper().startswith("A.") else rid
        if not re.match(r"^[5-8]\.\d+$", r):
            return None
        return ("iso27001", "A." + r)
    if kind == "iso27701-2025":
        if rid.upper().startswith("A."):
            return ("iso27701", "A." + rid[2:])
        return ("iso27701", strip_subitems(rid))
    if kind == "iso27701-2019":
        new = iso27701_2019_to_2025(rid)
        return ("iso27701", new) if new else None
    if kind == "hipaa":
        return ("hipaa", rid)
    if kind == "pci-dss":
        rid = re.sub(r"^(PCI ?DSS ?|Req\.? ?)", "", rid, flags=re.I)
        return ("pci-dss", rid)
    return None


# --------------------------------------------------------------------------- crosswalk loading

class Crosswalk:
    def __init__(self):
        self.pairs = set()            # (scf_id, fw, req) after normalisation
        self.raw_counts = collections.Counter()   # source kind -> raw (scf, id) pairs
        self.sources = []
        self.warnings = []
        self.unconverted_27701 = set()
        self.raw_27002 = set()

    def add(self, kind, scf_id, rid):
        scf_id = str(scf_id).strip().upper()
        rid = str(rid).strip()
        if not scf_id or not rid:
            return
        self.raw_counts[kind] += 1
        if kind == "iso27002":
            self.raw_27002.add(rid)
        n = normalise(kind, rid)
        if n is None:
            if kind == "iso27701-2019":
                self.unconverted_27701.add(rid)
            return
        self.pairs.add((scf_id, n[0], n[1]))


def split_cell(v):
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        out = []
        for x in v:
            out.extend(split_cell(x))
        return out
    return [x.strip() for x in re.split(r"[\n\r]+", str(v)) if x.strip()]


def load_reverse_index(cw, data):
    used = False
    for key, reqs in data.items():
        kind = classify_source(key)
        if kind is None or not isinstance(reqs, dict):
            continue
        used = True
        for rid, scfs in reqs.items():
            for s in split_cell(scfs):
                cw.add(kind, s, rid)
    return used


def load_per_control(cw, controls):
    used = False
    for c in controls:
        if not isinstance(c, dict):
            continue
        sid = c.get("id") or c.get("control_id") or c.get("scf_id") or c.get("SCF #")
        maps = c.get("framework_mappings") or c.get("crosswalks") or c.get("mappings") or {}
        if not sid or not isinstance(maps, dict):
            continue
        for key, reqs in maps.items():
            kind = classify_source(key)
            if kind is None:
                continue
            used = True
            for r in split_cell(reqs):
                cw.add(kind, sid, r)
    return used


def load_scf_api_crosswalk(cw, obj):
    kind = classify_source(obj.get("framework_id", "")) or classify_source(obj.get("display_name", ""))
    if kind is None:
        return False
    s2f = (obj.get("scf_to_framework") or {}).get("mappings")
    if isinstance(s2f, dict):
        for sid, reqs in s2f.items():
            for r in split_cell(reqs):
                cw.add(kind, sid, r)
        return True
    f2s = (obj.get("framework_to_scf") or {}).get("mappings")
    if isinstance(f2s, dict):
        for rid, sids in f2s.items():
            for s in split_cell(sids):
                cw.add(kind, s, rid)
        return True
    return False


def load_json(cw, path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict) and "framework_id" in data:
        return load_scf_api_crosswalk(cw, data)
    if isinstance(data, dict) and isinstance(data.get("controls"), list):
        return load_per_control(cw, data["controls"])
    if isinstance(data, dict) and ("control_id" in data or "framework_mappings" in data):
        return load_per_control(cw, [data])
    if isinstance(data, list):
        if data and isinstance(data[0], dict) and "framework_id" in data[0]:
            return any([load_scf_api_crosswalk(cw, o) for o in data])
        return load_per_control(cw, data)
    if isinstance(data, dict):
        return load_reverse_index(cw, data)
    return False


URN_FW = re.compile(r"urn:intuitem:risk:req_node:([^:]+):(.+)$")


def ciso_req_id(fw_slug, node):
    """CISO Assistant req_node ref -> id in the crosswalk's own numbering."""
    node = node.strip()
    if fw_slug.startswith("soc2"):
        return node.upper()
    if fw_slug.startswith("iso27001"):
        return "A." + node[2:] if node.lower().startswith("a.") else node
    return node


def load_ciso_yaml(cw, path):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        return False
    sets = ((data.get("objects") or {}).get("requirement_mapping_sets")
            or ([(data.get("objects") or {}).get("requirement_mapping_set")]
                if (data.get("objects") or {}).get("requirement_mapping_set") else []))
    used = False
    for ms in sets:
        for m in ms.get("requirement_mappings") or []:
            a = URN_FW.match(m.get("source_requirement_urn", ""))
            b = URN_FW.match(m.get("target_requirement_urn", ""))
            if not a or not b:
                continue
            if a.group(1).startswith("scf"):
                scf, other = a, b
            elif b.group(1).startswith("scf"):
                scf, other = b, a
            else:
                continue
            slug = other.group(1)
            kind = ("soc2" if slug.startswith("soc2") else
                    "iso27001" if slug.startswith("iso27001-2022") else
                    "iso27701-2019" if slug.startswith("iso27701-2019") else
                    "iso27701-2025" if slug.startswith("iso27701") else
                    "hipaa" if slug.startswith("hipaa") else
                    "pci-dss" if slug.startswith("pcidss-4") else None)
            if kind is None:
                continue
            used = True
            cw.add(kind, scf.group(2), ciso_req_id(slug, other.group(2)))
    return used


def xlsx_rows(path):
    """Yield (sheet name, rows) from an .xlsx with the standard library only."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    for sh in wb.find("m:sheets", ns):
        rid = sh.get("{%s}id" % ns["r"])
        t = target.get(rid, "")
        t = t.lstrip("/")
        t = t if t.startswith("xl/") else "xl/" + t
        root = ET.fromstring(z.read(t))
        rows = []
        for row in root.iter("{%s}row" % ns["m"]):
            cells = {}
            for c in row.findall("m:c", ns):
                ref = c.get("r", "")
                col = 0
                for ch in re.match(r"[A-Z]+", ref).group(0):
                    col = col * 26 + ord(ch) - 64
                typ = c.get("t")
                v = c.find("m:v", ns)
                if typ == "s" and v is not None:
                    val = shared[int(v.text)]
                elif typ == "inlineStr":
                    val = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
                elif v is not None:
                    val = v.text
                    if typ not in ("str", "b", "e"):
                        val = ("NUM", val)      # a number: its trailing zeros may be lost
                else:
                    val = None
                cells[col - 1] = val
            if cells:
                rows.append([cells.get(i) for i in range(max(cells) + 1)])
        yield sh.get("name"), rows


def load_xlsx(cw, path):
    used = False
    for sheet, rows in xlsx_rows(path):
        hdr_idx = None
        for i, row in enumerate(rows[:10]):
            if any(isinstance(v, str) and re.sub(r"\s+", " ", v).strip() == "SCF #" for v in row):
                hdr_idx = i
                break
        if hdr_idx is None:
            continue
        hdr = [re.sub(r"\s+", " ", v).strip() if isinstance(v, str) else "" for v in rows[hdr_idx]]
        id_col = hdr.index("SCF #")
        cols = {}
        for j, h in enumerate(hdr):
            k = classify_source(h)
            if k and k not in cols.values():
                cols[j] = k
        if not cols:
            continue
        used = True
        cw.sources.append("  sheet %r, columns: %s" % (sheet, "; ".join(
            "%s <- %r" % (k, hdr[j]) for j, k in sorted(cols.items()))))
        numeric = 0
        for row in rows[hdr_idx + 1:]:
            sid = row[id_col] if id_col < len(row) else None
            if not isinstance(sid, str) or not sid.strip():
                continue
            for j, k in cols.items():
                v = row[j] if j < len(row) else None
                if isinstance(v, tuple):
                    numeric += 1
                    v = v[1]
                for r in split_cell(v):
                    cw.add(k, sid, r)
        if numeric:
            cw.warnings.append("%d single-valued cells of sheet %r are stored as numbers; ids such "
                               "as 8.10 may read as 8.1" % (numeric, sheet))
    return used


def load_crosswalk(path):
    cw = Crosswalk()
    files = [path]
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "**", "*"), recursive=True))
        files = [f for f in files if os.path.isfile(f)
                 and f.lower().endswith((".json", ".yaml", ".yml", ".xlsx"))]
    for f in files:
        low = f.lower()
        try:
            if low.endswith(".json"):
                ok = load_json(cw, f)
            elif low.endswith((".yaml", ".yml")):
                ok = load_ciso_yaml(cw, f)
            elif low.endswith(".xlsx"):
                ok = load_xlsx(cw, f)
            else:
                ok = False
        except (ValueError, KeyError, yaml.YAMLError, zipfile.BadZipFile, ET.ParseError) as e:
            if len(files) == 1:
                die("cannot read %s: %s" % (f, e))
            ok = False
        if ok:
            if len(files) == 1:
                cw.sources.insert(0, os.path.basename(f))
            else:
                cw.sources.append(os.path.relpath(f, path))
    if not cw.pairs:
        die("no SCF mappings to SOC 2, ISO 27001/27002/27701, HIPAA or PCI DSS found in %s" % path)
    if cw.raw_27002 and not any(r in cw.raw_27002 for r in ("8.10", "8.20", "8.30", "5.10", "5.20", "5.30", "7.10")):
        cw.warnings.append("the ISO 27002 data has no 5.10/5.20/5.30/7.10/8.10/8.20/8.30: the source "
                           "probably read those cells as numbers, so A.x.1 also holds A.x.10/20/30")
    return cw


# --------------------------------------------------------------------------- controls

def load_controls(cdir):
    controls = []
    heads = sorted(glob.glob(os.path.join(cdir, "*.yaml")))
    if not heads:
        die("no *.yaml in %s" % cdir)
    for head in heads:
        text = open(head, encoding="utf-8").read()
        parts = os.path.join(cdir, os.path.splitext(os.path.basename(head))[0])
        for p in sorted(glob.glob(os.path.join(parts, "*.yaml"))):
            text += open(p, encoding="utf-8").read()
        doc = yaml.safe_load(text) or {}
        controls.extend(doc.get("controls") or [])
    return controls


# --------------------------------------------------------------------------- analysis

def twins(fw, rid):
    if fw == "iso27701" and rid in A3_TWINS:
        return {("iso27001", A3_TWINS[rid])}
    if fw == "iso27001" and rid in A3_BY_27001:
        return {("iso27701", A3_BY_27001[rid])}
    return set()


def base_of(scf_id):
    return re.sub(r"\.\d+$", "", scf_id)


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "    -"


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    explain = "--explain" in argv
    if not args or len(args) > 2 or "-h" in argv or "--help" in argv:
        sys.stderr.write(__doc__.split("\nWhere to get")[0] + "\n")
        sys.exit(0 if ("-h" in argv or "--help" in argv) else 2)
    cw_path = args[0]
    if len(args) > 1:
        cdir = args[1]
    else:
        cdir = "assets/controls"
        if not os.path.isdir(cdir):
            cdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "controls")
    if not os.path.exists(cw_path):
        die("no such crosswalk file: %s" % cw_path)
    if not os.path.isdir(cdir):
        die("no such controls directory: %s" % cdir)

    cw = load_crosswalk(cw_path)
    controls = load_controls(cdir)

    # SCF(F, R) and maps(s)
    scf_of = collections.defaultdict(set)
    maps = collections.defaultdict(set)
    for s, fw, r in cw.pairs:
        scf_of[(fw, r)].add(s)
        maps[s].add((fw, r))
    direct_27701_a3 = {r for (fw, r) in scf_of if fw == "iso27701" and r in A3_TWINS}
    for a3, a in A3_TWINS.items():
        for s in set(scf_of.get(("iso27001", a), ())):
            scf_of[("iso27701", a3)].add(s)
            maps[s].add(("iso27701", a3))
    # certready mappings
    mappings = []          # (control id, fw, rid, relationship)
    mset = {}
    for c in controls:
        cid = c.get("id")
        ms = set()
        for fw, items in (c.get("maps") or {}).items():
            for it in items or []:
                rid = str(it.get("id")).strip()
                mappings.append((cid, fw, rid, it.get("relationship", "?")))
                ms.add((fw, rid))
        mset[cid] = ms

    # A requirement the crosswalk maps only through its sub-items (HIPAA 164.314(a)(2) via
    # 164.314(a)(2)(i)(B) ..., PCI 1.2 via 1.2.1 ...) takes the union of its sub-items.
    rolled = []
    for fw, rid in sorted({(m[1], m[2]) for m in mappings}):
        if scf_of.get((fw, rid)):
            continue
        kids = [k for k in list(scf_of) if k[0] == fw and (k[1].startswith(rid + "(") or k[1].startswith(rid + "."))]
        if kids:
            for k in kids:
                for s in scf_of[k]:
                    scf_of[(fw, rid)].add(s)
                    maps[s].add((fw, rid))
            rolled.append("%s %s" % (fw, rid))
    base_maps = collections.defaultdict(set)
    for s, ps in maps.items():
        base_maps[base_of(s)] |= ps

    out = []
    p = out.append
    p("Crosswalk: %s" % cw_path)
    if len(cw.sources) > 8:
        p("  read: %d files with mappings (%s ... %s)" % (len(cw.sources), cw.sources[0], cw.sources[-1]))
    else:
        for s in cw.sources:
            p("  read: %s" % s)
    for w in cw.warnings:
        p("  WARNING: %s" % w)
    p("SCF mappings after normalisation to certready ids (A.3 twins not counted):")
    for fw in FRAMEWORKS:
        prs = {(s, r) for (s, f, r) in cw.pairs if f == fw}
        p("  %-9s %4d SCF controls, %5d (SCF control, requirement) pairs, %4d requirement ids"
          % (fw, len({s for s, _ in prs}), len(prs), len({r for _, r in prs})))
    p("  all       %4d SCF controls map at least one of the five frameworks"
      % len({s for s, _, _ in cw.pairs}))
    src_kinds = ", ".join("%s %d" % (k, v) for k, v in sorted(cw.raw_counts.items()))
    p("  raw pairs by source column: %s" % src_kinds)
    if cw.unconverted_27701:
        p("  ISO 27701:2019 ids with no 2025 equivalent (ignored): %s"
          % ", ".join(sorted(cw.unconverted_27701)))
    a1a2 = sorted({r for (fw, r) in scf_of if fw == "iso27701" and re.match(r"A\.[12]\.", r)})
    p("  ISO 27701: clauses 4-10 %d ids from the crosswalk; Table A.3 via 27001 twins (%d A.3 ids "
      "mapped directly); Tables A.1/A.2: %s"
      % (len({r for (fw, r) in scf_of if fw == "iso27701" and not r.startswith("A.")}),
         len(direct_27701_a3),
         ("%d ids" % len(a1a2)) if a1a2 else "none in this crosswalk (not assessable)"))

    if rolled:
        p("  taken from their sub-items: %s" % ", ".join(rolled))
    p("Controls: %d controls, %d mappings (%s)" % (len(controls), len(mappings), cdir))
    p("")

    def evaluate(mset_, mappings_):
        """One row per mapping: (cid, fw, rid, rel, strict, loose, cross_fw, evidence);
        strict/loose/cross_fw are None when the crosswalk does not map the requirement."""
        rows = []
        for cid, fw, rid, rel in mappings_:
            S = scf_of.get((fw, rid), set())
            others = mset_[cid] - {(fw, rid)} - twins(fw, rid)
            if not S:
                rows.append((cid, fw, rid, rel, None, None, None, None))
                continue
            ev = None
            for s in sorted(S):
                hit = maps[s] & others
                if hit:
                    ev = (s, sorted(hit))
                    break
            xfw_others = {o for o in others if o[0] != fw and
                          not ({o[0], fw} == {"iso27001", "iso27701"})}
            xfw = any(maps[s] & xfw_others for s in S)
            loose = any(base_maps[b] & others for b in {base_of(s) for s in S})
            rows.append((cid, fw, rid, rel, ev is not None, loose, xfw, ev))
        return rows

    results = evaluate(mset, mappings)

    # Chance level: the same requirement ids dealt out at random to the same control slots
    # (within each framework), so every control keeps its number of mappings per framework
    # and every requirement its number of mappings.
    rng = random.Random(20240601)
    chance = collections.defaultdict(list)
    for _ in range(CHANCE_RUNS):
        shuffled = []
        for fw in sorted({m[1] for m in mappings}):
            idx = [i for i, m in enumerate(mappings) if m[1] == fw]
            rids = [mappings[i][2] for i in idx]
            rng.shuffle(rids)
            for i, r in zip(idx, rids):
                shuffled.append((mappings[i][0], fw, r, mappings[i][3]))
        ms2 = collections.defaultdict(set)
        for cid, fw, r, _ in shuffled:
            ms2[cid].add((fw, r))
        for cid in mset:
            ms2.setdefault(cid, set())
        rows = evaluate(ms2, shuffled)
        for key in FRAMEWORKS + ["overall"]:
            sel = [r for r in rows if (key == "overall" or r[1] == key) and r[4] is not None]
            if sel:
                chance[key].append(sum(1 for r in sel if r[4]) / float(len(sel)))

    def tally(rows):
        n = len(rows)
        na = sum(1 for r in rows if r[4] is None)
        a = n - na
        s = sum(1 for r in rows if r[4])
        l = sum(1 for r in rows if r[5])
        x = sum(1 for r in rows if r[6])
        return n, na, a, s, l, x

    p("Agreement with the crosswalk (supported / assessable; assessable = the crosswalk maps the "
      "requirement)")
    p("  strict: an SCF control mapping R maps another requirement of the same control; loose: same "
      "at SCF base-control level;")
    p("  x-fw: strict, counting only other requirements in a different framework (27001/27701 "
      "count as one); chance: strict")
    p("  with the requirement ids shuffled among the same control slots (mean of %d runs)"
      % CHANCE_RUNS)
    hdr = "  %-9s %8s %6s %10s %16s %16s %16s %7s %10s"
    p(hdr % ("framework", "mappings", "no-SCF", "assessable", "strict", "loose", "x-fw",
             "chance", "strict/all"))
    line = "  %-9s %8d %6d %10d %5d/%-4d %6s %5d/%-4d %6s %5d/%-4d %6s %7s %10s"

    def row_out(label, rows, key=None):
        n, na, a, s, l, x = tally(rows)
        ch = chance.get(key) if key else None
        p(line % (label, n, na, a, s, a, pct(s, a), l, a, pct(l, a), x, a, pct(x, a),
                  ("%5.1f%%" % (100.0 * sum(ch) / len(ch))) if ch else "-", pct(s, n)))

    for fw in FRAMEWORKS + ["overall"]:
        row_out(fw, [r for r in results if fw == "overall" or r[1] == fw], fw)
    for rel in sorted({r[3] for r in results}, key=lambda x: REL_ORDER.get(x, 9)):
        row_out("  " + rel, [r for r in results if r[3] == rel])
    p("")

    def sort_key(r):
        return (REL_ORDER.get(r[3], 9), FRAMEWORKS.index(r[1]) if r[1] in FRAMEWORKS else 9, r[0], r[2])

    uns = sorted([r for r in results if r[4] is False], key=sort_key)
    p("Unsupported mappings, strict (%d; `full` first). loose=yes: supported at base-control level"
      % len(uns))
    for r in uns:
        p("  %-7s %-9s %-22s %-14s loose=%s" % (r[3], r[1], r[2], r[0], "yes" if r[5] else "no"))
    p("")

    nas = sorted([r for r in results if r[4] is None], key=sort_key)
    p("Not assessable: the crosswalk maps no SCF control to the requirement (%d mappings)" % len(nas))
    byfw = collections.defaultdict(collections.Counter)
    for r in nas:
        byfw[r[1]][(r[2], r[3])] += 1
    for fw in FRAMEWORKS:
        if byfw.get(fw):
            reqs = collections.Counter()
            for (rid, rel), k in byfw[fw].items():
                reqs[rid] += k
            p("  %-9s %s" % (fw, ", ".join(rid + (" x%d" % k if k > 1 else "") for rid, k in
                                           sorted(reqs.items(), key=lambda x: natkey(x[0])))))
    full_na = [r for r in nas if r[3] == "full"]
    p("  of which `full`: %d" % len(full_na))

    if explain:
        p("")
        p("Supported mappings and their evidence (SCF control -> other requirement of the same control)")
        for r in sorted([r for r in results if r[4]], key=sort_key):
            s, hit = r[7]
            p("  %-7s %-9s %-22s %-14s via %s -> %s" % (
                r[3], r[1], r[2], r[0], s, ", ".join("%s %s" % h for h in hit[:3])))
    print("\n".join(out))


def natkey(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


if __name__ == "__main__":
    main(sys.argv)
