"""The dataset card (README.md): YAML metadata and body, generated from the written files.

Numbers (rows, bytes, tokens, statuses, phone inventory) are read back from the parquet files,
provenance (inputs, licenses, options, back-end versions) from each config's manifest, and the
comparison with the PhoneXL release from ``comparison.json`` when present. The body comes from
``card.md.j2`` beside this module; a card with leftover placeholders is refused. Writing
it into the folder is publishing (:mod:`alignment_dataset.publish`), not this module's job.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard, DatasetCardData
from jinja2 import Environment, StrictUndefined

import g2p
from alignment_dataset.schema import DEFAULT_REPO_ID, KINDS, SPLITS, features
from alignment_dataset.writer import COMPARISON_FILE, built_configs
from g2p.ipa import is_tone_segment
from g2p.types import Status

TEMPLATE = "card.md.j2"  # beside this module
# Unfilled template slots, unrendered Jinja, or Python values that leaked into the text.
_PLACEHOLDERS = re.compile(r"\[More Information Needed\]|\{\{|\{%|\bTODO\b|\bTBD\b|\bNone\b"
                           r"|\bnan\b")
_RST_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LANGUAGE_NAMES = {"ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "zh": "Mandarin Chinese"}
_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
          (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"))
_SOURCE_DATASETS = {("ner", "hub"): "extended|wikiann", ("ner", "path"): "extended|wikiann",
                    ("pos", "hub"): "extended|universal_dependencies",
                    ("pos", "path"): "extended|universal_dependencies"}


class CardError(ValueError):
    """The card cannot be written (nothing built, or placeholders left)."""


@dataclass
class SplitFigures:
    name: str
    paths: list[str]  # shard files relative to the dataset folder, once published
    rows: int
    tokens: int
    num_bytes: int
    status: Counter


@dataclass
class ConfigFigures:
    name: str
    task: str
    lang: str
    manifest: dict
    folder: Path
    splits: list[SplitFigures] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(split.rows for split in self.splits)

    @property
    def tokens(self) -> int:
        return sum(split.tokens for split in self.splits)

    def share(self, status: str) -> float:
        """The share of this config's tokens with ``status``."""
        count = sum(split.status.get(status, 0) for split in self.splits)
        return count / self.tokens if self.tokens else 0.0


def _read_split(folder: Path, split: str, phones: Counter) -> SplitFigures | None:
    """The split's figures; None without rows (a folder left by an older phonexl)."""
    files = [path for path in sorted(folder.glob(f"{split}-*.parquet"))
             if pq.ParquetFile(path).metadata.num_rows]
    if not files:
        return None
    rows = tokens = num_bytes = 0
    status: Counter = Counter()
    for path in files:
        meta = pq.ParquetFile(path).metadata
        rows += meta.num_rows
        num_bytes += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        table = pq.read_table(path, columns=["ipa", "status"])
        flat_status = pc.list_flatten(table["status"])
        tokens += len(flat_status)
        counts = pc.value_counts(flat_status).to_pylist()
        status.update({item["values"]: item["counts"] for item in counts})
        # Counted in Arrow, not in Python: a shard of 100,000 sentences holds millions of phones.
        segments = pc.list_flatten(pc.split_pattern(pc.list_flatten(table["ipa"]), " "))
        counts = pc.value_counts(pc.filter(segments, pc.not_equal(segments, ""))).to_pylist()
        phones.update({item["values"]: item["counts"] for item in counts})
    return SplitFigures(split, [f"{folder.name}/{path.name}" for path in files], rows, tokens,
                        num_bytes, status)


def collect(out_dir: Path) -> tuple[list[ConfigFigures], dict[str, Counter]]:
    """Figures of every built config and the phone counts per language, from the files."""
    configs, phones = [], defaultdict(Counter)
    for name, (folder, manifest) in built_configs(out_dir).items():
        figures = ConfigFigures(name, manifest["task"], manifest["lang"], manifest, folder)
        for split in SPLITS:
            found = _read_split(folder, split, phones[manifest["lang"]])
            if found:
                figures.splits.append(found)
        if figures.splits:
            configs.append(figures)
    if not configs:
        raise CardError(f"{out_dir}: no built config folders; build one first")
    return configs, dict(phones)


def _size_category(rows: int) -> str:
    return next(label for limit, label in _SIZES if rows < limit) if rows < _SIZES[-1][0] \
        else "n>10M"


def card_data(configs: list[ConfigFigures], repo_id: str = DEFAULT_REPO_ID) -> DatasetCardData:
    """The YAML header: languages, licenses, tasks, configs with data files, features."""
    langs = sorted({c.lang for c in configs})
    inputs = [i for c in configs for i in c.manifest["inputs"]]
    licenses = sorted({i["license"] for i in inputs})
    infos = DatasetInfosDict({
        c.name: DatasetInfo(
            features=features(c.task),
            splits=SplitDict({s.name: SplitInfo(s.name, num_bytes=s.num_bytes,
                                                num_examples=s.rows) for s in c.splits}),
            dataset_size=sum(s.num_bytes for s in c.splits),
        )
        for c in configs
    })
    # "other" = a source without a standard license (WikiANN); the card's Licenses section,
    # where license_link points, names each source's terms.
    extra = {"license_name": "mixed-sources",
             "license_link": f"https://huggingface.co/datasets/{repo_id}#sources-and-licenses",
             } if "other" in licenses else {}
    data = DatasetCardData(
        language=langs,
        license=licenses[0] if len(licenses) == 1 else licenses,
        multilinguality="multilingual" if len(langs) > 1 else "monolingual",
        pretty_name="phonexl CJKV token-aligned IPA",
        size_categories=[_size_category(sum(c.rows for c in configs))],
        source_datasets=sorted({_SOURCE_DATASETS.get((c.task, i["kind"]), "original")
                                for c in configs for i in c.manifest["inputs"]}),
        task_categories=["token-classification"],
        task_ids=sorted({KINDS[c.task].description for c in configs if KINDS[c.task].column}),
        tags=["ipa", "phonemes", "g2p", "cjkv", "cross-lingual"],
        configs=[{"config_name": c.name,
                  "data_files": [{"split": s.name,
                                  "path": s.paths[0] if len(s.paths) == 1 else s.paths}
                                 for s in c.splits]}
                 for c in configs],
        **extra,
    )
    infos.to_dataset_card_data(data)
    return data


def _adapter_notes(lang: str) -> str:
    """The module docstring of ``g2p/<lang>/adapter.py``: how that language is read."""
    path = Path(g2p.__file__).parent / lang / "adapter.py"
    if not path.is_file():
        return "(the adapter module was not found in this installation)"
    return to_markdown(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
                       or path.name)


def to_markdown(docstring: str) -> str:
    """A docstring's reStructuredText made Markdown, so the card does not show rST markup.

    ``:mod:`x``` and ````x```` become ```x```; a doctest (``>>>`` lines and their output)
    becomes a fenced Python block, output as comments (Markdown would nest ``>>>`` quotes).
    """
    text = _RST_ROLE.sub(r"`\1`", docstring).replace("``", "`")
    lines, code = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith((">>> ", "... ")) or (code and line.strip()):
            code.append(line[4:] if line.startswith((">>> ", "... ")) else f"# {line}")
            continue
        if code:
            lines += ["```python", *code, "```"]
            code = []
        lines.append(line)
    return "\n".join(lines).strip()


def _example(configs: list[ConfigFigures], longest: int = 12) -> str:
    """A row of the first config as JSON, short enough to read: the first of at most
    ``longest`` tokens with a token read in full, else the shortest of the first row group."""
    first = configs[0]
    path = first.folder / Path(first.splits[0].paths[0]).name
    rows = pq.ParquetFile(path).read_row_group(0).to_pylist()
    short = [row for row in rows if len(row["tokens"]) <= longest]
    row = next((r for r in short if "ok" in r["status"]), None) or min(
        rows, key=lambda r: len(r["tokens"]))
    column = KINDS[first.task].column
    if column:
        row[column] = [KINDS[first.task].labels[i] for i in row[column]]
    fields = [f' "{key}": {json.dumps(value, ensure_ascii=False)}' for key, value in row.items()]
    return "{\n" + ",\n".join(fields) + "\n}"


def _template() -> str:
    return resources.files("alignment_dataset").joinpath(TEMPLATE).read_text(encoding="utf-8")


def render(out_dir: Path, repo_id: str = DEFAULT_REPO_ID) -> str:
    """The card text for the dataset folder ``out_dir``."""
    out_dir = Path(out_dir)
    configs, phones = collect(out_dir)
    comparison_path = out_dir / COMPARISON_FILE
    comparison = (json.loads(comparison_path.read_text(encoding="utf-8"))
                  if comparison_path.is_file() else {})
    langs = sorted({c.lang for c in configs})
    inventory = {lang: {"segments": [], "tones": []} for lang in langs}
    for lang in langs:
        for phone, count in phones.get(lang, Counter()).most_common():
            kind = "tones" if is_tone_segment(phone) else "segments"
            inventory[lang][kind].append((phone, count))
    notes = {lang: _adapter_notes(lang) for lang in langs}
    environment = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    text = environment.from_string(_template()).render(
        card_data=card_data(configs, repo_id).to_yaml(),
        repo_id=repo_id,
        configs=configs,
        langs=langs,
        language_names=_LANGUAGE_NAMES,
        tasks=KINDS,
        statuses=[status.value for status in Status],
        phones=inventory,
        backends={c.lang: c.manifest.get("backends", {}) for c in configs},
        adapter_notes=notes,
        comparison=comparison,
        example=_example(configs),
        environment=configs[0].manifest.get("environment", {}),
        tasks_present={c.task for c in configs},
        without_train=[c.name for c in configs if "train" not in {s.name for s in c.splits}],
        has_sample=any(i["kind"] == "sample" for c in configs for i in c.manifest["inputs"]),
    )
    # The adapters' own docstrings are quoted verbatim and may say "None": not scanned.
    scanned = text
    for note in notes.values():
        scanned = scanned.replace(note, "")
    leftovers = sorted({m.group(0) for m in _PLACEHOLDERS.finditer(scanned)})
    if leftovers:
        raise CardError(f"refusing to write a card with placeholders left: {leftovers}")
    DatasetCard(text)  # parses the YAML header: a malformed one raises here, not on the Hub
    return text


#END
