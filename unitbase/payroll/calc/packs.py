"""Loading rule packs from YAML and choosing the version in force on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from unitbase.payroll.calc.schema import PackFile, RuleSet

PACKS_DIR = Path(__file__).resolve().parent.parent / "packs"


class PackError(ValueError):
    """A pack file that cannot be used; the message names the file and each bad field path."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class _DecimalLoader(yaml.SafeLoader):
    """yaml.SafeLoader that reads decimals as Decimal (never float), so 8.50 stays exact."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top)"


def parse_pack(text: str, path: Path | str = "<string>") -> RuleSet:
    try:
        data = yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise PackError(path, [f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise PackError(path, ["(top): expected a mapping with a 'rule_set' key"])
    try:
        return PackFile.model_validate(data).rule_set
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line = line_of(text, err["loc"])
            where = f" (line {line})" if line else ""
            problems.append(f"{_location(err['loc'])}{where}: {err['msg']}")
        raise PackError(path, problems) from exc


def line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at a validation error's path (the deepest part of the path
    that exists in the text: a missing key points at its parent), or None."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if getattr(key, "value", None) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def load_pack(path: Path | str) -> RuleSet:
    path = Path(path)
    return parse_pack(path.read_text(encoding="utf-8"), path)


class PackRegistry:
    """All versions of all packs; ``get(id, on=date)`` picks the version in force."""

    def __init__(self, packs: Iterable[RuleSet]) -> None:
        self._by_id: dict[str, list[RuleSet]] = {}
        for pack in packs:
            versions = self._by_id.setdefault(pack.id, [])
            if any(v.version == pack.version for v in versions):
                raise ValueError(f"pack {pack.id} version {pack.version} is loaded twice")
            for other in versions:
                if _overlap(pack, other):
                    raise ValueError(
                        f"pack {pack.id}: versions {other.version} and {pack.version} are both in force on some dates"
                    )
            versions.append(pack)
        for versions in self._by_id.values():
            versions.sort(key=lambda p: p.effective.from_)

    @classmethod
    def from_dir(cls, directory: Path | str) -> PackRegistry:
        return cls(load_pack(p) for p in sorted(Path(directory).glob("*.yaml")))

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def versions(self, pack_id: str) -> list[RuleSet]:
        return list(self._by_id.get(pack_id, []))

    def all(self) -> list[RuleSet]:
        return [p for pid in self.ids() for p in self._by_id[pid]]

    def get(self, pack_id: str, *, on: dt.date) -> RuleSet:
        versions = self._by_id.get(pack_id)
        if not versions:
            raise LookupError(f"no rule pack {pack_id!r}")
        for pack in versions:
            if pack.effective.covers(on):
                return pack
        raise LookupError(f"rule pack {pack_id!r} has no version in force on {on.isoformat()}")

    def floors_for(self, jurisdiction: str | None, *, on: dt.date, exempt: Iterable[str] = ()) -> list[RuleSet]:
        if not jurisdiction:
            return []
        skip = set(exempt)
        found = []
        for pack_id, versions in sorted(self._by_id.items()):
            if pack_id in skip:
                continue
            for pack in versions:
                if pack.kind == "floor" and pack.selectors.jurisdiction == jurisdiction and pack.effective.covers(on):
                    found.append(pack)
        return found


def _overlap(a: RuleSet, b: RuleSet) -> bool:
    a_end = a.effective.to or dt.date.max
    b_end = b.effective.to or dt.date.max
    return a.effective.from_ <= b_end and b.effective.from_ <= a_end


@cache
def default_registry() -> PackRegistry:
    """The packs shipped in unitbase/payroll/packs (loaded once per process)."""
    return PackRegistry.from_dir(PACKS_DIR)
