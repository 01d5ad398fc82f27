"""Output writers: each turns pipeline results into one file at a given path.

- `transcript_json.write_transcript_json`: the full `Transcript` as `transcript.json`
  (schema in `docs/transcript-schema.md`).
- `rttm.write_rttm` / `rttm.format_rttm` / `rttm.read_rttm`: speaker turns as NIST RTTM
  (for diarization scoring against reference annotations).
- `vtt.write_vtt` / `vtt.format_vtt`: segments as WebVTT subtitles with voice spans.
- `wortprotokoll_docx.write_wortprotokoll_docx`: a readable German Wortprotokoll draft
  (DOCX), marked as AI-generated in text and in the document properties.

The writers are pure: they read their arguments and write exactly one file.
"""
