#!/usr/bin/env python3
"""Turns a practicebank site into a Hugo site, for bench/run.sh.

    python3 bench/hugo/convert.py SITE_DIR HUGO_DIR

HUGO_DIR gets hugo.yaml, data/site.yaml (site.yaml as is: the theme and
survey labels), content/ and the layouts and stylesheet of bench/hugo/.
Case studies keep their front matter, with three changes Hugo needs:

- `authority` and `survey` are kept and also given as the taxonomies
  `authorities` and `surveys` (Hugo reads a taxonomy from its plural key);
  `themes` is a taxonomy already.
- `resources` becomes `downloads`: Hugo reserves `resources` for its own
  page-resource metadata.
- A case study with a resource file becomes a leaf bundle
  (`slug/index.md` with the file beside it) so Hugo publishes the file at
  `/case-studies/slug/<file>`, where practicebank puts it.

Links to other case studies written as file names (`[x](other.md)`) become
`../other/`. Only the standard library is used; the front matter is edited
line by line (Hugo parses the YAML), which holds for the format's
top-level keys and for what gen_corpus writes.
"""

import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINK = re.compile(r"\]\(([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[^)]*)?\)")


def top_level(text, key):
    """The value of a top-level `key: value` line of a YAML file, or None."""
    match = re.search(rf"^{key}:[ \t]*(.*?)[ \t]*$", text, re.M)
    if not match or not match.group(1):
        return None
    return scalar(match.group(1))


def scalar(raw):
    """A one-line YAML scalar as a Python string (quotes removed)."""
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return json.loads(raw)
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    return raw


def split_front_matter(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ValueError("front matter not closed")
    return text[4 : end + 1], text[end + 5 :]


def convert_case_study(source, content_dir, out_root):
    front, body = split_front_matter(source.read_text(encoding="utf-8"))
    lines = []
    files = []
    in_resources = False
    for line in front.split("\n"):
        top = line[:1] not in (" ", "\t", "-", "")
        if top:
            in_resources = line.startswith("resources:")
        if line.startswith("authority:"):
            lines.append(line)
            value = scalar(line[len("authority:") :].strip())
            lines.append("authorities: [" + json.dumps(value) + "]")
            continue
        if line.startswith("survey:"):
            lines.append(line)
            value = scalar(line[len("survey:") :].strip())
            lines.append("surveys: [" + json.dumps(value) + "]")
            continue
        if in_resources:
            if top:
                line = "downloads:" + line[len("resources:") :]
            found = re.match(r"^\s*(?:-\s+)?file:\s*(.+?)\s*$", line)
            if found:
                files.append(scalar(found.group(1)))
        lines.append(line)
    body = LINK.sub(lambda m: "](../" + m.group(1) + "/" + (m.group(2) or "") + ")", body)
    text = "---\n" + "\n".join(lines).rstrip("\n") + "\n---\n" + body

    relative = source.relative_to(content_dir).with_suffix("")
    slug = relative.name
    if files:
        bundle = out_root / slug
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "index.md").write_text(text, encoding="utf-8")
        for name in files:
            target = bundle / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.parent / name, target)
    else:
        (out_root / (slug + ".md")).write_text(text, encoding="utf-8")


def write_config(site_yaml, out):
    title = top_level(site_yaml, "title") or "Practice bank"
    base_url = top_level(site_yaml, "base_url") or "https://example.org/"
    if not base_url.endswith("/"):
        base_url += "/"
    page_size = int(top_level(site_yaml, "page_size") or 20)
    config = {
        "baseURL": base_url,
        "title": title,
        "locale": "en-GB",
        "capitalizeListTitles": False,
        "pluralizeListTitles": False,
        "enableRobotsTXT": True,
        "taxonomies": {"theme": "themes", "authority": "authorities", "survey": "surveys"},
        "pagination": {"pagerSize": page_size},
        # Feeds of the 20 newest, as practicebank's.
        "services": {"rss": {"limit": 20}},
        "outputs": {
            "home": ["html", "rss", "json"],
            "section": ["html"],
            "taxonomy": ["html"],
            "term": ["html", "rss"],
        },
        # Related case studies: by shared themes, then authority; practicebank
        # finds them by text similarity with its search index.
        "related": {
            "includeNewer": True,
            "threshold": 1,
            "toLower": False,
            "indices": [
                {"name": "themes", "weight": 100},
                {"name": "authorities", "weight": 50},
            ],
        },
    }
    # JSON is YAML.
    (out / "hugo.yaml").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: convert.py SITE_DIR HUGO_DIR")
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    site_yaml = (site / "site.yaml").read_text(encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    (out / "data" / "site.yaml").write_text(site_yaml, encoding="utf-8")
    write_config(site_yaml, out)
    shutil.copytree(HERE / "layouts", out / "layouts")
    shutil.copytree(HERE / "static", out / "static")

    content = out / "content"
    cases = content / "case-studies"
    cases.mkdir(parents=True)
    # No list of all case studies: practicebank has none.
    (cases / "_index.md").write_text("---\ntitle: Case studies\nbuild:\n  render: never\n---\n", encoding="utf-8")
    for name, title, cascade in [
        ("themes", "Themes", False),
        ("authorities", "Authorities", True),
        ("surveys", "Surveys", True),
    ]:
        (content / name).mkdir()
        # Feeds for the site and each theme only, as practicebank.
        extra = "cascade:\n  outputs: [html]\n" if cascade else ""
        (content / name / "_index.md").write_text(f"---\ntitle: {title}\n{extra}---\n", encoding="utf-8")

    # The search page, for Pagefind's UI, where practicebank has its own.
    (content / "search.md").write_text("---\ntitle: Search\nlayout: search\nurl: /search/\nsitemap:\n  disable: true\n---\n", encoding="utf-8")

    source_dir = site / "content" / "case-studies"
    count = 0
    for source in sorted(source_dir.rglob("*.md")):
        if any(part.startswith(".") for part in source.relative_to(source_dir).parts):
            continue
        try:
            convert_case_study(source, source_dir, cases)
        except (ValueError, OSError) as error:
            sys.exit(f"convert.py: {source}: {error}")
        count += 1
    print(f"converted {count} case studies to {out}")


if __name__ == "__main__":
    main()
