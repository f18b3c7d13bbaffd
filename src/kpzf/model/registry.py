"""The unit registry: canonical names, aliases and short forms, groups and their expansion."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import field

from ..records import record
from .models import Group, Plan, Unit


@functools.lru_cache(maxsize=16384)
def normalize_name(name: str) -> str:
    """The lookup key of a unit name: full/half-width folded, all whitespace removed.

    So 各镇(街), 各镇（街） and "各镇 （街）" are one key; the canonical spelling is kept elsewhere.
    """
    return "".join(unicodedata.normalize("NFKC", name).split())


MAX_SUGGESTED = 500  # distinct unknown names that get "是否指" suggestions
# The place that issued a plan, at the head of its issuer's name: 开平市人民政府办公室 → 开平市,
# 嘉鱼县人民政府办公室 → 嘉鱼县, 广东省人民政府办公厅 → 广东省.
_PLACE = re.compile(r"^(\w+?(?:自治区|自治州|自治县|[省市县区州盟旗]))(?:人民政府|人大|委员会|党委|政府)")
# The short names a plan uses for its own departments start with the place's level: 市公安局,
# 县司法局, 区财政局 — so 开平市公安局 is 开平 + 市公安局.
_LEVELS = "市县区"


def place_of(issuer: str) -> str | None:
    """The place name (开平市) at the head of a plan's 发文机关, or None if it has none."""
    match = _PLACE.match(normalize_name(issuer))
    return match.group(1) if match else None


@record(frozen=False)
class Registry:
    """Every name a plan may use for a unit or group, and what each group stands for.

    Built tolerantly (the first definition of a name wins) so that checks can report every
    clash and unknown name in one run instead of stopping at the first.
    """

    units: dict[str, Unit] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)  # normalized name or alias → canonical
    _expanded: dict[str, frozenset[str]] = field(default_factory=dict)
    _containing: dict[str, tuple[str, ...]] | None = None
    _order: dict[str, int] | None = None
    _found: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)
    place: str | None = None  # the issuing place (开平市), see `resolve`

    @classmethod
    def from_plan(cls, plan: Plan) -> Registry:
        meta = plan.meta
        registry = cls(place=meta.place or (place_of(meta.issuer) if meta.issuer else None))
        for unit in plan.units:
            registry.units.setdefault(unit.name, unit)
        for group in plan.groups:
            if group.name not in registry.units:
                registry.groups.setdefault(group.name, group)
        # Canonical names first, so an alias can never shadow a real name.
        for name in (*registry.units, *registry.groups):
            registry.lookup.setdefault(normalize_name(name), name)
        entries: list[Unit | Group] = [*registry.units.values(), *registry.groups.values()]
        for entry in entries:
            for alias in entry.aliases:
                registry.lookup.setdefault(normalize_name(alias), entry.name)
        return registry

    def unit_order(self) -> dict[str, int]:
        """Each single unit's place in the registry, built once (sorting asks it per call)."""
        if self._order is None:
            self._order = {name: i for i, name in enumerate(self.units)}
        return self._order

    def in_order(self, units: Iterable[str]) -> list[str]:
        """Units as the plan lists them (departments, then towns); unknown names last."""
        order = self.unit_order()
        return sorted(units, key=lambda u: (order.get(u, len(order)), u))

    def resolve(self, name: str) -> str | None:
        """The canonical name a plan's reference stands for, or None if unknown.

        A name may carry the plan's own place in front (a rule, not a list of aliases): with
        开平市 as the issuing place, 开平市公安局 is 市公安局 (开平 + the 市… short name) and
        开平市赤坎镇 is 赤坎镇. Another place's office stays unknown: 江门市司法局 is not 市司法局.
        """
        key = normalize_name(name)
        found = self.lookup.get(key)
        if found is None and self.place is not None:
            found = self._without_place(key)
        return found

    def _without_place(self, key: str) -> str | None:
        place = self.place
        assert place is not None
        if not key.startswith(place[:-1]) or len(key) <= len(place):
            return None
        if place[-1] in _LEVELS and key[len(place) - 1] == place[-1]:
            found = self.lookup.get(key[len(place) - 1 :])  # 开平|市公安局
            if found is not None:
                return found
        if key.startswith(place):
            return self.lookup.get(key[len(place) :])  # 开平市|赤坎镇
        return None

    def is_group(self, canonical: str) -> bool:
        return canonical in self.groups

    def expand(self, canonical: str) -> frozenset[str]:
        """The single units a unit or group name stands for (a unit stands for itself).

        Memoized, so expanding every reference of a large plan is linear in the registry.
        A cycle (reported by the checks) contributes nothing beyond what is reachable.
        """
        if canonical in self.units:
            return frozenset((canonical,))
        cached = self._expanded.get(canonical)
        if cached is not None:
            return cached
        return self._expand_group(canonical)

    def _expand_group(self, name: str) -> frozenset[str]:
        """Expand without recursion: a chain of groups thousands deep is a loop, not a stack.

        Post-order over the group graph with an explicit stack; a group met again while it is
        being expanded (a cycle) contributes nothing, as the checks report.
        """
        if name not in self.groups:
            return frozenset()
        visiting: set[str] = {name}
        stack: list[tuple[str, list[str]]] = [(name, self._sub_groups(name))]
        while stack:
            current, pending = stack[-1]
            while pending:
                child = pending.pop()
                if child not in self._expanded and child not in visiting:
                    visiting.add(child)
                    stack.append((child, self._sub_groups(child)))
                    break
            else:
                stack.pop()
                visiting.discard(current)
                self._expanded[current] = self._members_of(current)
        return self._expanded[name]

    def _sub_groups(self, name: str) -> list[str]:
        group = self.groups[name]
        found = (self.resolve(m) for m in (*group.members, *group.exclude))
        return [c for c in found if c is not None and c in self.groups]

    def _members_of(self, name: str) -> frozenset[str]:
        """A group's units, its sub-groups already expanded (a sub-group still open: nothing)."""
        group = self.groups[name]
        members: set[str] = set()
        for member in group.members:
            members |= self._reference(member)
        for excluded in group.exclude:
            members -= self._reference(excluded)
        return frozenset(members)

    def _reference(self, name: str) -> frozenset[str]:
        canonical = self.resolve(name)
        if canonical is None:
            return frozenset()
        if canonical in self.units:
            return frozenset((canonical,))
        return self._expanded.get(canonical, frozenset())

    def groups_containing(self, unit: str) -> tuple[str, ...]:
        """Every group whose expansion includes `unit`, in registry order."""
        if self._containing is None:
            containing: dict[str, list[str]] = {}
            for group in self.groups:
                for member in self.expand(group):
                    containing.setdefault(member, []).append(group)
            self._containing = {k: tuple(v) for k, v in containing.items()}
        return self._containing.get(unit, ())

    def find(self, query: str) -> tuple[str | None, list[str]]:
        """Resolve a name typed by a person: (canonical, []) or (None, closest candidates).

        Exact names and aliases first; then a unique partial match (赤坎 → 赤坎镇); otherwise
        the candidates that contain the query or look like it, for the error message.
        Answers are cached: a plan may name the same unknown unit thousands of times.
        """
        key = normalize_name(query)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(query, key)
        return found[0], list(found[1])

    def _find(self, query: str, key: str) -> tuple[str | None, list[str]]:
        exact = self.resolve(query)
        if exact is not None:
            return exact, []
        if not key:
            return None, []
        partial = sorted({canonical for alias, canonical in self.lookup.items() if key in alias})
        if len(partial) == 1:
            return partial[0], []
        if partial:
            return None, partial
        if len(self._found) > MAX_SUGGESTED:
            return None, []  # thousands of distinct unknown names: the first ones get suggestions
        import difflib  # only on the error path

        close = difflib.get_close_matches(key, list(self.lookup), n=5, cutoff=0.5)
        return None, list(dict.fromkeys(self.lookup[c] for c in close))
