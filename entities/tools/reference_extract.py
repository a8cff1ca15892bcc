#!/usr/bin/env python3
"""Extracts the facts of Microsoft's Dataverse table reference into the emulator's reference JSON.

Input: table reference pages of MicrosoftDocs/powerapps-docs
(powerapps-docs/developer/data-platform/reference/entities/<table>.md), or a transcription of such a page that
keeps only its fact rows (same Markdown shapes: "### <column>" headings, "|Property|Value|" rows, a
"#### ... Choices/Options" table, "**DefaultValue**: n", the "Read-only columns/attributes" section and the
"Many-To-One Relationships" section). Descriptions and display names are not read: only facts carry over.

Output: one JSON file per table (entities/src/main/resources/metadata/reference/<table>.json) with the table's
identity, every column (type, required level, lengths, ranges, precision, choices, default, lookup targets,
create/update validity) and the many-to-one relationships with the lookup column each one belongs to.

Usage: reference_extract.py --commit <docs commit> --out <dir> <page.md>...

Which docs commit was read: see entities/src/main/resources/metadata/reference/README.md.
"""
import argparse
import json
import os
import re
import sys

TYPES = {"BigInt", "Boolean", "Customer", "DateTime", "Decimal", "Double", "EntityName", "File", "Image", "Integer",
         "Lookup", "ManagedProperty", "Memo", "Money", "MultiSelectPicklist", "Owner", "PartyList", "Picklist",
         "State", "Status", "String", "Uniqueidentifier", "Virtual", "CalendarRules"}

# Relationships whose lookup column a table's page does not name and no rule below finds; each fact comes from
# the one-to-many section (ReferencingAttribute) of the referenced table's page (systemuser.md, account.md, contact.md).
REFERENCING = {
    ("account", "system_user_accounts"): "preferredsystemuserid",
    ("account", "user_accounts"): "owninguser",
    ("contact", "system_user_contacts"): "preferredsystemuserid",
    ("task", "user_task"): "owninguser",
    ("email", "user_email"): "owninguser",
    ("email", "Account_Emails"): "regardingobjectid",
    ("email", "Contact_Emails"): "regardingobjectid",
    ("email", "Account_Email_SendersAccount"): "sendersaccount",
    # workflowlog.md names both lookups to system jobs and process sessions; processsession.md and asyncoperation.md
    # (one-to-many sections) say which column each relationship belongs to
    ("workflowlog", "lk_workflowlog_asyncoperations"): "asyncoperationid",
    ("workflowlog", "lk_workflowlog_asyncoperation_childworkflow"): "childworkflowinstanceid",
    ("workflowlog", "lk_workflowlog_processsession"): "asyncoperationid",
    ("workflowlog", "lk_workflowlog_processsession_childworkflow"): "childworkflowinstanceid",
}

# Relationship-name prefixes of the platform's ownership relationships (team_<table>, system_user_<table>, ...): the
# owning column they belong to, when no column-name rule finds one.
# Matched case-sensitively: "Team_AsyncOperations" is the regarding relationship of a team, "team_asyncoperation" the
# owning team's.
OWNING = {"Owning_businessunit_": "owningbusinessunit", "business_unit_": "owningbusinessunit",
          "system_user_": "owninguser", "user_": "owninguser", "team_": "owningteam"}

ROW = re.compile(r"^\|([^|]*)\|([^|]*)\|(?:([^|]*)\|)?(?:([^|]*)\|)?\s*$")
HEADING = re.compile(r"^###\s+(?:<a name=\"[^\"]*\"></a>\s*)?(\S+)\s*$")
SEE = re.compile(r"\[(\w+)\]\([^)]*\) one-to-many relationship for the \[(\w+)\]")
DEFAULT = re.compile(r"^\*\*DefaultValue\*\*:\s*(\S+)")


def number(text):
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse(lines):
    table = {}
    columns = {}
    relationships = []
    section = "properties"
    current = None
    in_options = False
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("## "):
            title = line[3:].lower()
            current = None
            if title.startswith("read-only"):
                section = "readonly"
            elif title.startswith("writable"):
                section = "writable"
            elif title.startswith("many-to-one"):
                section = "manytoone"
            elif title.startswith("one-to-many") or title.startswith("many-to-many"):
                section = "other"
            elif title.startswith("properties"):
                section = "properties"
            continue
        h = HEADING.match(line)
        if h:
            in_options = False
            name = h.group(1)
            if section in ("writable", "readonly"):
                current = {"_heading": name, "_readonly": section == "readonly", "options": []}
                columns[len(columns)] = current
            elif section == "manytoone":
                current = {"_relationship": name}
                relationships.append(current)
            else:
                current = None
            continue
        if line.startswith("####"):
            in_options = current is not None and "_heading" in current
            continue
        if current is not None and "_relationship" in current:
            m = SEE.search(line)
            if m:
                current["name"], current["target"] = m.group(1), m.group(2)
            continue
        d = DEFAULT.match(line)
        if d and current is not None:
            current["default"] = d.group(1)
            continue
        r = ROW.match(line)
        if not r:
            continue
        key, value = r.group(1).strip(), r.group(2).strip()
        if key in ("Property", "Value") or set(key) <= {"-"}:
            continue
        if section == "properties":
            table[key] = value
        elif current is not None and in_options and re.fullmatch(r"-?\d+", key):
            current["options"].append((int(key), value, (r.group(3) or "").strip()))
        elif current is not None and "_heading" in current:
            current[key] = value
    return table, list(columns.values()), relationships


def column(c):
    name = c.get("LogicalName", c["_heading"].lower())
    kind = c.get("Type")
    if kind not in TYPES:
        raise SystemExit(f"column {name}: unknown type {kind!r}")
    out = {"type": kind, "required": c.get("RequiredLevel", "None")}
    create = c.get("IsValidForCreate", "True") == "True"
    update = c.get("IsValidForUpdate", "True") == "True"
    if c["_readonly"]:
        create = update = False
    out["validForCreate"], out["validForUpdate"] = create, update
    for key, field in (("MaxLength", "maxLength"), ("MinValue", "min"), ("MaxValue", "max"), ("Precision", "precision")):
        if key in c:
            out[field] = number(c[key])
    if kind == "DateTime":
        out["format"] = c.get("Format", "DateAndTime")
    if c.get("IsValidForRead", "True") != "True":
        out["validForRead"] = False
    if "Targets" in c:
        # an empty Targets row is a fact too: a lookup without documented targets (workflowlog.regardingobjectid)
        out["targets"] = [t for t in c["Targets"].split(",") if t]
    if c["options"]:
        options = {}
        for value, label, extra in c["options"]:
            if kind == "State":
                options[str(value)] = {"label": label, "defaultStatus": int(extra)}
            elif kind == "Status":
                options[str(value)] = {"label": label, "state": int(extra)}
            else:
                options[str(value)] = label
        out["options"] = options
    if "default" in c:
        out["default"] = number(c["default"]) if kind != "Boolean" else c["default"] in ("1", "True", "true")
    return name, out


def lookup_name(name, columns):
    """A lookup's display-name column: computed by the platform from the referenced row."""
    for suffix in ("yominame", "name"):
        if name.endswith(suffix) and columns.get(name[: -len(suffix)], {}).get("type") in ("Lookup", "Owner", "Customer"):
            return True
    return False


def referencing(table, rel, columns):
    key = (table, rel["name"])
    if key in REFERENCING:
        return REFERENCING[key]
    found = referencing_by_columns(rel, columns)
    if found is not None:
        return found
    for prefix, column in OWNING.items():
        if rel["name"].startswith(prefix) and rel["target"] in columns.get(column, {}).get("targets", []):
            return column
    # "<Target>_<Tables>": the relationship every regarding target has to this table
    if rel["name"].lower().startswith(rel["target"] + "_") and rel["target"] in columns.get("regardingobjectid", {}).get("targets", []):
        return "regardingobjectid"
    return None


def referencing_by_columns(rel, columns):
    lookups = {n: c for n, c in columns.items() if c["type"] in ("Lookup", "Customer", "Owner")
               and rel["target"] in c.get("targets", [])}
    if rel["name"].lower().startswith("owner_"):
        owners = [n for n, c in lookups.items() if c["type"] == "Owner"]
        return owners[0] if len(owners) == 1 else None
    lookups = {n: c for n, c in lookups.items() if c["type"] != "Owner"}
    if "customer" in rel["name"].lower():
        customers = [n for n, c in lookups.items() if c["type"] == "Customer"]
        if len(customers) == 1:
            return customers[0]
    if len(lookups) == 1:
        return next(iter(lookups))
    flat = rel["name"].replace("_", "").lower()
    stems = {n: n[:-2] if n.endswith("id") else n for n in lookups}
    named = [n for n, stem in stems.items() if len(stem) >= 5 and stem in flat]
    return named[0] if len(named) == 1 else None


def extract(path, commit):
    with open(path, encoding="utf-8") as f:
        table, raw_columns, raw_relationships = parse(f)
    logical = table["LogicalName"]
    columns = {}
    for c in raw_columns:
        name, out = column(c)
        columns[name] = out
    skipped = sorted(n for n in columns if lookup_name(n, columns))
    for n in skipped:
        del columns[n]
    relationships = {}
    unresolved = []
    for rel in raw_relationships:
        if "name" not in rel:
            continue
        attribute = referencing(logical, rel, columns)
        relationships[rel["name"]] = {"target": rel["target"], "attribute": attribute}
        if attribute is None:
            unresolved.append(rel["name"])
    return {
        "source": {"repository": "MicrosoftDocs/powerapps-docs", "commit": commit,
                   "path": f"powerapps-docs/developer/data-platform/reference/entities/{logical}.md"},
        "logicalName": logical,
        "schemaName": table.get("SchemaName"),
        "entitySetName": table.get("EntitySetName"),
        "ownership": table.get("OwnershipType"),
        "primaryId": table.get("PrimaryIdAttribute"),
        "primaryName": table.get("PrimaryNameAttribute") or None,
        "notCarried": {"lookupDisplayNames": "a lookup's name/yominame columns are computed from the referenced row "
                                              "and are not Web API properties"},
        "attributes": dict(sorted(columns.items())),
        "manyToOne": dict(sorted(relationships.items())),
    }, unresolved


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--commit", required=True, help="the powerapps-docs commit the pages were read at")
    p.add_argument("--out", required=True, help="directory for <table>.json")
    p.add_argument("pages", nargs="+")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for page in args.pages:
        data, unresolved = extract(page, args.commit)
        target = os.path.join(args.out, data["logicalName"] + ".json")
        with open(target, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{target}: {len(data['attributes'])} columns, {len(data['manyToOne'])} many-to-one"
              + (f"; no lookup column found for {', '.join(unresolved)}" if unresolved else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
