"""Facts derived from a case, once, for the rules to read.

Each episode gets an :class:`EpisodeFacts` (age at the episode, fever, whether its
movements are spasm-like, seizure-like, a series, ...). The thresholds used here are the
named constants of :mod:`spasmwatch.triage.rules`' sources, defined in this module so that
facts, patterns and rules share one definition.

References
----------
.. [ILAE] ILAE, epilepsydiagnosis.org, "Epileptic spasms" (2022).
.. [EF-IS] Epilepsy Foundation, epilepsy.com "Epileptic or Infantile Spasms": spasms of
   1-3 s, in clusters with events every 5-10 s over 5-10 minutes.
.. [AAP2011] AAP, Febrile seizures, Pediatrics 2011;127:389.
.. [EF] Epilepsy Foundation: features that favour an epileptic event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar, overload

from spasmwatch.case import FEVER_C, Case, Episode

__all__ = [
    "CONVULSIVE_MOVEMENTS",
    "SERIES_MAX_INTERVAL_S",
    "SERIES_MIN_COUNT",
    "SPASM_MAX_S",
    "SPASM_MIN_S",
    "SPASM_MOVEMENTS",
    "SUBTLE_SPASM_MOVEMENTS",
    "EpisodeFacts",
    "EpisodeTest",
    "Facts",
    "FactsMemo",
    "counted_as_cluster",
    "counted_as_lookalike",
    "counted_movements",
    "derive_facts",
    "lookalikes_only",
    "register_test",
]

#: Movements that can be an epileptic spasm: flexion, extension or mixed of neck, trunk and
#: proximal limbs, and the subtle forms (head nod, eyes rolling up, grimace) [ILAE].
SPASM_MOVEMENTS = frozenset(
    {"head_nod", "trunk_crunch", "arms_up", "legs_drawn_up", "arching", "eye_roll_up"}
)
#: Subtle forms of spasms that parents easily miss [ILAE].
SUBTLE_SPASM_MOVEMENTS = frozenset({"head_nod", "eye_roll_up", "facial_twitch"})
#: Movements that alone are harmless look-alikes however many come in a row (hiccups,
#: shuddering, jitteriness, a startle): a series of only these is not a cluster of spasms
#: in the doctor's counts (the look-alike rules say what each is), except a series of
#: startles that the triage calls spasm-like (:func:`counted_as_lookalike`).
LOOKALIKE_MOVEMENTS = frozenset({"hiccups", "shivering", "tremor", "startle"})


def lookalikes_only(movements: Iterable[str]) -> bool:
    """Whether an episode's ``movements`` are all :data:`LOOKALIKE_MOVEMENTS` (and any are
    named); one that also names another movement is not. The doctor's counts read
    :func:`counted_as_lookalike`, which is this less the series of startles that the
    triage calls spasm-like."""
    named = frozenset(movements)
    return bool(named) and named <= LOOKALIKE_MOVEMENTS


def counted_as_lookalike(e: EpisodeFacts) -> bool:
    """Whether the doctor's counts (the summaries, the charts, the per-day counts) take the
    episode's movements apart, as harmless look-alikes (19 movements, 10 of them hiccups):
    its movements are all :data:`LOOKALIKE_MOVEMENTS` (:func:`lookalikes_only`), and it
    is not what the ``startle-series`` rule calls spasm-like.

    A series of startles, not asleep, at 1-24 months
    (:func:`~spasmwatch.triage.predicates.infant_startle_series`, the rule's own test)
    is how parents often describe a cluster of spasms: the triage says "possible spasms",
    so the counts say a cluster (:func:`counted_as_cluster`), not a look-alike. A single
    startle, a series asleep or outside that age stays a look-alike.
    """
    return lookalikes_only(e.moves) and not _spasm_like_startles(e)


def counted_as_cluster(e: EpisodeFacts) -> bool:
    """Whether the doctor's counts take the episode as a cluster (series) of spasm-like
    movements: a series (:attr:`EpisodeFacts.series`: 3 or more movements, gaps of at
    most 60 s) whose movements are not counted as look-alikes
    (:func:`counted_as_lookalike`): 20 hiccups in a row are no cluster, a series of
    startles that the triage calls spasm-like is one."""
    return e.series and not counted_as_lookalike(e)


def _spasm_like_startles(e: EpisodeFacts) -> bool:
    """The ``startle-series`` rule's test of one episode
    (:func:`~spasmwatch.triage.predicates.infant_startle_series`)."""
    # Imported on first use: the predicates are written over these facts (they import
    # this module), and the counts must read the rule's test itself, never a copy of it.
    from spasmwatch.triage.predicates import infant_startle_series

    return infant_startle_series(e)


def counted_movements(count: int | None, movements: Iterable[str]) -> int:
    """How many movements an episode adds to the counts of the summaries and charts: its
    ``count``; without one, 1 when it names a movement and 0 when it names none.

    An episode logged with a warning sign alone (or only how long it lasted) describes no
    movement: it is an episode, with its warning sign, but no movement in the totals. The
    triage does not read this: a warning sign is an emergency whatever was counted.
    """
    if count:
        return count
    return 1 if any(movements) else 0


#: Convulsive movements: clonic (rhythmic) or tonic (stiffening) seizure signs.
CONVULSIVE_MOVEMENTS = frozenset({"rhythmic_jerking", "stiffening"})

#: A spasm lasts about 1-2 s: longer than a myoclonic jerk (< 0.1 s), shorter than a tonic
#: seizure (> 2 s) [ILAE]; parents' estimates are rough, so 0.3-3 s is accepted.
SPASM_MIN_S = 0.3
SPASM_MAX_S = 3.0
#: Spasms come in series; 3 or more movements make a series (the video analysis uses the
#: same definition of a cluster) [ILAE; EF-IS].
SERIES_MIN_COUNT = 3
#: Spasms in a cluster come every 5-10 s [EF-IS] (3-30 s in the clinical reference); a gap
#: over 60 s is not one series [design: twice the longest usual gap].
SERIES_MAX_INTERVAL_S = 60.0


_T = TypeVar("_T")


class cached_property(Generic[_T]):
    """A property computed on first read and kept in the instance's ``__dict__``, as
    :class:`functools.cached_property` but without its lock: on Python 3.11 that one
    takes a lock on every first read, about a third of a triage's time on a diary of 500
    episodes. Facts are made and read by one triage, in one thread (two threads reading
    at once would each compute the same value)."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # A non-data descriptor: once the value is in __dict__, reads no longer come here.
        value = instance.__dict__[self.name] = self.func(instance)
        return value


#: A test of one episode's facts that reads nothing else (not its index, not the case).
EpisodeTest = Callable[["EpisodeFacts"], bool]

#: The registered episode tests (:func:`register_test`), by number.
_TESTS: list[EpisodeTest] = []
_TEST_NUMBERS: dict[EpisodeTest, int] = {}


def register_test(test: EpisodeTest) -> int:
    """The number of ``test`` among the registered episode tests (registered on first use).

    A registered test is run once per episode and kept in the episode's
    :attr:`EpisodeFacts.passed`, so that the episodes passing it are read from groups of
    alike episodes (:meth:`Facts.passing`) rather than by running it on every episode for
    every rule. It must read only the episode's own facts (:class:`EpisodeFacts` less its
    ``index``), which depend only on the episode, the age at it and its start.
    """
    number = _TEST_NUMBERS.get(test)
    if number is None:
        number = _TEST_NUMBERS[test] = len(_TESTS)
        _TESTS.append(test)
    return number


def _naive(dt: datetime | None) -> datetime | None:
    """Drop time zones (as UTC) so that naive and aware times can be compared."""
    if dt is None or dt.tzinfo is None:
        return dt
    return dt.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class EpisodeFacts:
    """What the rules need to know about one episode."""

    index: int
    episode: Episode
    age_months: float
    started_at: datetime | None

    @cached_property
    def moves(self) -> frozenset[str]:
        """The movements seen, as a set."""
        return frozenset(self.episode.movements)

    @cached_property
    def fever(self) -> bool:
        """A temperature of 38.0 C or more [AAP2011]."""
        return self.episode.fever_c is not None and self.episode.fever_c >= FEVER_C

    @cached_property
    def spasm_type(self) -> bool:
        """At least one movement that can be an epileptic spasm."""
        return bool(self.moves & SPASM_MOVEMENTS)

    @cached_property
    def spasm_duration(self) -> bool:
        """Each movement lasts 0.3-3 s, or its length is not known."""
        s = self.episode.movement_seconds
        return s is None or SPASM_MIN_S <= s <= SPASM_MAX_S

    @cached_property
    def series(self) -> bool:
        """Three or more movements, with gaps of at most 60 s where the gap is known."""
        ep = self.episode
        if ep.count is None or ep.count < SERIES_MIN_COUNT:
            return False
        return ep.interval_seconds is None or ep.interval_seconds <= SERIES_MAX_INTERVAL_S

    @cached_property
    def convulsive(self) -> bool:
        """Rhythmic jerking or stiffening."""
        return bool(self.moves & CONVULSIVE_MOVEMENTS)

    @cached_property
    def seizure_signs(self) -> bool:
        """Signs of a seizure: convulsive, eyes turned to one side, or not responsive.

        Not responding during the event is one of the features that favour an epileptic
        event [EF]. The emergency rules read this, whatever else is true.
        """
        return self.convulsive or "eye_deviation" in self.moves or self.episode.responsive == "no"

    @cached_property
    def stopped_by_waking(self) -> bool:
        """Movements in sleep that stopped as soon as the baby was woken, the baby responsive:
        an epileptic event cannot be stopped by waking the baby [EF], and stopping on waking
        is the test of benign sleep myoclonus (clinical reference, section 3).

        Holding the limb or a distraction are not counted here: "jerking" that stops when
        held keeps a seizure possible enough to see a doctor with a video.
        """
        ep = self.episode
        return (
            ep.state in ("asleep", "drowsy")
            and ep.stops_when_woken == "yes"
            and ep.responsive != "no"
        )

    @cached_property
    def seizure_like(self) -> bool:
        """Seizure signs, unless they were sleep jerks that stopped on waking
        (:attr:`stopped_by_waking`).

        The concern rules read this; the emergency rules read :attr:`seizure_signs`, so that
        a benign feature never cancels an emergency.
        """
        return self.seizure_signs and not self.stopped_by_waking

    @cached_property
    def one_sided(self) -> bool:
        """Focal signs: one side only, or the eyes turned to one side [AAP2011]."""
        return self.episode.side in ("left", "right") or "eye_deviation" in self.moves

    @cached_property
    def duration_s(self) -> float | None:
        """How long the whole episode lasted, in seconds, where known."""
        ep = self.episode
        spans = []
        if ep.episode_minutes is not None:
            spans.append(ep.episode_minutes * 60.0)
        if ep.movement_seconds is not None:
            spans.append(ep.movement_seconds)
        return max(spans) if spans else None

    @cached_property
    def recovered(self) -> bool:
        """No sign that recovery was slow or incomplete."""
        ep = self.episode
        return "slow_to_recover" not in ep.after and "not_back_to_normal" not in ep.red_flags

    @cached_property
    def passed(self) -> tuple[int, int]:
        """``(n, bits)``: bit ``i`` of ``bits`` is set when registered test ``i``
        (:func:`register_test`) passes, for the first ``n`` tests registered."""
        bits = 0
        for number, test in enumerate(_TESTS):
            if test(self):
                bits |= 1 << number
        return len(_TESTS), bits

    def passes(self, number: int) -> bool:
        """Whether registered test ``number`` passes."""
        known, bits = self.passed
        if number < known:
            return bool(bits >> number & 1)
        return _TESTS[number](self)  # registered after this episode's tests ran


@dataclass(frozen=True)
class Facts:
    """The case and everything derived from it that the rules read.

    Attributes
    ----------
    explained
        Episode indices that a benign look-alike rule explains; filled in by the engine
        after the look-alike rules ran, before the others.
    recalled
        For each episode, how many of its facts a :class:`FactsMemo` gave it (0: none);
        empty when there was no memo.
    """

    case: Case
    episodes: tuple[EpisodeFacts, ...]
    now: datetime
    explained: frozenset[int] = field(default=frozenset())
    recalled: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def conditions(self) -> frozenset[str]:
        """The child's known conditions."""
        return frozenset(self.case.child.conditions)

    @cached_property
    def age_now_months(self) -> float:
        """The child's age today."""
        return self.case.age_months_at(None, today=self.now.date())

    @cached_property
    def known_seizures(self) -> bool:
        """Seizures or epilepsy already known to the child's doctors."""
        return bool(self.conditions & {"epilepsy", "previous_seizures", "infantile_spasms"})

    def once(self, name: str, compute: Callable[[Facts], _T]) -> _T:
        """``compute(self)``, computed on first call and kept with these facts under
        ``name``: what several rules read of the same facts (the spasm-like episodes) is
        found once per triage. A copy of the facts (:func:`dataclasses.replace`) computes
        it anew."""
        key = "_once_" + name
        if key not in self.__dict__:
            self.__dict__[key] = compute(self)  # as a cached property keeps its value
        value: _T = self.__dict__[key]
        return value

    def where(self, predicate) -> frozenset[int]:  # type: ignore[no-untyped-def]
        """Indices of the episodes for which ``predicate(EpisodeFacts)`` is true."""
        return frozenset(e.index for e in self.episodes if predicate(e))

    @cached_property
    def _alike(self) -> dict[tuple[int, int], list[EpisodeFacts]]:
        """The episodes grouped by which registered tests they pass."""
        groups: dict[tuple[int, int], list[EpisodeFacts]] = {}
        for e in self.episodes:
            groups.setdefault(e.passed, []).append(e)
        return groups

    def with_groups(self, groups: dict[tuple[int, int], list[EpisodeFacts]] | None) -> Facts:
        """These facts with their episodes' groups (:attr:`_alike`) given, not computed:
        for a copy of other facts whose episodes group as ``groups`` says (``None``:
        computed when first read). Returns ``self``."""
        if groups is not None:
            self.__dict__["_alike"] = groups  # the cached property's own slot
        return self

    def groups_if_known(self) -> dict[tuple[int, int], list[EpisodeFacts]] | None:
        """The episodes' groups if already computed (or given), else ``None``."""
        return self.__dict__.get("_alike")

    def passing(
        self, number: int, then: Callable[[EpisodeFacts], bool] | None = None
    ) -> frozenset[int]:
        """Indices of the episodes passing registered test ``number`` and then ``then``
        (if given; read only for those): the same as ``where(lambda e: test(e) and
        then(e))``, the test read once per group of alike episodes."""
        out: list[int] = []
        for (known, bits), group in self._alike.items():
            if number < known:
                if bits >> number & 1:
                    out.extend(e.index for e in group if then is None or then(e))
            else:
                out.extend(e.index for e in group if e.passes(number) and (then is None or then(e)))
        return frozenset(out)


def _age_basis(case: Case, today: date) -> tuple[Any, ...]:
    """What :meth:`~spasmwatch.case.Case.age_months_at` reads besides the episode's start:
    the same basis and the same episode give the same age."""
    return (case.child.birth_date, case.child.age_months, today)


class FactsMemo:
    """The facts of episodes kept from one triage to the next.

    An episode's facts (:class:`EpisodeFacts` less its index) depend only on the episode
    and the age at it; a diary triaged after each change has all but one of its episodes
    triaged before. Kept by the episode object itself (the caller passes the same, never
    changed, :class:`~spasmwatch.case.Episode` objects each time, e.g. parsed once per
    stored text) and what its age is computed from (the child's birth date or age, and
    the day), so that a new birth date or a new day computes the facts anew. At most
    ``max_episodes`` are kept; the memo starts again when full. Threads may share one:
    entries are replaced whole, never changed, and each triage has facts of its own.
    """

    def __init__(self, max_episodes: int = 10_000) -> None:
        self.max_episodes = max_episodes
        # id(episode) -> (episode, age basis, the facts' __dict__ less the index); the
        # episode is held so that its id is not reused while the entry lives.
        self._kept: dict[int, tuple[Episode, tuple[Any, ...], dict[str, Any]]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every episode."""
        self._kept.clear()

    def recall(self, index: int, episode: Episode, basis: tuple[Any, ...]) -> EpisodeFacts | None:
        """The facts kept for ``episode`` with this age basis, as episode ``index``."""
        kept = self._kept.get(id(episode))
        if kept is None or kept[0] is not episode or kept[1] != basis:
            return None
        # Not through __init__: the fields and facts are all in the kept __dict__.
        e = object.__new__(EpisodeFacts)
        e.__dict__.update(kept[2])
        e.__dict__["index"] = index
        return e

    def keep(self, facts: Facts) -> None:
        """Keep the facts computed for each episode of ``facts`` (those it recalled and
        computed no more of are left as they are)."""
        basis = _age_basis(facts.case, facts.now.date())
        recalled = facts.recalled or (0,) * len(facts.episodes)
        for e, n_recalled in zip(facts.episodes, recalled, strict=True):
            computed = e.__dict__
            if len(computed) == n_recalled:
                continue  # nothing new since it was recalled
            if len(self._kept) >= self.max_episodes:
                self._kept.clear()
            found = {k: v for k, v in computed.items() if k != "index"}
            self._kept[id(e.episode)] = (e.episode, basis, found)


def derive_facts(case: Case, now: datetime | None = None, memo: FactsMemo | None = None) -> Facts:
    """Derive the facts of ``case``; ``now`` (default: the current time) anchors ages;
    ``memo`` gives each episode the facts an earlier triage computed for it."""
    now = _naive(now) or datetime.now()
    today: date = now.date()
    basis = _age_basis(case, today) if memo is not None else ()
    eps: list[EpisodeFacts] = []
    recalled: list[int] = []
    for i, ep in enumerate(case.episodes):
        e = memo.recall(i, ep, basis) if memo is not None else None
        if e is None:
            e = EpisodeFacts(
                index=i,
                episode=ep,
                age_months=case.age_months_at(ep.started_at, today=today),
                started_at=_naive(ep.started_at),
            )
            recalled.append(0)
        else:
            recalled.append(len(e.__dict__))
        eps.append(e)
    return Facts(
        case=case,
        episodes=tuple(eps),
        now=now,
        recalled=tuple(recalled) if memo is not None else (),
    )
