"""One side of a comparison, prepared: its analysis, its public surface, and what the comparison reads of it.

``clientgen diff`` builds a side in the process that analysed it (the old one
in a worker); what is left (where model names are written, the models each
schema names) is computed on first use, and for the side this process analysed
while the worker is still busy with the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from generator.diff.surface import Slot, Surface, build_surface, positions
from generator.diff.unchanged import named_models
from generator.pipeline import Analysis


@dataclass(frozen=True)
class Prepared:
    """One side, ready to compare."""

    analysis: Analysis
    surface: Surface

    @cached_property
    def positions(self) -> Mapping[Slot, tuple[str, ...]]:
        """Where model names are written in the client (``surface.positions``)."""
        return positions(self.surface)

    @cached_property
    def references(self) -> Mapping[str, frozenset[str]]:
        """The models each model's normalised schema names."""
        return {name: frozenset(named_models(schema)) for name, schema in self.analysis.schemas.models.items()}

    def ready(self) -> Prepared:
        """Everything computed now (while another process finishes the other side)."""
        _ = self.positions, self.references
        return self


def prepare(analysis: Analysis) -> Prepared:
    return Prepared(analysis, build_surface(analysis))
