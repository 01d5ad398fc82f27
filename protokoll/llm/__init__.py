"""Local language models behind one small interface (`protokoll.llm.base.LLM`).

Backends: llama.cpp for the embedded GGUF model on CPU (`llamacpp.py`),
transformers for GPU models (`transformers_backend.py`), and any
OpenAI-compatible HTTP server a municipality runs centrally (`openai_http.py`).
`protokoll.pipeline.build` decides which one runs.
"""
