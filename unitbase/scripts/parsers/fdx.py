"""Final Draft FDX reader (defusedxml: entity expansion and external entities are refused).

Element line ranges are paragraph ordinals (1-based, in document order), since the XML parser
we use does not report source lines.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .model import Element, ElementType, Script, ScriptFormatError
from .scenes import parse_eighths

ET = ElementType

_TYPES = {
    "Scene Heading": ET.SCENE_HEADING,
    "Action": ET.ACTION,
    "General": ET.ACTION,
    "Character": ET.CHARACTER,
    "Dialogue": ET.DIALOGUE,
    "Parenthetical": ET.PARENTHETICAL,
    "Transition": ET.TRANSITION,
    "Shot": ET.SHOT,
    "Lyrics": ET.LYRICS,
    "Cast List": ET.ACTION,
    "New Act": ET.SECTION,
    "End of Act": ET.SECTION,
}


# A scene heading that says only OMITTED (as Final Draft prints an omitted scene), with or without
# brackets or a full stop.
_OMITTED_RE = re.compile(r"\(?\s*OMITTED\s*\)?\.?", re.I)


def _text(par: StdET.Element) -> tuple[str, list[dict[str, str]]]:
    """Concatenate the paragraph's own Text runs; also return the tagged runs."""
    parts: list[str] = []
    tagged: list[dict[str, str]] = []
    pos = 0
    for t in par.findall("Text"):
        s = t.text or ""
        if t.get("TagNumber"):
            tagged.append({"tag": t.get("TagNumber", ""), "start": str(pos), "end": str(pos + len(s))})
        parts.append(s)
        pos += len(s)
    return "".join(parts), tagged


def _notes(par: StdET.Element) -> list[str]:
    out = []
    for note in par.findall("ScriptNote"):
        text = "\n".join(_text(p)[0] for p in note.iter("Paragraph")).strip()
        if text:
            out.append(text)
    return out


def parse_fdx(data: bytes | str) -> Script:
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ScriptFormatError(f"the FDX file was refused: it declares XML entities ({type(exc).__name__})") from None
    except StdET.ParseError as exc:
        raise ScriptFormatError(f"the FDX file is not well-formed XML: {exc}") from None
    if root.tag != "FinalDraft":
        raise ScriptFormatError(f"not a Final Draft file: the root element is <{root.tag}>, not <FinalDraft>")
    content = root.find("Content")
    if content is None:
        raise ScriptFormatError("the FDX file has no <Content> element")
    script = Script(format="fdx")
    ordinal = 0

    def add(par: StdET.Element, dual: bool) -> None:
        nonlocal ordinal
        ordinal += 1
        kind = _TYPES.get(par.get("Type", ""), ET.ACTION)
        text, tagged = _text(par)
        el = Element(kind, text.strip("\n") if kind == ET.ACTION else text.strip(), ordinal, ordinal, dual=dual)
        el.attrs["fdx_type"] = par.get("Type", "")
        if tagged:
            el.attrs["tags"] = ";".join(f"{t['tag']}@{t['start']}-{t['end']}" for t in tagged)
        if kind == ET.SCENE_HEADING:
            el.scene_number = par.get("Number") or None
            props = par.find("SceneProperties")
            if props is not None:
                el.stated_eighths = parse_eighths(props.get("Length", ""))
                el.stated_page = props.get("Page") or None
                if props.get("Title"):
                    el.attrs["title"] = props.get("Title", "")
                summary = props.find("Summary")
                if summary is not None:
                    el.attrs["summary"] = "\n".join(_text(p)[0] for p in summary.iter("Paragraph")).strip()
            omitted = par.find("OmittedScene")
            if omitted is not None or _OMITTED_RE.fullmatch(el.text):
                # An omitted scene (research note §2): Final Draft keeps its number, prints "OMITTED" as
                # the heading and may keep what the scene held inside <OmittedScene>, which is not read
                # as script. It becomes an OMITTED placeholder (scenes.Scene.omitted).
                el.attrs["omitted"] = "yes"
                inner = omitted.find(".//Paragraph[@Type='Scene Heading']") if omitted is not None else None
                if inner is not None and _text(inner)[0].strip():
                    el.attrs["omitted_heading"] = _text(inner)[0].strip()
        if kind == ET.CHARACTER:
            name, exts = _split_cue(text.strip())
            el.name, el.extensions = name, exts
        notes = _notes(par)
        if kind != ET.SECTION or text.strip():
            script.elements.append(el)
        for note in notes:
            script.elements.append(Element(ET.NOTE, note, ordinal, ordinal))
        if kind == ET.SCENE_HEADING and "summary" in el.attrs and el.attrs["summary"]:
            script.elements.append(Element(ET.SYNOPSIS, el.attrs["summary"], ordinal, ordinal))

    for par in content.findall("Paragraph"):
        duals = par.findall("DualDialogue")
        if duals:
            for dd in duals:
                for inner in dd.findall("Paragraph"):
                    add(inner, True)
            continue
        add(par, False)

    _read_title_page(root, script)
    _read_layout(root, script)
    _read_tags(root, script)
    return script


def _split_cue(text: str) -> tuple[str, tuple[str, ...]]:
    idx = text.find("(")
    if idx <= 0:
        return text, ()
    exts = tuple(p.strip(" )") for p in text[idx:].split("(") if p.strip(" )"))
    return text[:idx].strip(), exts


def _read_title_page(root: StdET.Element, script: Script) -> None:
    tp = root.find("TitlePage/Content")
    if tp is None:
        return
    lines = [_text(p)[0].strip() for p in tp.findall("Paragraph")]
    lines = [line for line in lines if line]
    if lines:
        script.title_page["title"] = lines[0]
        if len(lines) > 1:
            script.title_page["notes"] = "\n".join(lines[1:])


def _num(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _read_layout(root: StdET.Element, script: Script) -> None:
    info: dict = {"styles": {}}
    for es in root.findall("ElementSettings"):
        spec = es.find("ParagraphSpec")
        if spec is None:
            continue
        left, right = _num(spec.get("LeftIndent")), _num(spec.get("RightIndent"))
        before = _num(spec.get("SpaceBefore")) or 0.0
        if left is not None and right is not None and right > left:
            info["styles"][es.get("Type", "")] = (left, right, before)
    layout = root.find("PageLayout")
    if layout is not None:
        info["top_margin_pt"] = _num(layout.get("TopMargin"))
        info["bottom_margin_pt"] = _num(layout.get("BottomMargin"))
        size = layout.find("PageSize")
        if size is not None:
            info["page_height_in"] = _num(size.get("Height"))
            info["page_width_in"] = _num(size.get("Width"))
    if info["styles"] or len(info) > 1:
        script.layout = info


def _read_tags(root: StdET.Element, script: Script) -> None:
    """Breakdown tags: tag number -> (category name, element label), kept on the script's layout dict."""
    data = root.find("TagData")
    if data is None:
        return
    cats = {c.get("Id"): c.get("Name", "") for c in data.iter("TagCategory")}
    defs = {d.get("Id"): (cats.get(d.get("CatId"), ""), d.get("Label", "")) for d in data.iter("TagDefinition")}
    tags = {}
    for tag in data.iter("Tag"):
        def_id = tag.findtext("DefId")
        if def_id in defs:
            tags[tag.get("Number", "")] = defs[def_id]
    script.layout = script.layout or {"styles": {}}
    script.layout["tag_categories"] = sorted(set(cats.values()))
    script.layout["tags"] = tags
