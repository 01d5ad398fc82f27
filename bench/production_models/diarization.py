"""A pyannote pipeline directory in the layout of speaker-diarization-community-1.

The production profile diarizes with `pyannote-speaker-diarization-community-1`: a
pipeline directory (config.yaml, segmentation and embedding checkpoints, PLDA) that an
operator copies from the hub into `models/`, loaded with `Pipeline.from_pretrained`
(`diarization.pipeline = "pretrained"`) and clustered with VBx and its PLDA
(`clustering_method = "pyannote"`). Its weights are gated on the hub and in no package
registry, so this module builds a directory of the same layout from what is:

* `config.yaml`: community-1's own (pyannote 4's `dependencies` key, VBx clustering,
  `$model/...` sub-folders, batch sizes 32, overlap excluded from the embeddings,
  threshold 0.6, Fa 0.07, Fb 0.8);
* `segmentation/pytorch_model.bin`: the embedded segmentation-3.0 checkpoint (the
  powerset architecture community-1's segmentation has), copied;
* `embedding/pytorch_model.bin`: with `embedding="campplus"`, the real CAM++ weights
  (192-dim) saved as a pyannote/Lightning checkpoint whose architecture is
  `protokoll.speakers.campplus.CamPlusPlus`, so that `Model.from_pretrained` loads it
  and the directory diarizes real speech; with `embedding="wespeaker-resnet34"`,
  pyannote's `WeSpeakerResNet34` (community-1's embedding architecture, 256-dim) with
  random, seeded weights, for speed and memory measurements;
* `plda/xvec_transform.npz` and `plda/plda.npz`: a synthetic PLDA matching the
  embedding's dimension (LDA to 128 dimensions, as pyannote expects). It stands in for
  community-1's trained PLDA so that loading and the VBx path run; it is not a claim
  about quality. It is deterministic and well conditioned: no centring (means zero),
  a seeded orthonormal projection as "LDA", and a PLDA with a fixed within-speaker
  scale and gently decaying across-speaker variances (`plda_arrays`).

The directory is complete in the sense of `models/manifest.toml`: copied to
`models/pyannote-speaker-diarization-community-1/`, `protokoll models pin` records it and
`ModelStore.resolve` verifies it.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np

import protokoll  # noqa: F401 (switches pyannote's telemetry off before it is imported)

ROOT = Path(__file__).resolve().parents[2]
MODEL_ID = "pyannote-speaker-diarization-community-1"
SEGMENTATION_DIR = ROOT / "models" / "pyannote-segmentation-3.0"
CAMPPLUS_WEIGHTS = ROOT / "models" / "campplus-zh-en-common" / "campplus_cn_en_common.pt"

Embedding = Literal["campplus", "wespeaker-resnet34"]
EMBEDDING_DIMENSIONS: dict[str, int] = {"campplus": 192, "wespeaker-resnet34": 256}
LDA_DIMENSION = 128  # pyannote's PLDA keeps this many dimensions (core/plda.py)
EMBEDDING_WINDOW_S = 10.0  # what the pipeline feeds the embedding model: one segmentation window

# what the manifest's pyannote-speaker-diarization-community-1 entry lists
FILES = (
    "config.yaml",
    "segmentation/pytorch_model.bin",
    "embedding/pytorch_model.bin",
    "plda/plda.npz",
    "plda/xvec_transform.npz",
)

# pyannote/speaker-diarization-community-1 config.yaml (same keys and values)
CONFIG_YAML = """\
dependencies:
  pyannote.audio: 4.0.0

pipeline:
  name: pyannote.audio.pipelines.SpeakerDiarization
  params:
    clustering: VBxClustering
    segmentation: $model/segmentation
    segmentation_batch_size: 32
    embedding: $model/embedding
    embedding_batch_size: 32
    embedding_exclude_overlap: true
    plda: $model/plda

params:
  clustering:
    threshold: 0.6
    Fa: 0.07
    Fb: 0.8
  segmentation:
    min_duration_off: 0.0
"""


def build_pipeline_dir(
    target: Path,
    *,
    segmentation_dir: Path = SEGMENTATION_DIR,
    embedding: Embedding = "campplus",
    campplus_weights: Path | None = None,
    seed: int = 0,
) -> Path:
    """Write the pipeline directory to `target` (created; existing files are replaced)."""
    if embedding not in EMBEDDING_DIMENSIONS:
        known = ", ".join(EMBEDDING_DIMENSIONS)
        raise ValueError(f"unknown embedding {embedding!r} (known: {known})")
    target.mkdir(parents=True, exist_ok=True)
    (target / "config.yaml").write_text(CONFIG_YAML, encoding="utf-8")

    (target / "segmentation").mkdir(exist_ok=True)
    shutil.copyfile(
        segmentation_dir / "pytorch_model.bin", target / "segmentation" / "pytorch_model.bin"
    )

    (target / "embedding").mkdir(exist_ok=True)
    if embedding == "campplus":
        model = campplus_model(campplus_weights or CAMPPLUS_WEIGHTS)
    else:
        model = resnet34_model(seed)
    save_checkpoint(model, target / "embedding" / "pytorch_model.bin")

    write_plda(target / "plda", EMBEDDING_DIMENSIONS[embedding], seed=seed)
    return target


def campplus_model(weights: Path) -> Any:
    """CAM++ with the embedded weights, as the pyannote `Model` protokoll wraps it in."""
    # lazy: campplus imports torch and pyannote.audio (seconds)
    from protokoll.speakers.campplus import CamPlusPlus

    return CamPlusPlus(weights)


def resnet34_model(seed: int) -> Any:
    """pyannote's WeSpeakerResNet34 (community-1's embedding) with random, seeded weights."""
    # lazy: torch and pyannote.audio take seconds to import
    import torch
    from pyannote.audio.models.embedding import WeSpeakerResNet34

    torch.manual_seed(seed)
    model = WeSpeakerResNet34()
    model.eval()
    return model


def save_checkpoint(model: Any, path: Path) -> None:
    """Save a pyannote `Model` as the Lightning checkpoint `Model.from_pretrained` reads.

    The checkpoint holds the weights, the hyper-parameters, the Lightning version and,
    under "pyannote.audio", the versions, the architecture (module and class) and the
    task specifications, as pyannote's own `on_save_checkpoint` writes them."""
    # lazy: torch, lightning and pyannote.audio take seconds to import
    import lightning
    import torch
    from pyannote.audio.core.model import UnknownSpecificationsError
    from pyannote.audio.core.task import Problem, Resolution, Specifications

    try:
        model.specifications  # noqa: B018 (an embedding model has no task)
    except UnknownSpecificationsError:
        model.specifications = Specifications(
            problem=Problem.REPRESENTATION,
            resolution=Resolution.CHUNK,
            duration=EMBEDDING_WINDOW_S,
        )
    checkpoint: dict[str, Any] = {
        "epoch": 0,
        "global_step": 0,
        "pytorch-lightning_version": lightning.__version__,
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
    }
    model.on_save_checkpoint(checkpoint)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, path)


def plda_arrays(
    dimension: int, *, seed: int = 0, lda_dimension: int = LDA_DIMENSION
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The synthetic (xvec_transform, plda) arrays for embeddings of `dimension`.

    pyannote (`utils/vbx.py`) length-normalises the centred embedding, projects it with
    `lda`, centres and length-normalises it again (to norm sqrt(lda_dimension): variance
    about 1 per dimension) and maps it with the PLDA's `tr` into a space where the
    within-speaker covariance is the identity and `psi` holds the across-speaker
    variances. Here:

    * xvec_transform: `mean1` and `mean2` zero, `lda` (dimension, lda_dimension) with
      orthonormal columns (QR of a seeded Gaussian matrix, signs fixed);
    * plda: `mu` zero, `tr` = 2 * identity (the within-speaker share of the variance
      taken as a quarter, so scaling by 2 makes it about 1) and `psi` from 4.0 down to
      2.0 (across-speaker variance two to four times the within-speaker one): all
      positive and distinct, so the generalised eigenproblem pyannote solves is well
      conditioned and its order of dimensions is the order of `psi`.

    On the bundled sample with CAM++ the VBx result is the same for a broad range
    (`tr` 1.5 to 4 times the identity, `psi` 1 to 5): the values are not tuned to it.
    dtypes follow community-1's files (float64, except `mean2` and `lda`: float32)."""
    if lda_dimension > dimension:
        raise ValueError(f"lda_dimension {lda_dimension} > embedding dimension {dimension}")
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((dimension, dimension)))
    q = q * np.sign(np.diag(r))  # the unique orthonormal factor with a positive diagonal R
    transform: dict[str, np.ndarray] = {
        "mean1": np.zeros(dimension),
        "mean2": np.zeros(lda_dimension, dtype=np.float32),
        "lda": np.ascontiguousarray(q[:, :lda_dimension], dtype=np.float32),
    }
    plda: dict[str, np.ndarray] = {
        "mu": np.zeros(lda_dimension),
        "tr": 2.0 * np.eye(lda_dimension),
        "psi": np.geomspace(4.0, 2.0, lda_dimension),
    }
    return transform, plda


def write_plda(plda_dir: Path, dimension: int, *, seed: int = 0) -> None:
    """`xvec_transform.npz` and `plda.npz` (see `plda_arrays`) in `plda_dir`."""
    transform, plda = plda_arrays(dimension, seed=seed)
    plda_dir.mkdir(parents=True, exist_ok=True)
    for name, arrays in (("xvec_transform.npz", transform), ("plda.npz", plda)):
        with (plda_dir / name).open("wb") as fh:
            np.savez(fh, **cast(dict[str, Any], arrays))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="directory to write (e.g. models/<id>)")
    parser.add_argument("--embedding", choices=sorted(EMBEDDING_DIMENSIONS), default="campplus")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    build_pipeline_dir(args.target, embedding=args.embedding, seed=args.seed)
    print(f"{args.target}: {', '.join(FILES)}")


if __name__ == "__main__":
    main()
