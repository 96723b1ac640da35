"""The figures of one evaluation run (error counts, rates, speed), shared by every kind of
gold: :mod:`g2p.evaluate` fills them, :mod:`g2p.ko.rulebook` and the baseline script too."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Report:
    """Figures of one evaluation run; printed and optionally saved as JSON."""

    kind: str
    lang: str
    gold: str
    entries: int = 0
    errors: int = 0  # edit operations (PER/CER numerator) or wrong items (accuracy)
    reference_length: int = 0
    wrong_entries: int = 0
    seconds: float = 0.0
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    examples: list[tuple[str, str, str]] = field(default_factory=list)
    groups: dict[str, list[int]] = field(default_factory=dict)  # name -> [entries, wrong]

    @property
    def error_rate(self) -> float:
        return self.errors / self.reference_length if self.reference_length else 0.0

    @property
    def entry_error_rate(self) -> float:
        return self.wrong_entries / self.entries if self.entries else 0.0

    @property
    def per_second(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, object]:
        data = asdict(self)
        data.update(
            error_rate=round(self.error_rate, 5),
            entry_error_rate=round(self.entry_error_rate, 5),
            per_second=round(self.per_second, 1),
        )
        return data
