"""How a fine-tuning runs: which matrices and layers get LoRA adapters, their rank and
scale, the learning rate, the steps and the seed (light: no JAX imported)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from playground.engine.errors import PlaygroundError

# the matrices an adapter may adapt, by their short names
MATRICES = {
    "q": "attn_q",
    "k": "attn_k",
    "v": "attn_v",
    "o": "attn_output",
    "gate": "ffn_gate",
    "up": "ffn_up",
    "down": "ffn_down",
}


@dataclass(frozen=True)
class LoraSettings:
    targets: tuple[str, ...] = ("q", "k", "v", "o", "gate", "up", "down")
    layers: tuple[int, int] | None = None  # first and last layer adapted; None: all
    rank: int = 8
    alpha: float = 16.0
    # measured on the made-up fact (8 examples, SmolLM2-135M): the held-out phrasing goes
    # from p ~ 0 to 0.999 in 20 steps, and prompts that have nothing to do with it move
    # by ~1 bit (3e-3 and 30 steps: 17-36 bits, the model says Lutz after everything)
    learning_rate: float = 1e-3
    steps: int = 20
    seed: int = 0
    weight_decay: float = 0.0

    @property
    def scale(self) -> float:
        return self.alpha / self.rank

    def layer_range(self, n_layer: int) -> range:
        first, last = self.layers if self.layers is not None else (0, n_layer - 1)
        return range(first, last + 1)

    def checked(self, n_layer: int) -> LoraSettings:
        """These settings, or PlaygroundError saying which one cannot be used."""
        unknown = [t for t in self.targets if t not in MATRICES]
        if unknown or not self.targets:
            names = ", ".join(MATRICES)
            raise PlaygroundError(f"Targets are some of {names}, not {', '.join(unknown)}.")
        if self.layers is not None:
            first, last = self.layers
            if not 0 <= first <= last < n_layer:
                raise PlaygroundError(f"Layers run from 0 to {n_layer - 1}: not {first}-{last}.")
        if not 1 <= self.rank <= 256:
            raise PlaygroundError(f"The rank is between 1 and 256, not {self.rank}.")
        if not (0 < self.learning_rate <= 1.0) or not 1 <= self.steps <= 10_000:
            raise PlaygroundError("The learning rate is in (0, 1] and the steps 1-10,000.")
        return self

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
