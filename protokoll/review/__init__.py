"""Review of the AI draft: versions, edits, the DOCX round trip and the edit rate."""
