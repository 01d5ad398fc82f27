"""The production profile's model architectures with random weights.

The GPU profile's weights (large-v3-turbo, pyannote community-1, Qwen2.5-7B-Instruct)
are in no package registry and cannot reach the machines that test and measure
this project. These builders make models of the same architectures, in the file
layout `models/manifest.toml` lists, so the production code paths run in CI
(tiny or true sizes on CPU) and are measured on a GPU machine (`bench/gpu_check.py`):

* `whisper`: large-v3-turbo (128 mel bins, 32+4 layers), converted to CTranslate2;
* `diarization`: a pipeline directory in community-1's layout;
* `llm`: Qwen2 with the real Qwen2.5 tokenizer and chat template.

Random weights give true speed and memory figures, never quality figures.
"""
